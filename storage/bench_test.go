package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/report"
)

// A province of 300 grassroots unions, 100,000 members and 1,000,000
// activities over one year, built once per benchmark process.
const (
	benchUnits      = 300
	benchMembers    = 100_000
	benchActivities = 1_000_000
)

var (
	benchOnce sync.Once
	benchDB   *DB
	benchErr  error
)

func provinceDB(b *testing.B) *DB {
	b.Helper()
	benchOnce.Do(func() {
		dir, err := mkBenchDir()
		if err != nil {
			benchErr = err
			return
		}
		benchDB, benchErr = buildProvince(filepath.Join(dir, "province.db"))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

var benchDir string

func mkBenchDir() (string, error) {
	if benchDir == "" {
		d, err := osMkdirTemp()
		if err != nil {
			return "", err
		}
		benchDir = d
	}
	return benchDir, nil
}

func buildProvince(path string) (*DB, error) {
	ctx := context.Background()
	start := time.Now()
	db, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []string{"sang_kien", "hien_mau", "tu_thien", "van_nghe", "tap_huan", "sinh_hoat", "ket_nap", "lam_theo_bac", "khac"}
	err = db.Update(ctx, func(tx *Tx) error {
		for i := range benchUnits {
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
		for i := range benchMembers {
			if _, err := stmt.ExecContext(ctx, fmt.Sprintf("Đoàn viên %d", i+1), 2+i%benchUnits, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	const batch = 50_000
	for done := 0; done < benchActivities; done += batch {
		err := db.Update(ctx, func(tx *Tx) error {
			stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO activities (unit_id, member_id, kind, date, month, description,
				people, amount, quantity, campaign_id, entered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for range batch {
				member := 1 + rng.IntN(benchMembers)
				unit := 2 + (member-1)%benchUnits
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
			return nil, err
		}
	}
	// Three funds with 30,000 pledges, a third of them paid.
	err = db.Update(ctx, func(tx *Tx) error {
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
			member := 1 + rng.IntN(benchMembers)
			paid, status := int64(0), "pledged"
			if i%3 == 0 {
				paid, status = 500_000, "paid"
			}
			if _, err := stmt.ExecContext(ctx, 1+i%3, member, 2+(member-1)%benchUnits, 500_000, paid, status, ts, ts); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		return nil, err
	}
	fmt.Printf("built the benchmark province (%d units, %d members, %d activities) in %v\n",
		benchUnits, benchMembers, benchActivities, time.Since(start).Round(time.Millisecond))
	return db, nil
}

// BenchmarkMonthTotals: the monthly totals per unit and kind of the
// whole province (issue: under 1 s).
func BenchmarkMonthTotals(b *testing.B) {
	db := provinceDB(b)
	ctx := context.Background()
	m := cd.Month{Year: 2026, Month: 6}
	b.ResetTimer()
	for b.Loop() {
		totals, err := db.MonthTotals(ctx, m, 0)
		if err != nil || len(totals) != benchUnits {
			b.Fatalf("totals for %d units, %v", len(totals), err)
		}
	}
}

// BenchmarkCampaignProgress: one campaign's progress for all units, ranked
// (issue: under 1 s).
func BenchmarkCampaignProgress(b *testing.B) {
	db := provinceDB(b)
	ctx := context.Background()
	units, err := db.Units(ctx, cd.UnitFilter{Kind: cd.UnitGrassroots})
	if err != nil {
		b.Fatal(err)
	}
	var kinds map[string]*cd.ActivityKind
	err = db.view(ctx, func(t *sqlTx) error {
		ks, err := activityKinds(ctx, t, false)
		kinds = map[string]*cd.ActivityKind{}
		for i := range ks {
			kinds[ks[i].Code] = &ks[i]
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		c, err := db.CampaignByID(ctx, 1)
		if err != nil {
			b.Fatal(err)
		}
		totals, err := db.CampaignTotals(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		ranked := cd.RankUnits(c, units, kinds, totals)
		if len(ranked) != benchUnits || ranked[0].Reports == 0 {
			b.Fatalf("ranked %d units", len(ranked))
		}
	}
}

// BenchmarkProvinceSummary: the province's monthly summary, every unit's
// activities, members, reporters, campaigns and funds (issue: under 1 s).
func BenchmarkProvinceSummary(b *testing.B) {
	db := provinceDB(b)
	ctx := context.Background()
	core := bot.New(bot.StoreOf(db.Update), bot.Config{})
	m := cd.Month{Year: 2026, Month: 6}
	b.ResetTimer()
	for b.Loop() {
		err := db.Update(ctx, func(tx *Tx) error {
			s, err := core.Summary(tx, m, false)
			if err == nil && (len(s.Units) != benchUnits || len(s.Funds) != 3) {
				err = fmt.Errorf("summary of %d units, %d funds", len(s.Units), len(s.Funds))
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProvinceReportXLSX: the summary and its XLSX file (issue:
// under 3 s).
func BenchmarkProvinceReportXLSX(b *testing.B) {
	db := provinceDB(b)
	ctx := context.Background()
	core := bot.New(bot.StoreOf(db.Update), bot.Config{Renderer: report.Renderer{}})
	m := cd.Month{Year: 2026, Month: 6}
	b.ResetTimer()
	for b.Loop() {
		err := db.Update(ctx, func(tx *Tx) error {
			data, err := core.ReportXLSX(tx, m, 0)
			if err == nil && len(data) < 10_000 {
				err = fmt.Errorf("xlsx of %d bytes", len(data))
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
