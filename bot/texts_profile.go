package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const (
	// Own data.
	txtEraseAsk  = "Anh/chị muốn xóa dữ liệu cá nhân (họ tên, số điện thoại, tài khoản chat) khỏi bot? Các số liệu thống kê có tính anh/chị vẫn giữ nhưng không còn tên. Không thể hoàn tác."
	txtEraseYes  = "Xóa dữ liệu của tôi"
	txtEraseNo   = "Giữ lại"
	txtErased    = "Đã xóa dữ liệu cá nhân của anh/chị. Cảm ơn anh/chị đã đồng hành cùng công đoàn."
	txtEraseKept = "Dữ liệu của anh/chị được giữ nguyên."
)

func txtProfile(m *cd.Member, ids []cd.Identity, loc *locTime) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Thông tin của anh/chị:\n• Họ và tên: %s\n• Đơn vị: %s (%s)\n• Vai trò: %s\n• Trạng thái: %s\n",
		m.FullName, m.UnitName, m.UnitCode, roleNames[m.Role], statusNames[m.Status])
	phone := m.Phone
	if phone == "" {
		phone = "không cung cấp"
	}
	fmt.Fprintf(&b, "• Điện thoại: %s\n• Đăng ký ngày: %s\n", phone, loc.date(m.RegisteredAt))
	var ps []string
	for _, id := range ids {
		p := platformNames[id.Platform]
		if id.Unreachable {
			p += " (bot không gửi được tin)"
		}
		ps = append(ps, p)
	}
	fmt.Fprintf(&b, "• Tài khoản chat: %s\n\nXóa dữ liệu của mình: /xoataikhoan", strings.Join(ps, ", "))
	return b.String()
}

func txtMyReports(m cd.Month, lines []string) string {
	if len(lines) == 0 {
		return fmt.Sprintf("Báo cáo tháng %s của anh/chị: chưa có. Gõ /baocao để báo cáo.", m.Display())
	}
	return fmt.Sprintf("Báo cáo tháng %s của anh/chị:\n%s", m.Display(), strings.Join(lines, "\n"))
}

func txtYearTotals(year int, lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return fmt.Sprintf("Cả năm %d:\n%s", year, strings.Join(lines, "\n"))
}
