package zalooa

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
)

// An OA account is an account like any other: /lienket links it with an
// account on another platform, exports list it, /xoataikhoan erases it
// (and what the bot knew of its reply window), after which its last
// answer still arrives.
func TestOAAccountLinkExportErase(t *testing.T) {
	e := newEnv(t)
	s, ctx := e.srv, e.ctx()
	an := e.follower()
	e.activeMember(an, "Nguyễn Văn An")
	e.deliver(s.SendText(ctx, an, "/lienket"))
	offer := e.await(an, "Mã liên kết")
	if !strings.Contains(offer.Text, "Trên Telegram hoặc bot Zalo, nhắn cho bot") {
		t.Errorf("link offer = %q", offer.Text)
	}
	code := regexp.MustCompile(`/lienket (\d{6})`).FindStringSubmatch(offer.Text)
	if code == nil {
		t.Fatalf("no code in %q", offer.Text)
	}
	if err := e.core.Handle(context.Background(), bot.Update{Platform: cd.PlatformConsole, UserID: "an2", ChatID: "an2",
		Text: "/lienket " + code[1]}); err != nil {
		t.Fatal(err)
	}
	e.awaitPrinted("[bot → @an2] Đã liên kết tài khoản Console này với đoàn viên Nguyễn Văn An")
	e.deliver(s.SendText(ctx, an, "/cuatoi"))
	if p := e.await(an, "Tài khoản chat:"); !strings.Contains(p.Text, "Zalo OA") {
		t.Errorf("profile = %q", p.Text)
	}
	var platforms []string
	err := e.db.ExportMembers(ctx, func(m cd.Member) error {
		if m.FullName == "Nguyễn Văn An" {
			platforms = m.Platforms
		}
		return nil
	})
	if err != nil || !slices.Equal(platforms, []string{"console", "zalo_oa"}) {
		t.Errorf("exported platforms = %q, %v", platforms, err)
	}

	e.deliver(s.SendText(ctx, an, "/xoataikhoan"))
	e.await(an, "Anh/chị muốn xóa dữ liệu cá nhân")
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Đã xóa dữ liệu cá nhân của anh/chị")
	if c, err := e.db.OAContact(ctx, an.ID); err != nil || c.Known {
		t.Errorf("contact after erasure: %+v, %v", c, err)
	}
	err = e.db.ExportMembers(ctx, func(m cd.Member) error {
		if m.Status == cd.StatusLeft && len(m.Platforms) != 0 {
			t.Errorf("erased member keeps accounts: %+v", m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A follow from a member welcomes them back and makes their OA account
// reachable again after an unfollow.
func TestFollowAgain(t *testing.T) {
	e := newEnv(t)
	s, ctx := e.srv, e.ctx()
	an := e.follower()
	e.activeMember(an, "Nguyễn Văn An")
	e.deliver(s.Unfollow(ctx, an))
	e.clock.Advance(time.Minute)
	e.deliver(s.Follow(ctx, an))
	e.await(an, "Chào mừng anh/chị Nguyễn Văn An quay lại")
	e.notify(an.ID, "Lịch sinh hoạt tháng 12")
	e.await(an, "Lịch sinh hoạt tháng 12")
	unreachable(t, e, 0)
}
