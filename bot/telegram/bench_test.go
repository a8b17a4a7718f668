package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// benchBot is the whole bot on Telegram against the fake Bot API, for
// benchmarks: real SQLite, the real core, the adapter and the sender.
type benchBot struct {
	srv    *telegramtest.Server
	db     *storage.DB
	sender *outbox.Sender
	cancel context.CancelFunc
	done   chan struct{}
}

func newBenchBot(b *testing.B, sc outbox.SenderConfig, limits telegramtest.Limits) *benchBot {
	b.Helper()
	ctx := context.Background()
	bb := &benchBot{srv: telegramtest.NewServer(b, telegramtest.Options{Token: testToken, Limits: limits}), done: make(chan struct{})}
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		b.Fatal(err)
	}
	bb.db = db
	log := slog.New(slog.DiscardHandler)
	core := bot.New(bot.StoreOf(db.Update), bot.Config{FloodPerMinute: 1 << 30, Logger: log,
		Wake: func(cd.Platform) { bb.sender.Wake() }})
	a, err := New(Config{Token: testToken, APIEndpoint: bb.srv.Endpoint(), PollTimeout: 30 * time.Second}, db, core, log, nil)
	if err != nil {
		b.Fatal(err)
	}
	sc.Logger = log
	bb.sender = outbox.NewSender(cd.PlatformTelegram, db, a, sc)
	runCtx, cancel := context.WithCancel(ctx)
	bb.cancel = cancel
	go func() { a.Run(runCtx); close(bb.done) }()
	go bb.sender.Run(runCtx)
	b.Cleanup(func() { cancel(); <-bb.done })
	return bb
}

// BenchmarkInbound measures updates per second end to end for a simple
// command (/trogiup): fake Bot API → library → inbox → core → SQLite →
// reply sent, with the sender's limits lifted so that it is our pipeline
// that is measured. Beside it, in the same run, the floor: one SQLite write
// transaction plus one loopback HTTP round trip, one after the other.
func BenchmarkInbound(b *testing.B) {
	bb := newBenchBot(b, outbox.SenderConfig{}, telegramtest.Limits{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := bb.srv.WaitPolling(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		bb.srv.SendText(telegramtest.User{ID: int64(100000 + i), FirstName: "Khách"}, "/trogiup")
	}
	if err := bb.srv.WaitSent(ctx, b.N); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	rate := float64(b.N) / elapsed.Seconds()
	floor := floorRate(b, bb.db, b.N)
	b.ReportMetric(rate, "updates/s")
	b.ReportMetric(floor, "floor/s")
	b.ReportMetric(rate/floor, "ratio")
}

// floorRate runs n pairs of one write transaction and one loopback HTTP
// round trip and returns the pairs per second.
func floorRate(b *testing.B, db *storage.DB, n int) float64 {
	b.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true,"result":true}`))
	}))
	defer ts.Close()
	ctx := context.Background()
	client := &http.Client{}
	n = max(n, 200)
	start := time.Now()
	for i := range n {
		if err := db.SetKV(ctx, "bench.floor", fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
		resp, err := client.Post(ts.URL, "application/json", nil)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkBroadcast measures messages per second to 5,000 distinct chats
// against the fake Bot API enforcing Telegram's limits, at the default
// limit (25 a second). It takes about 200 s: run it alone,
//
//	go test ./bot/telegram -run '^$' -bench Broadcast -benchtime 1x
//
// and it reports the rate, its share of the configured rate, and the 429s.
func BenchmarkBroadcast(b *testing.B) {
	const chats = 5000
	var sc outbox.SenderConfig
	DefaultLimits().Apply(&sc)
	bb := newBenchBot(b, sc, telegramtest.Limits{Enabled: true})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b.ResetTimer()
	var total time.Duration
	for n := range b.N {
		err := bb.db.Update(ctx, func(tx *storage.Tx) error {
			for i := range chats {
				if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: fmt.Sprint(500000 + i)},
					Message: cd.Message{Text: "Thông báo của Công đoàn tỉnh: họp Ban Chấp hành ngày 01/12."}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		bb.sender.Wake()
		if err := bb.srv.WaitSent(ctx, (n+1)*chats); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.StopTimer()
	rate := float64(b.N*chats) / total.Seconds()
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(100*rate/float64(DefaultLimits().GlobalPerSecond), "%configured")
	b.ReportMetric(float64(bb.srv.Count429()), "429s")
}
