package bot

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestPanicRecovered: a handler that panics after changing state leaves no
// trace but an apology and a log line with the stack; the bot goes on.
func TestPanicRecovered(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.EnsureProvince(ctx, "Tỉnh"); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	b := New(StoreOf(db.Update), Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	b.commands = append(b.commands, &command{Name: "boom", Perm: permAnyone, Run: func(r *request, _ string) error {
		r.ask(registerName, cd.Message{Text: "half done"})
		if err := r.audit("test.before_panic", 0, 0, ""); err != nil {
			return err
		}
		var m map[string]int
		m["x"]++ // panics: assignment to entry in nil map
		return nil
	}})
	u := Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Text: "/boom"}
	if err := b.Handle(ctx, u); err != nil {
		t.Fatalf("Handle returned %v; want the panic absorbed", err)
	}
	items, err := db.DueOutbox(ctx, cd.PlatformConsole, 10)
	if err != nil || len(items) != 1 || items[0].Message.Text != txtApology {
		t.Fatalf("outbox after panic = %+v, %v", items, err)
	}
	if !strings.Contains(logs.String(), "handler panicked") || !strings.Contains(logs.String(), "assignment to entry in nil map") {
		t.Fatalf("panic not logged:\n%s", logs.String())
	}
	audit, _ := db.AuditLog(ctx, 10)
	for _, e := range audit {
		if e.Action == "test.before_panic" {
			t.Fatal("changes made before the panic were kept")
		}
	}
	// The flow begun before the panic was rolled back: the next message
	// is not taken as a name.
	u.Text = "/trogiup"
	if err := b.Handle(ctx, u); err != nil {
		t.Fatal(err)
	}
	items, _ = db.DueOutbox(ctx, cd.PlatformConsole, 10)
	if len(items) != 2 || !strings.HasPrefix(items[1].Message.Text, txtHelpHeader) {
		t.Fatalf("after the panic the bot did not answer normally: %+v", items)
	}
}

func TestFloodGuardWindows(t *testing.T) {
	g := newFloodGuard(2, time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []floodVerdict{floodOK, floodOK, floodWarn, floodDrop, floodDrop}
	for i, w := range want {
		if got := g.hit("a", t0.Add(time.Duration(i)*time.Second)); got != w {
			t.Fatalf("message %d: %v, want %v", i+1, got, w)
		}
	}
	if got := g.hit("b", t0); got != floodOK {
		t.Fatalf("another person: %v", got)
	}
	if got := g.hit("a", t0.Add(time.Minute)); got != floodOK {
		t.Fatalf("next window: %v", got)
	}
	// Old windows are swept.
	g.hit("c", t0.Add(3*time.Minute))
	if len(g.seen) != 1 {
		t.Fatalf("entries after sweep = %d, want 1", len(g.seen))
	}
}

func TestMatchCommands(t *testing.T) {
	b := New(nil, Config{})
	cases := []struct {
		text   string
		inFlow bool
		want   string
		args   string
	}{
		{"/dangky", false, "dangky", ""},
		{"/DangKy@congdoan_bot", false, "dangky", ""},
		{"dang ky", false, "dangky", ""},
		{"Đăng  Ký", false, "dangky", ""},
		{"ĐĂNG KÝ", true, "dangky", ""},
		{"/đăngký", false, "dangky", ""},
		{"/phanquyen STP", false, "phanquyen", "STP"},
		{"phân quyền Sở Tư pháp", false, "phanquyen", "Sở Tư pháp"},
		{"phân quyền Sở Tư pháp", true, "", ""},
		{"huỷ", true, "huy", ""},
		{"tro giup", false, "trogiup", ""},
		{"xin chào", false, "", ""},
		{"/khong", false, "", ""},
		{"", false, "", ""},
	}
	for _, c := range cases {
		cmd, args, ok := b.match(c.text, c.inFlow)
		got := ""
		if ok {
			got = cmd.Name
		}
		if got != c.want || args != c.args {
			t.Errorf("match(%q, inFlow=%v) = %q, %q; want %q, %q", c.text, c.inFlow, got, args, c.want, c.args)
		}
	}
}
