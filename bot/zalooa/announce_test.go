package zalooa

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalooa/zalooatest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// admin sends a line as the province admin on the console and returns
// what the bot printed for it.
func (e *env) admin(text string) string {
	e.t.Helper()
	ctx := context.Background()
	if err := e.core.Handle(ctx, bot.Update{Platform: cd.PlatformConsole, UserID: "tinh", ChatID: "tinh", Text: text}); err != nil {
		e.t.Fatal(err)
	}
	before := len(e.printed.String())
	if _, err := e.console.Drain(ctx); err != nil {
		e.t.Fatal(err)
	}
	return e.printed.String()[before:]
}

// drainAll delivers until no message is pending, moving the clock past
// each retry's delay.
func (e *env) drainAll() {
	e.t.Helper()
	ctx := context.Background()
	for range 200 {
		for _, s := range []*outbox.Sender{e.oa, e.console} {
			if _, err := s.Drain(ctx); err != nil {
				e.t.Fatal(err)
			}
		}
		counts, err := e.db.OutboxCounts(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if counts[cd.OutboxPending] == 0 {
			return
		}
		e.clock.Advance(time.Second)
	}
	e.t.Fatal("messages still pending")
}

// oaMembers makes n active members of Sở Tư pháp on the OA, following it;
// setup decides, for each, when they last interacted (as the bot knows
// it and as Zalo does) and whether they also have a console account
// (linked before the OA one, so the OA one is used).
func (e *env) oaMembers(n int, setup func(i int) (seen, atZalo time.Time, console bool)) {
	e.t.Helper()
	ctx := context.Background()
	users := make([]zalooatest.User, n)
	for i := range users {
		users[i] = e.srv.NewUser()
		seen, atZalo, _ := setup(i)
		e.srv.SetUser(users[i], true, atZalo)
		if _, _, err := e.db.PutOAEvent(ctx, platform, cd.OAEvent{UserID: users[i].ID, At: seen, Interaction: true}); err != nil {
			e.t.Fatal(err)
		}
	}
	err := e.db.Update(ctx, func(tx *storage.Tx) error {
		unit, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		for i, u := range users {
			_, _, console := setup(i)
			id := cd.Identity{Platform: cd.PlatformZaloOA, UserID: u.ID, ChatID: u.ID}
			if console {
				id = cd.Identity{Platform: cd.PlatformConsole, UserID: fmt.Sprintf("dv%04d", i), ChatID: fmt.Sprintf("dv%04d", i)}
			}
			m := &cd.Member{FullName: fmt.Sprintf("Đoàn Viên %04d", i), UnitID: unit.ID, Role: cd.RoleMember, Status: cd.StatusActive,
				ConsentAt: tx.Now(), DecidedAt: tx.Now()}
			if err := tx.CreateMember(m, id); err != nil {
				return err
			}
			if console {
				if err := tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformZaloOA, UserID: u.ID, ChatID: u.ID}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// An announcement to 1,000 members on the OA, a third of whom have not
// written to it for 8 days: the preview says so; those with a console
// account get it there, the others are reported not reached; ten whom
// Zalo refuses although the bot thought them inside the window (-230) go
// to their console account too. Zalo fails now and then (HTTP 502).
func TestAnnouncementThousandOAMembers(t *testing.T) {
	e := newEnv(t, withoutRun, withOptions(zalooatest.Options{FaultRate: 0.02, Seed: 7}))
	now := e.clock.Now()
	recent, old := now.Add(-24*time.Hour), now.Add(-8*24*time.Hour)
	e.oaMembers(1000, func(i int) (time.Time, time.Time, bool) {
		switch {
		case i%3 == 0: // 334 outside the window, half of them with a console account
			return old, old, i%6 == 0
		case i%3 == 1 && i < 30: // 10 Zalo refuses
			return recent, old, true
		}
		return recent, recent, false
	})
	e.admin("/thongbao")
	e.admin("Mời đoàn viên dự Hội nghị cán bộ, công chức năm 2027.")
	e.admin("1") // everyone
	preview := e.admin("1")
	want := "Trong số này, 1000 người nhận qua Zalo OA; 334 người đã quá 7 ngày không nhắn cho OA nên OA không được nhắn cho họ: " +
		"167 người sẽ nhận qua tài khoản khác (Telegram hoặc bot Zalo), 167 người sẽ không nhận được"
	if !strings.Contains(preview, "tới 1001 người") || !strings.Contains(preview, want) {
		t.Fatalf("preview:\n%s", preview)
	}
	if i, j := strings.Index(preview, want), strings.Index(preview, "———"); i > j {
		t.Errorf("the note is not before the text:\n%s", preview)
	}
	e.admin("1") // send: the first 1,000 recipients with the confirmation
	if n, err := e.core.QueueAnnouncements(context.Background()); err != nil || n != 1 {
		t.Fatalf("queued %d more, %v", n, err)
	}
	e.drainAll()
	var queued int
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		queued, err = e.core.ReportAnnouncements(tx, e.clock.Now())
		return err
	})
	if err != nil || queued == 0 {
		t.Fatalf("report: %d, %v", queued, err)
	}
	e.drainAll()
	report := e.printed.String()
	if !strings.Contains(report, "Kết quả gửi thông báo số 1: 834 người nhận được, 167 người không nhắn được") {
		t.Errorf("report:\n%s", report[max(0, len(report)-1500):])
	}
	if n := len(e.srv.Sent()); n != 656 {
		t.Errorf("%d messages accepted on the OA, want 656", n)
	}
	if n := strings.Count(report, "Hội nghị cán bộ, công chức năm 2027"); n < 178 {
		t.Errorf("%d announcements printed on the console, want 178 (and the preview)", n)
	}
	for _, s := range e.srv.Sent() {
		if !strings.Contains(s.Text, "Hội nghị cán bộ") {
			t.Fatalf("unexpected message: %+v", s)
		}
	}
	if n := e.srv.Calls(pathSendCS); n <= 656+10 {
		t.Errorf("%d sends: no fault was retried?", n)
	}
	unreachable(t, e, 167)
}

// unreachable checks the chair's list of members the bot cannot reach.
func unreachable(t *testing.T, e *env, want int) {
	t.Helper()
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		unit, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		missing, err := tx.UnreachableMembers(unit.ID)
		if len(missing) != want {
			t.Errorf("%d members cannot be reached, want %d", len(missing), want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Deliver's answers to the sender: outside the window nothing is sent;
// Zalo's refusals are classified.
func TestDeliverClassifies(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx := context.Background()
	in, out := e.srv.NewUser(), e.srv.NewUser()
	now := e.clock.Now()
	for u, at := range map[zalooatest.User]time.Time{in: now.Add(-6 * 24 * time.Hour), out: now.Add(-7*24*time.Hour - time.Minute)} {
		e.srv.SetUser(u, true, at)
		if _, _, err := e.db.PutOAEvent(ctx, platform, cd.OAEvent{UserID: u.ID, At: at, Interaction: true}); err != nil {
			t.Fatal(err)
		}
	}
	msg := func(u zalooatest.User) cd.OutboxItem {
		return cd.OutboxItem{ID: 9, To: cd.Address{Platform: cd.PlatformZaloOA, ChatID: u.ID}, Message: cd.Message{Text: "chào"}}
	}
	calls := e.srv.Calls(pathSendCS)
	var de *outbox.DeliveryError
	if err := e.a.Deliver(ctx, msg(out)); !errors.As(err, &de) || !de.Unreachable || e.srv.Calls(pathSendCS) != calls {
		t.Errorf("outside the window: %v, %d calls", err, e.srv.Calls(pathSendCS)-calls)
	}
	tests := []struct {
		code  int
		check func(*outbox.DeliveryError) bool
	}{
		{-230, func(d *outbox.DeliveryError) bool { return d != nil && d.Unreachable }},
		{-213, func(d *outbox.DeliveryError) bool { return d != nil && d.Unreachable }},
		{-32, func(d *outbox.DeliveryError) bool { return d != nil && d.RetryAfter == time.Minute }},
		{-211, func(d *outbox.DeliveryError) bool { return d != nil && d.RetryAfter == time.Hour }},
		{-201, func(d *outbox.DeliveryError) bool { return d != nil && d.Permanent }},
		{502, func(d *outbox.DeliveryError) bool { return d == nil }},
		{-9999, func(d *outbox.DeliveryError) bool { return d == nil }},
	}
	for _, tt := range tests {
		e.srv.ForceErrors(pathSendCS, tt.code)
		err := e.a.Deliver(ctx, msg(in))
		var de *outbox.DeliveryError
		if !errors.As(err, &de) {
			de = nil
		}
		if err == nil || !tt.check(de) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%d: %v (%+v)", tt.code, err, de)
		}
	}
	if err := e.a.Deliver(ctx, msg(in)); err != nil {
		t.Errorf("inside the window: %v", err)
	}
}

// The app's rate limit (-32) pauses the sender for a minute; the message
// goes after it.
func TestRateLimitPauses(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx := context.Background()
	an := e.srv.NewUser()
	e.srv.SetUser(an, true, e.clock.Now())
	if _, _, err := e.db.PutOAEvent(ctx, platform, cd.OAEvent{UserID: an.ID, At: e.clock.Now(), Interaction: true}); err != nil {
		t.Fatal(err)
	}
	e.activeMember(an, "Nguyễn Văn An")
	e.srv.ForceErrors(pathSendCS, -32)
	e.notify(an.ID, "Nhắc lịch sinh hoạt")
	if n, err := e.oa.Drain(ctx); err != nil || n != 0 || e.srv.Calls(pathSendCS) != 1 {
		t.Fatalf("first pass: %d sent, %v, %d calls", n, err, e.srv.Calls(pathSendCS))
	}
	e.clock.Advance(59 * time.Second)
	if n, _ := e.oa.Drain(ctx); n != 0 || e.srv.Calls(pathSendCS) != 1 {
		t.Fatalf("sent during the pause")
	}
	e.clock.Advance(2 * time.Second)
	if n, err := e.oa.Drain(ctx); err != nil || n != 1 {
		t.Fatalf("after the pause: %d sent, %v", n, err)
	}
	if got := e.srv.SentTo(an); len(got) != 1 || got[0].Text != "Nhắc lịch sinh hoạt" {
		t.Errorf("sent: %+v", got)
	}
}
