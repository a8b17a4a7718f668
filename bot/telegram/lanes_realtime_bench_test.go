package telegram

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

// BenchmarkAnnouncementWhileChattingRealtime is the same in real time,
// with 3,000 recipients, the whole bot running (polling, the core, the
// queue of announcements, the sender): the members' messages come as
// updates through getUpdates. It takes about 3.5 minutes:
//
//	go test ./bot/telegram -run '^$' -bench AnnouncementWhileChattingRealtime -benchtime 1x -timeout 30m
func BenchmarkAnnouncementWhileChattingRealtime(b *testing.B) {
	for range b.N {
		runRealtime(b, 3000, 5*time.Second)
	}
}

func runRealtime(b *testing.B, members int, every time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	st := newDeliveryStats()
	srv := telegramtest.NewServer(b, telegramtest.Options{Token: testToken, Limits: telegramtest.Limits{Enabled: true},
		Discard: true, OnSend: st.onSend})
	db := benchDB(b, members, time.Now)
	log := slog.New(slog.DiscardHandler)
	var sender *outbox.Sender
	tt := &txTimer{}
	core := bot.New(tt.store(db), bot.Config{Logger: log, FloodPerMinute: 1 << 30,
		Admins: []string{"telegram:" + strconv.Itoa(benchAdmin)}, Wake: func(cd.Platform) { sender.Wake() }})
	a, err := New(Config{Token: testToken, APIEndpoint: srv.Endpoint(), PollTimeout: 30 * time.Second}, db, core, log, nil)
	if err != nil {
		b.Fatal(err)
	}
	sc := outbox.SenderConfig{Logger: log}
	DefaultLimits().Apply(&sc)
	sender = outbox.NewSender(cd.PlatformTelegram, db, a, sc)
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, run := range []func(context.Context) error{a.Run, sender.Run, core.RunQueue} {
		wg.Add(1)
		go func() { defer wg.Done(); run(runCtx) }()
	}
	defer func() { stop(); wg.Wait() }()
	if err := srv.WaitPolling(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := adminTypes(ctx, core, srv, st); err != nil {
		b.Fatal(err)
	}
	chatDone := make(chan struct{})
	go func() { defer close(chatDone); chatReal(runCtx, srv, st, every) }()
	for st.bulkSent() < members {
		if err := srv.WaitSent(ctx, srv.SentCount()+1); err != nil {
			b.Fatalf("%d of %d sent: %v", st.bulkSent(), members, err)
		}
	}
	b.StopTimer()
	stop()
	<-chatDone
	st.report(b, srv, tt, float64(DefaultLimits().GlobalPerSecond))
}

// adminTypes has the province admin compose the announcement, a line
// every 3 s once the bot answered the one before, and confirm it.
func adminTypes(ctx context.Context, core *bot.Bot, srv *telegramtest.Server, st *deliveryStats) error {
	for i, line := range adminScript {
		if i > 0 {
			t := time.NewTimer(3 * time.Second) // reading and typing
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		st.mu.Lock()
		st.confirmed = time.Now()
		before := st.admin
		st.mu.Unlock()
		if err := core.Handle(ctx, adminSays(line)); err != nil {
			return err
		}
		for {
			n := srv.SentCount() // counted after st (OnSend runs first)
			st.mu.Lock()
			answered := st.admin > before
			st.mu.Unlock()
			if answered {
				break
			}
			if err := srv.WaitSent(ctx, n+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// chatReal has the chatting members write /trogiup, each every `every`
// on average, until ctx ends.
func chatReal(ctx context.Context, srv *telegramtest.Server, st *deliveryStats, every time.Duration) {
	c := &chatters{}
	c.start(time.Now(), benchChatters, every)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		c.mu.Lock()
		next := slices.MinFunc(c.next, func(x, y time.Time) int { return x.Compare(y) })
		c.mu.Unlock()
		timer.Reset(time.Until(next))
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		for {
			i, _, ok := c.due(time.Now())
			if !ok {
				break
			}
			id := benchChatBase + i
			st.ask(int64(id), time.Now())
			srv.SendText(telegramtest.User{ID: int64(id), FirstName: "Đoàn viên"}, "/trogiup")
		}
	}
}

// BenchmarkQueueAnnouncement100k: confirming an announcement to 100,000
// members, and queueing them a chunk per transaction, while a member keeps
// writing (a /trogiup every 20 ms, each handled in its own transaction):
// the total time, the longest transaction, and the longest wait of the
// member's updates.
//
//	go test ./bot/telegram -run '^$' -bench QueueAnnouncement100k -benchtime 1x
func BenchmarkQueueAnnouncement100k(b *testing.B) {
	const members = 100_000
	ctx := context.Background()
	db := benchDB(b, members, time.Now)
	tt := &txTimer{}
	core := bot.New(tt.store(db), bot.Config{FloodPerMinute: 1 << 30, Admins: []string{"telegram:" + strconv.Itoa(benchAdmin)}})
	for _, line := range adminScript[:len(adminScript)-1] {
		if err := core.Handle(ctx, adminSays(line)); err != nil {
			b.Fatal(err)
		}
	}
	var total, slowest time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := core.Handle(ctx, adminSays(adminScript[len(adminScript)-1])); err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		member := make(chan time.Duration)
		go func() { member <- keepWriting(ctx, core, done) }()
		n, err := core.QueueAnnouncements(ctx)
		close(done)
		slowest = max(slowest, <-member)
		total += time.Since(start)
		if err != nil || n < members-1000 {
			b.Fatalf("queued %d, %v", n, err)
		}
		b.StopTimer()
		for _, line := range adminScript[:len(adminScript)-1] { // the next one, ready to confirm
			if err := core.Handle(ctx, adminSays(line)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "queue-s")
	b.ReportMetric(tt.longest().Seconds()*1000, "max-tx-ms")
	b.ReportMetric(slowest.Seconds()*1000, "update-max-ms")
}

// keepWriting has a member send /trogiup every 20 ms until done, and
// returns the longest any took to be handled.
func keepWriting(ctx context.Context, core *bot.Bot, done <-chan struct{}) time.Duration {
	id := strconv.Itoa(benchChatBase + 7)
	u := bot.Update{Platform: cd.PlatformTelegram, UserID: id, ChatID: id, Text: "/trogiup"}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var slowest time.Duration
	for {
		start := time.Now()
		if err := core.Handle(ctx, u); err != nil {
			return time.Hour
		}
		slowest = max(slowest, time.Since(start))
		select {
		case <-done:
			return slowest
		case <-tick.C:
		}
	}
}
