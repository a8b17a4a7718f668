package telegramtest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Delivery is how RunWebhookDelivery posts updates; the zero value
// behaves as Telegram's Bot API server does (tdlib/telegram-bot-api,
// WebhookActor): see RunWebhookDelivery.
type Delivery struct {
	// Timeout bounds one request; no answer by then is a failure
	// (Telegram gives up on a silent connection after about 60 s, the
	// default).
	Timeout time.Duration
	// MaxDelay caps the growing delay between two tries of one update
	// (default 60 s; Telegram: 60 to 120 s at random).
	MaxDelay time.Duration
	// After returns a channel that receives once d has passed on the
	// server's clock (default time.After). A test with a Clock (Options.Now)
	// hands out channels it fires after advancing the clock.
	After func(d time.Duration) <-chan time.Time
	// OnStart, if set, is called as each request starts (Status and End
	// unset), and OnAttempt with each request's outcome: both from the
	// loop's goroutine, which decides nothing while they run.
	OnStart, OnAttempt func(Attempt)
}

// Attempt is one webhook request.
type Attempt struct {
	UpdateID int
	Queue    int64     // see RunWebhookDelivery
	Try      int       // 1 for the first request of the update
	Start    time.Time // on the server's clock
	End      time.Time
	Status   int   // the answer's status; 0 when there was none
	Err      error // the connection error or timeout, if any
}

// OK reports whether the attempt confirmed the update (a 2xx answer).
func (a Attempt) OK() bool { return a.Err == nil && a.Status/100 == 2 }

// Queue ids as the Bot API server computes them (Client.cpp): a message's
// chat id; a callback query's sender id plus 3<<33; any other update a
// queue of its own.
const (
	callbackQueue = int64(3) << 33
	ownQueueBase  = int64(1) << 60
)

// idleDemotion: with no success for this long (and before the first),
// Telegram makes one request at a time (WebhookActor: last_success_time_
// + 10 < now).
const idleDemotion = 10 * time.Second

// secretHeader carries setWebhook's secret_token on every request.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// queue is one queue's updates loaded by the loop, oldest first.
type queue struct {
	id       int64
	updates  []*loadedUpdate
	wakeAt   time.Time // when its head may be sent
	inFlight bool
}

type loadedUpdate struct {
	id    int
	body  []byte
	tries int
	delay time.Duration // the current step of the growing delay
}

type deliveryResult struct {
	q       *queue
	attempt Attempt
	retry   time.Duration // the Retry-After header, if any
}

// RunWebhookDelivery posts the pending updates to the webhook registered
// with setWebhook until ctx ends, as Telegram's Bot API server does in
// webhook mode:
//
//   - Updates are queued per queue id: a message (or an edited one) by
//     its chat, a callback query by the user who pressed (so a chat's
//     messages and a person's button presses are two queues), any other
//     update alone. One update of a queue is in flight at a time; the
//     next of that queue goes only after a 2xx answer.
//   - Updates are taken from the pending list in update_id order while
//     fewer than 2×max_connections queues are loaded; ready queues go
//     earliest first, up to max_connections requests at once (one at a
//     time before the first success and after 10 s without one).
//   - Each request is a POST of the update as JSON to the URL, with the
//     secret_token in X-Telegram-Bot-Api-Secret-Token.
//   - A 2xx answer confirms the update (it leaves the pending list). Any
//     other answer, a connection error or a timeout is a failure: the
//     first is tried again at once (or after the answer's Retry-After),
//     the next after 2 s, then 4, 8, … up to MaxDelay. The error shows
//     in getWebhookInfo.
//
// Not modelled: expiry of old updates (a day), redirects, 410 closing
// the webhook, the pace of opening new connections. While no webhook is
// set the loop waits; a new setWebhook applies from the next request.
func (s *Server) RunWebhookDelivery(ctx context.Context, d Delivery) error {
	l := newDeliveryLoop(s, d)
	defer l.drain()
	for {
		hook, changed := l.load()
		l.startReady(hook)
		timer := l.timer()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return errors.New("telegramtest: server closed")
		case <-changed:
		case <-timer:
			l.timerAt = time.Time{}
		case r := <-l.results:
			l.finish(r)
		}
	}
}

