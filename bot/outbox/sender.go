// Package outbox is what every platform adapter shares on the sending
// side: the Sender that drains one platform's durable outbox through the
// adapter's Deliverer, within the platform's limits (a token bucket for
// the platform and one per chat), retrying transient failures with a
// growing backoff, pausing on the platform's rate-limit answers, and
// giving up on a chat the platform refuses. Adapters classify their
// platform's errors as DeliveryError.
//
// A row is marked sent only after the platform accepted it, so a crash
// repeats at most the messages in flight and never loses one.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
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
	// Halt: nothing can be sent on this platform until an operator acts
	// (the token was revoked). The sender stops, keeps the message, and
	// calls SenderConfig.OnHalt once.
	Halt bool
}

func (e *DeliveryError) Error() string { return e.Err.Error() }
func (e *DeliveryError) Unwrap() error { return e.Err }

// Store is the outbox as the sender reads and updates it. *storage.DB
// implements it.
type Store interface {
	// DueHeads returns up to limit messages of a lane ("" for all) that
	// may be sent now: due, with no earlier message of their chat waiting;
	// for the interactive lane, a chat's earlier messages go first.
	DueHeads(ctx context.Context, p cd.Platform, lane cd.Lane, limit int) ([]cd.OutboxItem, error)
	NextDue(ctx context.Context, p cd.Platform) (time.Time, bool, error)
	MarkSent(ctx context.Context, id int64) error
	MarkRetry(ctx context.Context, id int64, reason string, at time.Time, counted bool) error
	MarkFailed(ctx context.Context, id int64, reason string) error
	// MarkUndeliverable: the platform refused the chat; the store marks
	// the account unreachable, fails the message as such, and may route a
	// notification to the member's other account.
	MarkUndeliverable(ctx context.Context, id int64, p cd.Platform, chatID, reason string) error
}

// Claimer is implemented by a Store several instances send from at once
// (storage on PostgreSQL): ClaimHeads is DueHeads that also claims the
// messages it returns for holder until now+ttl or until holder's
// heartbeat expires, and leaves out those another instance holds; a
// claimed message holds its chat's later ones back. The outcome clears
// the claim.
type Claimer interface {
	ClaimHeads(ctx context.Context, p cd.Platform, lane cd.Lane, limit int, holder string, ttl time.Duration) ([]cd.OutboxItem, error)
	// ReleaseClaims gives up holder's claims on messages not sent.
	ReleaseClaims(ctx context.Context, holder string) error
}

// ClaimTTL is how long a claim lasts with the default DeliveryTimeout.
const ClaimTTL = deliveryTimeout + deliveryTimeout/4

// claimTTL is how long a claim lasts at most: longer than a delivery may
// take (DeliveryTimeout), so that no other instance sends a message while
// its delivery is under way; a claim older than a quarter of
// DeliveryTimeout is claimed again before its message is sent. A claim
// also ends with the instance's heartbeat, so a dead instance's claimed
// messages wait for that (lease_ttl), not for this.
func (s *Sender) claimTTL() time.Duration {
	return s.cfg.DeliveryTimeout + s.cfg.DeliveryTimeout/4
}

// Limit is a token bucket: one message per Every, up to Burst at once.
// The zero Limit does not limit.
type Limit struct {
	Every time.Duration
	Burst int
}

// PerSecond is a Limit of n messages a second with no burst.
func PerSecond(n float64) Limit {
	if n <= 0 {
		return Limit{}
	}
	return Limit{Every: time.Duration(float64(time.Second) / n), Burst: 1}
}

// SenderConfig sets a sender's limits and retry policy.
type SenderConfig struct {
	// Global limits all messages of the platform (Telegram: about 30/s).
	Global Limit
	// ChatLimit gives the limit of one chat (Telegram: 1/s in a private
	// chat, 20/min in a group). Nil: chats are not limited.
	ChatLimit func(chatID string) Limit
	// MaxRetryAfter caps how long a rate-limit answer pauses the sender; a
	// longer wait reschedules the message instead. Default 5 min.
	MaxRetryAfter time.Duration
	MaxAttempts   int           // transient failures before giving up; default 5
	BaseBackoff   time.Duration // first retry delay, doubled each time; default 2 s
	MaxBackoff    time.Duration // default 5 min
	Idle          time.Duration // how long Run sleeps with nothing due; default 30 s
	Batch         int           // most rows read at once; default 500
	Workers       int           // deliveries in flight at once; default 8
	// OneLane serves the outbox as one queue, in the order messages fell
	// due, instead of interactive messages first (lanes.go): the console
	// demo, whose transcript reads in order.
	OneLane bool
	// Instance names this process when several send from one outbox
	// (the store must be a Claimer): each message is claimed before it is
	// sent, so that no two instances send it. Empty: the only sender.
	Instance string
	// DeliveryTimeout bounds one delivery and the recording of its
	// outcome; default 2 min. With Instance, claims last 5/4 of it, or
	// until the instance's heartbeat expires.
	DeliveryTimeout time.Duration
	// Alive, with Instance, tells whether the instance's heartbeat surely
	// has not expired, and its epoch (cluster.Heartbeat.Live): deliveries
	// start only while it says so (fence.go). Nil: always.
	Alive func() (epoch uint64, ok bool)
	Now   func() time.Time
	// Sleep waits d or until ctx ends; tests replace it to move a fake
	// clock instead of waiting.
	Sleep  func(ctx context.Context, d time.Duration) error
	Logger *slog.Logger
	// OnHalt is called once when a delivery says the platform cannot be
	// used any more (DeliveryError.Halt), to alert the operators.
	OnHalt func(err error)
}

