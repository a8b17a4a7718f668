// Package cluster lets several instances of the bot share one PostgreSQL
// database: a Lease runs a piece of work (polling a platform, the
// scheduled jobs) on one instance at a time and moves it to another when
// that one dies; a Heartbeat keeps the instance counted as alive, so that
// the senders split the platforms' rate limits between the live ones.
//
// Both rest on rows in the database's leases table, taken and renewed
// under its write lock (storage.DB.AcquireLease): no consensus of our own.
// A lease lasts TTL (default 15 s) and is renewed every TTL/3, so a dead
// holder's work moves within TTL plus one renewal: under 30 s with the
// defaults. A holder that cannot renew stops the work before its lease
// could have expired, so two never run it at once (given clocks that
// agree to within a second or so: the expiry is the database's time,
// the margin each instance's).
package cluster

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"
)

// DefaultTTL is how long a lease lasts without renewal.
const DefaultTTL = 15 * time.Second

// Store is where leases live. *storage.DB implements it.
type Store interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// DefaultInstance is the id of this process: the host name and the
// process id.
func DefaultInstance() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	return host + "-" + strconv.Itoa(os.Getpid())
}

// Lease is one piece of work run by one instance at a time.
type Lease struct {
	Store  Store
	Name   string // e.g. "poll/telegram", "jobs"
	Holder string // this instance's id
	TTL    time.Duration
	Now    func() time.Time
	// Ticks paces the renewals; nil: every TTL/3 on the real clock.
	Ticks <-chan time.Time
	Log   *slog.Logger
	// Stepped, when set, is told after each attempt to take or renew the
	// lease whether it is held (tests follow the lease with it).
	Stepped func(held bool)

	held    bool
	renewed time.Time // when the lease was last taken or renewed, on Now
}

func (l *Lease) defaults() {
	if l.TTL <= 0 {
		l.TTL = DefaultTTL
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	if l.Log == nil {
		l.Log = slog.New(slog.DiscardHandler)
	}
}

// Step takes or renews the lease once and reports whether this instance
// holds it now. When the database cannot be reached, a lease held keeps
// counting as held only while it surely has not expired (two thirds of
// TTL since the last renewal).
func (l *Lease) Step(ctx context.Context) bool {
	l.defaults()
	start := l.Now()
	ok, err := l.Store.AcquireLease(ctx, l.Name, l.Holder, l.TTL)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			l.Log.Warn("cannot renew a lease", "lease", l.Name, "err", err)
		}
		if l.held && !surelyHeld(l.renewed, l.Now(), l.TTL) {
			l.held = false
			l.Log.Warn("lease lost: not renewed in time", "lease", l.Name)
		}
	case ok:
		if !l.held {
			l.Log.Info("lease taken", "lease", l.Name, "holder", l.Holder)
		}
		l.held, l.renewed = true, start
	default:
		if l.held {
			l.Log.Warn("lease lost to another instance", "lease", l.Name)
		}
		l.held = false
	}
	if l.Stepped != nil {
		l.Stepped(l.held)
	}
	return l.held
}

// surelyHeld reports whether a lease renewed (taken) at renewed, for ttl,
// surely has not expired at time at: less than two thirds of ttl have
// passed, the margin left for clocks and the time a renewal takes.
func surelyHeld(renewed, at time.Time, ttl time.Duration) bool {
	return at.Sub(renewed) < ttl*2/3
}

// Release gives the lease up, so that another instance takes it at once.
func (l *Lease) Release(ctx context.Context) {
	if !l.held {
		return
	}
	l.held = false
	if err := l.Store.ReleaseLease(ctx, l.Name, l.Holder); err != nil {
		l.Log.Warn("release a lease", "lease", l.Name, "err", err)
	}
}