// deliveryLoop is RunWebhookDelivery's state, owned by its goroutine.
type deliveryLoop struct {
	s        *Server
	d        Delivery
	ctx      context.Context
	cancel   context.CancelFunc
	queues   map[int64]*queue
	nextID   int // the smallest update_id not loaded yet
	own      int64
	inFlight int
	results  chan deliveryResult
	success  time.Time // of the last 2xx; zero before the first

	timerAt time.Time
	timerC  <-chan time.Time
}

func newDeliveryLoop(s *Server, d Delivery) *deliveryLoop {
	if d.Timeout <= 0 {
		d.Timeout = 60 * time.Second
	}
	if d.MaxDelay <= 0 {
		d.MaxDelay = 60 * time.Second
	}
	if d.After == nil {
		d.After = time.After
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &deliveryLoop{s: s, d: d, ctx: ctx, cancel: cancel, queues: map[int64]*queue{},
		own: ownQueueBase, results: make(chan deliveryResult)}
}

// drain ends the requests in flight and waits for them.
func (l *deliveryLoop) drain() {
	l.cancel()
	for ; l.inFlight > 0; l.inFlight-- {
		<-l.results
	}
}

// load takes pending updates into their queues, in update_id order, while
// fewer than 2×max_connections queues are loaded, and drops loaded ones
// that are no longer pending (delivered by DeliverWebhook, dropped by
// deleteWebhook). It returns the webhook and the channel of the server's
// next change. With no webhook set, nothing stays loaded.
func (l *deliveryLoop) load() (webhookState, chan struct{}) {
	s := l.s
	s.mu.Lock()
	defer s.mu.Unlock()
	hook := s.hook
	if hook.url == "" {
		clear(l.queues)
		l.nextID = 0
		return hook, s.changed
	}
	pending := make(map[int]bool, len(s.pending))
	for _, u := range s.pending {
		pending[u.id] = true
	}
	for _, q := range l.queues {
		for len(q.updates) > 0 && !q.inFlight && !pending[q.updates[0].id] {
			q.updates = q.updates[1:]
		}
		if len(q.updates) == 0 && !q.inFlight {
			delete(l.queues, q.id)
		}
	}
	limit := 2 * max(hook.maxConnections, 1)
	i, _ := slices.BinarySearchFunc(s.pending, l.nextID, func(u pendingUpdate, id int) int { return cmp.Compare(u.id, id) })
	for ; i < len(s.pending) && len(l.queues) < limit; i++ {
		u := s.pending[i]
		qid := l.queueOf(u.body)
		q := l.queues[qid]
		if q == nil {
			q = &queue{id: qid, wakeAt: s.now()}
			l.queues[qid] = q
		}
		q.updates = append(q.updates, &loadedUpdate{id: u.id, body: u.body, delay: time.Second})
		l.nextID = u.id + 1
	}
	return hook, s.changed
}

// queueOf is an update's queue id (see the constants).
func (l *deliveryLoop) queueOf(body []byte) int64 {
	var u struct {
		Message       *struct{ Chat struct{ ID int64 } } `json:"message"`
		EditedMessage *struct{ Chat struct{ ID int64 } } `json:"edited_message"`
		CallbackQuery *struct{ From struct{ ID int64 } } `json:"callback_query"`
	}
	_ = json.Unmarshal(body, &u)
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID + callbackQueue
	}
	l.own++
	return l.own
}

