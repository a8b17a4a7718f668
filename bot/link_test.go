package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// fromZalo sends text as a Zalo account and returns the replies queued
// for it.
func (h *harness) fromZalo(user, text string) string {
	h.t.Helper()
	ctx := context.Background()
	if err := h.bot.Handle(ctx, bot.Update{Platform: cd.PlatformZalo, UserID: user, ChatID: user, DisplayName: "Zalo " + user, Text: text}); err != nil {
		h.t.Fatal(err)
	}
	items, err := h.db.DueOutbox(ctx, cd.PlatformZalo, 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		if it.To.ChatID == user {
			out = append(out, it.Message.Text)
			if err := h.db.MarkSent(ctx, it.ID); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	return strings.Join(out, "\n")
}

var codePattern = regexp.MustCompile(`Mã liên kết: (\d{6})`)

func (h *harness) linkCode(user string) string {
	h.t.Helper()
	out := h.expect("@"+user+" /lienket\n", "Mã liên kết:", "dùng được trong 10 phút", "Trên Zalo, nhắn cho bot: /lienket")
	return codePattern.FindStringSubmatch(out)[1]
}

func TestLinkAccounts(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	an := h.member("an")

	// A stranger on Zalo without a code is told how.
	if out := h.fromZalo("z1", "/lienket"); !strings.Contains(out, "gõ /lienket ở đó để lấy mã") {
		t.Fatalf("guest: %q", out)
	}
	code := h.linkCode("an")
	if out := h.fromZalo("z1", "/lienket 000000x"); !strings.Contains(out, "Mã liên kết không đúng") {
		t.Fatalf("wrong code: %q", out)
	}
	if out := h.fromZalo("z1", "liên kết "+code); !strings.Contains(out, "Đã liên kết tài khoản Zalo này với đoàn viên Nguyễn Văn An (Sở Tư pháp)") {
		t.Fatalf("link: %q", out)
	}
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformZalo, "z1")
		if err != nil || m == nil || m.ID != an.ID {
			t.Fatalf("zalo account belongs to %+v (%v)", m, err)
		}
		ids, err := tx.Identities(an.ID)
		if len(ids) != 2 {
			t.Fatalf("identities = %+v", ids)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := h.auditCount(cd.AuditLink); n != 1 {
		t.Fatalf("link audit entries = %d", n)
	}
	// The same code again, from another account: used.
	if out := h.fromZalo("z2", "/lienket "+code); !strings.Contains(out, "đã được dùng") {
		t.Fatalf("code used twice: %q", out)
	}
	// A code expires after 10 minutes.
	code = h.linkCode("an")
	h.clock.Advance(11 * time.Minute)
	if out := h.fromZalo("z2", "/lienket "+code); !strings.Contains(out, "đã hết hạn") {
		t.Fatalf("expired code: %q", out)
	}
	// An account of another member cannot be taken over.
	h.registerActive("binh", "Lê Thị Bình")
	code = h.linkCode("binh")
	if out := h.fromZalo("z1", "/lienket "+code); !strings.Contains(out, "đã thuộc một đoàn viên khác") {
		t.Fatalf("other member's account: %q", out)
	}
	// Guessing is stopped after five wrong codes.
	for range 5 {
		h.fromZalo("z3", "/lienket 999999")
	}
	code = h.linkCode("binh")
	if out := h.fromZalo("z3", "/lienket "+code); !strings.Contains(out, "nhập sai mã nhiều lần") {
		t.Fatalf("after 5 wrong codes: %q", out)
	}
	// From now on An's notices go to the account used last: Zalo.
	h.fromZalo("z1", "/cuatoi")
	if err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		addr, ok, err := tx.AddressOf(an.ID)
		if err != nil || !ok || addr.Platform != cd.PlatformZalo {
			t.Fatalf("address after using Zalo = %+v %v %v", addr, ok, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestChairSeesUnreachable(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	if err := h.db.MarkUnreachable(context.Background(), cd.PlatformConsole, "an", "Forbidden: bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	out := h.expect("@chutich /donvi\n", "Bot không nhắn được (đã chặn bot hoặc bỏ tài khoản) (1): Nguyễn Văn An.")
	h.refuse(out, "được (1): Lê Thị Bình")
}

func TestHaltAlertGoesToTheOtherPlatform(t *testing.T) {
	h := newHarness(t)
	admin := h.member("tinh")
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		if err := tx.LinkIdentity(cd.Identity{MemberID: admin.ID, Platform: cd.PlatformZalo, UserID: "zadmin"}); err != nil {
			return err
		}
		n, err := h.bot.QueueHaltAlert(tx, cd.PlatformZalo)
		if err != nil || n != 1 {
			t.Fatalf("alerts queued = %d, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// On the console (the admin's other account), not on Zalo.
	h.expect("", "[bot → @tinh] Cảnh báo: bot đã ngừng gửi tin trên Zalo vì mã truy cập (token) bị từ chối.")
	if out := h.fromZalo("zadmin", ""); strings.Contains(out, "Cảnh báo") {
		t.Fatalf("the alert went to the halted platform: %q", out)
	}
}
