package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
)

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hcm)
	if err != nil {
		panic(err)
	}
	return t
}

// env is a database with the demo province (chair of STP, a province
// admin), the core, and the scheduler with every job, on a fake clock.
type env struct {
	db    *storage.DB
	core  *bot.Bot
	s     *Scheduler
	clock *clock
	logs  *bytes.Buffer
	dir   string
}

func newEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{clock: &clock{t: now}, logs: &bytes.Buffer{}, dir: t.TempDir()}
	db, err := storage.Open(ctx, filepath.Join(e.dir, "jobs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = e.clock.Now
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	e.db = db
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	e.core = bot.New(bot.StoreOf(db.Update), bot.Config{Location: hcm, Now: e.clock.Now, Logger: log,
		Renderer: report.Renderer{}})
	e.s = New(db, Config{Location: hcm, Now: e.clock.Now, Logger: log})
	set := DefaultSettings(25)
	set.BackupDir = filepath.Join(e.dir, "backups")
	if err := Register(e.s, e.core, db, set); err != nil {
		t.Fatal(err)
	}
	return e
}

// outbox returns the texts of the pending messages, oldest first.
func (e *env) outbox(t *testing.T) []string {
	t.Helper()
	items, err := e.db.DueOutbox(context.Background(), cd.PlatformConsole, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.To.ChatID+": "+it.Message.Text)
	}
	return out
}

func TestParseSpecGuardsPanics(t *testing.T) {
	for _, spec := range []string{"CRON_TZ=UTC", "TZ=", "61 * * * *", "* * *", "", "@every x"} {
		if _, err := ParseSpec(spec); err == nil {
			t.Errorf("ParseSpec(%q) accepted", spec)
		}
	}
	if _, err := ParseSpec("0 8 22 * *"); err != nil {
		t.Fatal(err)
	}
	s := New(nil, Config{})
	if err := s.Add(&Job{Name: "x", Spec: "CRON_TZ=UTC", Period: dayPeriod}); err == nil || !strings.Contains(err.Error(), "job x") {
		t.Fatalf("Add with a bad spec: %v", err)
	}
}

func TestNextRunsInZone(t *testing.T) {
	e := newEnv(t, at("2026-11-25 09:30"))
	next := map[string]string{}
	for _, en := range e.s.List() {
		next[en.Name] = en.Next.In(hcm).Format("2006-01-02 15:04")
	}
	want := map[string]string{
		"report_reminder": "2026-12-22 08:00", // 3 days before the 25th
		"report_late":     "2026-11-26 08:00",
		"pledge_reminder": "2026-11-26 08:00",
		"overdue_pledges": "2026-11-30 08:00", // Monday
		"monthly_summary": "2026-12-01 08:00",
		"backup":          "2026-11-26 02:00",
		"announcements":   "2026-11-25 09:31",
	}
	for name, w := range want {
		if next[name] != w {
			t.Errorf("next %s = %s, want %s (local time)", name, next[name], w)
		}
	}
}

func TestJobRunsOncePerPeriod(t *testing.T) {
	e := newEnv(t, at("2026-11-22 08:00"))
	ctx := context.Background()
	n, ran, err := e.s.RunAt(ctx, "report_reminder", at("2026-11-22 08:00"), false)
	if err != nil || !ran || n != 1 {
		t.Fatalf("first run: queued %d, ran %v, %v (want the chair of STP reminded)", n, ran, err)
	}
	msgs := e.outbox(t)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "chutich: Nhắc việc: hạn nộp báo cáo tháng 11/2026 là 25/11/2026. Sở Tư pháp chưa nộp.") {
		t.Fatalf("outbox = %q", msgs)
	}
	// Triggered again for the same period (a second trigger, a restart, a
	// run by hand a day later): nothing more.
	for _, when := range []string{"2026-11-22 08:00", "2026-11-22 19:00", "2026-11-23 08:00"} {
		n, ran, err := e.s.RunAt(ctx, "report_reminder", at(when), false)
		if err != nil || ran || n != 0 {
			t.Fatalf("again at %s: queued %d, ran %v, %v", when, n, ran, err)
		}
	}
	if msgs := e.outbox(t); len(msgs) != 1 {
		t.Fatalf("outbox after repeats = %q", msgs)
	}
	// A unit that submitted is not reminded.
	if _, _, err := e.s.RunAt(ctx, "report_reminder", at("2026-12-22 08:00"), false); err != nil {
		t.Fatal(err)
	}
}

