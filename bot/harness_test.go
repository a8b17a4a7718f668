package bot_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// clock is a settable clock shared by the core and storage.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 2, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// harness runs the core over a real SQLite file with the demo province,
// driven through the console adapter as a script.
type harness struct {
	t      *testing.T
	engine storage.Engine
	path   string // the SQLite file, or the PostgreSQL URL
	db     *storage.DB
	bot    *bot.Bot
	sender *outbox.Sender
	out    *bytes.Buffer
	clock  *clock
	cfg    bot.Config
	sess   *console.Session
}

func newHarness(t *testing.T, mods ...func(*bot.Config)) *harness {
	t.Helper()
	return newHarnessOn(t, storage.SQLite, mods...)
}

// newHarnessOn is newHarness on a storage engine (storagetest skips
// PostgreSQL without a test server).
func newHarnessOn(t *testing.T, engine storage.Engine, mods ...func(*bot.Config)) *harness {
	t.Helper()
	h := &harness{t: t, engine: engine, path: storagetest.Target(t, engine), out: &bytes.Buffer{}, clock: newClock()}
	// Scripts type fast: the flood guard has its own test.
	h.cfg = bot.Config{ProvinceName: "Công đoàn Viên chức tỉnh (demo)", Now: h.clock.Now, FloodPerMinute: 1000,
		Renderer: report.Renderer{}}
	for _, m := range mods {
		m(&h.cfg)
	}
	h.open()
	ctx := context.Background()
	if err := h.db.EnsureProvince(ctx, h.cfg.ProvinceName); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, h.db); err != nil {
		t.Fatal(err)
	}
	return h
}

// open (re)opens the database and builds a fresh core over it, as a
// restarted process would.
func (h *harness) open() {
	h.t.Helper()
	db, err := storage.Dial(context.Background(), h.engine, h.path)
	if err != nil {
		h.t.Fatal(err)
	}
	db.Now = h.clock.Now
	h.db = db
	h.bot = bot.New(bot.StoreOf(db.Update), h.cfg)
	h.sender = outbox.NewSender(cd.PlatformConsole, db, console.NewPrinter(h.out), outbox.SenderConfig{Now: h.clock.Now, Workers: 1, OneLane: true})
	user := ""
	if h.sess != nil {
		user = h.sess.User
	}
	h.sess = &console.Session{Handler: h.bot, Drainer: h.sender, User: user}
	h.t.Cleanup(func() { db.Close() })
}

// restart closes the database and opens it again with a new core.
func (h *harness) restart() {
	h.t.Helper()
	if err := h.db.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
}

// run feeds script lines to the console adapter and returns what the bot
// printed for them.
func (h *harness) run(script string) string {
	h.t.Helper()
	h.out.Reset()
	if err := h.sess.Run(context.Background(), strings.NewReader(script)); err != nil {
		h.t.Fatalf("console run: %v", err)
	}
	return h.out.String()
}

// expect runs a script and checks that each fragment appears in the
// output, in order.
func (h *harness) expect(script string, fragments ...string) string {
	h.t.Helper()
	out := h.run(script)
	rest := out
	for _, f := range fragments {
		i := strings.Index(rest, f)
		if i < 0 {
			h.t.Fatalf("script:\n%s\nwant %q (in order) in output:\n%s", script, f, out)
		}
		rest = rest[i+len(f):]
	}
	return out
}

// refuse runs a script and checks that no fragment appears.
func (h *harness) refuse(out string, fragments ...string) {
	h.t.Helper()
	for _, f := range fragments {
		if strings.Contains(out, f) {
			h.t.Fatalf("did not want %q in output:\n%s", f, out)
		}
	}
}

// member returns the member linked to a console user, or nil.
func (h *harness) member(user string) *cd.Member {
	h.t.Helper()
	var m *cd.Member
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		m, err = tx.MemberByIdentity(cd.PlatformConsole, user)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// count returns the number of rows a query counts.
func (h *harness) auditCount(action string) int {
	h.t.Helper()
	entries, err := h.db.AuditLog(context.Background(), 10000)
	if err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

// register walks a console user through registration into unit code.
func (h *harness) register(user, name, unit string) {
	h.t.Helper()
	h.expect("@"+user+" /dangky\n1\n"+name+"\nbỏ qua\n"+unit+"\n1\n", "Đã gửi đăng ký")
}

// registerActive registers a user and has the STP chair approve them.
func (h *harness) registerActive(user, name string) {
	h.t.Helper()
	h.register(user, name, "STP")
	h.expect("@chutich /duyet\n1\n1\n", "Đã duyệt "+name)
}
