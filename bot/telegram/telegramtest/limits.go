package telegramtest

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Limits enforces Telegram's flood limits on sendMessage, sendPhoto and
// sendDocument (edits, chat actions and other calls are not counted). A
// message over a limit is answered 429 "Too Many Requests: retry after N"
// with parameters.retry_after = N, the whole seconds (at least 1) until it
// would pass, and is not counted.
//
// Each limit is a token bucket (GCRA) on Options.Now:
//   - globally GlobalPerSecond messages per second, bursts of as many;
//   - per private chat (positive chat id, or a chat injected as "private")
//     1 message per second sustained, bursts of PrivateBurst: Telegram
//     tolerates short bursts, and 3 lets a bot answer a command with a
//     couple of messages while a loop to one chat still trips the limit;
//   - per group chat (any other chat) GroupPerMinute messages per minute,
//     i.e. one every 3 s sustained, bursts of as many.
//
// Telegram's real limits are not published exactly; these are the
// documented approximations (30/s, 1/s per chat, 20/min per group).
type Limits struct {
	Enabled         bool
	GlobalPerSecond int // default 30
	PrivateBurst    int // default 3
	GroupPerMinute  int // default 20
}

// SetLimits replaces the flood limits; the buckets keep their state.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// Count429 is how many 429 answers were given, injected or from limits.
func (s *Server) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count429
}

// bucket is a GCRA token bucket: tat is the theoretical arrival time.
type bucket struct{ tat time.Time }

// wait is how long until one more message fits (0: it fits now).
func (b *bucket) wait(now time.Time, every time.Duration, burst int) time.Duration {
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	return max(tat.Add(every).Sub(now)-time.Duration(burst)*every, 0)
}

func (b *bucket) take(now time.Time, every time.Duration) {
	if b.tat.Before(now) {
		b.tat = now
	}
	b.tat = b.tat.Add(every)
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// admit applies the limits to a message for chatID; false means the call
// was answered 429.
func (s *Server) admit(c *call, chatID int64) bool {
	s.mu.Lock()
	l := s.limits
	if !l.Enabled {
		s.mu.Unlock()
		return true
	}
	now := s.now()
	globalN := orDefault(l.GlobalPerSecond, 30)
	globalEvery := time.Second / time.Duration(globalN)
	chatEvery, chatBurst := time.Second, orDefault(l.PrivateBurst, 3)
	if s.chatLocked(chatID).Type != "private" {
		chatBurst = orDefault(l.GroupPerMinute, 20)
		chatEvery = time.Minute / time.Duration(chatBurst)
	}
	cb := s.perChat[chatID]
	if cb == nil {
		cb = &bucket{}
		s.perChat[chatID] = cb
	}
	wait := max(s.global.wait(now, globalEvery, globalN), cb.wait(now, chatEvery, chatBurst))
	if wait == 0 {
		s.global.take(now, globalEvery)
		cb.take(now, chatEvery)
	}
	s.mu.Unlock()
	if wait == 0 {
		return true
	}
	ra := int((wait + time.Second - 1) / time.Second)
	c.failRetry(http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", ra), ra)
	return false
}

// Clock is a manual clock for Options.Now: it stands still until Advance
// or Set. Safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading start.
func NewClock(start time.Time) *Clock { return &Clock{t: start} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