// Sender drains one platform's outbox through its Deliverer, within the
// platform's limits, interactive messages before bulk ones (lanes.go). A
// row is marked sent only after the platform accepted it, so a crash
// delivers a message at least once and a restart picks up what is
// pending: what may be sent twice is what was in flight when the process
// died, at most Workers messages. One chat's messages go out in order, one
// at a time, while different chats are served in parallel.
type Sender struct {
	platform cd.Platform
	store    Store
	d        Deliverer
	cfg      SenderConfig
	wake     chan struct{}

	mu     sync.Mutex
	global bucket
	chats  map[string]*bucket
	paused time.Time // no sends before this (a platform's rate-limit answer)
	swept  time.Time
	halted error // set when the platform cannot be used; nothing is sent
	fenced bool  // Alive said no at the last look, after it had said yes
	beaten bool  // Alive has said yes: the heartbeat was renewed once
	// started is when the sender was made: the limits' buckets start
	// with one message, not a burst, until a burst would have refilled.
	started time.Time
}

// NewSender returns a sender for one platform.
func NewSender(p cd.Platform, store Store, d Deliverer, cfg SenderConfig) *Sender {
	if cfg.DeliveryTimeout <= 0 {
		cfg.DeliveryTimeout = deliveryTimeout
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 5 * time.Minute
	}
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
		cfg.Batch = 500
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Sender{platform: p, store: store, d: d, cfg: cfg, wake: make(chan struct{}, 1),
		global: bucket{limit: cfg.Global}, chats: map[string]*bucket{}, started: cfg.Now()}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
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
	defer s.releaseClaims(ctx)
	for {
		wait := s.cfg.Idle
		if _, err := s.Drain(ctx); errors.Is(err, ErrHalted) {
			<-ctx.Done() // nothing more can be sent on this platform
			return ctx.Err()
		} else if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("outbox pass failed", "platform", s.platform, "err", err)
			wait = min(time.Second, wait)
		}
		if next, ok, err := s.store.NextDue(ctx, s.platform); err == nil && ok {
			wait = min(max(next.Sub(s.cfg.Now()), 10*time.Millisecond), s.cfg.Idle)
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

// ErrHalted is returned by Drain once the platform was found unusable.
var ErrHalted = errors.New("sender halted")

// releaseClaims hands this instance's claims to the others when Run
// stops: every Drain has waited for its deliveries, so none is in flight.
func (s *Sender) releaseClaims(ctx context.Context) {
	c, ok := s.store.(Claimer)
	if !ok || s.cfg.Instance == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.ReleaseClaims(ctx, s.cfg.Instance); err != nil {
		s.cfg.Logger.Warn("release outbox claims", "platform", s.platform, "err", err)
	}
}

// Halted returns the error that halted the sender, or nil.
func (s *Sender) Halted() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.halted
}

// Drain delivers every message due now, waiting as the limits require,
// and returns how many it delivered. Messages that fail are rescheduled
// or marked failed; Drain returns when nothing due is left.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	return s.newDispatch(ctx).run()
}

// waitTurn blocks until the sender is not paused and the global limit
// allows one more message, then takes it.
func (s *Sender) waitTurn(ctx context.Context) error {
	for {
		s.mu.Lock()
		now := s.cfg.Now()
		d := s.paused.Sub(now)
		if d <= 0 {
			d = s.global.wait(now)
			if d <= 0 {
				s.global.take(now)
				s.mu.Unlock()
				return nil
			}
		}
		s.mu.Unlock()
		if err := s.cfg.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// SetShare divides the platform's global limit by n, the instances
// sending from one outbox, so that together they keep the platform's
// limit for the bot token (n < 1 counts as 1).
func (s *Sender) SetShare(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n = max(n, 1)
	s.global.limit.Every = s.cfg.Global.Every * time.Duration(n)
	s.global.limit.Burst = max(s.cfg.Global.Burst/n, 1)
}

// giveBack returns a turn taken by waitTurn and not used.
func (s *Sender) giveBack() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.global.limit.Every > 0 {
		s.global.tokens++
	}
}

func (s *Sender) chatBucket(chat string) *bucket {
	if s.cfg.ChatLimit == nil {
		return nil
	}
	b := s.chats[chat]
	if b == nil {
		b = &bucket{limit: s.cfg.ChatLimit(chat)}
		s.chats[chat] = b
		// A chat new to this sender gets its whole burst once the sender
		// has run for as long as a burst takes to refill: no process
		// before it can have spent any of it by then. (A reply right
		// after a broadcast's message to the same chat need not wait.)
		now := s.cfg.Now()
		if burst := max(b.limit.Burst, 1); now.Sub(s.started) >= time.Duration(burst)*b.limit.Every {
			b.tokens, b.last = float64(burst), now
		}
	}
	return b
}

func (s *Sender) chatWait(chat string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.chatBucket(chat); b != nil {
		return b.wait(s.cfg.Now())
	}
	return 0
}

func (s *Sender) takeChat(chat string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.chatBucket(chat); b != nil {
		b.take(s.cfg.Now())
	}
}

// sweepChats forgets chats whose buckets are full again, so that a
// broadcast to thousands of chats does not keep thousands of buckets.
func (s *Sender) sweepChats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	if now.Sub(s.swept) < time.Minute {
		return
	}
	s.swept = now
	for chat, b := range s.chats {
		if b.full(now) {
			delete(s.chats, chat)
		}
	}
}

