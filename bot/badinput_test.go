package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestBadInput sends what people (and scripts) really send. Each gets a
// short Vietnamese reply and stores nothing it should not.
func TestBadInput(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	send := func(user, text string) string {
		t.Helper()
		h.out.Reset()
		if err := h.bot.Handle(ctx, bot.Update{Platform: cd.PlatformConsole, UserID: user, ChatID: user, Text: text}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.sender.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		return h.out.String()
	}
	cases := []struct {
		name, user, text, want string
	}{
		{"empty", "x1", "", "Tin nhắn trống"},
		{"spaces only", "x1", "   \t ", "Tin nhắn trống"},
		{"10000 characters", "x1", strings.Repeat("a", 10000), "Tin nhắn dài quá (tối đa 4.000 ký tự)"},
		{"control characters", "x1", "/dangky\x00\x1b[31m", "ký tự không hợp lệ"},
		{"SQL-looking", "x1", "'; DROP TABLE members; --", "Gõ /dangky để đăng ký"},
		{"emoji", "x1", "👋🎉", "Gõ /dangky để đăng ký"},
		{"plain member asks to approve", "chutich", "/phanquyen", "không có quyền"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := send(c.user, c.text)
			if !strings.Contains(out, c.want) {
				t.Fatalf("reply to %q:\n%s\nwant %q", cd.Truncate(c.text, 40), out, c.want)
			}
			if strings.Count(out, "[bot → @") != 1 {
				t.Fatalf("want exactly one reply, got:\n%s", out)
			}
		})
	}

	// Inside registration: names and codes that must be refused, leaving
	// the flow where it was.
	h.expect("@x2 /dangky\n1\n", "Họ và tên đầy đủ")
	for _, c := range []struct{ text, want string }{
		{"12345", "không được có chữ số"},
		{"Nguyễn Văn 3", "không được có chữ số"},
		{"'; DROP TABLE members; --", "không có ký hiệu"},
		{"Lan 🌸 Anh", "không có ký hiệu"},
		{"Lan", "cả họ và tên"},
		{strings.Repeat("Nguyễn ", 20), "từ 2 đến 100 ký tự"},
	} {
		out := send("x2", c.text)
		if !strings.Contains(out, c.want) {
			t.Fatalf("name %q: got\n%s\nwant %q", cd.Truncate(c.text, 30), out, c.want)
		}
	}
	h.expect("@x2 Hoàng Thị Mai\nabc\n", "Số điện thoại chưa đúng")
	h.expect("0912345678\nZZZ\n", "Không tìm thấy đơn vị này")
	h.expect("STP' OR '1'='1\n", "Không tìm thấy đơn vị này")
	h.expect("STP\n", "• Họ và tên: Hoàng Thị Mai")
	if m := h.member("x2"); m != nil {
		t.Fatalf("member stored before confirmation: %+v", m)
	}
	h.expect("1\n", "Đã gửi đăng ký")
	// A second registration from a registered member changes nothing.
	h.expect("@x2 /dangky\n", "đang chờ duyệt")
	if n := h.auditCount(cd.AuditRegister); n != 1 {
		t.Fatalf("register audit entries = %d, want 1", n)
	}
	// Nobody was stored for the strangers.
	for _, u := range []string{"x1"} {
		if m := h.member(u); m != nil {
			t.Fatalf("%s stored: %+v", u, m)
		}
	}
}

// TestInboxAppliedOnce: an update that came through the inbox is applied
// once, however many times it is handed to the core.
func TestInboxAppliedOnce(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id, inserted, err := h.db.PutInbox(ctx, "console", "u1", "an", []byte(`{}`))
	if err != nil || !inserted {
		t.Fatalf("put inbox: %v %v", inserted, err)
	}
	if _, again, _ := h.db.PutInbox(ctx, "console", "u1", "an", []byte(`{}`)); again {
		t.Fatal("the same update was stored twice")
	}
	u := bot.Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Text: "/dangky", InboxID: id}
	for range 3 {
		if err := h.bot.Handle(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	n, err := h.sender.Drain(ctx)
	if err != nil || n != 1 {
		t.Fatalf("replies delivered = %d (%v), want 1:\n%s", n, err, h.out.String())
	}
	pending, err := h.db.PendingInbox(ctx, "console", 10)
	if err != nil || len(pending) != 0 {
		t.Fatalf("pending inbox = %v, %v", pending, err)
	}
}

// TestInboxBusyNotCounted: on PostgreSQL, an update another instance is
// applying (its row locked) is left alone (cd.ErrInboxBusy, nothing
// queued), and the tries do not count towards the person's flood limit:
// once the other instance let go of it, it is applied as usual.
func TestInboxBusyNotCounted(t *testing.T) {
	h := newHarnessOn(t, storage.Postgres, func(c *bot.Config) { c.FloodPerMinute = 2 })
	ctx := context.Background()
	id, _, err := h.db.PutInbox(ctx, "console", "u1", "an", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	other, err := storage.Dial(ctx, storage.Postgres, h.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- other.Update(ctx, func(tx *storage.Tx) error {
			if _, err := tx.InboxTake(id); err != nil {
				return err
			}
			close(held)
			<-release
			return errors.New("the other instance died")
		})
	}()
	<-held
	u := bot.Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Text: "/dangky", InboxID: id}
	for range 5 {
		if err := h.bot.Handle(ctx, u); !errors.Is(err, cd.ErrInboxBusy) {
			t.Fatalf("handle a held update: %v, want ErrInboxBusy", err)
		}
	}
	if n, err := h.sender.Drain(ctx); err != nil || n != 0 {
		t.Fatalf("%d replies (%v) to a held update", n, err)
	}
	close(release)
	<-done
	if err := h.bot.Handle(ctx, u); err != nil {
		t.Fatal(err)
	}
	if n, err := h.sender.Drain(ctx); err != nil || n != 1 || strings.Contains(h.out.String(), "quá nhiều") {
		t.Fatalf("%d replies (%v), want the usual one:\n%s", n, err, h.out.String())
	}
}
