package storage

import (
	"context"
	"fmt"
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
	if err := SeedBenchProvince(ctx, db, benchUnits, benchMembers, benchActivities); err != nil {
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
