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

func init() {
	for k, v := range announceReasonTexts {
		reasonTexts[k] = v
	}
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

func txtAnnCancelled(id int64, n int) string {
	return fmt.Sprintf("Đã dừng thông báo số %d: %d tin chưa gửi đã được hủy.", id, n)
}

// Reminders.
func txtReportReminder(unit string, m cd.Month, deadline cd.Date, reports int64, missing int, late bool) string {
	var b strings.Builder
	if late {
		fmt.Fprintf(&b, "Báo cáo tháng %s của %s đã quá hạn %s mà chưa nộp.", m.Display(), unit, deadline.Display())
	} else {
		fmt.Fprintf(&b, "Nhắc việc: hạn nộp báo cáo tháng %s là %s. %s chưa nộp.", m.Display(), deadline.Display(), unit)
	}
	fmt.Fprintf(&b, " Tháng này đơn vị có %d báo cáo hoạt động", reports)
	if missing > 0 {
		fmt.Fprintf(&b, "; %d đoàn viên chưa báo cáo (xem /donvi)", missing)
	}
	b.WriteString(". Gõ /nopbaocao để xem và nộp.")
	return b.String()
}

func txtLateUnits(m cd.Month, deadline cd.Date, units []string, total int) string {
	return fmt.Sprintf("Báo cáo tháng %s (hạn %s): %d/%d công đoàn cơ sở chưa nộp:\n%s", m.Display(), deadline.Display(),
		len(units), total, "• "+strings.Join(units, "\n• "))
}

func txtPledgeDueSoon(p *cd.Pledge) string {
	return fmt.Sprintf("Nhắc việc: còn 3 ngày đến hạn nộp ủng hộ quỹ «%s» (%s, hạn %s). Còn phải nộp %s; nội dung chuyển khoản: %s.",
		p.FundName, cd.PledgeMemo(p.ID), p.DueDate.Display(), cd.FormatVND(p.Remaining()), cd.PledgeMemo(p.ID))
}

func txtPledgeDueToday(p *cd.Pledge) string {
	return fmt.Sprintf("Hôm nay là hạn nộp ủng hộ quỹ «%s» (%s). Còn phải nộp %s; nội dung chuyển khoản: %s. Đã nộp rồi thì anh/chị báo chủ tịch CĐCS xác nhận.",
		p.FundName, cd.PledgeMemo(p.ID), cd.FormatVND(p.Remaining()), cd.PledgeMemo(p.ID))
}

func txtOverduePledges(ps []cd.Pledge) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = fmt.Sprintf("• %s %s — %s: còn %s, hạn %s", cd.PledgeMemo(p.ID), p.MemberName, p.FundName,
			cd.FormatVND(p.Remaining()), p.DueDate.Display())
	}
	return fmt.Sprintf("Các khoản ủng hộ quá hạn chưa nộp đủ của đơn vị (%d):\n%s\nGõ /xacnhan để ghi nhận khoản đã nộp.", len(ps), strings.Join(lines, "\n"))
}

// Monthly summaries in chat.
const (
	txtFundsHead       = "Các quỹ (đã đăng ký / đã nộp):"
	txtUnitsRankedHead = "Các công đoàn cơ sở (nhiều báo cáo nhất trước):"
	txtNoActivities    = "• Chưa có báo cáo hoạt động nào."
)

func catchUpMark(catchUp bool) string {
	if catchUp {
		return " (gửi bù)"
	}
	return ""
}

func txtUnitSummaryHead(unit string, m cd.Month, catchUp bool) string {
	return fmt.Sprintf("Tổng hợp tháng %s của %s%s:", m.Display(), unit, catchUpMark(catchUp))
}

func txtProvinceSummaryHead(province string, m cd.Month, catchUp bool) string {
	return fmt.Sprintf("Tổng hợp tháng %s toàn %s%s:", m.Display(), province, catchUpMark(catchUp))
}

func txtMembersLine(active, newMembers, reporters int) string {
	return fmt.Sprintf("• Đoàn viên: %d đang sinh hoạt, %d kết nạp mới trong tháng; %d người đã báo cáo.", active, newMembers, reporters)
}

func txtNotReported(names []string) string {
	const shown = 30
	more := ""
	if len(names) > shown {
		more = fmt.Sprintf(" và %d người khác", len(names)-shown)
		names = names[:shown]
	}
	return fmt.Sprintf("• Chưa báo cáo (%d): %s%s.", len(names), strings.Join(names, ", "), more)
}

func txtFundLine(f cd.FundSummary) string {
	s := fmt.Sprintf("• %s: %s / %s", f.Fund.Name, cd.FormatVND(f.Pledged), cd.FormatVND(f.Paid))
	if f.Donors > 0 {
		s += fmt.Sprintf(", %d người ủng hộ", f.Donors)
	}
	return s
}

func txtSubmittedStatusLine(r *cd.UnitReport, loc *locTime) string {
	return "Báo cáo tháng: " + txtSubmittedStatus(r, loc) + "."
}

func txtUnitRankLine(u *cd.UnitMonth) string {
	return fmt.Sprintf("%d. %s (%s): %d báo cáo, %d/%d đoàn viên đã báo cáo", u.Rank, u.Unit.Name, u.Unit.Code, u.Reports, u.Reporters, u.ActiveMembers)
}

func txtMoreUnits(n int) string {
	return fmt.Sprintf("… và %d đơn vị khác (xem tệp báo cáo).", n)
}

func txtSubmissionLine(missing, late []string, pastDeadline bool, deadline cd.Date) string {
	if len(missing) == 0 && len(late) == 0 {
		return "Tất cả các CĐCS đã nộp báo cáo đúng hạn."
	}
	var parts []string
	if len(missing) > 0 {
		status := "chưa nộp (hạn " + deadline.Display() + ")"
		if pastDeadline {
			status = "quá hạn " + deadline.Display() + " chưa nộp"
		}
		parts = append(parts, fmt.Sprintf("%s (%d): %s.", strings.ToUpper(status[:1])+status[1:], len(missing), strings.Join(missing, ", ")))
	}
	if len(late) > 0 {
		parts = append(parts, fmt.Sprintf("Nộp muộn (%d): %s.", len(late), strings.Join(late, ", ")))
	}
	return strings.Join(parts, "\n")
}

func txtSummaryXLSXCaption(m cd.Month) string {
	return fmt.Sprintf("Báo cáo kết quả hoạt động tháng %s (tệp Excel).", m.Display())
}

func txtSummaryChartCaption(m cd.Month) string {
	return fmt.Sprintf("Biểu đồ tháng %s: báo cáo theo đơn vị và tiến độ các quỹ.", m.Display())
}

func txtPlatformHalted(platform string) string {
	return fmt.Sprintf("Cảnh báo: bot đã ngừng gửi tin trên %s vì mã truy cập (token) bị từ chối. Quản trị viên cần cấp lại token mới và khởi động lại bot; các tin chưa gửi vẫn được giữ.", platform)
}
