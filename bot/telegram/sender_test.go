package telegram

import (
	"context"
	"fmt"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// enqueue puts one message per chat into the outbox, as a broadcast does.
func (e *env) enqueue(chats ...int64) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for _, c := range chats {
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: fmt.Sprint(c)},
				Message: cd.Message{Text: fmt.Sprintf("Thông báo số %d", c)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.sender.Wake()
}

// TestSenderRidesOutFaults: with 10% of sends failing (5xx, an HTML
// gateway page, dropped connections, 429), every message is delivered.
func TestSenderRidesOutFaults(t *testing.T) {
	e := newEnv(t, withOptions(telegramtest.Options{Seed: 3, Faults: telegramtest.FaultRates{
		InternalError: 0.03, BadGateway: 0.03, Drop: 0.03, TooManyRequests: 0.01, RetryAfter: 1,
		Methods: []string{"sendMessage"}}}))
	const n = 150
	chats := make([]int64, n)
	for i := range chats {
		chats[i] = int64(700000 + i)
	}
	e.enqueue(chats...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		got := map[int64]bool{}
		for _, m := range e.srv.Sent() {
			got[m.ChatID] = true
		}
		if len(got) == n {
			break
		}
		if err := e.srv.WaitSent(ctx, len(e.srv.Sent())+1); err != nil {
			counts, _ := e.db.OutboxCounts(context.Background())
			t.Fatalf("%d of %d chats reached: %v; outbox %v\nlogs:\n%s", len(got), n, err, counts, e.logs)
		}
	}
	counts, err := e.db.OutboxCounts(context.Background())
	if err != nil || counts[cd.OutboxFailed] != 0 {
		t.Fatalf("outbox %v, %v", counts, err)
	}
	if e.srv.Calls("sendMessage") <= n {
		t.Fatalf("no faults were injected: %d calls for %d messages", e.srv.Calls("sendMessage"), n)
	}
}

// TestSenderKeepsTelegramLimits: at the default limits, against the fake
// enforcing Telegram's, no 429 comes back: a burst of private chats, a
// private chat receiving several messages, and a group.
func TestSenderKeepsTelegramLimits(t *testing.T) {
	var sc outbox.SenderConfig
	DefaultLimits().Apply(&sc)
	e := newEnv(t, withOptions(telegramtest.Options{Limits: telegramtest.Limits{Enabled: true}}), withSender(sc))
	var chats []int64
	for i := range 60 {
		chats = append(chats, int64(800000+i))
	}
	for range 3 {
		chats = append(chats, 42, -100500) // a busy private chat and a group
	}
	e.enqueue(chats...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.srv.WaitSent(ctx, len(chats)); err != nil {
		t.Fatalf("%v (sent %d of %d)", err, len(e.srv.Sent()), len(chats))
	}
	if n := e.srv.Count429(); n != 0 {
		t.Fatalf("%d answers 429 at the default limits", n)
	}
	// Per chat, in order.
	var private []string
	for _, m := range e.srv.SentTo(42) {
		private = append(private, m.Text)
	}
	for i, text := range private {
		if text != "Thông báo số 42" || i > 2 {
			t.Fatalf("private chat got %v", private)
		}
	}
}

// TestBlockedChatMarkedUnreachable: a 403 "bot was blocked" marks the
// member's identity unreachable, fails the message at once (no retry),
// and the member's other messages are not retried either.
func TestBlockedChatMarkedUnreachable(t *testing.T) {
	e := newEnv(t, withoutRun) // the sender is drained by hand
	e.linkTelegram("chutich", chair)
	e.srv.BlockChat(chair.ID)
	e.enqueue(chair.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.sender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if counts, err := e.db.OutboxCounts(ctx); err != nil || counts[cd.OutboxFailed] != 1 {
		t.Fatalf("the message to a blocked chat was not failed: %v %v", counts, err)
	}
	if calls := e.srv.Calls("sendMessage"); calls != 1 {
		t.Fatalf("sendMessage called %d times for a blocked chat; want 1 (no retry)", calls)
	}
	err := e.db.Update(ctx, func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformTelegram, fmt.Sprint(chair.ID))
		if err != nil {
			return err
		}
		ids, err := tx.Identities(m.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id.Platform == cd.PlatformTelegram && !id.Unreachable {
				t.Errorf("identity %+v not marked unreachable", id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
