package outbox

import (
	"context"
	"fmt"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// How the sender serves the two lanes of the outbox.
//
// A Drain keeps up to Workers deliveries in flight. Each delivery waits
// for a turn of the platform's global limit, and the message is chosen
// when the turn comes: the first of the interactive lane whose chat may
// receive, else the first of the bulk lane. So bulk takes every turn the
// interactive lane leaves, and a reply queued while a broadcast drains
// waits for one turn (1/25 s at Telegram's default), not for the
// broadcast. One in bulkEvery turns goes to bulk when both lanes wait, so
// that a flood of replies cannot stop a broadcast.
//
// The lanes are read from storage (DueHeads) as short lists, each in the
// order it is served: the interactive lane again on every wake (a reply
// was queued), when a message of it was delivered (its chat's next one
// may be due), and every second (retries); the bulk lane when its list
// runs low, a couple of seconds of sending ahead. Only the first waiting
// message of each chat is ever read, and a chat has one message in flight
// at a time, so a chat's messages go out in the order they were queued,
// across lanes: a member's reply waits behind nothing but that member's
// own earlier messages, which then go at the reply's priority.
//
// With SenderConfig.OneLane the outbox is one queue, in the order
// messages fell due (the console demo, whose transcript reads in order).

// bulkEvery: when both lanes wait, every bulkEvery-th turn goes to bulk.
const bulkEvery = 10

// interactiveRefresh is how often the interactive lane is read again with
// no wake, for messages whose retry time came.
const interactiveRefresh = time.Second

// bulkAhead is how much sending time the bulk list holds.
const bulkAhead = 2 * time.Second

// laneList is one lane's messages as last read.
type laneList struct {
	lane  cd.Lane
	items []cd.OutboxItem
	at    time.Time // when read, on the sender's clock
	seq   uint64    // the read's number
	read  bool
	// changes is dispatch.changes when read: the list is current while no
	// delivery finished since.
	changes uint64
}

// outcome is a finished delivery.
type outcome struct {
	it   cd.OutboxItem
	prio bool // taken from the interactive lane
	ok   bool
	err  error
}

// dispatch is the state of one Drain.
type dispatch struct {
	s     *Sender
	ctx   context.Context
	lists []*laneList // served in this order; one list with OneLane
	size  []int       // rows read per list
	low   int         // the bulk list is read again below this

	inflight map[string]int64 // chat -> message in flight
	ids      map[int64]bool   // messages in flight
	finished map[int64]uint64 // message -> read number when its outcome came
	done     chan outcome     // finished deliveries
	wg       sync.WaitGroup   // delivery goroutines
	seq      uint64           // reads started
	changes  uint64           // deliveries finished
	woken    bool             // Wake was called since the interactive lane was read
	prioDone bool             // an interactive-lane delivery finished
	streak   int              // interactive turns in a row while bulk waited
	sent     int              // delivered
	err      error            // first error; stops the drain
	epoch    uint64           // of the heartbeat when the lists were read (fence.go)
}

func (s *Sender) newDispatch(ctx context.Context) *dispatch {
	d := &dispatch{s: s, ctx: ctx, inflight: map[string]int64{}, ids: map[int64]bool{}, finished: map[int64]uint64{},
		done: make(chan outcome, s.cfg.Workers)}
	if s.cfg.OneLane {
		d.lists = []*laneList{{lane: ""}}
		d.size = []int{s.cfg.Batch}
		return d
	}
	bulk := s.cfg.Batch
	if every := s.cfg.Global.Every; every > 0 {
		bulk = min(max(int(bulkAhead/every), 2*s.cfg.Workers), s.cfg.Batch)
	}
	d.lists = []*laneList{{lane: cd.LaneInteractive}, {lane: cd.LaneBulk}}
	d.size = []int{s.cfg.Batch, bulk}
	if s.cfg.Instance != "" {
		// Several instances: a read claims what it returns, so each reads
		// only what its workers will soon send, leaving the rest to the
		// others (and little waiting for a claim to end if it dies).
		bulk = min(bulk, 2*s.cfg.Workers)
		d.size = []int{2 * s.cfg.Workers, bulk}
	}
	d.low = max(bulk/2, 1)
	return d
}

// run delivers until nothing due is left, or the drain must stop.
func (d *dispatch) run() (int, error) {
	defer d.wg.Wait()
	for {
		d.collect()
		if err := d.stopping(); err != nil {
			d.waitAll()
			return d.sent, err
		}
		if !d.fenceOpen() {
			d.sleep(fenceRetry)
			continue
		}
		if len(d.ids) >= d.s.cfg.Workers {
			d.await()
			continue
		}
		if err := d.refresh(false); err != nil {
			d.err = err
			continue
		}
		if _, _, wait, ok := d.choose(false); !ok {
			switch {
			case len(d.ids) > 0:
				d.await()
			case wait > 0:
				d.sleep(wait)
			case !d.current():
				if err := d.refresh(true); err != nil {
					d.err = err
				}
			default:
				return d.sent, nil
			}
			continue
		}
		// A turn of the global limit first, then the best message for it:
		// a reply queued while waiting takes this turn.
		if err := d.s.waitTurn(d.ctx); err != nil {
			d.err = err
			continue
		}
		d.collect()
		if err := d.refresh(false); err != nil {
			d.err = err
			d.s.giveBack()
			continue
		}
		if !d.fenceOpen() { // the read may have waited for the database
			d.s.giveBack()
			continue
		}
		it, prio, _, ok := d.choose(true)
		if !ok {
			d.s.giveBack()
			continue
		}
		d.launch(it, prio)
	}
}

// stopping is why the drain must stop, or nil.
func (d *dispatch) stopping() error {
	if d.err != nil {
		return d.err
	}
	if err := d.ctx.Err(); err != nil {
		return err
	}
	if err := d.s.Halted(); err != nil {
		return fmt.Errorf("%w: %w", ErrHalted, err)
	}
	return nil
}

// current is true when every list was read after the last delivery
// finished and no wake came since.
func (d *dispatch) current() bool {
	if d.woken {
		return false
	}
	for _, l := range d.lists {
		if !l.read || l.changes != d.changes {
			return false
		}
	}
	return true
}

// refresh reads the lists that need it; force reads them all.
func (d *dispatch) refresh(force bool) error {
	select {
	case <-d.s.wake:
		d.woken = true
	default:
	}
	now := d.s.cfg.Now()
	for i, l := range d.lists {
		need := force || !l.read
		switch l.lane {
		case cd.LaneInteractive:
			need = need || d.woken || d.prioDone || now.Sub(l.at) >= interactiveRefresh
		case cd.LaneBulk:
			need = need || len(l.items) < d.low
		default:
			need = need || len(l.items) == 0
		}
		if !need {
			continue
		}
		if l.lane == cd.LaneInteractive || len(d.lists) == 1 {
			d.woken, d.prioDone = false, false
		}
		if err := d.read(l, d.size[i], now); err != nil {
			return err
		}
	}
	d.s.sweepChats()
	return nil
}

// read replaces a list with what is due now, less what is in flight or
// was delivered since (a read may begin before a delivery is recorded).
func (d *dispatch) read(l *laneList, size int, now time.Time) error {
	d.seq++
	seq, changes := d.seq, d.changes
	items, err := d.s.heads(d.ctx, l.lane, size)
	if err != nil {
		return err
	}
	kept := items[:0]
	for _, it := range items {
		if _, done := d.finished[it.ID]; !done && !d.ids[it.ID] {
			kept = append(kept, it)
		}
	}
	l.items, l.at, l.seq, l.read, l.changes = kept, now, seq, true, changes
	// Forget outcomes that every list was read after.
	oldest := seq
	for _, o := range d.lists {
		oldest = min(oldest, o.seq)
	}
	for id, at := range d.finished {
		if at < oldest {
			delete(d.finished, id)
		}
	}
	return nil
}

// choose finds the message for the next turn: the first sendable one of
// the interactive list, else of the bulk list (every bulkEvery-th turn the
// other way round when both have one). With take it is removed from the
// lists. When none is sendable, wait is how long until a chat's limit
// lets one go (0: none is held back by a limit).
func (d *dispatch) choose(take bool) (it cd.OutboxItem, prio bool, wait time.Duration, ok bool) {
	found := make([]int, len(d.lists))
	for i, l := range d.lists {
		found[i] = -1
		for j, c := range l.items {
			if d.ids[c.ID] || d.inflight[c.To.ChatID] != 0 {
				continue
			}
			if _, done := d.finished[c.ID]; done {
				continue
			}
			if w := d.s.chatWait(c.To.ChatID); w > 0 {
				if wait == 0 || w < wait {
					wait = w
				}
				continue
			}
			found[i] = j
			break
		}
	}
	pick := -1
	for i := range d.lists {
		if found[i] >= 0 {
			pick = i
			break
		}
	}
	if pick < 0 {
		return cd.OutboxItem{}, false, wait, false
	}
	bothWait := len(d.lists) == 2 && found[0] >= 0 && found[1] >= 0
	if bothWait && d.streak >= bulkEvery-1 {
		pick = 1
	}
	it = d.lists[pick].items[found[pick]]
	prio = d.lists[pick].lane == cd.LaneInteractive
	if take {
		switch {
		case bothWait && prio:
			d.streak++
		case bothWait:
			d.streak = 0
		}
		for _, l := range d.lists {
			l.items = dropID(l.items, it.ID)
		}
	}
	return it, prio, 0, true
}

func dropID(items []cd.OutboxItem, id int64) []cd.OutboxItem {
	for i := range items {
		if items[i].ID == id {
			return append(items[:i], items[i+1:]...)
		}
	}
	return items
}

// launch delivers a message on a worker of its own.
func (d *dispatch) launch(it cd.OutboxItem, prio bool) {
	d.s.takeChat(it.To.ChatID)
	d.ids[it.ID] = true
	d.inflight[it.To.ChatID] = it.ID
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		ok, err := d.s.deliver(d.ctx, it)
		d.done <- outcome{it: it, prio: prio, ok: ok, err: err}
	}()
}

