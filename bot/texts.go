package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// All user-facing Vietnamese text of the conversation core lives in this
// file, so that wording is reviewed in one place and never scattered
// through the logic. Texts that take values are functions.

const (
	txtApology         = "Xin lỗi, bot gặp sự cố khi xử lý tin nhắn này. Anh/chị vui lòng thử lại sau ít phút; nếu vẫn lỗi, báo Ban Thường vụ Công đoàn tỉnh."
	txtUnknown         = "Bot chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh."
	txtUnknownGuest    = "Chào anh/chị! Gõ /dangky để đăng ký đoàn viên, hoặc /trogiup để xem các lệnh."
	txtEmpty           = "Tin nhắn trống. Gõ /trogiup để xem các lệnh."
	txtControl         = "Tin nhắn có ký tự không hợp lệ (ký tự điều khiển). Anh/chị gõ lại giúp bot."
	txtFloodWarning    = "Anh/chị đang gửi quá nhiều tin nhắn. Bot tạm ngừng trả lời trong ít phút."
	txtExpired         = "Lựa chọn này đã hết hạn. Gõ /trogiup để xem các lệnh."
	txtCancelled       = "Đã hủy thao tác đang làm."
	txtNothingToCancel = "Không có thao tác nào đang làm."
	txtPickOne         = "Anh/chị chọn một mục trong danh sách (gõ số thứ tự hoặc tên mục)."
	txtDenied          = "Xin lỗi, anh/chị không có quyền dùng lệnh này."
	txtDeniedGuest     = "Lệnh này dành cho đoàn viên đã đăng ký. Gõ /dangky để đăng ký."
	txtDeniedPending   = "Đăng ký của anh/chị đang chờ chủ tịch công đoàn cơ sở duyệt; lệnh này dùng được sau khi được duyệt."
	txtHelpHeader      = "Các lệnh anh/chị dùng được:"
	txtHelpFooter      = "Gõ lệnh có dấu hay không dấu đều được (ví dụ: dang ky). Gõ /huy để hủy thao tác đang làm."

	// Registration.
	txtConsent = "Để đăng ký đoàn viên, bot lưu: họ và tên, đơn vị, số điện thoại (nếu anh/chị cung cấp) và tài khoản chat này. " +
		"Dữ liệu chỉ dùng cho công tác công đoàn: duyệt đoàn viên, ghi nhận hoạt động, thông báo. " +
		"Anh/chị có thể xóa dữ liệu bất cứ lúc nào bằng lệnh /xoataikhoan.\n\nAnh/chị có đồng ý không?"
	txtConsentYes      = "Đồng ý"
	txtConsentNo       = "Không đồng ý"
	txtConsentDeclined = "Bot không lưu gì. Khi nào cần, anh/chị gõ /dangky để đăng ký."
	txtAskName         = "Họ và tên đầy đủ của anh/chị (có dấu), ví dụ: Nguyễn Thị Lan"
	txtAskPhone        = "Số điện thoại của anh/chị (không bắt buộc), ví dụ 0912345678. Chọn «Bỏ qua» nếu không muốn cung cấp."
	txtSkip            = "Bỏ qua"
	txtPhoneNotOwn     = "Bot chỉ nhận số điện thoại của chính anh/chị. Gõ số hoặc chọn «Bỏ qua»."
	txtAskUnitShort    = "Đơn vị (công đoàn cơ sở) của anh/chị: gõ mã đơn vị (ví dụ STP) hoặc chọn trong danh sách."
	txtAskUnitLong     = "Đơn vị (công đoàn cơ sở) của anh/chị: gõ mã đơn vị (ví dụ STP) hoặc vài chữ trong tên đơn vị để tìm."
	txtSubmit          = "Gửi đăng ký"
	txtCancel          = "Hủy"
	txtNoUnits         = "Chưa có công đoàn cơ sở nào trong hệ thống. Anh/chị liên hệ Công đoàn tỉnh."

	// Approval.
	txtNoPending  = "Không có ai đang chờ duyệt."
	txtApprove    = "Duyệt"
	txtReject     = "Từ chối"
	txtBack       = "Quay lại"
	txtAskReason  = "Lý do từ chối (sẽ gửi cho người đăng ký, tối đa 200 ký tự):"
	txtNotPending = "Người này không còn chờ duyệt (có thể đã được người khác duyệt)."

	// Roles.
	txtAskRoleUnit = "Phân quyền cho đoàn viên của đơn vị nào? Gõ mã đơn vị (ví dụ STP) hoặc tên."
	txtNoMembers   = "Đơn vị này chưa có đoàn viên nào đang hoạt động."
	txtRoleSame    = "Người này đã có vai trò đó."

	// Units.
	txtUnitsList         = "Danh sách đơn vị"
	txtUnitsAdd          = "Thêm đơn vị"
	txtUnitsMenu         = "Quản lý đơn vị: chọn việc cần làm."
	txtAskUnitName       = "Tên đơn vị mới (ví dụ: Sở Tài chính):"
	txtAskUnitCode       = "Mã tham gia của đơn vị (2–12 chữ cái không dấu hoặc số, ví dụ STC). Đoàn viên gõ mã này khi đăng ký."
	txtAskUnitParent     = "Đơn vị này trực thuộc đâu? Chọn «Trực thuộc tỉnh» cho một công đoàn cơ sở, hoặc gõ mã công đoàn cơ sở nếu đây là công đoàn bộ phận."
	txtUnitUnderProvince = "Trực thuộc tỉnh"
	txtCreate            = "Tạo đơn vị"

	// Own data.
	txtEraseAsk  = "Anh/chị muốn xóa dữ liệu cá nhân (họ tên, số điện thoại, tài khoản chat) khỏi bot? Các số liệu thống kê có tính anh/chị vẫn giữ nhưng không còn tên. Không thể hoàn tác."
	txtEraseYes  = "Xóa dữ liệu của tôi"
	txtEraseNo   = "Giữ lại"
	txtErased    = "Đã xóa dữ liệu cá nhân của anh/chị. Cảm ơn anh/chị đã đồng hành cùng công đoàn."
	txtEraseKept = "Dữ liệu của anh/chị được giữ nguyên."
)

