package zalo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
)

// testToken is the bot token of the tests; tokenSecret is its secret part,
// which must never appear in a log line or an error. hookSecret is the
// webhook's secret, which must not either.
const (
	tokenSecret = "Zl-s3cretPart_abcdef0123"
	testToken   = "2718281828459045235:" + tokenSecret
	hookSecret  = "hook-Secret_0123456789abcdefghijkl"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a whole Zalo bot under test: the fake Bot Platform server, a real
// SQLite database with the demo province, the real core and sender, and
// the adapter, running.
type env struct {
	t      *testing.T
	srv    *zalotest.Server
	db     *storage.DB
	core   *bot.Bot
	sender *outbox.Sender
	a      *Adapter
	logs   *syncBuffer
	runErr chan error // Run's result, once it returned
	cancel context.CancelFunc
	taken  map[int]bool // indexes of srv.Sent() returned by await
	an     zalotest.User
	chair  zalotest.User
}

type envOption func(*envConfig)

type envConfig struct {
	sender  *outbox.SenderConfig // default: no limits, quick retries
	webhook bool
	admins  []string
	opts    zalotest.Options
	handler func(*env) Handler // default: the core
	noRun   bool
	noMedia bool
	client  *http.Client
}

func webhookMode(c *envConfig) { c.webhook = true }
func withOptions(o zalotest.Options) envOption {
	return func(c *envConfig) { c.opts = o }
}
func withSender(sc outbox.SenderConfig) envOption { return func(c *envConfig) { c.sender = &sc } }
func withoutRun(c *envConfig)                     { c.noRun = true }
func withoutMedia(c *envConfig)                   { c.noMedia = true }
func withHTTPClient(hc *http.Client) envOption    { return func(c *envConfig) { c.client = hc } }
func withHandler(h Handler) envOption {
	return func(c *envConfig) { c.handler = func(*env) Handler { return h } }
}

func newEnv(t *testing.T, options ...envOption) *env {
	t.Helper()
	var ec envConfig
	for _, o := range options {
		o(&ec)
	}
	ec.opts.Token = testToken
	e := &env{t: t, srv: zalotest.NewServer(t, ec.opts), logs: &syncBuffer{}, taken: map[int]bool{}}
	e.an, e.chair = e.srv.NewUser("Nguyễn An"), e.srv.NewUser("Trần Thị Hoa")
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh (thử)"); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	e.db = db
	e.core = bot.New(bot.StoreOf(db.Update), bot.Config{ProvinceName: "Công đoàn Viên chức tỉnh (thử)", Admins: ec.admins,
		Logger: log, Renderer: report.Renderer{}, Wake: func(p cd.Platform) {
			if p == cd.PlatformZalo {
				e.sender.Wake()
			}
		}})
	cfg := Config{Token: testToken, APIEndpoint: e.srv.Endpoint(), PollTimeout: 30 * time.Second, HTTPTimeout: 5 * time.Second}
	if ec.webhook {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Mode, cfg.Listener, cfg.WebhookSecret = ModeWebhook, ln, hookSecret
		cfg.WebhookURL = "http://" + ln.Addr().String() + DefaultWebhookPath
	}
	var h Handler = e.core
	if ec.handler != nil {
		h = ec.handler(e)
	}
	var media MediaStore = db
	if ec.noMedia {
		media = nil
	}
	a, err := New(cfg, db, h, media, log, ec.client)
	if err != nil {
		t.Fatal(err)
	}
	a.proc.Backoff = inbox.Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	e.a = a
	sc := outbox.SenderConfig{BaseBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, MaxAttempts: 20}
	if ec.sender != nil {
		sc = *ec.sender
	}
	sc.Logger, sc.Idle = log, time.Second
	e.sender = outbox.NewSender(cd.PlatformZalo, db, a, sc)
	if !ec.noRun {
		e.run()
	}
	return e
}

// run starts the adapter and the sender; t.Cleanup stops them and checks
// that Run returned nil (unless a test took its result with stop).
func (e *env) run() {
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.runErr = make(chan error, 1)
	senderDone := make(chan struct{})
	go func() { e.runErr <- e.a.Run(ctx) }()
	go func() { e.sender.Run(ctx); close(senderDone) }()
	e.t.Cleanup(func() {
		cancel()
		select {
		case err := <-e.runErr:
			if err != nil {
				e.t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			e.t.Errorf("Run did not return")
		}
		<-senderDone
	})
	if e.a.cfg.Mode == ModeWebhook {
		if err := e.srv.WaitWebhook(e.ctx()); err != nil {
			e.t.Fatalf("no webhook set: %v\nlogs:\n%s", err, e.logs)
		}
	}
}

// ctx is a context for one wait in a test.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	e.t.Cleanup(cancel)
	return ctx
}

// user sends an update the test queued: in webhook mode the fake posts it
// to the webhook (and the answer must be 200); in polling mode the
// adapter's long poll picks it up.
func (e *env) user(messageID string) string {
	e.t.Helper()
	if e.a.cfg.Mode != ModeWebhook {
		return messageID
	}
	status, err := e.srv.DeliverWebhook(e.ctx(), messageID)
	if err != nil {
		e.t.Fatalf("DeliverWebhook: %v", err)
	}
	if status != 200 {
		e.t.Fatalf("webhook answered %d\nlogs:\n%s", status, e.logs)
	}
	return messageID
}

// await waits for a sent message matching m that no earlier await
// returned, and returns it.
func (e *env) await(what string, m func(zalotest.SentMessage) bool) zalotest.SentMessage {
	e.t.Helper()
	ctx := e.ctx()
	for {
		sent := e.srv.Sent()
		for i, s := range sent {
			if !e.taken[i] && m(s) {
				e.taken[i] = true
				return s
			}
		}
		if err := e.srv.WaitSent(ctx, len(sent)+1); err != nil {
			e.t.Fatalf("waiting for %s: %v\nsent:\n%s\nlogs:\n%s", what, err, dump(sent), e.logs)
		}
	}
}

// msg matches a text message sent to chat that holds text.
func msg(chat, text string) func(zalotest.SentMessage) bool {
	return func(s zalotest.SentMessage) bool {
		return s.ChatID == chat && s.Method == "sendMessage" && strings.Contains(s.Text, text)
	}
}

func dump(sent []zalotest.SentMessage) string {
	var b strings.Builder
	for i, s := range sent {
		fmt.Fprintf(&b, "  %d. %s chat=%s %q\n", i, s.Method, s.ChatID, cd.Truncate(s.Text, 100))
	}
	return b.String()
}

// linkZalo gives the seeded console member consoleUser a Zalo account too,
// used last, so that notifications go there.
func (e *env) linkZalo(consoleUser string, u zalotest.User) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformConsole, consoleUser)
		if err != nil {
			return err
		}
		if m == nil {
			return errors.New("no console member " + consoleUser)
		}
		return tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformZalo,
			UserID: u.ID, ChatID: u.ID, DisplayName: u.DisplayName})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// activeMember registers u as an active member of Sở Tư pháp, directly in
