package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestAnnouncement5000 sends an announcement to 5,000 members on Telegram
// through the fake Bot API enforcing Telegram's limits, at the default
// limits, on a simulated clock (the 200 s it takes at 25 a second pass in
// a few real seconds): the sender is stopped abruptly half-way and a new
// one takes over on the same database. Every recipient gets it exactly
// once, with zero 429s, and the province admin gets the delivery report.
func TestAnnouncement5000(t *testing.T) {
	const members = 5000
	ctx := context.Background()
	clock := telegramtest.NewClock(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC))
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken, Now: clock.Now, Limits: telegramtest.Limits{Enabled: true}})
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "ann.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = clock.Now
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	stp := int64(0)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		u, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		stp = u.ID
		for i := range members {
			m := &cd.Member{FullName: fmt.Sprintf("Đoàn Viên %d", i), UnitID: u.ID, Role: cd.RoleMember, Status: cd.StatusActive}
			id := fmt.Sprint(600000 + i)
			if err := tx.CreateMember(m, cd.Identity{Platform: cd.PlatformTelegram, UserID: id, ChatID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = stp
	log := slog.New(slog.DiscardHandler)
	core := bot.New(bot.StoreOf(db.Update), bot.Config{Now: clock.Now, Logger: log, FloodPerMinute: 1000})
	a, err := New(Config{Token: testToken, APIEndpoint: srv.Endpoint()}, nil, nil, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	newSender := func() *outbox.Sender {
		sc := outbox.SenderConfig{Now: clock.Now, Logger: log,
			Sleep: func(ctx context.Context, d time.Duration) error { clock.Advance(d); return ctx.Err() }}
		DefaultLimits().Apply(&sc)
		return outbox.NewSender(cd.PlatformTelegram, db, a, sc)
	}

	// The province admin (console) composes and sends it to everyone.
	var out strings.Builder
	consoleSender := outbox.NewSender(cd.PlatformConsole, db, console.NewPrinter(&out), outbox.SenderConfig{Now: clock.Now, Workers: 1})
	script := "@tinh /thongbao\nHọp Ban Chấp hành mở rộng lúc 8 giờ ngày 01/12 tại hội trường tầng 3.\n1\n1\n"
	if err := console.Run(ctx, core, consoleSender, strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "tới 5001 người") { // the 5,000, and the seeded chair
		t.Fatalf("preview:\n%s", out.String())
	}
	if err := console.Run(ctx, core, consoleSender, strings.NewReader("@tinh Gửi thông báo\n")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Đang gửi thông báo số 1 tới 5001 người") {
		t.Fatalf("no confirmation:\n%s", out.String())
	}
	// The recipients after the first chunk, a transaction per chunk.
	if n, err := core.QueueAnnouncements(ctx); err != nil || n != members+1-1000 {
		t.Fatalf("queued %d more, %v", n, err)
	}

	// First sender: stopped abruptly once about half is out.
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	s1 := newSender()
	go func() { s1.Run(runCtx); close(done) }()
	wctx, wcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer wcancel()
	if err := srv.WaitSent(wctx, members/2); err != nil {
		t.Fatal(err)
	}
	stop()
	<-done
	half := len(srv.Sent())
	// A new process on the same database finishes the job.
	if _, err := newSender().Drain(wctx); err != nil {
		t.Fatal(err)
	}
	got := map[int64]int{}
	for _, m := range srv.Sent() {
		if strings.Contains(m.Text, "Họp Ban Chấp hành mở rộng") {
			got[m.ChatID]++
		}
	}
	for i := range members {
		if n := got[int64(600000+i)]; n != 1 {
			t.Fatalf("member %d got the announcement %d times (stopped after %d sent)", i, n, half)
		}
	}
	if n := srv.Count429(); n != 0 {
		t.Fatalf("%d answers 429", n)
	}
	// The report comes once nothing is pending (the chair seeded in the
	// demo is on the console).
	if _, err := consoleSender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *storage.Tx) error {
		_, err := core.ReportAnnouncements(tx, clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := consoleSender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Kết quả gửi thông báo số 1: 5001 người nhận được.") {
		t.Fatalf("no delivery report:\n%s", out.String()[max(0, out.Len()-600):])
	}
	elapsed := clock.Now().Sub(time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC))
	rate := float64(members) / elapsed.Seconds()
	t.Logf("5,000 messages in %v of simulated time: %.1f msgs/s, stopped after %d, 0 duplicates, 0 429s", elapsed.Round(time.Second), rate, half)
	if rate > 25.5 {
		t.Fatalf("rate %.1f/s is above the configured 25/s", rate)
	}
}