// startReady sends the heads of ready queues, earliest first, while fewer
// than the allowed requests are in flight.
func (l *deliveryLoop) startReady(hook webhookState) {
	if hook.url == "" {
		return
	}
	now := l.s.now()
	allowed := max(hook.maxConnections, 1)
	if l.success.IsZero() || now.Sub(l.success) > idleDemotion {
		allowed = 1
	}
	for l.inFlight < allowed {
		var next *queue
		for _, q := range l.queues {
			if q.inFlight || len(q.updates) == 0 || q.wakeAt.After(now) {
				continue
			}
			if next == nil || q.wakeAt.Before(next.wakeAt) || q.wakeAt.Equal(next.wakeAt) && q.id < next.id {
				next = q
			}
		}
		if next == nil {
			return
		}
		u := next.updates[0]
		u.tries++
		next.inFlight = true
		l.inFlight++
		a := Attempt{UpdateID: u.id, Queue: next.id, Try: u.tries, Start: now}
		if l.d.OnStart != nil {
			l.d.OnStart(a)
		}
		go l.post(hook, next, u, a)
	}
}

// post makes one request for u, the head of q, and reports it on
// results.
func (l *deliveryLoop) post(hook webhookState, q *queue, u *loadedUpdate, a Attempt) {
	var retry time.Duration
	ctx, cancel := context.WithTimeout(l.ctx, l.d.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(u.body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		if hook.secret != "" {
			req.Header.Set(secretHeader, hook.secret)
		}
		var resp *http.Response
		if resp, err = l.s.client.Do(req); err == nil {
			a.Status = resp.StatusCode
			if n, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil {
				retry = time.Duration(min(max(n, 0), 3600)) * time.Second
			}
			resp.Body.Close()
		}
	}
	a.Err, a.End = err, l.s.now()
	l.results <- deliveryResult{q: q, attempt: a, retry: retry}
}

// finish records a request's outcome: a 2xx confirms the update and
// readies the queue's next; a failure delays the update.
func (l *deliveryLoop) finish(r deliveryResult) {
	l.inFlight--
	q, a := r.q, r.attempt
	q.inFlight = false
	if l.d.OnAttempt != nil {
		l.d.OnAttempt(a)
	}
	now := l.s.now()
	s := l.s
	s.mu.Lock()
	if a.OK() {
		s.pending = slices.DeleteFunc(s.pending, func(u pendingUpdate) bool { return u.id == a.UpdateID })
		s.broadcastLocked()
	} else {
		s.hook.lastError, s.hook.lastErrorDate = webhookError(a), now.Unix()
	}
	s.mu.Unlock()
	if a.OK() {
		l.success = now
		q.updates = q.updates[1:]
		if len(q.updates) == 0 {
			delete(l.queues, q.id)
		}
		return
	}
	u := q.updates[0]
	wait := r.retry
	if wait == 0 && u.tries > 1 {
		u.delay = min(2*u.delay, l.d.MaxDelay)
		wait = u.delay
	}
	q.wakeAt = now.Add(wait)
}

// webhookError is getWebhookInfo's last_error_message for a failure.
func webhookError(a Attempt) string {
	switch {
	case errors.Is(a.Err, context.DeadlineExceeded):
		return "Webhook connection closed"
	case a.Err != nil:
		return "Connection refused"
	}
	return "Wrong response from the webhook: " + strconv.Itoa(a.Status) + " " + http.StatusText(a.Status)
}

// timer returns a channel that receives when the earliest delayed queue
// becomes ready (nil when none waits), asking After for a new one only
// when that moment changed.
func (l *deliveryLoop) timer() <-chan time.Time {
	var at time.Time
	for _, q := range l.queues {
		if !q.inFlight && len(q.updates) > 0 && (at.IsZero() || q.wakeAt.Before(at)) {
			at = q.wakeAt
		}
	}
	now := l.s.now()
	if at.IsZero() || !at.After(now) {
		l.timerAt, l.timerC = time.Time{}, nil
		return nil
	}
	if !at.Equal(l.timerAt) {
		l.timerAt, l.timerC = at, l.d.After(at.Sub(now))
	}
	return l.timerC
}
