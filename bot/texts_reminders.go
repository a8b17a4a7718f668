package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

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
