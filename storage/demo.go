package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

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
// platform), the demo campaigns and funds. A database that has them
// already is left alone, except that it gets the demo funds if it has no
// fund at all.
//
// SeedDemo refuses, with ErrNotDemo, a database that holds real data: one
// it did not seed before, whose province is not named "… (demo)", with
// members or units besides its province.
func SeedDemo(ctx context.Context, db *DB) error {
	return db.Update(ctx, func(tx *Tx) error {
		if demo, err := isDemo(ctx, tx.tx, true); err != nil {
			return err
		} else if !demo {
			return fmt.Errorf("%w: %s", ErrNotDemo, db.path)
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO kv (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING`, demoKey); err != nil {
			return fmt.Errorf("mark the demo database: %w", err)
		}
		if _, err := tx.UnitByCode("STP"); err == nil {
			return seedDemoFunds(tx) // a demo database from before funds gets them
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
		if err := seedDemoFunds(tx); err != nil {
			return err
		}
		return tx.Audit(cd.AuditEntry{ActorKey: "demo", Action: cd.AuditUnitCreate, TargetUnit: prov.ID, Detail: "demo seed"})
	})
}

// demoFunds are the union's usual funds, over a whole year. The bank
// accounts are made up.
func demoFunds(year int) []cd.Fund {
	start, end := cd.Date{Year: year, Month: 1, Day: 1}, cd.Date{Year: year, Month: 12, Day: 31}
	return []cd.Fund{
		{Name: "Mái ấm Công đoàn", Target: 300_000_000, Start: start, End: end,
			Description: "Hỗ trợ xây mới, sửa chữa nhà ở cho đoàn viên có hoàn cảnh khó khăn về nhà ở.",
			BankBIN:     "970436", AccountNo: "1234567890", AccountName: "CONG DOAN VIEN CHUC TINH DEMO"},
		{Name: "Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn", Target: 100_000_000,
			Description: "Cho nữ công chức, viên chức, lao động có hoàn cảnh khó khăn vay vốn không lãi để phát triển kinh tế gia đình. Nộp tiền mặt qua chủ tịch công đoàn cơ sở."},
		{Name: "Quỹ xã hội từ thiện",
			Description: "Ủng hộ đồng bào bị thiên tai, thăm hỏi đoàn viên ốm đau, hoạn nạn.",
			BankBIN:     "970415", AccountNo: "1122334455", AccountName: "CONG DOAN VIEN CHUC TINH DEMO"},
	}
}

// seedDemoFunds adds the demo funds to a database that has no fund yet.
func seedDemoFunds(tx *Tx) error {
	funds, err := tx.Funds(false)
	if err != nil || len(funds) > 0 {
		return err
	}
	for _, f := range demoFunds(tx.Now().Year()) {
		if err := tx.CreateFund(&f); err != nil {
			return fmt.Errorf("seed demo fund %q: %w", f.Name, err)
		}
	}
	return nil
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

// demoKey is the setting by which SeedDemo marks the demo's database.
const demoKey = "demo"

// ErrNotDemo is returned for a database that holds real data, not the
// demo's: the demo must never seed it or delete it.
var ErrNotDemo = errors.New("not a demo database (it holds real data)")

// isDemo reports whether a database is the demo's: SeedDemo marked it, or
// (a demo database from before the mark, or one the demo just created)
// its province is named "… (demo)". With orEmpty, a database that has
// nothing but its province unit counts too.
func isDemo(ctx context.Context, q querier, orEmpty bool) (bool, error) {
	var demo, data int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM kv WHERE key = ?)
		+ (SELECT COUNT(*) FROM units WHERE kind = 'province' AND name LIKE '%(demo)'),
		(SELECT COUNT(*) FROM units WHERE kind != 'province') + (SELECT COUNT(*) FROM members)`, demoKey).Scan(&demo, &data)
	if err != nil {
		return false, fmt.Errorf("read units and settings: %w", err)
	}
	return demo > 0 || orEmpty && data == 0, nil
}

// IsDemoFile reports whether the demo may use the database file at path:
// there is none yet (or it is empty), or it is the demo's (see SeedDemo).
// It only reads the file, without migrating it; a file that is not a
// database of this bot is not the demo's.
func IsDemoFile(ctx context.Context, path string) (bool, error) {
	if st, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || err == nil && st.Size() == 0 {
		return true, nil
	} else if err != nil {
		return false, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return false, fmt.Errorf("open database %s: %w", path, err)
	}
	defer db.Close()
	demo, err := isDemo(ctx, db, false)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return false, nil
	}
	return demo, classify(err)
}