// reasonTexts says, for each reason a domain error carries, what the person
// should know and do. Keep each to one or two short sentences.
var reasonTexts = map[cd.Reason]string{
	cd.ReasonNameEmpty:         "Anh/chị chưa nhập họ tên. Gõ họ và tên đầy đủ, ví dụ: Nguyễn Thị Lan.",
	cd.ReasonNameLength:        "Họ tên phải dài từ 2 đến 100 ký tự. Gõ lại họ và tên đầy đủ.",
	cd.ReasonNameOneWord:       "Anh/chị gõ đầy đủ cả họ và tên (ít nhất hai chữ), ví dụ: Nguyễn Thị Lan.",
	cd.ReasonNameDigits:        "Họ tên không được có chữ số. Gõ lại họ và tên đầy đủ, ví dụ: Nguyễn Thị Lan.",
	cd.ReasonNameSymbols:       "Họ tên chỉ gồm chữ cái (có dấu) và dấu cách, không có ký hiệu hay biểu tượng. Gõ lại giúp bot.",
	cd.ReasonUnitNameLength:    "Tên đơn vị phải dài từ 2 đến 150 ký tự. Gõ lại tên đơn vị.",
	cd.ReasonUnitCode:          "Mã đơn vị gồm 2–12 chữ cái không dấu, chữ số hoặc dấu gạch ngang, bắt đầu bằng chữ cái (ví dụ STP). Gõ lại mã.",
	cd.ReasonUnitCodeTaken:     "Mã này đã được đơn vị khác dùng. Chọn mã khác.",
	cd.ReasonUnitParent:        "Đơn vị cấp trên không hợp lệ: công đoàn bộ phận chỉ nằm trong một công đoàn cơ sở.",
	cd.ReasonUnitNotFound:      "Không tìm thấy đơn vị này. Kiểm tra lại mã (ví dụ STP) hoặc gõ vài chữ trong tên đơn vị.",
	cd.ReasonMemberNotFound:    "Không tìm thấy đoàn viên này.",
	cd.ReasonMemberState:       "Trạng thái của đoàn viên đã thay đổi; anh/chị mở lại danh sách để xem.",
	cd.ReasonAlreadyMember:     "Anh/chị đã đăng ký rồi. Gõ /cuatoi để xem thông tin của mình.",
	cd.ReasonPhone:             "Số điện thoại chưa đúng: cần 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678). Gõ lại hoặc chọn «Bỏ qua».",
	cd.ReasonRole:              "Vai trò không hợp lệ.",
	cd.ReasonStatus:            "Trạng thái không hợp lệ.",
	cd.ReasonText:              "Nội dung chưa hợp lệ. Anh/chị gõ lại giúp bot.",
	cd.ReasonIdentityTaken:     "Tài khoản chat này đã gắn với một đoàn viên khác.",
	cd.ReasonReasonTooLong:     "Lý do dài quá 200 ký tự. Anh/chị viết ngắn lại.",
	cd.ReasonPlatform:          "Nền tảng chat không được hỗ trợ.",
	cd.ReasonLastProvinceAdmin: "Không thể bỏ quyền của cán bộ tỉnh cuối cùng. Hãy phân quyền cho người khác trước.",
}

// reasonText returns the text for a domain error, or a generic one.
func reasonText(err error) string {
	if t, ok := reasonTexts[cd.ErrorReason(err)]; ok {
		return t
	}
	switch cd.ErrorCode(err) {
	case cd.ENOTFOUND:
		return "Không tìm thấy mục anh/chị cần."
	case cd.EFORBIDDEN:
		return txtDenied
	case cd.ECONFLICT:
		return "Dữ liệu đã thay đổi trong lúc anh/chị thao tác. Anh/chị thử lại."
	case cd.EINVALID:
		return "Nội dung chưa hợp lệ. Anh/chị gõ lại giúp bot."
	}
	return txtApology
}

var roleNames = map[cd.Role]string{
	cd.RoleMember:        "Đoàn viên",
	cd.RoleChair:         "Chủ tịch công đoàn cơ sở",
	cd.RoleDeputy:        "Phó Chủ tịch công đoàn cơ sở",
	cd.RoleProvinceAdmin: "Cán bộ Công đoàn tỉnh",
}

var statusNames = map[cd.Status]string{
	cd.StatusPending:  "đang chờ duyệt",
	cd.StatusActive:   "đang sinh hoạt",
	cd.StatusRejected: "bị từ chối",
	cd.StatusLeft:     "đã rời",
}

var platformNames = map[cd.Platform]string{
	cd.PlatformTelegram: "Telegram",
	cd.PlatformZalo:     "Zalo",
	cd.PlatformConsole:  "Console",
}

func txtTooLong(max int) string {
	return fmt.Sprintf("Tin nhắn dài quá (tối đa %s ký tự). Anh/chị gửi ngắn hơn.", cd.GroupThousands(int64(max)))
}

func txtWelcomeMember(m *cd.Member) string {
	return fmt.Sprintf("Chào %s (%s, %s)! Gõ /trogiup để xem các lệnh.", m.FullName, roleNames[m.Role], m.UnitName)
}

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
