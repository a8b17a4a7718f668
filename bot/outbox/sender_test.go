package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// clock is a settable clock shared by the sender and storage.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 2, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// recorder is a Deliverer that records deliveries with their (fake) time
// and fails as a test tells it to.
type recorder struct {
	mu    sync.Mutex
	clock *clock
	got   []delivery
	fail  func(it cd.OutboxItem, attempt int) error
	tries map[int64]int
}

type delivery struct {
	chat, text string
	at         time.Time
}

func (r *recorder) Deliver(_ context.Context, it cd.OutboxItem) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tries == nil {
		r.tries = map[int64]int{}
	}
	r.tries[it.ID]++
	if r.fail != nil {
		if err := r.fail(it, r.tries[it.ID]); err != nil {
			return err
		}
	}
	r.got = append(r.got, delivery{it.To.ChatID, it.Message.Text, r.clock.Now()})
	return nil
}

// senderEnv is a database and a sender whose sleeps move the fake clock.
type senderEnv struct {
	db    *storage.DB
	clock *clock
	rec   *recorder
	s     *outbox.Sender
}

func newSenderEnv(t *testing.T, cfg outbox.SenderConfig) *senderEnv {
	t.Helper()
	return newSenderEnvOn(t, storage.SQLite, cfg)
}

// newSenderEnvOn is newSenderEnv on a storage engine (storagetest skips
// PostgreSQL without a test server).
func newSenderEnvOn(t *testing.T, engine storage.Engine, cfg outbox.SenderConfig) *senderEnv {
	t.Helper()
	db, _ := storagetest.Open(t, engine)
	c := newClock()
	db.Now = c.Now
	e := &senderEnv{db: db, clock: c, rec: &recorder{clock: c}}
	cfg.Now = c.Now
	cfg.Sleep = func(ctx context.Context, d time.Duration) error { c.Advance(d); return ctx.Err() }
	e.s = outbox.NewSender(cd.PlatformTelegram, db, e.rec, cfg)
	return e
}

