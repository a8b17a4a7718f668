package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestTwoSendersOneOutbox: two instances (two database handles, two
// senders with their own ids) drain one outbox on PostgreSQL at once, a
// broadcast and replies mixed: every message goes out exactly once, and
// each chat's messages in the order they were queued, whichever instance
// sent each.
func TestTwoSendersOneOutbox(t *testing.T) {
	db, target := storagetest.Open(t, storage.Postgres)
	db2, err := storage.Dial(context.Background(), storage.Postgres, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	c := newClock()
	db.Now, db2.Now = c.Now, c.Now
	for _, id := range []string{"a", "b"} { // the instances' heartbeats, which their claims rest on
		if ok, err := db.AcquireLease(context.Background(), storage.InstancePrefix+id, id, 24*time.Hour); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	rec := &recorder{clock: c}
	cfg := outbox.SenderConfig{Global: outbox.PerSecond(1000), Workers: 4, Now: c.Now,
		Sleep: func(ctx context.Context, d time.Duration) error { c.Advance(d); return ctx.Err() }}
	cfgA, cfgB := cfg, cfg
	cfgA.Instance, cfgB.Instance = "a", "b"
	by := []*countingDeliverer{{d: rec}, {d: rec}}
	senders := []*outbox.Sender{outbox.NewSender(cd.PlatformTelegram, db, by[0], cfgA),
		outbox.NewSender(cd.PlatformTelegram, db2, by[1], cfgB)}
	e := &senderEnv{db: db, clock: c, rec: rec}
	const perChat = 6
	for i := range perChat {
		lane := cd.LaneBulk
		if i%3 == 2 {
			lane = cd.LaneInteractive
		}
		e.enqueueLane(t, lane, fmt.Sprintf("m%d-", i), chats("c", 40)...)
	}
	for round := 0; ; round++ {
		if round == 50 {
			t.Fatal("the outbox did not drain")
		}
		var wg sync.WaitGroup
		for _, s := range senders {
			wg.Go(func() {
				if _, err := s.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		counts, err := db.OutboxCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if counts[cd.OutboxPending] == 0 {
			break
		}
		c.Advance(outbox.ClaimTTL) // a claim left by a drain that ended
	}
	checkOnceInOrder(t, rec, 40, perChat)
	t.Logf("sent by a: %d, by b: %d", by[0].n.Load(), by[1].n.Load())
	if by[0].n.Load() == 0 || by[1].n.Load() == 0 {
		t.Error("one instance sent nothing: the test did not share the outbox")
	}
}

// countingDeliverer counts what one instance delivers.
type countingDeliverer struct {
	d outbox.Deliverer
	n atomic.Int64
}

func (c *countingDeliverer) Deliver(ctx context.Context, it cd.OutboxItem) error {
	err := c.d.Deliver(ctx, it)
	if err == nil {
		c.n.Add(1)
	}
	return err
}

// checkOnceInOrder checks that every chat got its messages m0..m(n-1)
// once each, in order.
func checkOnceInOrder(t *testing.T, rec *recorder, nChats, perChat int) {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) != nChats*perChat {
		t.Errorf("%d deliveries, want %d", len(rec.got), nChats*perChat)
	}
	next := map[string]int{}
	for _, d := range rec.got {
		want := fmt.Sprintf("m%d-%s", next[d.chat], d.chat)
		if d.text != want {
			t.Fatalf("chat %s got %q, want %q (repeated or out of order)", d.chat, d.text, want)
		}
		next[d.chat]++
	}
}

// TestSenderShare: with two instances live, a sender takes half the
// platform's global limit.
func TestSenderShare(t *testing.T) {
	e := newSenderEnv(t, outbox.SenderConfig{Global: outbox.PerSecond(10), Workers: 1})
	e.s.SetShare(2)
	e.enqueueLane(t, cd.LaneBulk, "x", chats("c", 21)...)
	start := e.clock.Now()
	if n, err := e.s.Drain(context.Background()); err != nil || n != 21 {
		t.Fatalf("drain: %d, %v", n, err)
	}
	if took := e.clock.Now().Sub(start); took < 4*time.Second {
		t.Errorf("21 messages at 10/s shared by 2 took %s, want at least 4s", took)
	}
}

// TestSenderPausesWithoutHeartbeat: a sender whose instance's heartbeat
// was not renewed in time (Alive says no) starts no delivery until it is
// renewed, then goes on where it stopped.
func TestSenderPausesWithoutHeartbeat(t *testing.T) {
	var e *senderEnv
	var start time.Time
	alive := func() (uint64, bool) {
		switch at := e.clock.Now().Sub(start); {
		case at < 2*time.Second:
			return 1, true
		case at < 10*time.Second: // the heartbeat lapsed (a database blip)
			return 1, false
		}
		return 2, true // renewed: a new epoch
	}
	e = newSenderEnv(t, outbox.SenderConfig{Global: outbox.PerSecond(10), Workers: 1, Alive: alive})
	start = e.clock.Now()
	e.enqueueLane(t, cd.LaneBulk, "x", chats("c", 40)...)
	if n, err := e.s.Drain(context.Background()); err != nil || n != 40 {
		t.Fatalf("drain: %d, %v", n, err)
	}
	before, after := 0, 0
	for _, d := range e.rec.got {
		switch at := d.at.Sub(start); {
		case at < 2*time.Second:
			before++
		case at < 10*time.Second:
			t.Fatalf("%s delivered %s after the start, while the heartbeat was stale", d.text, at)
		default:
			after++
		}
	}
	if before < 15 || after < 15 {
		t.Errorf("%d delivered before the heartbeat lapsed, %d after it was renewed; want about 20 each", before, after)
	}
	if resumed := e.rec.got[before].at.Sub(start); resumed > 10*time.Second+time.Second/5 {
		t.Errorf("sending resumed %s after the start, want within 200 ms of the renewal at 10 s", resumed)
	}
}
