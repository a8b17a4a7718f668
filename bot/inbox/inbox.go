// Package inbox is what every platform adapter shares on the receiving
// side: the processor that hands the updates stored in the inbox to the
// core in order, retrying a failure and setting aside an update that keeps
// failing; the webhook server and the checks of its configuration; and
// the growing backoff of retry loops.
//
// Receiving is exactly-once because an adapter stores each update in the
// inbox (SQLite) before it acknowledges it to the platform, and the core
// marks the row applied in the transaction that applies it; the processor
// only decides when each row is handed over.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync/atomic"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// ErrBad marks a stored update that can never be applied (it cannot be
// decoded, or is of no kind the bot handles): it is set aside at once.
var ErrBad = errors.New("malformed update")

// Store is the inbox as the processor reads it. *storage.DB implements it.
type Store interface {
	PendingInbox(ctx context.Context, platform string, limit int) ([]cd.InboxItem, error)
}

// Inbox is the inbox as an adapter fills it, one update at a time, and
// its processor reads it. *storage.DB implements it.
type Inbox interface {
	Store
	// PutInbox records a received update; the same (platform, key) twice
	// is stored once: inserted is false the second time.
	PutInbox(ctx context.Context, platform, key, chatKey string, payload []byte) (id int64, inserted bool, err error)
}

// Failer is implemented by a Store that can set aside an update for good,
// so that it is never handed out again. Without it such an update is
// skipped until the process restarts.
type Failer interface {
	InboxFailed(ctx context.Context, id int64, errText string) error
}

// Processor hands a platform's pending inbox rows to Handle, one at a
// time in id order, so that one chat's updates keep their order.
type Processor struct {
	Platform string
	Store    Store
	// Handle applies one stored update (the adapter decodes it and calls
	// the core). An error wrapping ErrBad sets it aside at once; another
	// error is retried, holding the rows after it back; one wrapping
	// cd.ErrDiskFull is retried without counting towards MaxFailures; one
	// wrapping cd.ErrInboxBusy (another instance is applying it) is no
	// failure: that chat's later rows wait, the other chats' go on.
	Handle func(ctx context.Context, it cd.InboxItem) error
	Log    *slog.Logger
	// Redact cleans errors before they are logged or stored (tokens).
	Redact func(error) error
	// MaxFailures is how often Handle may fail on one update before it is
	// set aside; default 5.
	MaxFailures int
	// Idle is the slow tick that looks at the inbox without a Wake; default 5 s.
	Idle time.Duration
	// Busy is how soon a pass that left updates to another instance
	// (Handle returned cd.ErrInboxBusy) looks again without a Wake, so
	// that the update of an instance that died applying it is taken over;
	// default 1 s.
	Busy time.Duration
	// Backoff paces retries after failures; zero fields take 1 s and 30 s.
	Backoff Backoff
	// PollGate, when set, runs the polling loop given to Receive, which
	// polls through it: several instances on one database poll a platform
	// one at a time (cluster.Lease.Run), while every instance's processor
	// applies what any of them stored. Webhooks do not pass through it.
	PollGate func(ctx context.Context, poll func(context.Context) error) error

	running atomic.Bool
	wake    chan struct{}
	fails   map[int64]int  // inbox id -> failed attempts
	done    map[int64]bool // handled, in case a read still returns them
	aside   map[int64]bool // given up on, without a Failer
}

func (p *Processor) init() {
	if p.wake == nil {
		p.wake = make(chan struct{}, 1)
	}
}

// NewProcessor returns a processor; set its fields before Run.
func NewProcessor(platform string, store Store, handle func(context.Context, cd.InboxItem) error, log *slog.Logger) *Processor {
	p := &Processor{Platform: platform, Store: store, Handle: handle, Log: log}
	p.init()
	return p
}