func TestCatchUpAfterDowntime(t *testing.T) {
	// The bot was down from 21/11 to 02/12 10:00: it missed the report
	// reminder (22/11), the late reminder (26/11), daily pledge reminders,
	// and the monthly summary (01/12 08:00).
	e := newEnv(t, at("2026-12-02 10:00"))
	ctx := context.Background()
	if err := e.s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := strings.Join(e.outbox(t), "\n")
	if !strings.Contains(msgs, "Tổng hợp tháng 11/2026 của Sở Tư pháp (gửi bù):") ||
		!strings.Contains(msgs, "Tổng hợp tháng 11/2026 toàn Công đoàn Viên chức tỉnh (gửi bù):") {
		t.Fatalf("the missed summary was not sent once, labelled:\n%s", msgs)
	}
	if strings.Contains(msgs, "Nhắc việc") || strings.Contains(msgs, "đã quá hạn") {
		t.Fatalf("stale reminders were sent:\n%s", msgs)
	}
	logs := e.logs.String()
	for _, job := range []string{"report_late", "pledge_reminder"} {
		if !strings.Contains(logs, "skipping a missed run") || !strings.Contains(logs, "job="+job) {
			t.Fatalf("skipped %s not logged:\n%s", job, logs)
		}
	}
	// The summary went with its XLSX and chart to the province admin.
	items, err := e.db.DueOutbox(ctx, cd.PlatformConsole, 100)
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, it := range items {
		if it.Message.File != nil && it.To.ChatID == "tinh" {
			files++
		}
	}
	if files != 2 {
		t.Fatalf("files to the province admin = %d, want 2 (xlsx, png)", files)
	}
	// A second start catches up nothing more.
	before := len(e.outbox(t))
	if err := e.s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if after := len(e.outbox(t)); after != before {
		t.Fatalf("second catch-up queued %d more", after-before)
	}
	// The backup missed last night is made at start.
	if _, err := filepathGlob(filepath.Join(e.dir, "backups", "congdoanbot-2026-12-02.db")); err != nil {
		t.Fatal(err)
	}
}

func filepathGlob(pattern string) ([]string, error) {
	m, err := filepath.Glob(pattern)
	if err == nil && len(m) == 0 {
		err = errNoMatch(pattern)
	}
	return m, err
}

type errNoMatch string

func (e errNoMatch) Error() string { return "no file " + string(e) }

func TestBackupKeepsTheNewest(t *testing.T) {
	e := newEnv(t, at("2026-11-25 02:00"))
	ctx := context.Background()
	dir := filepath.Join(e.dir, "keep")
	for day := 1; day <= 5; day++ {
		if err := Backup(ctx, e.db, dir, 3, fmt.Sprintf("2026-11-%02d", day)); err != nil {
			t.Fatal(err)
		}
	}
	// The same day again does nothing (the copy is there).
	if err := Backup(ctx, e.db, dir, 3, "2026-11-05"); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "congdoanbot-*.db"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, ",") != "congdoanbot-2026-11-03.db,congdoanbot-2026-11-04.db,congdoanbot-2026-11-05.db" {
		t.Fatalf("kept %v", names)
	}
	// A copy is a working database.
	copyDB, err := storage.Open(ctx, files[2])
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if units, err := copyDB.Units(ctx, cd.UnitFilter{Search: "STP"}); err != nil || len(units) != 1 {
		t.Fatalf("units in the copy: %v %v", units, err)
	}
}