// storage.
func (e *env) activeMember(u zalotest.User, name string) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		unit, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		now := tx.Now()
		return tx.CreateMember(&cd.Member{FullName: name, UnitID: unit.ID, Role: cd.RoleMember, Status: cd.StatusActive,
			ConsentAt: now, DecidedAt: now}, cd.Identity{Platform: cd.PlatformZalo, UserID: u.ID, ChatID: u.ID, DisplayName: u.DisplayName})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// pending counts the Zalo updates stored and not yet applied.
func (e *env) pending() int {
	e.t.Helper()
	items, err := e.db.PendingInbox(context.Background(), platform, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(items)
}

// stored counts the Zalo updates stored, applied or not.
func (e *env) stored() int {
	e.t.Helper()
	n, err := e.db.InboxCount(context.Background(), platform)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// recorder is a Handler that records updates without applying them (so
// their inbox rows stay pending), and fails the first failFirst calls.
type recorder struct {
	mu        sync.Mutex
	got       []bot.Update
	calls     int
	failFirst int
	ch        chan bot.Update
}

func newRecorder(failFirst int) *recorder {
	return &recorder{failFirst: failFirst, ch: make(chan bot.Update, 100)}
}

func (r *recorder) HandleResult(_ context.Context, u bot.Update) (bot.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls <= r.failFirst {
		return bot.Result{}, errors.New("database is locked")
	}
	r.got = append(r.got, u)
	r.ch <- u
	return bot.Result{}, nil
}

// next waits for the next update handled.
func (r *recorder) next(t *testing.T, e *env) bot.Update {
	t.Helper()
	select {
	case u := <-r.ch:
		return u
	case <-e.ctx().Done():
		t.Fatalf("no update handled\nlogs:\n%s", e.logs)
		return bot.Update{}
	}
}

// count is how many updates were handled.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// enqueue puts one message per chat into the outbox, as a broadcast does.
func (e *env) enqueue(text string, chats ...string) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for _, c := range chats {
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformZalo, ChatID: c},
				Kind: cd.OutboxNotify, Message: cd.Message{Text: text}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.sender.Wake()
}
