package storage

import (
	"context"

	cd "github.com/congdoanbot/congdoanbot"
)

// demoUnits are the grassroots unions of the demo province.
var demoUnits = []cd.Unit{
	{Name: "Sở Tư pháp", Code: "STP"},
	{Name: "Kho bạc Nhà nước tỉnh", Code: "KBNN"},
	{Name: "Viện Kiểm sát nhân dân tỉnh", Code: "VKS"},
	{Name: "Cục Thuế tỉnh", Code: "CT"},
	{Name: "Văn phòng Tỉnh ủy", Code: "VPTU"},
	{Name: "Sở Công Thương", Code: "SCT"},
}

// demoCampaigns are the union's usual campaigns, over a whole year.
func demoCampaigns(year int) []cd.Campaign {
	start, end := cd.Date{Year: year, Month: 1, Day: 1}, cd.Date{Year: year, Month: 12, Day: 31}
	return []cd.Campaign{
		{Name: "Lao động giỏi, Lao động sáng tạo", Start: start, End: end,
			Description: "Phát huy sáng kiến, cải tiến trong công tác chuyên môn.",
			Kinds:       []string{"sang_kien", "tap_huan"},
			Targets:     []cd.Target{{Kind: "sang_kien", Value: 10}, {Kind: "tap_huan", Value: 2}}},
		{Name: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", Start: start, End: end,
			Description: "Mỗi đoàn viên đăng ký và thực hiện việc làm theo Bác.",
			Kinds:       []string{"lam_theo_bac", "hien_mau", "tu_thien"},
			Targets:     []cd.Target{{Kind: "lam_theo_bac", Value: 20}, {Kind: "hien_mau", Value: 20}}},
		{Name: "Giỏi việc nước, đảm việc nhà", Start: start, End: end,
			Description: "Dành cho nữ đoàn viên công chức, viên chức, lao động.",
			Kinds:       []string{"van_nghe", "tu_thien", "khac"}},
	}
}

// SeedDemo fills a database that has only its province unit with the demo
// province's grassroots unions, the province admin "tinh" and
// "chutich", the active chair of Sở Tư pháp (both on the console
// platform). A database that has them already is left alone.
func SeedDemo(ctx context.Context, db *DB) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.UnitByCode("STP"); err == nil {
			return nil
		} else if cd.ErrorCode(err) != cd.ENOTFOUND {
			return err
		}
		prov, err := tx.ProvinceUnit()
		if err != nil {
			return err
		}
		var stp int64
		for _, u := range demoUnits {
			u.Kind, u.ParentID = cd.UnitGrassroots, prov.ID
			if err := tx.CreateUnit(&u); err != nil {
				return err
			}
			if u.Code == "STP" {
				stp = u.ID
			}
		}
		people := []struct {
			user, name string
			unit       int64
			role       cd.Role
		}{
			{"tinh", "Nguyễn Văn Tỉnh", prov.ID, cd.RoleProvinceAdmin},
			{"chutich", "Trần Thị Hoa", stp, cd.RoleChair},
		}
		for _, p := range people {
			m := &cd.Member{FullName: p.name, UnitID: p.unit, Role: p.role, Status: cd.StatusActive,
				ConsentAt: tx.Now(), DecidedAt: tx.Now()}
			id := cd.Identity{Platform: cd.PlatformConsole, UserID: p.user, ChatID: p.user, DisplayName: p.user}
			if err := tx.CreateMember(m, id); err != nil {
				return err
			}
		}
		year := tx.Now().Year()
		for _, c := range demoCampaigns(year) {
			if err := tx.CreateCampaign(&c); err != nil {
				return err
			}
		}
		return tx.Audit(cd.AuditEntry{ActorKey: "demo", Action: cd.AuditUnitCreate, TargetUnit: prov.ID, Detail: "demo seed"})
	})
}

// EnsureProvince creates the root unit of an empty database, with join
// code TINH. A database that has one keeps it.
func (db *DB) EnsureProvince(ctx context.Context, name string) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ProvinceUnit(); err == nil || cd.ErrorCode(err) != cd.ENOTFOUND {
			return err
		}
		return tx.CreateUnit(&cd.Unit{Kind: cd.UnitProvince, Name: name, Code: "TINH"})
	})
}