// finish records a delivery's outcome.
func (d *dispatch) finish(o outcome) {
	delete(d.ids, o.it.ID)
	delete(d.inflight, o.it.To.ChatID)
	d.finished[o.it.ID] = d.seq
	d.changes++
	if o.ok {
		d.sent++
	}
	if o.err != nil && d.err == nil {
		d.err = o.err
	}
	if o.prio {
		d.prioDone = true
	}
}

// collect records the deliveries that finished, without waiting.
func (d *dispatch) collect() {
	for {
		select {
		case o := <-d.done:
			d.finish(o)
		default:
			return
		}
	}
}

// await waits for a delivery to finish, a wake, or the end of ctx.
func (d *dispatch) await() {
	select {
	case o := <-d.done:
		d.finish(o)
	case <-d.s.wake:
		d.woken = true
	case <-d.ctx.Done():
	}
}

// waitAll waits for every delivery in flight.
func (d *dispatch) waitAll() {
	for len(d.ids) > 0 {
		d.finish(<-d.done)
	}
}

// sleep waits for a chat's limit, or until a wake (a reply may be sendable
// at once), or the end of ctx.
func (d *dispatch) sleep(wait time.Duration) {
	ctx, cancel := context.WithCancel(d.ctx)
	woke := make(chan bool, 1)
	go func() {
		select {
		case <-d.s.wake:
			woke <- true
			cancel()
		case <-ctx.Done():
			woke <- false
		}
	}()
	_ = d.s.cfg.Sleep(ctx, wait)
	cancel()
	if <-woke {
		d.woken = true
	}
}

// heads reads a lane: claimed for this instance when several send.
func (s *Sender) heads(ctx context.Context, lane cd.Lane, size int) ([]cd.OutboxItem, error) {
	if c, ok := s.store.(Claimer); ok && s.cfg.Instance != "" {
		return c.ClaimHeads(ctx, s.platform, lane, size, s.cfg.Instance, s.claimTTL())
	}
	return s.store.DueHeads(ctx, s.platform, lane, size)
}
