package zalo

import (
	"context"
	"fmt"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestSenderRidesOutFaults: at the default limits, with 15% of sends
// failing (Zalo's 403 internal error, HTML gateway pages, dropped
// connections, 429), every message of a broadcast is delivered, in order
// per chat.
func TestSenderRidesOutFaults(t *testing.T) {
	sc := outbox.SenderConfig{BaseBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxAttempts: 30,
		MaxRetryAfter: 10 * time.Millisecond}
	DefaultLimits().Apply(&sc)
	sc.Global = outbox.Limit{} // the test's own pace: the limits are tested in TestLimitsApply
	e := newEnv(t, withSender(sc), withOptions(zalotest.Options{Seed: 3, Faults: zalotest.FaultRates{
		InternalError: 0.04, BadGateway: 0.04, Drop: 0.04, TooManyRequests: 0.03, Methods: []string{"sendMessage"}}}))
	e.a.retryAfter = 10 * time.Millisecond
	const n = 60
	var chats []string
	for i := range n {
		chats = append(chats, fmt.Sprintf("%020x", 0xabc000+i))
	}
	e.enqueue("Thông báo số 1", chats...)
	e.enqueue("Thông báo số 2", chats[:3]...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.srv.WaitSent(ctx, n+3); err != nil {
		counts, _ := e.db.OutboxCounts(context.Background())
		t.Fatalf("%d of %d sent: %v; outbox %v\nlogs:\n%s", len(e.srv.Sent()), n+3, err, counts, e.logs)
	}
	for _, c := range chats[:3] {
		if got := e.srv.SentTo(c); len(got) != 2 || got[0].Text != "Thông báo số 1" || got[1].Text != "Thông báo số 2" {
			t.Errorf("chat %s got %+v", c, got)
		}
	}
	if e.srv.Calls("sendMessage") <= n+3 {
		t.Errorf("no faults were injected: %d calls", e.srv.Calls("sendMessage"))
	}
	counts, err := e.db.OutboxCounts(context.Background())
	if err != nil || counts[cd.OutboxFailed] != 0 {
		t.Fatalf("outbox %v, %v", counts, err)
	}
}

// TestBlockedChatMarkedUnreachable: a user who blocked the bot (a 400) is
// marked unreachable, and the message failed at once, without retry.
func TestBlockedChatMarkedUnreachable(t *testing.T) {
	e := newEnv(t, withoutRun) // the sender is drained by hand
	e.linkZalo("chutich", e.chair)
	e.srv.BlockChat(e.chair.ID)
	e.enqueue("Nhắc nộp báo cáo tháng", e.chair.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.sender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if counts, err := e.db.OutboxCounts(ctx); err != nil || counts[cd.OutboxFailed] != 1 {
		t.Fatalf("the message to a blocked chat was not failed: %v %v", counts, err)
	}
	if calls := e.srv.Calls("sendMessage"); calls != 1 {
		t.Fatalf("sendMessage called %d times for a blocked chat; want 1", calls)
	}
	err := e.db.Update(ctx, func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformZalo, e.chair.ID)
		if err != nil {
			return err
		}
		ids, err := tx.Identities(m.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id.Platform == cd.PlatformZalo && !id.Unreachable {
				t.Errorf("identity %+v not marked unreachable", id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
