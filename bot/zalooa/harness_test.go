package zalooa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalooa/zalooatest"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
)

// clock is the tests' clock, shared by the database, the core, the
// adapter, the senders and the fake OA; it moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a sink safe for concurrent writes, which wakes those
// waiting for a text.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.b.Write(p)
}

// wait waits until the buffer holds text.
func (s *syncBuffer) wait(ctx context.Context, text string) error {
	for {
		s.mu.Lock()
		if strings.Contains(s.b.String(), text) {
			s.mu.Unlock()
			return nil
		}
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const province = "Công đoàn Viên chức tỉnh (thử)"

// env is the whole bot on the OA under test: the fake OA, a real SQLite
// database with the demo province, the core, the adapter and the senders
// (the OA's, and the console's for messages rerouted to console accounts).
type env struct {
	t       *testing.T
	clock   *clock
	srv     *zalooatest.Server
	db      *storage.DB
	core    *bot.Bot
	a       *Adapter
	oa      *outbox.Sender
	console *outbox.Sender
	printed *syncBuffer // what the console sender delivered
	logs    *syncBuffer
	taken   map[int]bool
}

type envConfig struct {
	opts      zalooatest.Options
	noAuth    bool
	noRun     bool
	sender    outbox.SenderConfig
	admins    []string
	fakeSleep bool
	handler   Handler
	photo     time.Duration
}

type envOption func(*envConfig)

func withOptions(o zalooatest.Options) envOption { return func(c *envConfig) { c.opts = o } }
func unauthorized(c *envConfig)                  { c.noAuth = true }
func withoutRun(c *envConfig)                    { c.noRun = true }
func withAdmins(keys ...string) envOption        { return func(c *envConfig) { c.admins = keys } }

func withHandler(h Handler) envOption { return func(c *envConfig) { c.handler = h } }

// withPhotoTimeout sets how long a photo may download inside the webhook
// request.
func withPhotoTimeout(d time.Duration) envOption { return func(c *envConfig) { c.photo = d } }

// sleepOnClock makes the senders' waits move the clock instead of waiting.
func sleepOnClock(c *envConfig) { c.fakeSleep = true }

func newEnv(t *testing.T, options ...envOption) *env {
	t.Helper()
	ec := envConfig{sender: outbox.SenderConfig{BaseBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxAttempts: 20,
		Workers: 8}}
	for _, o := range options {
		o(&ec)
	}
	e := &env{t: t, clock: newClock(), logs: &syncBuffer{}, printed: &syncBuffer{}, taken: map[int]bool{}}
	ec.opts.Now = e.clock.Now
	e.srv = zalooatest.NewServer(t, ec.opts)
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.openDB()
	e.core = bot.New(bot.StoreOf(e.db.Update), bot.Config{ProvinceName: province, Admins: ec.admins, Now: e.clock.Now,
		Logger: log, Renderer: report.Renderer{}, Wake: e.wake})
	var h Handler = e.core
	if ec.handler != nil {
		h = ec.handler
	}
	e.a = e.newAdapter(log, h, ec.photo)
	if !ec.noAuth {
		e.authorize()
	}
	sc := ec.sender
	sc.Now, sc.Logger, sc.Idle = e.clock.Now, log, time.Second
	if ec.fakeSleep {
		sc.Sleep = func(ctx context.Context, d time.Duration) error {
			e.clock.Advance(d)
			return ctx.Err()
		}
	}
	e.oa = outbox.NewSender(cd.PlatformZaloOA, e.db, e.a, sc)
	e.console = outbox.NewSender(cd.PlatformConsole, e.db, console.NewPrinter(e.printed), sc)
	if !ec.noRun {
		e.run()
	}
	return e
}

func (e *env) openDB() {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(e.t.TempDir(), "oa.db"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	db.Now = e.clock.Now
	if err := db.EnsureProvince(ctx, province); err != nil {
		e.t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil {
		e.t.Fatal(err)
	}
	e.db = db
}

func (e *env) wake(p cd.Platform) {
	switch {
	case p == cd.PlatformZaloOA && e.oa != nil:
		e.oa.Wake()
	case p == cd.PlatformConsole && e.console != nil:
		e.console.Wake()
	}
}

func (e *env) config(ln net.Listener) Config {
	o := e.srv.Options()
	return Config{AppID: o.AppID, OAID: o.OAID, AppSecret: o.AppSecret, SecretKey: o.SecretKey, Listener: ln,
		APIURL: e.srv.URL(), OAuthURL: e.srv.URL(), RedirectURI: "https://congdoan.example/zalo-oa/callback", HTTPTimeout: 5 * time.Second}
}

func (e *env) newAdapter(log *slog.Logger, h Handler, photo time.Duration) *Adapter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	cfg := e.config(ln)
	cfg.PhotoTimeout = photo
	a, err := New(cfg, Deps{Store: e.db, Handler: h, Media: e.db, Log: log, Now: e.clock.Now,
		Alert: func(ctx context.Context, kind bot.OAAlert, until time.Time) {
			err := e.db.Update(ctx, func(tx *storage.Tx) error {
				_, err := e.core.QueueOAAlert(tx, kind, until)
				return err
			})
			if err != nil {
				e.t.Errorf("alert: %v", err)
			}
			e.wake(cd.PlatformConsole)
		}})
	if err != nil {
		e.t.Fatal(err)
	}
	a.minBackoff, a.maxBackoff = 5*time.Millisecond, 50*time.Millisecond
	e.srv.SetWebhook("http://" + ln.Addr().String() + DefaultWebhookPath)
	return a
}

// authorize stores a pair of tokens the fake issued, as `zalo-oa
// authorize` would.
func (e *env) authorize() {
	access, refresh, life := e.srv.IssueTokens()
	now := e.clock.Now()
	_, err := e.db.SaveOAAuthorization(context.Background(), cd.OAToken{AccessToken: access, AccessExpiresAt: now.Add(life),
		RefreshToken: refresh, RefreshExpiresAt: now.Add(90 * 24 * time.Hour)})
	if err != nil {
		e.t.Fatal(err)
	}
}

// run starts the adapter and the senders; t.Cleanup stops them.
func (e *env) run() {
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	var wg sync.WaitGroup
	go func() { runErr <- e.a.Run(ctx) }()
	for _, s := range []*outbox.Sender{e.oa, e.console} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = s.Run(ctx) }()
	}
	// The listener exists already: deliveries wait in its backlog until
	// the server serves.
	e.t.Cleanup(func() {
		cancel()
		select {
		case err := <-runErr:
			if err != nil {
				e.t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			e.t.Errorf("Run did not return")
		}
		wg.Wait()
		e.checkLogs()
	})
}

// checkLogs fails the test if a token or a secret reached the logs.
func (e *env) checkLogs() {
	o := e.srv.Options()
	logs := e.logs.String()
	for _, s := range []string{"AT-secret-", "RT-secret-", o.AppSecret, o.SecretKey} {
		if strings.Contains(logs, s) {
			e.t.Errorf("a secret (%s…) reached the logs", s[:6])
		}
	}
}

// ctx is a context for one wait of a test.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	e.t.Cleanup(cancel)
	return ctx
}

// deliver checks that the webhook answered a delivery 200.
func (e *env) deliver(status int, err error) {
	e.t.Helper()
	if err != nil || status != 200 {
		e.t.Fatalf("webhook: %d, %v\nlogs:\n%s", status, err, e.logs)
	}
}

// await waits for a message accepted by the fake for u holding text that
// no earlier await returned.
func (e *env) await(u zalooatest.User, text string) zalooatest.Sent {
	e.t.Helper()
	ctx := e.ctx()
	for {
		sent := e.srv.Sent()
		for i, s := range sent {
			if !e.taken[i] && s.UserID == u.ID && strings.Contains(s.Text, text) {
				e.taken[i] = true
				return s
			}
		}
		if err := e.srv.WaitSent(ctx, len(sent)+1); err != nil {
			e.t.Fatalf("waiting for %q to %s: %v\nsent:\n%s\nlogs:\n%s", text, u.ID, err, dump(sent), e.logs)
		}
	}
}

func dump(sent []zalooatest.Sent) string {
	var b strings.Builder
	for i, s := range sent {
		fmt.Fprintf(&b, "  %d. %s %q\n", i, s.UserID, cd.Truncate(s.Text, 100))
	}
	return b.String()
}

// follower makes a person who follows the OA (the greeting is taken).
func (e *env) follower() zalooatest.User {
	e.t.Helper()
	u := e.srv.NewUser()
	e.deliver(e.srv.Follow(e.ctx(), u))
	e.await(u, "/dangky")
	return u
}

// linkOA gives the seeded console member consoleUser an OA account u, used
// last, so that notifications go there.
func (e *env) linkOA(consoleUser string, u zalooatest.User) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformConsole, consoleUser)
		if err != nil {
			return err
		}
		if m == nil {
			return errors.New("no console member " + consoleUser)
		}
		return tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformZaloOA, UserID: u.ID, ChatID: u.ID})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// stored counts the OA events in the inbox.
