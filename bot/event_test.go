package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// makeEvent has a chair (or, with an audience answer, the province)
// make an event of kind «Văn nghệ, thể thao» counting for the campaign
// offered first. start is "dd/mm/yyyy hh:mm", end "hh:mm", capacity a
// number or "1" for no limit.
func (h *harness) makeEvent(who, name, start, end, audience, capacity string) string {
	h.t.Helper()
	return h.expect("@"+who+" /taosukien\n"+name+"\n"+start+"\n"+end+"\nNhà văn hóa tỉnh\n"+audience+capacity+
		"\nVăn nghệ, thể thao\n1\nGửi lời mời\n", "Đã gửi lời mời sự kiện số")
}

// eventWork runs what the scheduler's events job runs.
func (h *harness) eventWork() int {
	h.t.Helper()
	var n int
	err := h.db.Update(context.Background(), func(tx *storage.Tx) (err error) {
		n, err = h.bot.QueueEventWork(tx, tx.Now())
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

var checkInCode = regexp.MustCompile(`Mã điểm danh «[^»]*»: (\d{6})`)

// checkInCode has the organiser show an event's code and returns it,
// with what the bot said.
func (h *harness) checkInCode(who string, event int) (string, string) {
	h.t.Helper()
	out := h.expect("@"+who+" /quanlysukien_"+string(rune('0'+event))+"\nMã điểm danh\n", "Mã điểm danh «", "Đoàn viên gõ: /diemdanh ")
	return checkInCode.FindStringSubmatch(out)[1], out
}

func TestEventRSVPWaitingListAndReminders(t *testing.T) {
	storagetest.Run(t, testEventRSVPWaitingListAndReminders)
}

func testEventRSVPWaitingListAndReminders(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	for _, m := range []struct{ user, name string }{{"an", "Nguyễn Văn An"}, {"binh", "Lê Thị Bình"}, {"cuc", "Trần Thị Cúc"}} {
		h.registerActive(m.user, m.name)
	}
	h.addMember("kb", "Đặng Văn Kho", "KBNN", cd.RoleMember, cd.StatusActive)
	out := h.makeEvent("chutich", "Hội thao chào mừng ngày thành lập Công đoàn", "26/11/2026 14:00", "16:00", "", "2")
	for _, want := range []string{"[bot → @an] 📅 Công đoàn Sở Tư pháp mời anh/chị tham gia «Hội thao chào mừng ngày thành lập Công đoàn»",
		"• Thời gian: 14:00–16:00 ngày 26/11/2026", "Trả lời (Tham gia / Không tham gia / Chưa chắc): gõ /sukien_1.",
		"[bot → @chutich] Đã gửi lời mời sự kiện số 1 tới 3 người. Điểm danh mở từ 13:00 26/11/2026"} {
		if !strings.Contains(out, want) {
			t.Fatalf("want %q in:\n%s", want, out)
		}
	}
	h.refuse(out, "@kb]")
	h.expect("@kb /sukien_1\n", "Sự kiện này không dành cho anh/chị")

	h.expect("@an /sukien\n", "📅 Hội thao chào mừng ngày thành lập Công đoàn (số 1)", "• Tính là: Văn nghệ, thể thao (phong trào",
		"• Số chỗ: 2, đã đăng ký 0", "Anh/chị chưa trả lời lời mời.", "  [1] Tham gia")
	h.expect("Tham gia\n", "Đã ghi: anh/chị tham gia «Hội thao chào mừng ngày thành lập Công đoàn» (14:00–16:00 ngày 26/11/2026")
	h.expect("@binh /sukien_1\n1\n", "Đã ghi: anh/chị tham gia")
	h.expect("@cuc /sukien_1\n1\n", "đã đủ 2 chỗ. Anh/chị ở danh sách chờ, thứ 1")
	h.expect("@cuc /sukien_1\n", "Anh/chị đang ở danh sách chờ, thứ 1.")
	h.expect("1\n", "Anh/chị đã ở danh sách chờ")
	// Bình drops out: Cúc moves up and is told.
	h.expect("@binh /sukien_1\nKhông tham gia\n", "Đã ghi: anh/chị không tham gia",
		"[bot → @cuc] 🎉 Đã có chỗ: anh/chị được chuyển từ danh sách chờ sang tham gia «Hội thao chào mừng ngày thành lập Công đoàn»")
	h.expect("@binh /sukien_1\n3\n", "Đã ghi: anh/chị chưa chắc tham gia")

	// 08:00 the day before had passed when it was made: no reminder then.
	if n := h.eventWork(); n != 0 {
		t.Fatalf("reminded at once: %d", n)
	}
	// Two hours before, those going are reminded, once, also after a restart.
	h.clock.Advance(24*time.Hour + 150*time.Minute) // 26/11 12:00
	h.restart()
	if n := h.eventWork(); n != 2 {
		t.Fatalf("reminders 2 h before: %d", n)
	}
	out = h.expect("", "[bot → @an] ⏰ Còn 2 giờ nữa: «Hội thao chào mừng ngày thành lập Công đoàn» bắt đầu lúc 14:00 tại Nhà văn hóa tỉnh.",
		"[bot → @cuc] ⏰ Còn 2 giờ nữa")
	h.refuse(out, "@binh]")
	if n := h.eventWork(); n != 0 {
		t.Fatalf("reminded twice: %d", n)
	}
	// Started: answers are closed.
	h.clock.Advance(2*time.Hour + time.Minute)
	h.expect("@binh /sukien_1\n", "Anh/chị đã trả lời: chưa chắc.")
	h.refuse(h.run(""), "Anh/chị có tham gia không?")
}

func TestEventReminderTheDayBefore(t *testing.T) { storagetest.Run(t, testEventReminderTheDayBefore) }

func testEventReminderTheDayBefore(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.makeEvent("chutich", "Tập huấn nghiệp vụ công đoàn", "28/11/2026 08:00", "11:30", "", "1")
	h.expect("@an /sukien_1\n1\n", "Đã ghi")
	h.clock.Advance(2*24*time.Hour - 90*time.Minute) // 27/11 08:00
	if n := h.eventWork(); n != 1 {
		t.Fatalf("day-before reminder: %d", n)
	}
	h.expect("", "[bot → @an] 📅 Nhắc lịch ngày mai: «Tập huấn nghiệp vụ công đoàn», 08:00–11:30 ngày 28/11/2026, tại Nhà văn hóa tỉnh.")
	if n := h.eventWork(); n != 0 {
		t.Fatalf("twice: %d", n)
	}
}

func TestEventCheckInAndActivitiesCreditedOnce(t *testing.T) {
	storagetest.Run(t, testEventCheckInAndActivitiesCreditedOnce)
}

func testEventCheckInAndActivitiesCreditedOnce(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	for _, m := range []struct{ user, name string }{{"an", "Nguyễn Văn An"}, {"binh", "Lê Thị Bình"}, {"cuc", "Trần Thị Cúc"}} {
		h.registerActive(m.user, m.name)
	}
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)
	h.bot.SetTelegramBot("congdoan_test_bot")
	// Now is 25/11 09:30; it runs 11:00–12:00, check-in from 10:00.
	h.makeEvent("chutich", "Hội diễn văn nghệ quần chúng", "25/11/2026 11:00", "12:00", "", "1")
	h.makeEvent("chairkb", "Hội nghị người lao động Kho bạc", "25/11/2026 10:00", "11:30", "", "1")
	h.expect("@an /sukien_1\n1\n@binh /sukien_1\n1\n@cuc /sukien_1\n3\n", "chưa chắc")
	files := h.catchFiles()
	code, out := h.checkInCode("chutich", 1)
	for _, want := range []string{"Mã dùng được từ 10:00 25/11/2026 đến 12:00 25/11/2026.",
		"https://t.me/congdoan_test_bot?start=dd_" + code, "[tệp] diem-danh-1.png"} {
		if !strings.Contains(out, want) {
			t.Fatalf("want %q in:\n%s", want, out)
		}
	}
	if f := files.last(t).File; f.MIME != "image/png" || len(f.Data) == 0 {
		t.Fatalf("QR: %+v", f)
	}
	otherCode, _ := h.checkInCode("chairkb", 2)

	h.expect("@an /diemdanh "+code+"\n", "Chưa đến giờ điểm danh «Hội diễn văn nghệ quần chúng»: điểm danh mở từ 10:00 25/11/2026")
	h.expect("@an /diemdanh\n", "Gõ /diemdanh kèm mã điểm danh")
	h.expect("@an /diemdanh 000000\n", "Mã điểm danh không đúng")
	h.expect("@an /diemdanh "+otherCode+"\n", "Mã này là của sự kiện «Hội nghị người lao động Kho bạc», không dành cho anh/chị")
	h.expect("@tinh /diemdanh "+code+"\n", "không dành cho anh/chị")
	h.clock.Advance(45 * time.Minute) // 10:15
	h.expect("@an /diemdanh "+code+"\n", "✅ Đã điểm danh: «Hội diễn văn nghệ quần chúng»", "một hoạt động «Văn nghệ, thể thao»")
	h.expect("@an diem danh "+code+"\n", "Anh/chị đã điểm danh «Hội diễn văn nghệ quần chúng» lúc 10:15 rồi.")
	// The Telegram link sends /start dd_CODE.
	h.expect("@binh /start dd_"+code+"\n", "✅ Đã điểm danh")
	// The organiser ticks Cúc in, and a mistake out again.
	h.expect("@chutich /quanlysukien_1\nĐiểm danh hộ\n", "Chọn người để điểm danh", "✅ Nguyễn Văn An (STP)", "✅ Lê Thị Bình (STP)", "Trần Thị Cúc (STP)")
	h.expect("3\n", "✅ Đã điểm danh Trần Thị Cúc")
	h.expect("2\n", "Đã bỏ điểm danh Lê Thị Bình")
	h.expect("2\nXong\n", "✅ Đã điểm danh Lê Thị Bình", "Đã xong điểm danh hộ.")
	h.expect("@an /quanlysukien_1\n", "không có quyền")

	// After the end: each of the three gets one activity, once, however
	// often the job runs, and across a restart.
	h.clock.Advance(106 * time.Minute) // 12:01
	h.expect("@cuc /diemdanh "+code+"\n", "«Hội diễn văn nghệ quần chúng» đã kết thúc lúc 12:00 25/11/2026; không điểm danh được nữa.")
	if n := h.eventWork(); n != 2 { // the attendance lists of both organisers
		t.Fatalf("after the events: %d messages", n)
	}
	h.expect("", "[bot → @chutich] Sự kiện số 1 «Hội diễn văn nghệ quần chúng» đã kết thúc: đã ghi hoạt động «Văn nghệ, thể thao» cho 3 người điểm danh.",
		"Danh sách tham dự «Hội diễn văn nghệ quần chúng» (11:00–12:00 ngày 25/11/2026): tham gia 2, chờ 0, chưa chắc 1, không tham gia 0; đã điểm danh 3.",
		"1. Nguyễn Văn An (STP) — tham gia — ✅ 10:15")
	h.eventWork()
	h.restart()
	h.eventWork()
	acts := h.activities("2026-11")
	if len(acts) != 3 {
		t.Fatalf("%d activities: %+v", len(acts), acts)
	}
	for _, a := range acts {
		if a.Kind != "van_nghe" || a.Date.String() != "2026-11-25" || a.UnitCode != "STP" || a.CampaignID == 0 ||
			a.Description != "Tham gia sự kiện «Hội diễn văn nghệ quần chúng»" || a.EnteredName != "Trần Thị Hoa" {
			t.Fatalf("activity %+v", a)
		}
	}
	h.expect("@an /cuatoi\n", "Văn nghệ, thể thao: Tham gia sự kiện «Hội diễn văn nghệ quần chúng»")
}

func TestEventBadInputChangesNothing(t *testing.T) {
	storagetest.Run(t, testEventBadInputChangesNothing)
}

func testEventBadInputChangesNothing(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /taosukien\n", "không có quyền")
	h.expect("@chutich /taosukien\nHN\n", "Tên sự kiện cần từ 3 đến 200 ký tự")
	h.expect("Hội nghị công đoàn\n20/11/2026 08:00\n", "Thời gian bắt đầu chưa đúng")
	h.expect("mai\n", "Thời gian bắt đầu chưa đúng")
	h.expect("01/12/2026 08:00\n07:00\n", "Thời gian kết thúc chưa đúng")
	h.expect("10/12/2026 08:00\n", "Thời gian kết thúc chưa đúng")
	h.expect("11:00\nX\n", "Địa điểm cần từ 2 đến 200 ký tự")
	h.expect("Hội trường\n-5\n", "Số người tối đa cần là số nguyên")
	h.expect("nhiều\n", "Số người tối đa cần là số nguyên")
	h.expect("30\n", "Sự kiện tính là loại hoạt động nào?")
	h.expect("Hủy\n", "Đã hủy")
	var n int
	if err := h.raw().QueryRow(`SELECT COUNT(*) FROM events`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d events (%v)", n, err)
	}
	h.expect("@an /sukien_7\n", "Không tìm thấy sự kiện này")
}
