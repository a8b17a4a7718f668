package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const (
	// Roles.
	txtAskRoleUnit = "Phân quyền cho đoàn viên của đơn vị nào? Gõ mã đơn vị (ví dụ STP) hoặc tên."
	txtNoMembers   = "Đơn vị này chưa có đoàn viên nào đang hoạt động."
	txtRoleSame    = "Người này đã có vai trò đó."
)

func txtMemberLabel(m *cd.Member) string {
	if m.Role == cd.RoleMember {
		return m.FullName
	}
	return fmt.Sprintf("%s (%s)", m.FullName, strings.ToLower(roleNames[m.Role]))
}

func txtPickMember(u *cd.Unit, n, shown int) string {
	if n > shown {
		return fmt.Sprintf("%s có %d đoàn viên (hiện %d người đầu; gõ vài chữ trong tên để tìm). Chọn người cần phân quyền:", u.Name, n, shown)
	}
	return fmt.Sprintf("Chọn đoàn viên của %s cần phân quyền:", u.Name)
}

func txtPickRole(m *cd.Member) string {
	return fmt.Sprintf("%s hiện là %s. Chọn vai trò mới:", m.FullName, strings.ToLower(roleNames[m.Role]))
}

func txtRoleSet(m *cd.Member, role cd.Role, replaced []cd.Member) string {
	s := fmt.Sprintf("Đã phân quyền: %s là %s (%s).", m.FullName, strings.ToLower(roleNames[role]), m.UnitName)
	for _, r := range replaced {
		s += fmt.Sprintf("\n%s không còn là chủ tịch, trở thành đoàn viên.", r.FullName)
	}
	return s
}

func txtYourRole(role cd.Role, unit string) string {
	return fmt.Sprintf("Vai trò của anh/chị trong bot đã đổi thành: %s (%s). Gõ /trogiup để xem các lệnh.", strings.ToLower(roleNames[role]), unit)
}
