package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// Province-scale delivery (issue 11): an announcement to every member
// drains at Telegram's default limit while 50 members keep chatting, one
// message each every few seconds; the fake Bot API enforces Telegram's
// limits. The figures: the chatting members' reply latency (from the
// update to the fake server accepting the reply), the province admin's
// confirmation latency, the bulk and interactive rates against the
// configured 25 a second, 429 answers, the longest write transaction of
// the core (chunks of recipients included), and memory.

const (
	benchAnnText  = "Hội nghị sơ kết phong trào thi đua quý IV lúc 8 giờ ngày 15/12 tại hội trường Công đoàn tỉnh."
	benchAdmin    = 9001
	benchChatBase = 700000
	benchChatters = 50
)

// seedMembers adds n active members of one grassroots union, each with a
// Telegram account (chat ids from benchChatBase).
func seedMembers(tb testing.TB, db *storage.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	var unit int64
	for done := 0; done < n; done += 5000 {
		err := db.Update(ctx, func(tx *storage.Tx) error {
			if unit == 0 {
				u := &cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Sở Tư pháp", Code: "STP"}
				if err := tx.CreateUnit(u); err != nil {
					return err
				}
				unit = u.ID
			}
			for i := done; i < min(done+5000, n); i++ {
				id := strconv.Itoa(benchChatBase + i)
				if err := tx.CreateMember(&cd.Member{FullName: "Đoàn Viên " + id, UnitID: unit, Role: cd.RoleMember, Status: cd.StatusActive},
					cd.Identity{Platform: cd.PlatformTelegram, UserID: id, ChatID: id}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// deliveryStats is what the fake server delivered, as it happened.
type deliveryStats struct {
	mu          sync.Mutex
	bulk, other int
	first, last time.Time             // the first and last bulk message
	asked       map[int64][]time.Time // per chat, messages waiting for their reply
	replies     []time.Duration
	admin       int       // messages to the province admin
	confirmed   time.Time // when the admin confirmed
	confirm     time.Duration
	heap, rss   uint64 // the highest samples
}

func newDeliveryStats() *deliveryStats { return &deliveryStats{asked: map[int64][]time.Time{}} }

// ask records a message of a member, at, that waits for a reply.
func (st *deliveryStats) ask(chat int64, at time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.asked[chat] = append(st.asked[chat], at)
}

func (st *deliveryStats) onSend(m telegramtest.SentMessage) {
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case strings.HasPrefix(m.Text, "📢 ") && strings.Contains(m.Text, benchAnnText): // not the preview
		if st.bulk == 0 {
			st.first = m.Time
		}
		st.bulk++
		st.last = m.Time
	case len(st.asked[m.ChatID]) > 0:
		st.other++
		st.replies = append(st.replies, m.Time.Sub(st.asked[m.ChatID][0]))
		st.asked[m.ChatID] = st.asked[m.ChatID][1:]
	default:
		st.other++
		if m.ChatID == benchAdmin {
			st.admin++
		}
		if strings.Contains(m.Text, "Đang gửi thông báo") && st.confirm == 0 {
			st.confirm = m.Time.Sub(st.confirmed)
		}
	}
	if (st.bulk+st.other)%2000 == 0 {
		st.sampleMemory()
	}
}

// sampleMemory keeps the highest Go heap in use and process RSS seen.
func (st *deliveryStats) sampleMemory() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st.heap = max(st.heap, ms.HeapInuse)
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				st.rss = max(st.rss, kb<<10)
			}
		}
	}
}

func (st *deliveryStats) bulkSent() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.bulk
}

