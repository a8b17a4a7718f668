package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// jobs runs what the scheduler's announcements job runs each minute.
func (h *harness) announcementsJob() {
	h.t.Helper()
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		if _, err := h.bot.QueueDueAnnouncements(tx, h.clock.Now()); err != nil {
			return err
		}
		_, err := h.bot.ReportAnnouncements(tx, h.clock.Now())
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.bot.QueueAnnouncements(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func TestAnnouncementFlow(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.addMember("kb", "Đặng Văn Kho", "KBNN", "member", "active")

	// Bad input: nothing is created.
	h.expect("@tinh /thongbao\n", "Nội dung thông báo")
	h.expect(strings.Repeat("Thông báo dài. ", 250)+"\n", "dài quá 3.000 ký tự")
	h.expect("Phát động Tháng công nhân 2026.\nĐoàn viên của một số đơn vị\nSTP, XYZ\n", "Có mã đơn vị không đúng")
	h.expect("stp kbnn\nHẹn giờ gửi\n20/11/2026 08:00\n", "Thời điểm gửi chưa đúng")
	h.expect("ngày mai\n", "Ngày chưa đúng")
	// Scheduled for tomorrow 08:00 (the clock is 25/11 09:30 local).
	h.expect("26/11/2026 08:00\n", "Thông báo sẽ gửi lúc 26/11/2026 08:00 tới 4 người", "Phát động Tháng công nhân 2026.")
	h.expect("Gửi thông báo\n", "Đã hẹn gửi thông báo số 1 lúc 26/11/2026 08:00")
	h.announcementsJob()
	if out := h.run(""); strings.Contains(out, "Phát động") {
		t.Fatalf("sent before its time:\n%s", out)
	}
	// A restart does not lose it; at its time it goes, once.
	h.restart()
	h.clock.Advance(23 * time.Hour)
	h.announcementsJob()
	h.announcementsJob()
	out := h.run("")
	for _, who := range []string{"an", "binh", "chutich", "kb"} {
		if n := strings.Count(out, "[bot → @"+who+"] 📢 Công đoàn Viên chức tỉnh (demo) thông báo:\nPhát động Tháng công nhân 2026."); n != 1 {
			t.Fatalf("@%s got it %d times:\n%s", who, n, out)
		}
	}
	if !strings.Contains(out, "[bot → @tinh] Đang gửi thông báo số 1 tới 4 người") {
		t.Fatalf("no start notice:\n%s", out)
	}
	h.announcementsJob()
	h.expect("", "[bot → @tinh] Kết quả gửi thông báo số 1: 4 người nhận được.")

	// Now to everyone, then stopped before the sender runs.
	h.expect("@tinh /thongbao\nHọp khẩn 14 giờ hôm nay.\nTất cả đoàn viên\nGửi ngay\n", "tới 4 người")
	ctx := context.Background()
	for _, line := range []string{"Gửi thông báo", "/huythongbao"} {
		if err := h.bot.Handle(ctx, bot.Update{Platform: cd.PlatformConsole, UserID: "tinh", ChatID: "tinh", Text: line}); err != nil {
			t.Fatal(err)
		}
	}
	out = h.run("")
	if strings.Contains(out, "Họp khẩn") || !strings.Contains(out, "Đang gửi thông báo số 2 tới 4 người") ||
		!strings.Contains(out, "Đã dừng thông báo số 2: 4 tin chưa gửi đã được hủy.") ||
		!strings.Contains(out, "Kết quả gửi thông báo số 2: 0 người nhận được, 4 người chưa gửi vì đã dừng.") {
		t.Fatalf("cancel:\n%s", out)
	}
	h.expect("@tinh /huythongbao\n", "Không có thông báo nào đang chờ gửi")
	// A scheduled one is cancelled before anything goes.
	h.expect("@tinh /thongbao\nHọp giao ban.\n1\nHẹn giờ gửi\n30/11/2026 08:00\nGửi thông báo\n", "Đã hẹn gửi thông báo số 3")
	h.expect("@tinh /huythongbao 3\n", "Đã hủy thông báo số 3 đã hẹn giờ; chưa gửi cho ai.")
	h.clock.Advance(7 * 24 * time.Hour)
	h.announcementsJob()
	if out := h.run(""); strings.Contains(out, "Họp giao ban") {
		t.Fatalf("a cancelled announcement went out:\n%s", out)
	}
	h.expect("@an /thongbao\n", "không có quyền")
}
