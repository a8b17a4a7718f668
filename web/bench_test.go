package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/web"
)

// The dashboard of a province of 300 grassroots unions, 100,000 members
// and 1,000,000 activities over 2026 (storage.SeedBenchProvince), built
// once per benchmark process. Each benchmark requests one page of the
// province admin's session, in June 2026.
var (
	benchOnce    sync.Once
	benchHandler http.Handler
	benchCookie  *http.Cookie
	benchErr     error
)

func benchDashboard(b *testing.B) (http.Handler, *http.Cookie) {
	b.Helper()
	benchOnce.Do(func() { benchHandler, benchCookie, benchErr = buildBenchDashboard() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchHandler, benchCookie
}

func buildBenchDashboard() (http.Handler, *http.Cookie, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "congdoanbot-web-bench-")
	if err != nil {
		return nil, nil, err
	}
	benchDir = dir
	start := time.Now()
	db, err := storage.Open(ctx, filepath.Join(dir, "province.db"))
	if err != nil {
		return nil, nil, err
	}
	now := time.Date(2026, 6, 20, 3, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		return nil, nil, err
	}
	if err := storage.SeedBenchProvince(ctx, db, 300, 100_000, 1_000_000); err != nil {
		return nil, nil, err
	}
	cookie := "bench-session-cookie"
	err = db.Update(ctx, func(tx *storage.Tx) error {
		prov, err := tx.ProvinceUnit()
		if err != nil {
			return err
		}
		m := &cd.Member{FullName: "Nguyễn Văn Tỉnh", UnitID: prov.ID, Role: cd.RoleProvinceAdmin, Status: cd.StatusActive}
		if err := tx.CreateMember(m, cd.Identity{Platform: cd.PlatformConsole, UserID: "tinh"}); err != nil {
			return err
		}
		return tx.CreateWebSession(bot.WebTokenHash(cookie), m.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	core := bot.New(bot.StoreOf(db.Update), bot.Config{Now: db.Now, Renderer: report.Renderer{}})
	s, err := web.New(core, db, web.Config{BaseURL: "https://congdoan.example.vn"})
	if err != nil {
		return nil, nil, err
	}
	fmt.Printf("built the benchmark province for the dashboard in %v\n", time.Since(start).Round(time.Millisecond))
	return s.Handler(), &http.Cookie{Name: "cdb_phien", Value: cookie}, nil
}

var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchPage(b *testing.B, path string) {
	h, cookie := benchDashboard(b)
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := get(); rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
	b.ResetTimer()
	for b.Loop() {
		if rec := get(); rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
}

// BenchmarkOverview: the month of the whole province (issue: under 300 ms).
func BenchmarkOverview(b *testing.B) { benchPage(b, "/?thang=2026-06") }

// The list pages (issue: paginated, each under 200 ms).
func BenchmarkUnits(b *testing.B)         { benchPage(b, "/don-vi?trang=3") }
func BenchmarkUnit(b *testing.B)          { benchPage(b, "/don-vi/150?thang=2026-06") }
func BenchmarkMembers(b *testing.B)       { benchPage(b, "/doan-vien?trang=500") }
func BenchmarkMembersSearch(b *testing.B) { benchPage(b, "/doan-vien?q=doan+vien+4711") }
func BenchmarkMembersOfUnit(b *testing.B) { benchPage(b, "/doan-vien?don_vi=150&trang=2") }
func BenchmarkActivities(b *testing.B)    { benchPage(b, "/hoat-dong?thang=2026-06&trang=100") }
func BenchmarkActivitiesFiltered(b *testing.B) {
	benchPage(b, "/hoat-dong?thang=tat-ca&don_vi=150&loai=hien_mau")
}
func BenchmarkFund(b *testing.B)  { benchPage(b, "/quy/1?trang=20") }
func BenchmarkFunds(b *testing.B) { benchPage(b, "/quy") }
func BenchmarkAudit(b *testing.B) { benchPage(b, "/nhat-ky") }