// report puts the figures on the benchmark.
func (st *deliveryStats) report(b *testing.B, srv *telegramtest.Server, tt *txTimer, rate float64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.sampleMemory()
	lat := slices.Clone(st.replies)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Seconds()
	}
	span := st.last.Sub(st.first).Seconds()
	bulk := float64(st.bulk-1) / span
	other := float64(st.other) / span
	b.ReportMetric(pct(0.50), "reply-p50-s")
	b.ReportMetric(pct(0.99), "reply-p99-s")
	b.ReportMetric(lat[len(lat)-1].Seconds(), "reply-max-s")
	b.ReportMetric(float64(len(lat)), "replies")
	b.ReportMetric(st.confirm.Seconds(), "confirm-s")
	b.ReportMetric(bulk, "bulk-msgs/s")
	b.ReportMetric(100*bulk/rate, "bulk-%configured")
	b.ReportMetric(100*bulk/(rate-other), "bulk-%left")
	b.ReportMetric(100*(bulk+other)/rate, "all-%configured")
	b.ReportMetric(float64(srv.Count429()), "429s")
	b.ReportMetric(tt.longest().Seconds()*1000, "max-tx-ms")
	b.ReportMetric(float64(st.heap)/(1<<20), "heap-inuse-MB")
	b.ReportMetric(float64(st.rss)/(1<<20), "rss-MB")
}

// txTimer measures the core's write transactions: from the moment one
// holds the writer to its commit.
type txTimer struct {
	mu   sync.Mutex
	max  time.Duration
	runs int
}

func (tt *txTimer) store(db *storage.DB) bot.Store {
	return bot.StoreOf(func(ctx context.Context, fn func(*storage.Tx) error) error {
		var start time.Time
		err := db.Update(ctx, func(tx *storage.Tx) error {
			start = time.Now()
			return fn(tx)
		})
		if !start.IsZero() {
			d := time.Since(start)
			tt.mu.Lock()
			tt.max, tt.runs = max(tt.max, d), tt.runs+1
			tt.mu.Unlock()
		}
		return err
	})
}

func (tt *txTimer) longest() time.Duration {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return tt.max
}

// chatters is when each of the chatting members writes next: every
// `every` on average (uniformly between half and one and a half of it).
type chatters struct {
	mu    sync.Mutex
	next  []time.Time
	every time.Duration
	rng   *rand.Rand
}

// start has n members write from start on.
func (c *chatters) start(start time.Time, n int, every time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next, c.every, c.rng = make([]time.Time, n), every, rand.New(rand.NewPCG(4, 2))
	for i := range c.next {
		c.next[i] = start.Add(time.Duration(c.rng.Int64N(int64(every))))
	}
}

// due returns a member whose time is at or before t, and moves their
// next time on.
func (c *chatters) due(t time.Time) (int, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	best := -1
	for i, n := range c.next {
		if !n.After(t) && (best < 0 || n.Before(c.next[best])) {
			best = i
		}
	}
	if best < 0 {
		return 0, time.Time{}, false
	}
	at := c.next[best]
	c.next[best] = at.Add(c.every/2 + time.Duration(c.rng.Int64N(int64(c.every))))
	return best, at, true
}

