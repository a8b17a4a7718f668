package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

const (
	// Units.
	txtUnitsList         = "Danh sách đơn vị"
	txtUnitsAdd          = "Thêm đơn vị"
	txtUnitsMenu         = "Quản lý đơn vị: chọn việc cần làm."
	txtAskUnitName       = "Tên đơn vị mới (ví dụ: Sở Tài chính):"
	txtAskUnitCode       = "Mã tham gia của đơn vị (2–12 chữ cái không dấu hoặc số, ví dụ STC). Đoàn viên gõ mã này khi đăng ký."
	txtAskUnitParent     = "Đơn vị này trực thuộc đâu? Chọn «Trực thuộc tỉnh» cho một công đoàn cơ sở, hoặc gõ mã công đoàn cơ sở nếu đây là công đoàn bộ phận."
	txtUnitUnderProvince = "Trực thuộc tỉnh"
	txtCreate            = "Tạo đơn vị"
)

func txtUnitLine(u *cd.Unit) string {
	indent := ""
	if u.Kind == cd.UnitSub {
		indent = "   ↳ "
	}
	return fmt.Sprintf("%s%s — %s: %d đoàn viên, %d chờ duyệt", indent, u.Code, u.Name, u.ActiveMembers, u.PendingMembers)
}

func txtConfirmUnit(u *cd.Unit, parent *cd.Unit) string {
	return fmt.Sprintf("Tạo đơn vị mới?\n• Tên: %s\n• Mã: %s\n• Trực thuộc: %s", u.Name, u.Code, parent.Name)
}

func txtUnitCreated(u *cd.Unit) string {
	return fmt.Sprintf("Đã tạo đơn vị %s, mã %s. Đoàn viên gõ mã %s khi đăng ký.", u.Name, u.Code, u.Code)
}
