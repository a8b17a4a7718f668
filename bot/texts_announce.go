package bot

import (
	"fmt"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Announcements.
const (
	txtAnnAskText     = "Nội dung thông báo (tối đa 3.000 ký tự; có thể gửi kèm một ảnh có chú thích):"
	txtAnnAskAudience = "Gửi cho ai?"
	txtAudAll         = "Tất cả đoàn viên"
	txtAudChairs      = "Chủ tịch, phó chủ tịch CĐCS"
	txtAudUnits       = "Đoàn viên của một số đơn vị"
	txtAnnAskUnits    = "Gõ mã các đơn vị, cách nhau bằng dấu phẩy (ví dụ: STP, KBNN):"
	txtAnnAskWhen     = "Gửi khi nào?"
	txtSendNow        = "Gửi ngay"
	txtSendLater      = "Hẹn giờ gửi"
	txtAnnAskAt       = "Ngày giờ gửi, ví dụ 01/12/2026 08:00:"
	txtAnnSend        = "Gửi thông báo"
)

var announceReasonTexts = map[cd.Reason]string{
	cd.ReasonAnnouncementEmpty: "Thông báo chưa có nội dung. Gõ nội dung cần gửi.",
	cd.ReasonAnnouncementLong:  "Thông báo dài quá 3.000 ký tự. Anh/chị viết ngắn lại hoặc chia làm hai thông báo.",
	cd.ReasonAnnouncementTime:  "Thời điểm gửi chưa đúng: cần ngày giờ sắp tới, dạng 01/12/2026 08:00.",
	cd.ReasonAnnouncementUnits: "Có mã đơn vị không đúng. Gõ lại các mã, cách nhau bằng dấu phẩy (ví dụ: STP, KBNN).",
	cd.ReasonNoRecipients:      "Không có ai nhận thông báo này (chưa có đoàn viên nào dùng bot trong nhóm đã chọn).",
	cd.ReasonNothingToCancel:   "Không có thông báo nào đang chờ gửi hoặc đang gửi để dừng.",
}

func txtDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "dưới 1 phút"
	case d < time.Hour:
		return fmt.Sprintf("khoảng %d phút", int(d.Minutes()+0.5))
	}
	return fmt.Sprintf("khoảng %d giờ %d phút", int(d.Hours()), int(d.Minutes())%60)
}

func txtAnnPreview(n int, eta time.Duration, when, text string, photo bool) string {
	var b strings.Builder
	if when == "" {
		fmt.Fprintf(&b, "Thông báo sẽ gửi ngay tới %d người; gửi xong trong %s.", n, txtDuration(eta))
	} else {
		fmt.Fprintf(&b, "Thông báo sẽ gửi lúc %s tới %d người (số người tính đến bây giờ); gửi xong trong %s.", when, n, txtDuration(eta))
	}
	if photo {
		b.WriteString(" Ảnh kèm theo hiện trên Telegram.")
	}
	b.WriteString("\n———\n" + text + "\n———\nGửi thông báo?")
	return b.String()
}

func txtAnnHeader(province string) string { return "📢 " + province + " thông báo:\n" }

func txtAnnScheduled(id int64, when string) string {
	return fmt.Sprintf("Đã hẹn gửi thông báo số %d lúc %s. Gõ /huythongbao %d để hủy.", id, when, id)
}

func txtAnnQueued(id int64, n int, eta time.Duration) string {
	return fmt.Sprintf("Đang gửi thông báo số %d tới %d người, dự kiến xong trong %s. Bot sẽ báo tiến độ và kết quả. Gõ /huythongbao để dừng phần chưa gửi.",
		id, n, txtDuration(eta))
}

func txtAnnProgress(id int64, d *cd.Delivery, eta time.Duration) string {
	return fmt.Sprintf("Thông báo số %d: đã gửi %d/%d, còn %d (khoảng %s nữa).", id, d.Delivered, d.Total(), d.Pending, txtDuration(eta))
}

func txtAnnReport(id int64, d *cd.Delivery, missed []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Kết quả gửi thông báo số %d: %d người nhận được", id, d.Delivered)
	if d.Unreachable > 0 {
		fmt.Fprintf(&b, ", %d người không nhắn được (đã chặn bot hoặc bỏ tài khoản)", d.Unreachable)
	}
	if d.Failed > 0 {
		fmt.Fprintf(&b, ", %d người gửi lỗi", d.Failed)
	}
	if d.Cancelled > 0 {
		fmt.Fprintf(&b, ", %d người chưa gửi vì đã dừng", d.Cancelled)
	}
	b.WriteString(".")
	if len(missed) > 0 {
		const shown = 30
		more := ""
		if len(missed) > shown {
			more = fmt.Sprintf(" và %d người khác", len(missed)-shown)
			missed = missed[:shown]
		}
		fmt.Fprintf(&b, "\nChưa nhận được: %s%s. Chủ tịch các CĐCS đã được báo để nhắn trực tiếp.", strings.Join(missed, ", "), more)
	}
	return b.String()
}

func txtAnnMissedForChair(id int64, unit string, names []string) string {
	return fmt.Sprintf("Thông báo số %d của Công đoàn tỉnh chưa đến được các đoàn viên sau của %s: %s. Anh/chị vui lòng báo trực tiếp giúp.",
		id, unit, strings.Join(names, ", "))
}

func txtAnnScheduledCancelled(id int64) string {
	return fmt.Sprintf("Đã hủy thông báo số %d đã hẹn giờ; chưa gửi cho ai.", id)
}

func txtAnnCancelled(id int64, n int) string {
	return fmt.Sprintf("Đã dừng thông báo số %d: %d tin chưa gửi đã được hủy.", id, n)
}
