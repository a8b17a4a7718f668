package bot

import (
	"errors"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

type floodVerdict int

const (
	floodOK   floodVerdict = iota
	floodWarn              // the first message over the limit: warn once
	floodDrop              // later messages over the limit: ignore
)

// floodGuard counts messages per person in fixed windows. Past the limit
// the first extra message earns a warning and the rest are ignored until
// the window ends. It lives in memory: after a restart everyone starts
// afresh, which is the forgiving side to err on.
type floodGuard struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	seen   map[string]*floodCount
	sweep  time.Time
}

type floodCount struct {
	start time.Time
	n     int
}

func newFloodGuard(limit int, window time.Duration) *floodGuard {
	return &floodGuard{limit: limit, window: window, seen: map[string]*floodCount{}}
}

func (g *floodGuard) hit(key string, now time.Time) floodVerdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Sub(g.sweep) > g.window {
		for k, c := range g.seen {
			if now.Sub(c.start) >= g.window {
				delete(g.seen, k)
			}
		}
		g.sweep = now
	}
	c := g.seen[key]
	if c == nil || now.Sub(c.start) >= g.window || now.Before(c.start) {
		c = &floodCount{start: now}
		g.seen[key] = c
	}
	c.n++
	switch {
	case c.n <= g.limit:
		return floodOK
	case c.n == g.limit+1:
		return floodWarn
	default:
		return floodDrop
	}
}

// unhit takes back a hit of key: the update was not this instance's to
// apply (another instance applied it, or is applying it and this one will
// try it again), so it does not count towards the person's limit.
func (g *floodGuard) unhit(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c := g.seen[key]; c != nil && c.n > 0 {
		c.n--
	}
}

// uncountBusy takes back the flood guard's hit of key when err says
// another instance is applying the update: this one will try it again
// later, and one update counts once. It returns err.
func (b *Bot) uncountBusy(key string, err error) error {
	if errors.Is(err, cd.ErrInboxBusy) {
		b.flood.unhit(key)
	}
	return err
}
