package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// signalLog is a slog handler that also hands the messages starting with
// prefix to a channel, so that a test waits for a log line without
// polling.
type signalLog struct {
	slog.Handler
	prefix string
	ch     chan string
}

func (s signalLog) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, s.prefix) {
		select {
		case s.ch <- r.Message:
		default:
		}
	}
	return s.Handler.Handle(ctx, r)
}

func (s signalLog) WithAttrs(as []slog.Attr) slog.Handler {
	return signalLog{s.Handler.WithAttrs(as), s.prefix, s.ch}
}

func (s signalLog) WithGroup(g string) slog.Handler {
	return signalLog{s.Handler.WithGroup(g), s.prefix, s.ch}
}

// appliedHandler is the core, telling the test of each update applied.
type appliedHandler struct {
	core    Handler
	applied chan string
}

func (h appliedHandler) HandleResult(ctx context.Context, u bot.Update) (bot.Result, error) {
	res, err := h.core.HandleResult(ctx, u)
	if err == nil {
		h.applied <- u.UserID
	}
	return res, err
}

// fillDB makes the database full: its max_page_count is what the file has
// now, and settings and outbox rows (and inbox rows of another platform,
// with inbox) take up the room left in it.
func fillDB(t *testing.T, db *storage.DB, inbox bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.SetMaxPageCount(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{3000, 300, 10} {
		for i := 0; ; i++ {
			if err := db.SetKV(ctx, fmt.Sprintf("fill-%d-%d", size, i), strings.Repeat("x", size)); err != nil {
				if !errors.Is(err, storage.ErrDiskFull) {
					t.Fatal(err)
				}
				break
			}
		}
		for i := 0; ; i++ {
			err := db.Update(ctx, func(tx *storage.Tx) error {
				_, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformConsole, ChatID: "filler"},
					Kind: cd.OutboxNotify, Message: cd.Message{Text: strings.Repeat("x", size)}})
				return err
			})
			if err != nil {
				if !errors.Is(err, storage.ErrDiskFull) {
					t.Fatal(err)
				}
				break
			}
		}
		for i := 0; inbox; i++ {
			if _, _, err := db.PutInbox(ctx, "filler", fmt.Sprintf("%d-%d", size, i), "", []byte(strings.Repeat("x", size))); err != nil {
				if !errors.Is(err, storage.ErrDiskFull) {
					t.Fatal(err)
				}
				break
			}
		}
	}
}

// TestDiskFull: with the database full, updates already in the inbox wait
// there (never set aside however often they fail) and those that cannot be
// stored stay unconfirmed at Telegram; the log says "database disk is
// full". Once there is room, every update is applied exactly once.
func TestDiskFull(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	logs := &syncBuffer{}
	full := make(chan string, 1000)
	log := slog.New(signalLog{slog.NewTextHandler(logs, nil), "database disk is full", full})
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	core := bot.New(bot.StoreOf(db.Update), bot.Config{ProvinceName: "Công đoàn Viên chức tỉnh", Logger: log, FloodPerMinute: 1000})
	h := appliedHandler{core, make(chan string, 100)}
	a, err := New(Config{Token: testToken, APIEndpoint: srv.Endpoint(), PollTimeout: 30 * time.Second, HTTPTimeout: 5 * time.Second},
		db, h, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.proc.Backoff = inbox.Backoff{Min: time.Millisecond, Max: 20 * time.Millisecond}
	a.proc.MaxFailures = 2
	if err := db.SetKV(ctx, OffsetKey, "0"); err != nil { // so that the offset has its place
		t.Fatal(err)
	}
	fillDB(t, db, false)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	waitLog := func(what string, n int) {
		t.Helper()
		for i := 0; i < n; {
			select {
			case m := <-full:
				if strings.Contains(m, what) {
					i++
				}
			case <-wctx.Done():
				t.Fatalf("no %q logged %d times:\n%s", what, n, logs)
			}
		}
	}
	user := func(i int) telegramtest.User { return telegramtest.User{ID: int64(5000 + i), FirstName: "Khách"} }

	// Three updates fit in the inbox, but applying them does not fit.
	for i := range 3 {
		srv.SendText(user(i), "xin chào")
	}
	waitLog("updates wait in the inbox", 3*a.proc.MaxFailures)
	if items, err := db.PendingInbox(ctx, platform, 100); err != nil || len(items) != 3 {
		t.Fatalf("pending in the inbox = %d, %v; want 3 (none set aside)", len(items), err)
	}
	// Many more: the inbox is full too, and Telegram keeps them.
	const total = 40
	for i := 3; i < total; i++ {
		srv.SendText(user(i), "xin chào")
	}
	waitLog("received updates stay unconfirmed", 3)
	stored, err := db.InboxCount(ctx, platform)
	if err != nil || stored >= total || srv.PendingUpdates() == 0 {
		t.Fatalf("with the disk full: %d stored (%v), %d unconfirmed at Telegram", stored, err, srv.PendingUpdates())
	}
	t.Logf("with the disk full: %d updates stored and waiting, %d unconfirmed at Telegram", stored, srv.PendingUpdates())
	select {
	case u := <-h.applied:
		t.Fatalf("update of %s applied on a full disk", u)
	default:
	}

	// Room again: each update applied once, in order, none set aside.
	if _, err := db.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	for i := range total {
		select {
		case u := <-h.applied:
			if want := fmt.Sprint(user(i).ID); u != want {
				t.Fatalf("update %d applied for %s, want %s", i, u, want)
			}
		case <-wctx.Done():
			t.Fatalf("%d of %d updates applied once there was room\n%s", i, total, logs)
		}
	}
	if n, err := db.InboxCount(ctx, platform); err != nil || n != total {
		t.Fatalf("inbox rows = %d, %v; want %d", n, err, total)
	}
	replies := map[string]int{}
	items, err := db.DueOutbox(ctx, cd.PlatformTelegram, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		replies[it.To.ChatID]++
	}
	for i := range total {
		if n := replies[fmt.Sprint(user(i).ID)]; n != 1 {
			t.Errorf("user %d got %d replies, want 1", i, n)
		}
	}
	if out := logs.String(); strings.Contains(out, "giving up") {
		t.Errorf("an update was set aside:\n%s", out)
	}
}

// TestDiskFullWebhook: an update the inbox has no room for is answered
// 500, so that Telegram delivers it again; once there is room it is.
func TestDiskFullWebhook(t *testing.T) {
	e := newEnv(t, webhookMode)
	fillDB(t, e.db, true)
	id := e.srv.SendText(an, "xin chào")
	for range 2 {
		resp, err := e.srv.DeliverWebhook(e.ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 500 {
			t.Fatalf("webhook on a full disk answered %s, want 500", resp.Status)
		}
	}
	if !strings.Contains(e.logs.String(), "database disk is full") {
		t.Errorf("no operator line:\n%s", e.logs)
	}
	if _, err := e.db.SetMaxPageCount(context.Background(), 1<<30); err != nil {
		t.Fatal(err)
	}
	e.user(id) // 200 now
	e.await("the reply", msg(an.ID, "/dangky"))
}
