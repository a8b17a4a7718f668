package telegram

import (
	"bytes"
	"context"
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
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
)

// testToken is the bot token of the tests; tokenSecret is its secret part,
// which must never appear in a log line or an error.
const (
	tokenSecret = "AAH-s3cretPart_xyz"
	testToken   = "424242:" + tokenSecret
	hookSecret  = "hook_secret-0123456789abcdefghijklmnop"
)

var (
	an    = telegramtest.User{ID: 1001, FirstName: "An", LastName: "Nguyễn", LanguageCode: "vi"}
	chair = telegramtest.User{ID: 2002, FirstName: "Hoa", LanguageCode: "vi"}
	binh  = telegramtest.User{ID: 3003, FirstName: "Bình"}
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

// env is a whole Telegram bot under test: the fake Bot API server, a real
// SQLite database with the demo province, the real core and sender, and
// the adapter, running.
type env struct {
	t      *testing.T
	srv    *telegramtest.Server
	db     *storage.DB
	core   *bot.Bot
	sender *outbox.Sender
	a      *Adapter
	logs   *syncBuffer
	taken  map[int]bool // indexes of srv.Sent() returned by await
}

type envOption func(*envConfig)

type envConfig struct {
	sender  *outbox.SenderConfig // default: no limits, quick retries
	webhook bool
	admins  []string
	opts    telegramtest.Options
	handler func(*env) Handler // default: the core
	noRun   bool
}

func webhookMode(c *envConfig) { c.webhook = true }
func withOptions(o telegramtest.Options) envOption {
	return func(c *envConfig) { c.opts = o }
}
func withSender(sc outbox.SenderConfig) envOption { return func(c *envConfig) { c.sender = &sc } }
func withoutRun(c *envConfig)                     { c.noRun = true }

func newEnv(t *testing.T, options ...envOption) *env {
	t.Helper()
	var ec envConfig
	for _, o := range options {
		o(&ec)
	}
	ec.opts.Token = testToken
	e := &env{t: t, srv: telegramtest.NewServer(t, ec.opts), logs: &syncBuffer{}, taken: map[int]bool{}}
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
			if p == cd.PlatformTelegram {
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
	a, err := New(cfg, db, h, log, nil)
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
	e.sender = outbox.NewSender(cd.PlatformTelegram, db, a, sc)
	if !ec.noRun {
		e.run()
	}
	return e
}

// run starts the adapter and the sender; t.Cleanup stops them and checks
// that Run returned nil.
func (e *env) run() {
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	senderDone := make(chan struct{})
	go func() { runErr <- e.a.Run(ctx) }()
	go func() { e.sender.Run(ctx); close(senderDone) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-runErr; err != nil {
			e.t.Errorf("Run: %v", err)
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

// user sends an update the test injected: in webhook mode the fake posts
// it to the webhook (and the answer must be 200); in polling mode the
// adapter's long poll picks it up.
func (e *env) user(updateID int) int {
	e.t.Helper()
	if e.a.cfg.Mode != ModeWebhook {
		return updateID
	}
	resp, err := e.srv.DeliverWebhook(e.ctx(), updateID)
	if err != nil {
		e.t.Fatalf("DeliverWebhook: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		e.t.Fatalf("webhook answered %s", resp.Status)
	}
	return updateID
}

// await waits for a sent or edited message matching m that no earlier
// await returned, and returns it.
func (e *env) await(what string, m func(telegramtest.SentMessage) bool) telegramtest.SentMessage {
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

// msg matches a message sent (not edited) to chat whose text holds text.
func msg(chat int64, text string) func(telegramtest.SentMessage) bool {
	return func(s telegramtest.SentMessage) bool {
		return s.ChatID == chat && strings.HasPrefix(s.Method, "send") && strings.Contains(s.Text, text)
	}
}

// edited matches an edit of message id in chat.
func edited(chat int64, id int) func(telegramtest.SentMessage) bool {
	return func(s telegramtest.SentMessage) bool {
		return s.ChatID == chat && s.MessageID == id && strings.HasPrefix(s.Method, "edit")
	}
}

func dump(sent []telegramtest.SentMessage) string {
	var b strings.Builder
	for i, s := range sent {
		fmt.Fprintf(&b, "  %d. %s chat=%d id=%d %q buttons=%v keyboard=%v remove=%v\n", i, s.Method, s.ChatID, s.MessageID,
			cd.Truncate(s.Text, 80), s.Buttons(), s.ReplyKeyboard, s.RemoveKeyboard)
	}
	return b.String()
}

// button returns the callback data of the button labelled label.
func button(t *testing.T, m telegramtest.SentMessage, label string) string {
	t.Helper()
	for _, b := range m.Buttons() {
		if b.Text == label {
			return b.CallbackData
		}
	}
	t.Fatalf("message %q has no button %q; buttons: %+v", cd.Truncate(m.Text, 60), label, m.Buttons())
	return ""
}

// linkTelegram gives the seeded console member userID a Telegram account
// too, used last, so that notifications go there.
func (e *env) linkTelegram(consoleUser string, tg telegramtest.User) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformConsole, consoleUser)
		if err != nil {
			return err
		}
		return tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformTelegram,
			UserID: fmt.Sprint(tg.ID), ChatID: fmt.Sprint(tg.ID), DisplayName: tg.FirstName})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// pending counts the Telegram updates stored and not yet applied.
func (e *env) pending() int {
	e.t.Helper()
	items, err := e.db.PendingInbox(context.Background(), platform, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(items)
}
