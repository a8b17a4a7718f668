package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// enqueueLane queues one message to each chat, in one transaction.
func (e *senderEnv) enqueueLane(t *testing.T, lane cd.Lane, text string, chats ...string) {
	t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for _, c := range chats {
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: c}, Lane: lane,
				Message: cd.Message{Text: text + c}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func chats(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// index is the position of the first delivery whose text is text.
func (r *recorder) index(text string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, d := range r.got {
		if d.text == text {
			return i
		}
	}
	return -1
}

// TestSenderInteractiveBeforeBulk: while a broadcast drains at the global
// limit, a reply queued mid-way goes at the next turn; a reply to a chat
// whose broadcast message is still waiting goes right after it, in order.
func TestSenderInteractiveBeforeBulk(t *testing.T) {
	storagetest.Run(t, testSenderInteractiveBeforeBulk)
}

func testSenderInteractiveBeforeBulk(t *testing.T, engine storage.Engine) {
	e := newSenderEnvOn(t, engine, outbox.SenderConfig{Global: outbox.PerSecond(10), Workers: 1,
		ChatLimit: func(string) outbox.Limit { return outbox.Limit{Every: time.Second, Burst: 3} }})
	e.enqueueLane(t, cd.LaneBulk, "tb", chats("c", 300)...)
	var queuedAt time.Time
	e.rec.fail = func(it cd.OutboxItem, _ int) error {
		if it.Message.Text != "tbc100" {
			return nil
		}
		// Two members write while the broadcast is a third of the way.
		queuedAt = e.clock.Now()
		err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
			for _, c := range []string{"c5", "c250"} { // c5 got the broadcast; c250 not yet
				if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: c}, Kind: cd.OutboxReply,
					Message: cd.Message{Text: "reply" + c}}); err != nil {
					return err
				}
			}
			return nil
		})
		e.s.Wake()
		return err
	}
	if n, err := e.s.Drain(context.Background()); err != nil || n != 302 {
		t.Fatalf("drained %d, %v", n, err)
	}
	at := e.rec.index("tbc100")
	for _, text := range []string{"replyc5", "tbc250"} {
		if i := e.rec.index(text); i < at || i > at+3 {
			t.Fatalf("%s delivered %d messages after it was queued; want within 3", text, i-at)
		}
	}
	if e.rec.index("tbc250") > e.rec.index("replyc250") {
		t.Fatal("c250's reply overtook its earlier broadcast message")
	}
	// c250's reply waits for the chat's limit after the broadcast message
	// (a new chat's bucket starts with one message, not the burst).
	if d := e.rec.got[e.rec.index("replyc250")].at.Sub(queuedAt); d > 1200*time.Millisecond {
		t.Fatalf("reply took %v at 10 messages a second", d)
	}
}

// TestSenderBulkNotStarved: with replies waiting at every turn, one turn
// in ten still goes to the broadcast.
func TestSenderBulkNotStarved(t *testing.T) { storagetest.Run(t, testSenderBulkNotStarved) }

func testSenderBulkNotStarved(t *testing.T, engine storage.Engine) {
	e := newSenderEnvOn(t, engine, outbox.SenderConfig{Global: outbox.PerSecond(10), Workers: 1})
	e.enqueueLane(t, cd.LaneBulk, "bulk", chats("b", 50)...)
	e.enqueueLane(t, cd.LaneInteractive, "reply", chats("r", 200)...)
	if _, err := e.s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	bulk := 0
	for _, d := range e.rec.got[:100] {
		if strings.HasPrefix(d.text, "bulk") {
			bulk++
		}
	}
	if bulk < 9 || bulk > 11 {
		t.Fatalf("%d of the first 100 turns went to bulk; want one in ten", bulk)
	}
}

// TestSenderChatOrderAcrossRetries: a chat's message waiting to be tried
// again holds back the chat's later ones, of any lane; other chats go on.
func TestSenderChatOrderAcrossRetries(t *testing.T) {
	storagetest.Run(t, testSenderChatOrderAcrossRetries)
}

func testSenderChatOrderAcrossRetries(t *testing.T, engine storage.Engine) {
	e := newSenderEnvOn(t, engine, outbox.SenderConfig{BaseBackoff: 2 * time.Second})
	e.rec.fail = func(it cd.OutboxItem, attempt int) error {
		if it.Message.Text == "firstx" && attempt == 1 {
			return errors.New("502 bad gateway")
		}
		return nil
	}
	e.enqueueLane(t, cd.LaneBulk, "first", "x")
	e.enqueueLane(t, cd.LaneInteractive, "second", "x", "y")
	ctx := context.Background()
	if _, err := e.s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.rec.got); strings.Contains(got, "secondx") || !strings.Contains(got, "secondy") {
		t.Fatalf("while x's first message waits: %v", e.rec.got)
	}
	next, ok, err := e.db.NextDue(ctx, cd.PlatformTelegram)
	if err != nil || !ok {
		t.Fatalf("next due %v %v", ok, err)
	}
	e.clock.Advance(next.Sub(e.clock.Now()))
	if _, err := e.s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if i, j := e.rec.index("firstx"), e.rec.index("secondx"); i < 0 || j < i {
		t.Fatalf("x got %v", e.rec.got)
	}
}

// TestSenderOneLane: with OneLane the outbox is one queue: a reply queued
// after a broadcast goes after it.
func TestSenderOneLane(t *testing.T) { storagetest.Run(t, testSenderOneLane) }

func testSenderOneLane(t *testing.T, engine storage.Engine) {
	e := newSenderEnvOn(t, engine, outbox.SenderConfig{Workers: 1, OneLane: true})
	e.enqueueLane(t, cd.LaneBulk, "bulk", chats("b", 5)...)
	e.enqueueLane(t, cd.LaneInteractive, "reply", "r")
	if _, err := e.s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if i := e.rec.index("replyr"); i != 5 {
		t.Fatalf("the reply went %d-th: %v", i, e.rec.got)
	}
}
