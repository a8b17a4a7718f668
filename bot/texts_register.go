package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const (
	// Registration.
	txtConsent = "Để đăng ký đoàn viên, bot lưu: họ và tên, đơn vị, số điện thoại (nếu anh/chị cung cấp) và tài khoản chat này. " +
		"Dữ liệu chỉ dùng cho công tác công đoàn: duyệt đoàn viên, ghi nhận hoạt động, thông báo. " +
		"Anh/chị có thể xóa dữ liệu bất cứ lúc nào bằng lệnh /xoataikhoan.\n\nAnh/chị có đồng ý không?"
	txtConsentYes      = "Đồng ý"
	txtConsentNo       = "Không đồng ý"
	txtConsentDeclined = "Bot không lưu gì. Khi nào cần, anh/chị gõ /dangky để đăng ký."
	txtAskName         = "Họ và tên đầy đủ của anh/chị (có dấu), ví dụ: Nguyễn Thị Lan"
	txtAskPhone        = "Số điện thoại của anh/chị (không bắt buộc), ví dụ 0912345678. Chọn «Bỏ qua» nếu không muốn cung cấp."
	txtPhoneNotOwn     = "Bot chỉ nhận số điện thoại của chính anh/chị. Gõ số hoặc chọn «Bỏ qua»."
	txtAskUnitShort    = "Đơn vị (công đoàn cơ sở) của anh/chị: gõ mã đơn vị (ví dụ STP) hoặc chọn trong danh sách."
	txtAskUnitLong     = "Đơn vị (công đoàn cơ sở) của anh/chị: gõ mã đơn vị (ví dụ STP) hoặc vài chữ trong tên đơn vị để tìm."
	txtSubmit          = "Gửi đăng ký"
	txtNoUnits         = "Chưa có công đoàn cơ sở nào trong hệ thống. Anh/chị liên hệ Công đoàn tỉnh."
)

func txtAlreadyRegistered(m *cd.Member) string {
	switch m.Status {
	case cd.StatusPending:
		return fmt.Sprintf("Đăng ký của anh/chị vào %s đang chờ duyệt. Bot sẽ báo ngay khi có kết quả.", m.UnitName)
	default:
		return fmt.Sprintf("Anh/chị đã là đoàn viên của %s. Gõ /cuatoi để xem thông tin của mình.", m.UnitName)
	}
}

func txtAdminRecognised(province string) string {
	return fmt.Sprintf("Chào anh/chị! Bot nhận anh/chị là cán bộ %s theo cấu hình. Gõ /trogiup để xem các lệnh.", province)
}

func txtUnitChoiceLabel(u *cd.Unit) string { return fmt.Sprintf("%s (%s)", u.Name, u.Code) }

func txtUnitMatches(n int) string {
	return fmt.Sprintf("Có %d đơn vị khớp. Anh/chị chọn một đơn vị, hoặc gõ mã đơn vị cho chính xác.", n)
}

func txtConfirmRegistration(name, phone string, u *cd.Unit) string {
	if phone == "" {
		phone = "(không cung cấp)"
	}
	return fmt.Sprintf("Kiểm tra lại thông tin đăng ký:\n• Họ và tên: %s\n• Số điện thoại: %s\n• Đơn vị: %s (%s)\n\nGửi đăng ký?",
		name, phone, u.Name, u.Code)
}

func txtRegistered(u *cd.Unit, approvers []cd.Member) string {
	who := "Ban Thường vụ Công đoàn tỉnh"
	if len(approvers) > 0 {
		names := make([]string, len(approvers))
		for i, a := range approvers {
			names[i] = fmt.Sprintf("%s (%s)", a.FullName, strings.ToLower(roleNames[a.Role]))
		}
		who = strings.Join(names, ", ")
	}
	return fmt.Sprintf("Đã gửi đăng ký vào %s. Người duyệt: %s. Bot sẽ báo anh/chị ngay khi có kết quả.", u.Name, who)
}

func txtNewApplicant(m *cd.Member, u *cd.Unit) string {
	return fmt.Sprintf("Có đăng ký đoàn viên mới vào %s: %s. Gõ /duyet để duyệt hoặc từ chối.", u.Name, m.FullName)
}
