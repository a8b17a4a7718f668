package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// SeedBenchProvince fills db (which has its province unit) with a large
// province for benchmarks: units grassroots unions, members active
// members, activities reports over 2026 (half of them towards a
// campaign), three campaigns, three funds with 30,000 pledges. Rows are
// inserted in bulk, without the checks of the ordinary methods.
func SeedBenchProvince(ctx context.Context, db *DB, units, members, activities int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []string{"sang_kien", "hien_mau", "tu_thien", "van_nghe", "tap_huan", "sinh_hoat", "ket_nap", "lam_theo_bac", "khac"}
	if err := seedBenchMembers(ctx, db, kinds, units, members); err != nil {
		return err
	}
	if err := seedBenchActivities(ctx, db, rng, kinds, units, members, activities); err != nil {
		return err
	}
	if err := seedBenchPledges(ctx, db, rng, units, members); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, `ANALYZE`)
	return err
}

// seedBenchMembers adds the units, three campaigns and the members.
func seedBenchMembers(ctx context.Context, db *DB, kinds []string, units, members int) error {
	err := db.Update(ctx, func(tx *Tx) error {
		for i := range units {
			u := cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: fmt.Sprintf("Công đoàn cơ sở số %d", i+1), Code: fmt.Sprintf("U%d", i+1)}
			if err := tx.CreateUnit(&u); err != nil {
				return err
			}
		}
		for c := range 3 {
			camp := cd.Campaign{Name: fmt.Sprintf("Phong trào %d", c+1), Start: cd.Date{Year: 2026, Month: 1, Day: 1},
				End: cd.Date{Year: 2026, Month: 12, Day: 31}, Kinds: kinds[c*3 : c*3+3],
				Targets: []cd.Target{{Kind: kinds[c*3], Value: 50}, {Kind: kinds[c*3+1], Value: 80}}}
			if err := tx.CreateCampaign(&camp); err != nil {
				return err
			}
		}
		stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO members (full_name, unit_id, role, status, registered_at) VALUES (?, ?, 'member', 'active', ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := fmtTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		for i := range members {
			if _, err := stmt.ExecContext(ctx, fmt.Sprintf("Đoàn viên %d", i+1), 2+i%units, now); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// seedBenchActivities adds the reports, in batches.
func seedBenchActivities(ctx context.Context, db *DB, rng *rand.Rand, kinds []string, units, members, activities int) error {
	const batch = 50_000
	for done := 0; done < activities; done += batch {
		err := db.Update(ctx, func(tx *Tx) error {
			stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO activities (unit_id, member_id, kind, date, month, description,
				people, amount, quantity, campaign_id, entered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for range batch {
				member := 1 + rng.IntN(members)
				unit := 2 + (member-1)%units
				k := rng.IntN(len(kinds))
				d := cd.Date{Year: 2026, Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
				var campaign any
				if rng.IntN(2) == 0 { // half the reports count towards the kind's campaign
					campaign = 1 + k/3
				}
				ts := fmtTime(d.Time(time.UTC))
				if _, err := stmt.ExecContext(ctx, unit, member, kinds[k], d.String(), d.MonthOf().String(), "Hoạt động",
					rng.IntN(30), rng.IntN(3)*500_000, rng.IntN(3), campaign, member, ts, ts); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// seedBenchPledges adds three funds with 30,000 pledges, a third paid.
func seedBenchPledges(ctx context.Context, db *DB, rng *rand.Rand, units, members int) error {
	return db.Update(ctx, func(tx *Tx) error {
		for f := range 3 {
			if err := tx.CreateFund(&cd.Fund{Name: fmt.Sprintf("Quỹ số %d", f+1), Target: 2_000_000_000}); err != nil {
				return err
			}
		}
		stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO pledges (fund_id, member_id, unit_id, amount, paid, status, anonymous,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		ts := fmtTime(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		for i := range 30_000 {
			member := 1 + rng.IntN(members)
			paid, status := int64(0), "pledged"
			if i%3 == 0 {
				paid, status = 500_000, "paid"
			}
			if _, err := stmt.ExecContext(ctx, 1+i%3, member, 2+(member-1)%units, 500_000, paid, status, ts, ts); err != nil {
				return err
			}
		}
		return nil
	})
}
