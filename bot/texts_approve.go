package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

const (
	// Approval.
	txtNoPending  = "Không có ai đang chờ duyệt."
	txtApprove    = "Duyệt"
	txtReject     = "Từ chối"
	txtBack       = "Quay lại"
	txtAskReason  = "Lý do từ chối (sẽ gửi cho người đăng ký, tối đa 200 ký tự):"
	txtNotPending = "Người này không còn chờ duyệt (có thể đã được người khác duyệt)."
)

func txtPendingList(n, shown int) string {
	if n > shown {
		return fmt.Sprintf("Có %d người chờ duyệt (hiện %d người đầu). Chọn một người để xem và duyệt:", n, shown)
	}
	return fmt.Sprintf("Có %d người chờ duyệt. Chọn một người để xem và duyệt:", n)
}

func txtApplicantLabel(m *cd.Member) string { return fmt.Sprintf("%s (%s)", m.FullName, m.UnitCode) }

func txtApplicantDetail(m *cd.Member, loc *locTime) string {
	phone := m.Phone
	if phone == "" {
		phone = "không cung cấp"
	}
	return fmt.Sprintf("%s\n• Đơn vị: %s (%s)\n• Điện thoại: %s\n• Đăng ký lúc: %s\n\nDuyệt người này?",
		m.FullName, m.UnitName, m.UnitCode, phone, loc.datetime(m.RegisteredAt))
}

func txtApproved(m *cd.Member) string {
	return fmt.Sprintf("Đã duyệt %s vào %s.", m.FullName, m.UnitName)
}

func txtRejectedFor(m *cd.Member) string {
	return fmt.Sprintf("Đã từ chối đăng ký của %s.", m.FullName)
}

func txtYouAreApproved(m *cd.Member) string {
	return fmt.Sprintf("Chúc mừng anh/chị! Đăng ký đoàn viên vào %s đã được duyệt. Gõ /trogiup để xem các lệnh.", m.UnitName)
}

func txtYouAreRejected(m *cd.Member, reason string) string {
	return fmt.Sprintf("Đăng ký đoàn viên vào %s chưa được duyệt. Lý do: %s\nNếu cần, anh/chị gõ /dangky để đăng ký lại.", m.UnitName, reason)
}
