package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Deliverer puts one message on a platform. It is what each platform
// adapter implements for the sender.
type Deliverer interface {
	Deliver(ctx context.Context, item cd.OutboxItem) error
}

// DeliveryError tells the sender how a delivery failed, so that it can
// decide between retrying, pausing and giving up. A plain error counts as
// a transient failure.
type DeliveryError struct {
	Err error
	// Permanent: retrying cannot help (a malformed message, say).
	Permanent bool
	// Unreachable: the platform refuses this chat (blocked, deleted).
	Unreachable bool
	// RetryAfter: the platform asked to wait this long; not a failure.
	RetryAfter time.Duration
}

func (e *DeliveryError) Error() string { return e.Err.Error() }
func (e *DeliveryError) Unwrap() error { return e.Err }

// OutboxStore is what the sender needs from storage.
type OutboxStore interface {
	DueOutbox(ctx context.Context, p cd.Platform, limit int) ([]cd.OutboxItem, error)
	NextDue(ctx context.Context, p cd.Platform) (time.Time, bool, error)
	MarkSent(ctx context.Context, id int64) error
	MarkRetry(ctx context.Context, id int64, reason string, at time.Time, counted bool) error
	MarkFailed(ctx context.Context, id int64, reason string) error
	MarkUnreachable(ctx context.Context, p cd.Platform, chatID, reason string) error
}

// SenderConfig tunes a sender's retry policy.
type SenderConfig struct {
	MaxAttempts int           // transient failures before giving up; default 5
	BaseBackoff time.Duration // first retry delay, doubled each time; default 2 s
	MaxBackoff  time.Duration // default 5 min
	Idle        time.Duration // how long to sleep with nothing due; default 30 s
	Batch       int           // rows read per pass; default 100
	Now         func() time.Time
	Logger      *slog.Logger
}

// Sender drains one platform's outbox through its Deliverer: every row is
// marked sent only after the platform accepted it, so a crash delivers a
// message at least once and a restart picks up what is pending.
type Sender struct {
	platform cd.Platform
	store    OutboxStore
	d        Deliverer
	cfg      SenderConfig
	wake     chan struct{}
}

// NewSender returns a sender for one platform.
func NewSender(p cd.Platform, store OutboxStore, d Deliverer, cfg SenderConfig) *Sender {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = 2 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 100
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{platform: p, store: store, d: d, cfg: cfg, wake: make(chan struct{}, 1)}
}

// Wake tells the sender that new messages may be due. It never blocks.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers messages as they become due until ctx is cancelled.
func (s *Sender) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("outbox pass failed", "platform", s.platform, "err", err)
		}
		wait := s.cfg.Idle
		if next, ok, err := s.store.NextDue(ctx, s.platform); err == nil && ok {
			wait = min(max(next.Sub(s.cfg.Now()), 0), s.cfg.Idle)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake:
		case <-timer.C:
		}
	}
}

// Drain delivers every message due now, in order, and returns how many it
// delivered. It stops early when ctx ends.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	sent := 0
	for {
		items, err := s.store.DueOutbox(ctx, s.platform, s.cfg.Batch)
		if err != nil {
			return sent, err
		}
		if len(items) == 0 {
			return sent, nil
		}
		progressed := false
		for _, it := range items {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			ok, err := s.deliver(ctx, it)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
			progressed = true
		}
		if !progressed {
			return sent, nil
		}
	}
}

// deliver sends one message and records the outcome.
func (s *Sender) deliver(ctx context.Context, it cd.OutboxItem) (bool, error) {
	err := s.d.Deliver(ctx, it)
	if err == nil {
		return true, s.store.MarkSent(ctx, it.ID)
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	reason := err.Error()
	var de *DeliveryError
	errors.As(err, &de)
	now := s.cfg.Now()
	switch {
	case de != nil && de.Unreachable:
		s.cfg.Logger.Warn("chat unreachable", "platform", s.platform, "outbox", it.ID, "err", reason)
		if err := s.store.MarkUnreachable(ctx, s.platform, it.To.ChatID, reason); err != nil {
			return false, err
		}
		return false, s.store.MarkFailed(ctx, it.ID, reason)
	case de != nil && de.Permanent:
		s.cfg.Logger.Warn("message refused", "platform", s.platform, "outbox", it.ID, "err", reason)
		return false, s.store.MarkFailed(ctx, it.ID, reason)
	case de != nil && de.RetryAfter > 0:
		return false, s.store.MarkRetry(ctx, it.ID, reason, now.Add(de.RetryAfter), false)
	case it.Attempts+1 >= s.cfg.MaxAttempts:
		s.cfg.Logger.Error("giving up on message", "platform", s.platform, "outbox", it.ID, "attempts", it.Attempts+1, "err", reason)
		return false, s.store.MarkFailed(ctx, it.ID, fmt.Sprintf("after %d attempts: %s", it.Attempts+1, reason))
	default:
		backoff := min(s.cfg.BaseBackoff<<it.Attempts, s.cfg.MaxBackoff)
		return false, s.store.MarkRetry(ctx, it.ID, reason, now.Add(backoff), true)
	}
}