// benchDB opens a fresh database with the province, n members and a
// clock.
func benchDB(b *testing.B, n int, now func() time.Time) *storage.DB {
	b.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(b.TempDir(), "lanes.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.Now = now
	if err := db.EnsureProvince(context.Background(), "Công đoàn Viên chức tỉnh"); err != nil {
		b.Fatal(err)
	}
	seedMembers(b, db, n)
	return db
}

// adminSays is the province admin's update.
func adminSays(text string) bot.Update {
	id := strconv.Itoa(benchAdmin)
	return bot.Update{Platform: cd.PlatformTelegram, UserID: id, ChatID: id, DisplayName: "Cán bộ Tỉnh", Text: text}
}

// adminScript is what the admin types to announce to everyone; the last
// line confirms.
var adminScript = []string{"/thongbao", benchAnnText, "Tất cả đoàn viên", "Gửi ngay", "Gửi thông báo"}

// BenchmarkAnnouncementWhileChatting: an announcement to 100,000 members
// on a simulated clock (the hour and more it takes at 25 a second passes
// in a few real minutes), 50 members writing throughout: every 5 s on
// average (10 replies a second, 40% of the limit: bulk gets the rest), or
// every 30 s (light traffic). Run it alone:
//
//	go test ./bot/telegram -run '^$' -bench 'AnnouncementWhileChatting$' -benchtime 1x -timeout 60m
func BenchmarkAnnouncementWhileChatting(b *testing.B) {
	for _, every := range []time.Duration{5 * time.Second, 30 * time.Second} {
		b.Run("every="+every.String(), func(b *testing.B) {
			for range b.N {
				runSimulated(b, 100_000, every)
			}
		})
	}
}

func runSimulated(b *testing.B, members int, every time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	clock := telegramtest.NewClock(start)
	st := newDeliveryStats()
	srv := telegramtest.NewServer(b, telegramtest.Options{Token: testToken, Now: clock.Now, Limits: telegramtest.Limits{Enabled: true},
		Discard: true, OnSend: st.onSend})
	db := benchDB(b, members, clock.Now)
	log := slog.New(slog.DiscardHandler)
	var sender *outbox.Sender
	tt := &txTimer{}
	core := bot.New(tt.store(db), bot.Config{Now: clock.Now, Logger: log, FloodPerMinute: 1 << 30,
		Admins: []string{"telegram:" + strconv.Itoa(benchAdmin)}, Wake: func(cd.Platform) { sender.Wake() }})
	a, err := New(Config{Token: testToken, APIEndpoint: srv.Endpoint()}, nil, nil, log, nil)
	if err != nil {
		b.Fatal(err)
	}
	chat := &chatters{} // they start writing when the announcement is confirmed
	store := tt.store(db)
	job := func(ctx context.Context, now time.Time) error { // the announcements job, every minute
		return store.Update(ctx, func(tx bot.Tx) error { _, err := core.ReportAnnouncements(tx, now); return err })
	}
	sc := outbox.SenderConfig{Now: clock.Now, Logger: log, Sleep: simSleep(clock, chat, core, st, job)}
	DefaultLimits().Apply(&sc)
	sender = outbox.NewSender(cd.PlatformTelegram, db, a, sc)
	b.ResetTimer()
	// The admin types a line every 10 s, each answered before the next.
	for _, line := range adminScript {
		clock.Advance(10 * time.Second)
		st.mu.Lock()
		st.confirmed = clock.Now()
		st.mu.Unlock()
		if err := core.Handle(ctx, adminSays(line)); err != nil {
			b.Fatal(err)
		}
		if line != adminScript[len(adminScript)-1] {
			if _, err := sender.Drain(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	chat.start(clock.Now(), benchChatters, every)
	queued := make(chan error, 1)
	go func() { _, err := core.QueueAnnouncements(ctx); queued <- err }()
	for queueing := true; st.bulkSent() < members; {
		if _, err := sender.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		if queueing && st.bulkSent() < members {
			if err := <-queued; err != nil {
				b.Fatal(err)
			}
			queueing = false
		} else if st.bulkSent() < members {
			b.Fatalf("drained with %d of %d sent", st.bulkSent(), members)
		}
	}
	b.StopTimer()
	st.report(b, srv, tt, float64(DefaultLimits().GlobalPerSecond))
}

// simSleep moves the simulated clock instead of sleeping, and on its way
// lets each chatting member whose time comes send /trogiup (handled at
// that moment of simulated time), and runs the job every minute.
func simSleep(clock *telegramtest.Clock, chat *chatters, core *bot.Bot, st *deliveryStats,
	job func(context.Context, time.Time) error) func(context.Context, time.Duration) error {
	lastJob := clock.Now()
	return func(ctx context.Context, d time.Duration) error {
		target := clock.Now().Add(d)
		if next := lastJob.Add(time.Minute); !next.After(target) {
			if next.After(clock.Now()) {
				clock.Set(next)
			}
			lastJob = next
			if err := job(context.WithoutCancel(ctx), next); err != nil {
				return err
			}
		}
		for {
			i, at, ok := chat.due(target)
			if !ok {
				break
			}
			if at.After(clock.Now()) {
				clock.Set(at)
			}
			at = clock.Now()
			id := benchChatBase + i
			st.ask(int64(id), at)
			u := bot.Update{Platform: cd.PlatformTelegram, UserID: strconv.Itoa(id), ChatID: strconv.Itoa(id), Text: "/trogiup"}
			if err := core.Handle(context.WithoutCancel(ctx), u); err != nil {
				return fmt.Errorf("member %d: %w", i, err)
			}
			if ctx.Err() != nil {
				return ctx.Err() // woken: a reply waits
			}
		}
		if target.After(clock.Now()) {
			clock.Set(target)
		}
		return ctx.Err()
	}
}
