package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// flood plays the members of the webhook fault test: it sends their
// messages (webhookFlood) at a steady pace while the fake Bot API's
// delivery loop posts them to the webhook, and records when each was
// delivered.
type flood struct {
	srv   *telegramtest.Server
	total int
	done  chan struct{} // closed when every message was sent

	mu        sync.Mutex
	chats     map[int64][]int // update ids per chat, in the order sent
	kind      map[int]int     // update id → its index in webhookFlood
	delivered map[int]time.Time
	tries     map[int]int // requests per update
	failed    int         // requests that failed (a 502 from the balancer, say)
}

// A member sends their messages in bursts of floodBurst, sent at once:
// the second of a burst queues at the Bot API until the first is
// confirmed, and may then reach the other instance. Bursts go a member at
// a time, every member's first burst before anyone's second, spread over
// floodTime: 2,000 updates at 50 a second, within what two instances
// apply while an announcement goes out on the 2-core machine, so that a
// reply's wait is the takeover's rather than a backlog's. A burst of two
// and the announcement stay within a chat's burst of three (Telegram
// allows about one message a second in a private chat).
const (
	floodBurst = 2
	floodTime  = 40 * time.Second
)

// runFlood starts the delivery loop and the members: senders members
// (user and chat ids 400001 on; 400000 gets the announcement's report)
// send each messages (see floodBurst).
func runFlood(t *testing.T, srv *telegramtest.Server, senders, each int) *flood {
	fl := &flood{srv: srv, total: senders * each, done: make(chan struct{}), chats: map[int64][]int{},
		kind: map[int]int{}, delivered: map[int]time.Time{}, tries: map[int]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		srv.RunWebhookDelivery(ctx, telegramtest.Delivery{Timeout: 10 * time.Second, OnAttempt: fl.attempt})
	}()
	go func() {
		defer wg.Done()
		fl.inject(ctx, senders, each)
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return fl
}

func (fl *flood) inject(ctx context.Context, senders, each int) {
	defer close(fl.done)
	rounds := (each + floodBurst - 1) / floodBurst
	tick := time.NewTicker(floodTime / time.Duration(rounds*senders))
	defer tick.Stop()
	for r := range rounds {
		for u := range senders {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			user := telegramtest.User{ID: int64(400001 + u), FirstName: "Đoàn Viên"}
			fl.mu.Lock() // before the delivery loop can report them
			for k := r * floodBurst; k < min((r+1)*floodBurst, each); k++ {
				kind := (u + k) % len(webhookFlood)
				id := fl.srv.SendText(user, webhookFlood[kind].text)
				fl.chats[user.ID] = append(fl.chats[user.ID], id)
				fl.kind[id] = kind
			}
			fl.mu.Unlock()
		}
	}
}

// attempt is the delivery loop's report of one request.
func (fl *flood) attempt(a telegramtest.Attempt) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	fl.tries[a.UpdateID]++
	if a.OK() {
		fl.delivered[a.UpdateID] = a.End
	} else {
		fl.failed++
	}
}

// injected is how many messages the members sent so far.
func (fl *flood) injected() int {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return len(fl.kind)
}

func (fl *flood) deliveredBefore(t time.Time) int {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	n := 0
	for _, d := range fl.delivered {
		if d.Before(t) {
			n++
		}
	}
	return n
}

// wait waits for the members to have sent everything (floodTime).
func (fl *flood) wait(t *testing.T) {
	t.Helper()
	select {
	case <-fl.done:
	case <-time.After(time.Minute):
		t.Fatal("the members did not send their messages within a minute")
	}
}

// answered reports whether every message sent has its reply.
func (fl *flood) answered(sent []telegramtest.SentMessage) bool {
	at, _, _ := fl.align(sent)
	return fl.injected() == fl.total && len(at) == fl.total
}

// replyKind is the index in webhookFlood of the message a reply answers,
// or -1.
func replyKind(text string) int {
	for i, f := range webhookFlood {
		if strings.HasPrefix(text, f.reply) {
			return i
		}
	}
	return -1
}