func (e *env) stored() int {
	e.t.Helper()
	n, err := e.db.InboxCount(context.Background(), platform)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// recorder is a Handler that records updates without applying them (the
// processor remembers what it handed out).
type recorder struct{ ch chan bot.Update }

func newRecorder() *recorder { return &recorder{ch: make(chan bot.Update, 100)} }

func (r *recorder) HandleResult(_ context.Context, u bot.Update) (bot.Result, error) {
	r.ch <- u
	return bot.Result{}, nil
}

func (r *recorder) Greet(_ context.Context, u bot.Update) error {
	u.Text = "(follow)"
	r.ch <- u
	return nil
}

// next waits for the next update handled.
func (r *recorder) next(e *env) bot.Update {
	e.t.Helper()
	select {
	case u := <-r.ch:
		return u
	case <-e.ctx().Done():
		e.t.Fatalf("no update handled\nlogs:\n%s", e.logs)
		return bot.Update{}
	}
}

// awaitPrinted waits for the console sender to deliver text.
func (e *env) awaitPrinted(text string) {
	e.t.Helper()
	if err := e.printed.wait(e.ctx(), text); err != nil {
		e.t.Fatalf("waiting for %q on the console: %v\nprinted:\n%s\nlogs:\n%s", text, err, e.printed, e.logs)
	}
}

// settle waits until every event delivered so far is applied: a probe's
// message is answered after them, the processor keeping their order.
func (e *env) settle() {
	e.t.Helper()
	probe := e.follower()
	e.deliver(e.srv.SendText(e.ctx(), probe, "/trogiup"))
	e.await(probe, "")
}

// notify queues a message to the seeded console member consoleUser (or a
// member by OA user id), where the store says to reach them.
func (e *env) notify(who, text string) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformConsole, who)
		if err == nil && m == nil {
			m, err = tx.MemberByIdentity(cd.PlatformZaloOA, who)
		}
		if err != nil || m == nil {
			return fmt.Errorf("no member %s: %v", who, err)
		}
		addr, _, err := tx.AddressOf(m.ID)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(&cd.OutboxItem{To: addr, MemberID: m.ID, Kind: cd.OutboxNotify, Message: cd.Message{Text: text}})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.oa.Wake()
	e.console.Wake()
}

// activeMember registers u as an active member of Sở Tư pháp with only
// its OA account, directly in storage.
func (e *env) activeMember(u zalooatest.User, name string) {
	e.t.Helper()
	e.member(name, cd.Identity{Platform: cd.PlatformZaloOA, UserID: u.ID, ChatID: u.ID})
}

// member registers an active member of Sở Tư pháp with one account,
// directly in storage.
func (e *env) member(name string, id cd.Identity) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		unit, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		now := tx.Now()
		return tx.CreateMember(&cd.Member{FullName: name, UnitID: unit.ID, Role: cd.RoleMember, Status: cd.StatusActive,
			ConsentAt: now, DecidedAt: now}, id)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}
