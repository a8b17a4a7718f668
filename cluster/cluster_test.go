package cluster_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/cluster"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// instances opens two handles on one PostgreSQL database, as two
// instances would, on one fake clock.
func instances(t *testing.T) (a, b *storage.DB, c *clock) {
	t.Helper()
	a, target := storagetest.Open(t, storage.Postgres)
	b, err := storage.Dial(context.Background(), storage.Postgres, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	c = &clock{t: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)}
	a.Now, b.Now = c.Now, c.Now
	return a, b, c
}

// work is a leased piece of work that reports when it starts and stops.
type work struct{ started, stopped chan string }

func newWork() *work { return &work{started: make(chan string, 4), stopped: make(chan string, 4)} }

func (w *work) run(name string) func(context.Context) error {
	return func(ctx context.Context) error {
		w.started <- name
		<-ctx.Done()
		w.stopped <- name
		return nil
	}
}

func expect(t *testing.T, ch chan string, want string) {
	t.Helper()
	select {
	case got := <-ch:
		if got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s never came", want)
	}
}

// TestLeaseTakeover: the work runs on the instance holding the lease;
// when that one stops renewing (it died, or lost the database), another
// takes the work over within TTL plus one renewal (20 s with the
// defaults, under 30), and the first, coming back, stops its copy at its
// next renewal instead of running it beside the other.
func TestLeaseTakeover(t *testing.T) {
	dbA, dbB, c := instances(t)
	w := newWork()
	ticksA, ticksB := make(chan time.Time), make(chan time.Time)
	stepsA, stepsB := make(chan bool), make(chan bool)
	a := &cluster.Lease{Store: dbA, Name: "jobs", Holder: "a", Now: c.Now, Ticks: ticksA,
		Stepped: func(held bool) { stepsA <- held }}
	b := &cluster.Lease{Store: dbB, Name: "jobs", Holder: "b", Now: c.Now, Ticks: ticksB,
		Stepped: func(held bool) { stepsB <- held }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	doneA, doneB := make(chan error, 1), make(chan error, 1)
	// tick makes a lease try to renew at the clock's time and waits until
	// it did, so that the clock moves only between renewals.
	tick := func(ticks chan time.Time, steps chan bool, want bool) {
		t.Helper()
		ticks <- c.Now()
		if held := <-steps; held != want {
			t.Fatalf("held %v, want %v at %s", held, want, c.Now())
		}
	}
	go func() { doneA <- a.Run(ctx, w.run("a")) }()
	if !<-stepsA {
		t.Fatal("a did not take the free lease")
	}
	expect(t, w.started, "a")
	go func() { doneB <- b.Run(ctx, w.run("b")) }()
	if <-stepsB {
		t.Fatal("b took a's lease")
	}
	step := cluster.DefaultTTL / 3
	for range 3 { // both renew or try, every 5 s: a keeps it
		c.Advance(step)
		tick(ticksA, stepsA, true)
		tick(ticksB, stepsB, false)
	}
	// a stops renewing (hung, or cut off); b takes over once a's lease,
	// renewed last 15 s ago, has expired: 20 s after a's last renewal at
	// worst, under 30.
	c.Advance(step)
	tick(ticksB, stepsB, false)
	c.Advance(step)
	tick(ticksB, stepsB, false)
	c.Advance(step)
	tick(ticksB, stepsB, true)
	expect(t, w.started, "b")
	tick(ticksA, stepsA, false) // a comes back: its renewal fails, it stops
	expect(t, w.stopped, "a")
	go func() { // the last steps, as Run ends
		for range stepsA {
		}
	}()
	go func() {
		for range stepsB {
		}
	}()
	cancel()
	expect(t, w.stopped, "b")
	for _, d := range []chan error{doneA, doneB} {
		if err := <-d; err != nil {
			t.Fatal(err)
		}
	}
	if h, err := dbA.LeaseHolder(context.Background(), "jobs"); err != nil || h != "" {
		t.Fatalf("after a clean stop the lease is %q's (%v), want released", h, err)
	}
}

// TestHeartbeat: each instance counts the live ones, and one that stops
// beating drops out of the count once its lease expires.
func TestHeartbeat(t *testing.T) {
	dbA, dbB, c := instances(t)
	var mu sync.Mutex
	counts := map[string]int{}
	beat := func(db *storage.DB, id string) (*cluster.Heartbeat, *cluster.Lease) {
		h := &cluster.Heartbeat{Store: db, Instance: id, OnCount: func(n int) { mu.Lock(); counts[id] = n; mu.Unlock() }}
		return h, &cluster.Lease{Store: db, Name: cluster.InstancePrefix + id, Holder: id, Now: c.Now}
	}
	ha, la := beat(dbA, "a")
	hb, lb := beat(dbB, "b")
	ctx := context.Background()
	ha.Beat(ctx, la)
	hb.Beat(ctx, lb)
	ha.Beat(ctx, la)
	if counts["a"] != 2 || counts["b"] != 2 {
		t.Fatalf("counts %v, want 2 each", counts)
	}
	c.Advance(cluster.DefaultTTL) // b died
	ha.Beat(ctx, la)
	if counts["a"] != 1 {
		t.Fatalf("a counts %d after b's lease expired, want 1", counts["a"])
	}
}

// fakeStore is a lease store whose renewals fail, or take time on the
// fake clock, as a test says.
type fakeStore struct {
	c    *clock
	fail bool
	took time.Duration // each renewal advances the clock this much
}

func (f *fakeStore) AcquireLease(context.Context, string, string, time.Duration) (bool, error) {
	f.c.Advance(f.took)
	if f.fail {
		return false, context.DeadlineExceeded
	}
	return true, nil
}

func (f *fakeStore) ReleaseLease(context.Context, string, string) error { return nil }

func (f *fakeStore) LiveInstances(context.Context) (int, error) { return 1, nil }

// TestHeartbeatLive: an instance counts itself alive (its senders may
// start deliveries) only while its last renewal is less than two thirds of
// the TTL old, not before the first one, and again once renewed; the
// epoch changes when the lease may have lapsed (a renewal missed, or one
// that waited too long), not at an ordinary renewal.
func TestHeartbeatLive(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)}
	f := &fakeStore{c: c}
	const ttl = 15 * time.Second
	h := &cluster.Heartbeat{Store: f, Instance: "a", TTL: ttl}
	l := &cluster.Lease{Store: f, Name: cluster.InstancePrefix + "a", Holder: "a", TTL: ttl, Now: c.Now}
	ctx := context.Background()
	live := func(wantOK bool) uint64 {
		t.Helper()
		epoch, ok := h.Live()
		if ok != wantOK {
			t.Fatalf("at +%s live %v, want %v", c.Now().Sub(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)), ok, wantOK)
		}
		return epoch
	}
	live(false) // no heartbeat yet
	h.Beat(ctx, l)
	e1 := live(true)
	c.Advance(ttl*2/3 - time.Millisecond)
	live(true)
	c.Advance(time.Millisecond)
	live(false) // not renewed for two thirds of the TTL: it may expire soon
	f.fail = true
	h.Beat(ctx, l)
	live(false)
	f.fail = false
	h.Beat(ctx, l)
	e2 := live(true)
	if e2 == e1 {
		t.Fatal("the epoch did not change after a lapse")
	}
	c.Advance(ttl / 3)
	h.Beat(ctx, l)
	if e := live(true); e != e2 {
		t.Fatal("the epoch changed at an ordinary renewal")
	}
	c.Advance(ttl / 3)
	f.took = ttl / 2 // began in time, committed after the lease could have expired
	h.Beat(ctx, l)
	if e := live(true); e == e2 {
		t.Fatal("the epoch did not change after a renewal that waited past two thirds of the TTL")
	}
}