func (e *senderEnv) enqueue(t *testing.T, chat string, n int) {
	t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for i := range n {
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: chat},
				Message: cd.Message{Text: fmt.Sprintf("%s-%d", chat, i)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSenderLimitsAndOrder(t *testing.T) {
	e := newSenderEnv(t, outbox.SenderConfig{
		Workers: 1, // deliveries at exact fake times
		Global:  outbox.PerSecond(10),
		ChatLimit: func(chat string) outbox.Limit {
			if chat[0] == '-' {
				return outbox.Limit{Every: 3 * time.Second, Burst: 1} // a group
			}
			return outbox.Limit{Every: time.Second, Burst: 2}
		},
	})
	e.enqueue(t, "1", 5)
	e.enqueue(t, "-100", 3)
	for i := range 20 {
		e.enqueue(t, fmt.Sprint(1000+i), 1)
	}
	start := e.clock.Now()
	n, err := e.s.Drain(context.Background())
	if err != nil || n != 28 {
		t.Fatalf("drained %d, %v", n, err)
	}
	perChat := map[string][]delivery{}
	for _, d := range e.rec.got {
		perChat[d.chat] = append(perChat[d.chat], d)
	}
	// Each chat's messages in order, spaced by its limit.
	for chat, ds := range perChat {
		for i, d := range ds {
			if want := fmt.Sprintf("%s-%d", chat, i); d.text != want {
				t.Fatalf("chat %s message %d is %q", chat, i, d.text)
			}
		}
	}
	private := perChat["1"]
	if gap := private[2].at.Sub(private[0].at); gap < time.Second-time.Millisecond {
		t.Fatalf("third message to a private chat came %v after the first; burst is 2 at 1/s", gap)
	}
	group := perChat["-100"]
	for i := 1; i < len(group); i++ {
		if gap := group[i].at.Sub(group[i-1].at); gap < 3*time.Second-time.Millisecond {
			t.Fatalf("group messages %v apart, want 3 s", gap)
		}
	}
	// Globally never more than 10 in any second.
	for i := 10; i < len(e.rec.got); i++ {
		if gap := e.rec.got[i].at.Sub(e.rec.got[i-10].at); gap < time.Second-time.Millisecond {
			t.Fatalf("11 messages within %v", gap)
		}
	}
	if took := e.clock.Now().Sub(start); took > 10*time.Second {
		t.Fatalf("draining took %v of fake time; limits are over-applied", took)
	}
}

func TestSenderRetryPolicy(t *testing.T) {
	e := newSenderEnv(t, outbox.SenderConfig{MaxAttempts: 3, BaseBackoff: time.Second})
	ctx := context.Background()
	boom := errors.New("502 bad gateway")
	e.rec.fail = func(it cd.OutboxItem, attempt int) error {
		switch it.To.ChatID {
		case "flaky": // fails twice, then goes through
			if attempt <= 2 {
				return boom
			}
		case "dead": // always fails
			return boom
		case "blocked":
			return &outbox.DeliveryError{Err: errors.New("403 Forbidden: bot was blocked by the user"), Unreachable: true}
		case "bad":
			return &outbox.DeliveryError{Err: errors.New("400 Bad Request: can't parse"), Permanent: true}
		case "slow": // rate limited twice: never counts as a failure
			if attempt <= 4 {
				return &outbox.DeliveryError{Err: errors.New("429"), RetryAfter: 7 * time.Second}
			}
		}
		return nil
	}
	for _, chat := range []string{"flaky", "dead", "blocked", "bad", "slow"} {
		e.enqueue(t, chat, 1)
	}
	// A member whose chat is "blocked", to see the identity marked.
	err := e.db.Update(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateUnit(&cd.Unit{Kind: cd.UnitProvince, Name: "Tỉnh", Code: "TINH"}); err != nil {
			return err
		}
		m := &cd.Member{FullName: "Người Chặn Bot", UnitID: 1, Role: cd.RoleMember, Status: cd.StatusActive}
		return tx.CreateMember(m, cd.Identity{Platform: cd.PlatformTelegram, UserID: "blocked", ChatID: "blocked"})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Run passes as time goes by until nothing is due or pending.
	for range 20 {
		if _, err := e.s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		next, ok, err := e.db.NextDue(ctx, cd.PlatformTelegram)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if d := next.Sub(e.clock.Now()); d > 0 {
			e.clock.Advance(d)
		}
	}
	counts, _ := e.db.OutboxCounts(ctx)
	if counts[cd.OutboxSent] != 2 || counts[cd.OutboxFailed] != 3 || counts[cd.OutboxPending] != 0 {
		t.Fatalf("outbox = %v; want flaky and slow sent, dead, blocked and bad failed", counts)
	}
	e.rec.mu.Lock()
	tries := map[string]int{}
	for id, n := range e.rec.tries {
		tries[fmt.Sprint(id)] = n
	}
	e.rec.mu.Unlock()
	if tries["2"] != 3 || tries["3"] != 1 || tries["4"] != 1 || tries["5"] != 5 {
		t.Fatalf("attempts per message = %v; dead 3, blocked 1, bad 1, slow 5", tries)
	}
	err = e.db.Update(ctx, func(tx *storage.Tx) error {
		ids, err := tx.Identities(1)
		if err != nil {
			return err
		}
		if len(ids) != 1 || !ids[0].Unreachable {
			t.Fatalf("blocked identity = %+v", ids)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSenderPausesOnRateLimit(t *testing.T) {
	e := newSenderEnv(t, outbox.SenderConfig{MaxRetryAfter: 30 * time.Second, Workers: 1})
	ctx := context.Background()
	first := true
	e.rec.fail = func(it cd.OutboxItem, attempt int) error {
		if first {
			first = false
			return &outbox.DeliveryError{Err: errors.New("429"), RetryAfter: 10 * time.Second}
		}
		return nil
	}
	e.enqueue(t, "a", 1)
	e.enqueue(t, "b", 1)
	start := e.clock.Now()
	if _, err := e.s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	// "a" was told to wait 10 s; the sender paused, so "b" went 10 s later,
	// then "a" again.
	if len(e.rec.got) != 2 || e.rec.got[0].chat != "b" || e.rec.got[0].at.Sub(start) < 10*time.Second || e.rec.got[1].chat != "a" {
		t.Fatalf("deliveries = %+v", e.rec.got)
	}
	// A huge retry_after pauses only up to the cap; the message waits in
	// the outbox for its time instead.
	e.rec.fail = func(it cd.OutboxItem, attempt int) error {
		if it.To.ChatID == "c" && attempt == 1 {
			return &outbox.DeliveryError{Err: errors.New("429"), RetryAfter: 20000 * time.Second}
		}
		return nil
	}
	e.rec.got = nil
	e.enqueue(t, "c", 1)
	e.enqueue(t, "d", 1)
	before := e.clock.Now()
	if _, err := e.s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if paused := e.clock.Now().Sub(before); paused > 31*time.Second || len(e.rec.got) != 1 || e.rec.got[0].chat != "d" {
		t.Fatalf("paused %v (cap is 30 s), delivered %+v", paused, e.rec.got)
	}
	next, ok, _ := e.db.NextDue(ctx, cd.PlatformTelegram)
	if !ok || next.Sub(before) < 20000*time.Second {
		t.Fatalf("the rate-limited message is due at %v", next)
	}
}

func TestSenderHaltsOnRevokedToken(t *testing.T) {
	var halted []error
	e := newSenderEnv(t, outbox.SenderConfig{Workers: 1, OnHalt: func(err error) { halted = append(halted, err) }})
	e.rec.fail = func(it cd.OutboxItem, attempt int) error {
		return &outbox.DeliveryError{Err: errors.New("401 Unauthorized"), Halt: true}
	}
	e.enqueue(t, "a", 2)
	e.enqueue(t, "b", 1)
	_, err := e.s.Drain(context.Background())
	if !errors.Is(err, outbox.ErrHalted) || len(halted) != 1 || e.s.Halted() == nil {
		t.Fatalf("drain = %v, halted %v", err, halted)
	}
	// Nothing is lost: every message waits, none counted as failed.
	counts, _ := e.db.OutboxCounts(context.Background())
	if counts[cd.OutboxPending] != 3 || counts[cd.OutboxFailed] != 0 {
		t.Fatalf("outbox = %v", counts)
	}
	if _, err := e.s.Drain(context.Background()); !errors.Is(err, outbox.ErrHalted) || len(halted) != 1 {
		t.Fatalf("second drain = %v, halted %v", err, halted)
	}
}