// Wake tells the processor that the inbox has something new. It never
// blocks, and does nothing on a nil processor (an adapter that only
// delivers).
func (p *Processor) Wake() {
	if p == nil {
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Processor) redact(err error) error {
	if p.Redact == nil || err == nil {
		return err
	}
	return p.Redact(err)
}

// Run hands pending rows to Handle until ctx ends. It sleeps until woken
// by a new row, with a slow tick as a fallback.
func (p *Processor) Run(ctx context.Context) {
	p.init()
	if p.MaxFailures <= 0 {
		p.MaxFailures = 5
	}
	if p.Idle <= 0 {
		p.Idle = 5 * time.Second
	}
	if p.Busy <= 0 {
		p.Busy = min(time.Second, p.Idle)
	}
	if p.Log == nil {
		p.Log = slog.New(slog.DiscardHandler)
	}
	p.fails, p.done, p.aside = map[int64]int{}, map[int64]bool{}, map[int64]bool{}
	tick := time.NewTicker(p.Idle)
	defer tick.Stop()
	bo := p.Backoff
	for ctx.Err() == nil {
		more, busy, err := p.pass(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			bo.Wait(ctx, 0)
			continue
		case more:
			bo.Reset()
			continue
		}
		bo.Reset()
		var soon <-chan time.Time
		if busy {
			soon = time.After(p.Busy)
		}
		select {
		case <-ctx.Done():
		case <-p.wake:
		case <-tick.C:
		case <-soon:
		}
	}
}

// pass handles the pending rows, in order, until one fails. more reports
// that it handled some (a further read may find more); busy, that it left
// some to another instance that was applying them (cd.ErrInboxBusy), with
// the later rows of their chats: a chat's updates are applied one at a
// time in id order, whichever instance applies each.
func (p *Processor) pass(ctx context.Context) (more, busy bool, err error) {
	items, err := p.Store.PendingInbox(ctx, p.Platform, 100)
	if err != nil {
		if ctx.Err() == nil {
			p.Log.Warn("read pending updates", "err", p.redact(err))
		}
		return false, false, err
	}
	pending := make(map[int64]bool, len(items))
	for _, it := range items {
		pending[it.ID] = true
	}
	gone := func(id int64, _ bool) bool { return !pending[id] }
	maps.DeleteFunc(p.done, gone)
	maps.DeleteFunc(p.aside, gone)
	maps.DeleteFunc(p.fails, func(id int64, _ int) bool { return !pending[id] })
	held := map[string]bool{} // chats another instance is on
	for _, it := range items {
		if p.done[it.ID] || p.aside[it.ID] {
			continue
		}
		if held[it.ChatKey] {
			continue
		}
		err := p.Handle(ctx, it)
		if err == nil {
			p.done[it.ID] = true
			delete(p.fails, it.ID)
			more = true
			continue
		}
		if ctx.Err() != nil {
			return false, false, ctx.Err()
		}
		if errors.Is(err, cd.ErrInboxBusy) {
			held[it.ChatKey], busy = true, true
			continue
		}
		err = p.redact(err)
		if errors.Is(err, cd.ErrDiskFull) {
			// Not the update's fault: it waits, however long, for space,
			// and is never set aside for it.
			p.Log.Error("database disk is full: updates wait in the inbox until space is freed", "inbox_id", it.ID,
				"key", it.UpdateKey, "err", err)
			return false, false, err
		}
		p.fails[it.ID]++
		if errors.Is(err, ErrBad) || p.fails[it.ID] >= p.MaxFailures {
			p.Log.Error("giving up on an update", "inbox_id", it.ID, "key", it.UpdateKey, "attempts", p.fails[it.ID], "err", err)
			p.setAside(ctx, it, err)
			more = true
			continue
		}
		// Stop here: later rows may be of the same chat, and must wait.
		p.Log.Warn("handling an update failed; will retry", "inbox_id", it.ID, "key", it.UpdateKey,
			"attempt", p.fails[it.ID], "err", err)
		return false, false, err
	}
	return more, busy, nil
}

// setAside stops handing out an update: for good through a Failer, or in
// memory until restart.
func (p *Processor) setAside(ctx context.Context, it cd.InboxItem, cause error) {
	if f, ok := p.Store.(Failer); ok {
		err := f.InboxFailed(ctx, it.ID, cause.Error())
		if err == nil {
			delete(p.fails, it.ID)
			return
		}
		p.Log.Error("set aside an update", "inbox_id", it.ID, "err", p.redact(err))
	}
	p.aside[it.ID] = true
}

// Backoff is a growing delay: Min, doubled up to Max.
type Backoff struct {
	Min, Max time.Duration
	next     time.Duration
}

// Wait sleeps for the next delay, at least atLeast (a retry_after); false
// when ctx ended first.
func (b *Backoff) Wait(ctx context.Context, atLeast time.Duration) bool {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = time.Second
	}
	if hi < lo {
		hi = max(lo, 30*time.Second)
	}
	d := max(b.next, lo)
	b.next = min(d*2, hi)
	return Sleep(ctx, max(d, atLeast))
}

// Reset starts the delays over.
func (b *Backoff) Reset() { b.next = 0 }

// Sleep waits d; false when ctx ended first.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Receive is an adapter's Run: the processor beside the webhook server
// web when there is one, else beside the polling loop poll; see RunWith.
func (p *Processor) Receive(ctx context.Context, web *Server, poll func(context.Context) error) error {
	if web != nil {
		return p.RunWith(ctx, web.Serve)
	}
	if gate := p.PollGate; gate != nil {
		return p.RunWith(ctx, func(ctx context.Context) error { return gate(ctx, poll) })
	}
	return p.RunWith(ctx, poll)
}

// NewBackoff is a backoff with the processor's delays, for an adapter's
// receiving loops.
func (p *Processor) NewBackoff() *Backoff {
	return &Backoff{Min: p.Backoff.Min, Max: p.Backoff.Max}
}

// RunWith runs the processor beside receive (a polling loop or a webhook
// server) until receive returns, which it does when ctx ends or it fails
// for good; then it stops the processor, waits for it, and returns what
// receive returned. One RunWith at a time: a second call while one runs
// fails.
func (p *Processor) RunWith(ctx context.Context, receive func(context.Context) error) error {
	if !p.running.CompareAndSwap(false, true) {
		return fmt.Errorf("%s: Run is running already", p.Platform)
	}
	defer p.running.Store(false)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	err := receive(ctx)
	cancel()
	<-done
	return err
}