// pause stops all sends until now+d, as the platform asked.
func (s *Sender) pause(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := s.cfg.Now().Add(d); until.After(s.paused) {
		s.paused = until
	}
}

// deliveryTimeout is the default SenderConfig.DeliveryTimeout.
const deliveryTimeout = 2 * time.Minute

// deliver sends one message and records the outcome. A stop (ctx
// cancelled) does not cut a delivery short: the message is on its way,
// so it finishes and its outcome is recorded, and a restart does not send
// it twice.
func (s *Sender) deliver(ctx context.Context, it cd.OutboxItem) (bool, error) {
	if !it.ClaimUntil.IsZero() && s.cfg.Now().Add(s.cfg.DeliveryTimeout).After(it.ClaimUntil) {
		// Claimed too long ago to finish before the claim ends: left for
		// the next read, which claims it again.
		return false, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.DeliveryTimeout)
	defer cancel()
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
	case de != nil && de.Halt:
		s.mu.Lock()
		first := s.halted == nil
		if first {
			s.halted = err
		}
		s.mu.Unlock()
		if first {
			s.cfg.Logger.Error("platform unusable: sending stopped until restart", "platform", s.platform, "err", reason)
			if s.cfg.OnHalt != nil {
				s.cfg.OnHalt(err)
			}
		}
		return false, s.store.MarkRetry(ctx, it.ID, reason, now, false)
	case de != nil && de.RetryAfter > 0:
		// The platform's rate limit: not the message's fault. Pause the
		// whole sender (up to the cap) and try this message again when
		// the platform said.
		s.cfg.Logger.Warn("rate limited by the platform", "platform", s.platform, "retry_after", de.RetryAfter)
		s.pause(min(de.RetryAfter, s.cfg.MaxRetryAfter))
		return false, s.store.MarkRetry(ctx, it.ID, reason, now.Add(de.RetryAfter), false)
	case de != nil && de.Unreachable:
		s.cfg.Logger.Warn("chat unreachable", "platform", s.platform, "outbox", it.ID, "err", reason)
		return false, s.store.MarkUndeliverable(ctx, it.ID, s.platform, it.To.ChatID, reason)
	case de != nil && de.Permanent:
		s.cfg.Logger.Warn("message refused", "platform", s.platform, "outbox", it.ID, "err", reason)
		return false, s.store.MarkFailed(ctx, it.ID, reason)
	case it.Attempts+1 >= s.cfg.MaxAttempts:
		s.cfg.Logger.Error("giving up on message", "platform", s.platform, "outbox", it.ID, "attempts", it.Attempts+1, "err", reason)
		return false, s.store.MarkFailed(ctx, it.ID, fmt.Sprintf("after %d attempts: %s", it.Attempts+1, reason))
	default:
		backoff := min(s.cfg.BaseBackoff<<it.Attempts, s.cfg.MaxBackoff)
		s.cfg.Logger.Info("delivery failed, will retry", "platform", s.platform, "outbox", it.ID, "in", backoff, "err", reason)
		return false, s.store.MarkRetry(ctx, it.ID, reason, now.Add(backoff), true)
	}
}

// bucket is a token bucket on an injected clock.
type bucket struct {
	limit  Limit
	tokens float64
	last   time.Time
}

func (b *bucket) refill(now time.Time) {
	if b.limit.Every <= 0 {
		return
	}
	burst := float64(max(b.limit.Burst, 1))
	if b.last.IsZero() {
		// Start with one token, not a full burst: a sender restarted a
		// moment after another must not spend what the platform counted
		// against the one before.
		b.tokens, b.last = 1, now
		return
	}
	if now.After(b.last) {
		b.tokens = min(burst, b.tokens+float64(now.Sub(b.last))/float64(b.limit.Every))
		b.last = now
	}
}

// wait is how long until a token is available.
func (b *bucket) wait(now time.Time) time.Duration {
	if b.limit.Every <= 0 {
		return 0
	}
	b.refill(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(b.limit.Every))
}

func (b *bucket) take(now time.Time) {
	if b.limit.Every <= 0 {
		return
	}
	b.refill(now)
	b.tokens--
}

func (b *bucket) full(now time.Time) bool {
	b.refill(now)
	return b.limit.Every <= 0 || b.tokens >= float64(max(b.limit.Burst, 1))
}
