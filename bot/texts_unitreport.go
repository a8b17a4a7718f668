package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// Activity reports.
const (
	// Monthly unit reports.
	txtSubmit2      = "Nộp báo cáo tháng"
	txtLater        = "Để sau"
	txtUnlockUsage  = "Gõ /mokhoa kèm mã đơn vị và tháng, ví dụ: /mokhoa STP 10/2026"
	txtSubmitUsage  = "Tháng không hợp lệ. Gõ /nopbaocao hoặc /nopbaocao 10/2026."
	txtChairNoUnit  = "Anh/chị không phụ trách công đoàn cơ sở nào."
	txtNotSubmitted = "Chưa nộp. Khi sẵn sàng, gõ /nopbaocao."
)

func txtUnitMonth(u *cd.Unit, m cd.Month, totals, reports []string, status string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Báo cáo tháng %s của %s", m.Display(), u.Name)
	if status != "" {
		b.WriteString(" — " + status)
	}
	b.WriteString("\n")
	if len(totals) == 0 {
		b.WriteString("Chưa có báo cáo hoạt động nào.")
	} else {
		b.WriteString("Tổng hợp theo loại:\n" + strings.Join(totals, "\n"))
		b.WriteString("\n\nCác báo cáo:\n" + strings.Join(reports, "\n"))
	}
	return b.String()
}

func txtSubmittedStatus(r *cd.UnitReport, loc *locTime) string {
	if r == nil {
		return "chưa nộp"
	}
	s := "đã nộp lúc " + loc.datetime(r.SubmittedAt)
	if r.Late {
		s += " (nộp muộn)"
	}
	if !r.Locked {
		s += ", đang mở khóa để sửa"
	}
	return s
}

func txtMoreReports(n int) string {
	return fmt.Sprintf("… và %d báo cáo khác (xem đủ trong bản xuất dữ liệu).", n)
}

func txtSubmitted(u *cd.Unit, m cd.Month, late bool, deadline cd.Date) string {
	s := fmt.Sprintf("Đã nộp báo cáo tháng %s của %s. Các báo cáo hoạt động của tháng đã khóa.", m.Display(), u.Name)
	if late {
		s += fmt.Sprintf(" Lưu ý: nộp sau hạn %s.", deadline.Display())
	}
	return s
}

func txtSubmitAsk(deadline cd.Date) string {
	return fmt.Sprintf("Hạn nộp: %s. Nộp báo cáo tháng này? Sau khi nộp, báo cáo hoạt động của tháng sẽ bị khóa.", deadline.Display())
}

func txtUnlocked(u *cd.Unit, m cd.Month) string {
	return fmt.Sprintf("Đã mở khóa báo cáo tháng %s của %s; đơn vị sửa xong thì nộp lại bằng /nopbaocao %s.", m.Display(), u.Name, m.Display())
}

func txtYourMonthUnlocked(u *cd.Unit, m cd.Month) string {
	return fmt.Sprintf("Công đoàn tỉnh đã mở khóa báo cáo tháng %s của %s. Sửa xong, anh/chị nộp lại bằng /nopbaocao %s.", m.Display(), u.Name, m.Display())
}

func txtUnitStatus(u *cd.Unit, m cd.Month, totals []string, reported, missing []string, status string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — tháng %s (%s)\n", u.Name, m.Display(), status)
	if len(totals) > 0 {
		b.WriteString(strings.Join(totals, "\n") + "\n")
	} else {
		b.WriteString("Chưa có báo cáo hoạt động nào.\n")
	}
	fmt.Fprintf(&b, "\nĐã báo cáo (%d): %s", len(reported), strings.Join(orNone(reported), ", "))
	fmt.Fprintf(&b, "\nChưa báo cáo (%d): %s", len(missing), strings.Join(orNone(missing), ", "))
	return b.String()
}

func orNone(s []string) []string {
	if len(s) == 0 {
		return []string{"không có"}
	}
	return s
}

func txtUnreachable(names []string) string {
	return fmt.Sprintf("Bot không nhắn được (đã chặn bot hoặc bỏ tài khoản) (%d): %s. Anh/chị báo trực tiếp giúp.", len(names), strings.Join(names, ", "))
}