// align matches each chat's replies to its messages: a reply answering
// the chat's next message is its reply (when it was sent is returned by
// update id); one answering the message before is a repeat (a reply in
// flight at the kill sent again); anything else is out of order, and is
// described in wrong. The announcement is not a reply.
func (fl *flood) align(sent []telegramtest.SentMessage) (at map[int]time.Time, repeats int, wrong string) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	at, next := map[int]time.Time{}, map[int64]int{}
	var bad []string
	for _, m := range sent {
		ids, ok := fl.chats[m.ChatID]
		if !ok || strings.Contains(m.Text, crashAnnouncement) {
			continue
		}
		k, j := replyKind(m.Text), next[m.ChatID]
		switch {
		case j < len(ids) && k == fl.kind[ids[j]]:
			at[ids[j]], next[m.ChatID] = m.Time, j+1
		case j > 0 && k == fl.kind[ids[j-1]]:
			repeats++
		default:
			bad = append(bad, fmt.Sprintf("chat %d: %q after %d replies", m.ChatID, m.Text[:min(len(m.Text), 40)], j))
		}
	}
	if len(bad) > 0 {
		wrong = fmt.Sprintf("%d replies out of order, e.g. %s", len(bad), strings.Join(bad[:min(len(bad), 5)], "; "))
	}
	return at, repeats, wrong
}

// checkRows checks the inbox: every message stored once, each chat's in
// the order sent (row ids follow update ids), applied without error and
// in the order stored. It returns what is wrong, or "".
func (fl *flood) checkRows(rows []storage.InboxRow) string {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if len(rows) != len(fl.kind) {
		return fmt.Sprintf("%d updates stored, want %d", len(rows), len(fl.kind))
	}
	stored := map[string][]int{}
	last := map[string]time.Time{}
	for _, r := range rows {
		id, err := strconv.Atoi(r.UpdateKey)
		if _, ok := fl.kind[id]; err != nil || !ok {
			return fmt.Sprintf("row %d holds update %q, not one sent", r.ID, r.UpdateKey)
		}
		if r.Applied.IsZero() || r.Error != "" {
			return fmt.Sprintf("update %s: applied %v, error %q", r.UpdateKey, r.Applied, r.Error)
		}
		if r.Applied.Before(last[r.ChatKey]) {
			return fmt.Sprintf("chat %s: update %s (row %d) applied at %s, before the one stored before it (%s)",
				r.ChatKey, r.UpdateKey, r.ID, r.Applied, last[r.ChatKey])
		}
		last[r.ChatKey] = r.Applied
		stored[r.ChatKey] = append(stored[r.ChatKey], id)
	}
	for chat, ids := range fl.chats {
		if got := stored[strconv.FormatInt(chat, 10)]; fmt.Sprint(got) != fmt.Sprint(ids) {
			return fmt.Sprintf("chat %d: updates stored in the order %v, sent %v", chat, got, ids)
		}
	}
	return ""
}

// waits are, sorted, for each update delivered in a time span: from its
// delivery to its reply, from its delivery to its being applied (the
// receiving side), and from that to the reply (the sending side).
type waits struct{ reply, apply, send []time.Duration }

// waitsOf are the waits of the updates delivered after the kill, or with
// before, up to it.
func (fl *flood) waitsOf(replyAt, appliedAt map[int]time.Time, killed time.Time, before bool) waits {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	var w waits
	for id, d := range fl.delivered {
		if d.After(killed) == before {
			continue
		}
		w.reply = append(w.reply, replyAt[id].Sub(d))
		w.apply = append(w.apply, appliedAt[id].Sub(d))
		w.send = append(w.send, replyAt[id].Sub(appliedAt[id]))
	}
	for _, ds := range [][]time.Duration{w.reply, w.apply, w.send} {
		slices.Sort(ds)
	}
	return w
}

// spread is the median, 99th percentile and maximum of sorted durations.
func spread(sorted []time.Duration) string {
	p := func(q float64) time.Duration {
		if len(sorted) == 0 {
			return 0
		}
		return sorted[int(q*float64(len(sorted)-1))].Round(time.Millisecond)
	}
	return fmt.Sprintf("p50 %s, p99 %s, max %s", p(0.5), p(0.99), p(1))
}

// logDeliveries logs the delivery loop's requests.
func (fl *flood) logDeliveries(t *testing.T) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	requests, retried, most := 0, 0, 0
	for _, n := range fl.tries {
		requests += n
		most = max(most, n)
		if n > 1 {
			retried++
		}
	}
	t.Logf("webhook deliveries: %d requests for %d updates, %d failed; %d updates delivered again (at most %d requests for one)",
		requests, len(fl.tries), fl.failed, retried, most)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