// Run runs work while this instance holds the lease, until ctx ends: it
// starts work when the lease is taken and cancels it (and waits for it)
// when the lease is lost, then tries again at each renewal. An error
// work returns while its context is live stops Run with that error. On
// the way out the lease is released.
func (l *Lease) Run(ctx context.Context, work func(context.Context) error) error {
	l.defaults()
	ticks := l.Ticks
	if ticks == nil {
		t := time.NewTicker(l.TTL / 3)
		defer t.Stop()
		ticks = t.C
	}
	w := &worker{}
	defer func() {
		w.stop()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		l.Release(rctx)
	}()
	for {
		held := l.Step(ctx)
		switch {
		case held && w.done == nil:
			w.start(ctx, work)
		case !held:
			w.stop()
		}
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.done:
			w.cancel()
			w.done = nil
			if err != nil && ctx.Err() == nil {
				return err
			}
		case <-ticks:
		}
	}
}

// worker is the work of a Lease while it runs.
type worker struct {
	cancel context.CancelFunc
	done   chan error // nil: not running
}

func (w *worker) start(ctx context.Context, work func(context.Context) error) {
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan error, 1)
	go func() { w.done <- work(ctx) }()
}

// stop cancels the work and waits for it.
func (w *worker) stop() {
	if w.done == nil {
		return
	}
	w.cancel()
	<-w.done
	w.done = nil
}

// InstancePrefix starts the lease name that keeps an instance counted as
// alive; storage.InstancePrefix is the same.
const InstancePrefix = "instance/"

// Counter counts the live instances. *storage.DB implements it.
type Counter interface {
	Store
	LiveInstances(ctx context.Context) (int, error)
}

// Heartbeat keeps this instance counted as alive and tells OnCount how
// many are, at start and whenever the number changes. Its lease also
// backs the instance's outbox claims (storage.DB.ClaimHeads): they end
// when it expires, so the senders ask Live before each delivery.
type Heartbeat struct {
	Store    Counter
	Instance string
	TTL      time.Duration
	Now      func() time.Time
	Ticks    <-chan time.Time // nil: every TTL/3
	Log      *slog.Logger
	OnCount  func(n int)

	last int

	mu      sync.Mutex // guards what Live reads
	held    bool
	renewed time.Time // start of the last renewal, on Now
	epoch   uint64
	ttl     time.Duration
	now     func() time.Time
}

// Live reports whether this instance surely still counts as alive: its
// lease was renewed less than two thirds of TTL ago, so it cannot have
// expired (the same margin as Lease). epoch changes whenever the lease
// may have lapsed since the renewal before: what the instance claimed
// before the change may have been taken by another instance meanwhile.
// Before the first renewal ok is false.
func (h *Heartbeat) Live() (epoch uint64, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.held {
		return h.epoch, false
	}
	return h.epoch, surelyHeld(h.renewed, h.now(), h.ttl)
}

// record notes the outcome of a step of l for Live. A renewal that ends
// two thirds of TTL or more after the last one began may have come after
// the lease expired (it waited for the database): a new epoch.
func (h *Heartbeat) record(l *Lease, held bool) {
	end := l.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ttl, h.now = l.TTL, l.Now
	if held && l.renewed != h.renewed {
		if !h.held || !surelyHeld(h.renewed, end, l.TTL) {
			h.epoch++
		}
		h.renewed = l.renewed
	}
	h.held = held
}

// Beat renews this instance's lease once and reports the count.
func (h *Heartbeat) Beat(ctx context.Context, l *Lease) {
	held := l.Step(ctx)
	h.record(l, held)
	if !held {
		return
	}
	n, err := h.Store.LiveInstances(ctx)
	if err != nil {
		l.Log.Warn("count live instances", "err", err)
		return
	}
	if n != h.last {
		l.Log.Info("live instances", "count", n)
		h.last = n
		if h.OnCount != nil {
			h.OnCount(n)
		}
	}
}

// Run beats until ctx ends, then releases the lease.
func (h *Heartbeat) Run(ctx context.Context) error {
	l := &Lease{Store: h.Store, Name: InstancePrefix + h.Instance, Holder: h.Instance, TTL: h.TTL, Now: h.Now, Log: h.Log}
	l.defaults()
	ticks := h.Ticks
	if ticks == nil {
		t := time.NewTicker(l.TTL / 3)
		defer t.Stop()
		ticks = t.C
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		l.Release(rctx)
		h.record(l, false)
	}()
	for {
		h.Beat(ctx, l)
		select {
		case <-ctx.Done():
			return nil
		case <-ticks:
		}
	}
}
