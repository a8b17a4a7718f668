package outbox

import "time"

// Fencing. With several instances, a claimed message is this instance's
// only while its heartbeat lease lives (storage.DB.ClaimHeads): once the
// lease expired, another instance may take and send it. So a sender starts
// a delivery only while SenderConfig.Alive says the lease cannot have
// expired yet (renewed less than two thirds of its TTL ago); otherwise it
// waits, looking again every fenceRetry, and resumes once the heartbeat is
// renewed. When the lease may have lapsed meanwhile (a new epoch), the
// lanes read before are dropped and read again: another instance may have
// taken what they held. What may still go twice is what was in flight
// when the lease lapsed, as after a crash.

// fenceRetry is how often a paused sender looks at its heartbeat again.
const fenceRetry = 100 * time.Millisecond

// alive reports whether the sender may start deliveries, and the epoch of
// its heartbeat (see SenderConfig.Alive).
func (s *Sender) alive() (epoch uint64, ok bool) {
	if s.cfg.Alive == nil {
		return 0, true
	}
	epoch, ok = s.cfg.Alive()
	s.mu.Lock()
	// Before the first renewal (at start) the sender waits quietly: only
	// a lapse after a renewal is worth a warning.
	paused, resumed := !ok && s.beaten && !s.fenced, ok && s.fenced
	s.fenced = !ok && s.beaten
	s.beaten = s.beaten || ok
	s.mu.Unlock()
	switch {
	case paused:
		s.cfg.Logger.Warn("heartbeat not renewed in time: sending paused", "platform", s.platform)
	case resumed:
		s.cfg.Logger.Info("heartbeat renewed: sending resumed", "platform", s.platform)
	}
	return epoch, ok
}

// fenceOpen reports whether a delivery may start now. A new epoch drops
// the lanes as read, to be read (and claimed) again.
func (d *dispatch) fenceOpen() bool {
	epoch, ok := d.s.alive()
	if epoch != d.epoch {
		for _, l := range d.lists {
			l.items, l.read = nil, false
		}
		d.epoch = epoch
	}
	return ok
}
