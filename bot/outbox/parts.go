package outbox

import (
	"errors"
	"sync"
)

// Parts remembers how many parts of a message an adapter sends as
// several (a long text cut up, a file then its text) were delivered by an
// attempt that failed halfway, so that the sender's retry of the same row
// resumes after them. It is kept in memory: a restart sends them again.
// The zero Parts is ready to use, from any goroutine.
type Parts struct {
	mu   sync.Mutex
	sent map[int64]int // outbox id -> parts delivered
}

// Send delivers the n parts of outbox row id through send(i), starting
// after those an earlier attempt delivered. When send fails, the parts
// before stay remembered, unless the error says a retry cannot help (a
// permanent or unreachable DeliveryError) or the row has no id.
func (p *Parts) Send(id int64, n int, send func(i int) error) error {
	p.mu.Lock()
	start := p.sent[id]
	p.mu.Unlock()
	for i := start; i < n; i++ {
		err := send(i)
		if err == nil {
			continue
		}
		var de *DeliveryError
		failed := errors.As(err, &de) && (de.Permanent || de.Unreachable)
		p.mu.Lock()
		defer p.mu.Unlock()
		if id != 0 && i > 0 && !failed {
			if p.sent == nil {
				p.sent = map[int64]int{}
			}
			p.sent[id] = i
		} else {
			delete(p.sent, id)
		}
		return err
	}
	p.mu.Lock()
	delete(p.sent, id)
	p.mu.Unlock()
	return nil
}

// Pending is how many rows have parts remembered.
func (p *Parts) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sent)
}
