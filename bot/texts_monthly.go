package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

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
