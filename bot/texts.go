package bot

import (
	"fmt"
	"strings"
	"time"

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
	txtUnsupported     = "Xin lỗi, bot chưa đọc được loại tin nhắn này. Anh/chị gửi lại bằng chữ, hoặc gõ /trogiup để xem các lệnh."
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

// Texts the platform adapters and the demo show, kept here with the rest.
const (
	// TextChoiceHint ends a numbered list of choices on platforms without
	// buttons (Zalo): a typed number or label answers.
	TextChoiceHint = "(Trả lời bằng số thứ tự)"
	// TextSharePhone is Telegram's button that shares the person's own number.
	TextSharePhone = "📱 Gửi số điện thoại của tôi"
	// TextPhonePlaceholder is the hint in Telegram's input field at the phone step.
	TextPhonePlaceholder = "Ví dụ: 0912345678"
)

// TextDemoIntro greets someone running the console demo in a terminal.
func TextDemoIntro(province string) string {
	return fmt.Sprintf("Bản demo %s: mỗi dòng là một tin nhắn «@tên nội dung» (ví dụ: @an /dangky, @chutich /duyet, @tinh /donvi). Ctrl-D để thoát.", province)
}

// reasonTexts says, for each reason a domain error carries, what the person
// should know and do. Keep each to one or two short sentences.
var reasonTexts = map[cd.Reason]string{
	cd.ReasonNameEmpty:         "Anh/chị chưa nhập họ tên. Gõ họ và tên đầy đủ, ví dụ: Nguyễn Thị Lan.",
	cd.ReasonNameLength:        "Họ tên phải dài từ 2 đến 100 ký tự. Gõ lại họ và tên đầy đủ.",
	cd.ReasonNameOneWord:       "Anh/chị gõ đầy đủ cả họ và tên (ít nhất hai chữ), ví dụ: Nguyễn Thị Lan.",
	cd.ReasonNameDigits:        "Họ tên không được có chữ số. Gõ lại họ và tên đầy đủ, ví dụ: Nguyễn Thị Lan.",
	cd.ReasonNameSymbols:       "Họ tên chỉ gồm chữ cái (có dấu) và dấu cách, không có ký hiệu hay biểu tượng. Gõ lại giúp bot.",
	cd.ReasonNameScript:        txtNameScript,
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

// Activity reports.
const (
	txtReportFor        = "Báo cáo hoạt động cho ai?"
	txtReportForSelf    = "Cho bản thân"
	txtReportForMember  = "Cho một đoàn viên (báo cáo hộ)"
	txtReportForUnit    = "Cho cả đơn vị"
	txtReportPickUnit   = "Báo cáo cho đơn vị nào? Gõ mã đơn vị (ví dụ STP) hoặc tên."
	txtReportPickMember = "Báo cáo hộ đoàn viên nào? Chọn trong danh sách hoặc gõ vài chữ trong tên."
	txtReportKind       = "Loại hoạt động?"
	txtReportDescAsk    = "Mô tả ngắn hoạt động (tối đa 1.000 ký tự), ví dụ: Tham gia hiến máu tình nguyện đợt 2 tại bệnh viện tỉnh."
	txtReportPhotoAsk   = "Gửi một ảnh minh họa (không bắt buộc), hoặc chọn «Bỏ qua»."
	txtReportPhotoWant  = "Bot đang chờ một ảnh. Gửi ảnh, hoặc chọn «Bỏ qua»."
	txtReportCampaign   = "Hoạt động này tính cho phong trào nào?"
	txtNoCampaign       = "Không tính cho phong trào nào"
	txtSave             = "Lưu báo cáo"
	txtUndo             = "Hoàn tác"
	txtUndone           = "Đã hoàn tác: báo cáo không còn được tính."
	txtNothingToUndo    = "Không có báo cáo nào của anh/chị hoàn tác được (chỉ hoàn tác được trong 15 phút sau khi lưu)."
	txtNoKinds          = "Chưa có loại hoạt động nào đang dùng. Anh/chị liên hệ Công đoàn tỉnh."
	txtNotInUnit        = "Anh/chị chưa thuộc công đoàn cơ sở nào nên chưa báo cáo được. Liên hệ Công đoàn tỉnh."
	txtEditWhat         = "Sửa phần nào của báo cáo?"
	txtEditDesc         = "Nội dung"
	txtEditDate         = "Ngày"
	txtEditNumbers      = "Số liệu"
	txtEditAskUsage     = "Gõ /suabaocao kèm số báo cáo, ví dụ: /suabaocao 12. Số báo cáo có trong /cuatoi."
	txtEdited           = "Đã sửa báo cáo."

	// Monthly unit reports.
	txtSubmit2      = "Nộp báo cáo tháng"
	txtLater        = "Để sau"
	txtUnlockUsage  = "Gõ /mokhoa kèm mã đơn vị và tháng, ví dụ: /mokhoa STP 10/2026"
	txtSubmitUsage  = "Tháng không hợp lệ. Gõ /nopbaocao hoặc /nopbaocao 10/2026."
	txtChairNoUnit  = "Anh/chị không phụ trách công đoàn cơ sở nào."
	txtNotSubmitted = "Chưa nộp. Khi sẵn sàng, gõ /nopbaocao."

	// Campaigns.
	txtNoCampaigns      = "Hiện không có phong trào nào đang diễn ra."
	txtCampaignNew      = "Tạo phong trào mới"
	txtCampaignAskName  = "Tên phong trào (ví dụ: Lao động giỏi, Lao động sáng tạo):"
	txtCampaignAskDesc  = "Mô tả ngắn phong trào (hoặc chọn «Bỏ qua»):"
	txtCampaignAskStart = "Ngày bắt đầu (dd/mm/yyyy, hoặc «hôm nay»):"
	txtCampaignAskEnd   = "Ngày kết thúc (dd/mm/yyyy):"
	txtCampaignKinds    = "Chọn các loại hoạt động được tính (chọn từng loại; chọn lại để bỏ), rồi chọn «Xong»."
	txtDone             = "Xong"
	txtCreateCampaign   = "Tạo phong trào"
	txtCampaignMenu     = "Phong trào thi đua: chọn phong trào để xem bảng thi đua, hoặc tạo phong trào mới."
)

// activityReasonTexts extends reasonTexts for reports and campaigns.
var activityReasonTexts = map[cd.Reason]string{
	cd.ReasonDateFormat:       "Ngày chưa đúng. Gõ theo dạng ngày/tháng, ví dụ 25/11 hoặc 25/11/2026, hoặc «hôm nay», «hôm qua».",
	cd.ReasonDateFuture:       "Ngày này ở tương lai. Gõ ngày đã diễn ra hoạt động.",
	cd.ReasonDateTooOld:       "Ngày này đã quá hạn báo cáo. Hoạt động cũ hơn thời hạn cho phép, anh/chị báo chủ tịch công đoàn cơ sở.",
	cd.ReasonMonthFormat:      "Tháng chưa đúng. Gõ theo dạng tháng/năm, ví dụ 10/2026.",
	cd.ReasonDateOrder:        "Ngày kết thúc phải sau ngày bắt đầu.",
	cd.ReasonDescriptionEmpty: "Anh/chị chưa nhập mô tả. Gõ một câu ngắn về hoạt động.",
	cd.ReasonDescriptionLong:  "Mô tả dài quá 1.000 ký tự. Anh/chị viết ngắn lại.",
	cd.ReasonCountNegative:    "Số không được âm. Gõ một số nguyên, ví dụ 3.",
	cd.ReasonCountTooLarge:    "Số quá lớn, không hợp lý. Kiểm tra lại và gõ một số nguyên.",
	cd.ReasonCountFormat:      "Cần một số nguyên, ví dụ 3 (không có chữ, không có phần lẻ).",
	cd.ReasonKind:             "Loại hoạt động không hợp lệ.",
	cd.ReasonMonthLocked:      "Báo cáo tháng này của đơn vị đã nộp nên đã khóa. Muốn sửa, chủ tịch công đoàn cơ sở đề nghị Công đoàn tỉnh mở khóa.",
	cd.ReasonActivityNotFound: "Không tìm thấy báo cáo này. Xem số báo cáo trong /cuatoi.",
	cd.ReasonUndoExpired:      "Đã quá 15 phút nên không hoàn tác được. Anh/chị dùng /suabaocao để sửa.",
	cd.ReasonNotYours:         "Anh/chị chỉ sửa được báo cáo của mình (hoặc của đơn vị mình phụ trách).",
	cd.ReasonCampaignName:     "Tên phong trào cần từ 3 đến 200 ký tự.",
	cd.ReasonCampaignKinds:    "Chọn ít nhất một loại hoạt động cho phong trào.",
	cd.ReasonAlreadySubmitted: "Báo cáo tháng này đã nộp rồi.",
	cd.ReasonNotSubmitted:     "Báo cáo tháng này chưa nộp hoặc đang mở khóa.",
	cd.ReasonMoneyTooLarge:    "Số tiền quá lớn (tối đa 1.000.000.000 đ).",
}

func txtDateChoice(label string, d cd.Date) string { return fmt.Sprintf("%s (%s)", label, d.Short()) }

func txtReportDateAsk(window int) string {
	return fmt.Sprintf("Ngày diễn ra hoạt động? Chọn, hoặc gõ ngày/tháng (ví dụ 20/11), trong vòng %d ngày qua.", window)
}

func txtAskNumber(label string) string {
	return label + "? Gõ một số nguyên (gõ 0 nếu không có)."
}

func txtAskAmount(label string) string {
	return label + "? Ví dụ 500k, 1tr5, 2 triệu, 1.000.000đ (gõ 0 nếu không có)."
}

// txtFigures lists the figures of a report, for summaries and lists.
func txtFigures(k *cd.ActivityKind, people, amount, quantity int64) string {
	var parts []string
	if k.AskQuantity != "" && quantity > 0 {
		parts = append(parts, fmt.Sprintf("%s %s", cd.GroupThousands(quantity), k.QuantityUnit))
	}
	if k.AskPeople != "" && people > 0 {
		parts = append(parts, fmt.Sprintf("%s người", cd.GroupThousands(people)))
	}
	if k.AskAmount != "" && amount > 0 {
		parts = append(parts, cd.FormatVND(amount))
	}
	return strings.Join(parts, ", ")
}

func txtReportSummary(a *cd.Activity, k *cd.ActivityKind, who, campaign, photo string) string {
	var b strings.Builder
	b.WriteString("Kiểm tra lại báo cáo:\n")
	fmt.Fprintf(&b, "• Của: %s\n• Loại: %s\n• Ngày: %s\n• Nội dung: %s\n", who, k.Name, a.Date.Display(), a.Description)
	if f := txtFigures(k, a.People, a.Amount, a.Quantity); f != "" {
		fmt.Fprintf(&b, "• Số liệu: %s\n", f)
	}
	if photo != "" {
		b.WriteString("• Có ảnh minh họa\n")
	}
	if campaign != "" {
		fmt.Fprintf(&b, "• Phong trào: %s\n", campaign)
	}
	b.WriteString("\nLưu báo cáo?")
	return b.String()
}

func txtReportSaved(id int64, undoMinutes int) string {
	return fmt.Sprintf("Đã lưu báo cáo số %d. Cảm ơn anh/chị! Trong %d phút có thể chọn «Hoàn tác» hoặc gõ /hoantac; sau đó sửa bằng /suabaocao %d.",
		id, undoMinutes, id)
}

func txtReportedForYou(a *cd.Activity, by string) string {
	return fmt.Sprintf("%s đã báo cáo hộ anh/chị: %s ngày %s (báo cáo số %d).", by, a.KindName, a.Date.Display(), a.ID)
}

func txtWhoUnit(u string) string { return "cả đơn vị " + u }

func txtActivityLine(a *cd.Activity, k *cd.ActivityKind, withMember bool) string {
	s := fmt.Sprintf("#%d %s %s: %s", a.ID, a.Date.Short(), a.KindName, cd.Truncate(a.Description, 60))
	if k != nil {
		if f := txtFigures(k, a.People, a.Amount, a.Quantity); f != "" {
			s += " (" + f + ")"
		}
	}
	if withMember {
		who := a.MemberName
		if a.MemberID == 0 {
			who = "cả đơn vị"
		}
		s += " — " + who
	}
	return s
}

func txtTotalLine(k *cd.ActivityKind, t cd.KindTotal) string {
	s := fmt.Sprintf("• %s: %d báo cáo", k.Name, t.Count)
	if f := txtFigures(k, t.People, t.Amount, t.Quantity); f != "" {
		s += ", " + f
	}
	return s
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

func txtEditShow(a *cd.Activity, k *cd.ActivityKind) string {
	return fmt.Sprintf("Báo cáo số %d: %s, ngày %s\n%s\n%s", a.ID, k.Name, a.Date.Display(), a.Description,
		txtFigures(k, a.People, a.Amount, a.Quantity))
}

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

func txtCampaignHeader(c *cd.Campaign) string {
	return fmt.Sprintf("«%s» (%s – %s)", c.Name, c.Start.Display(), c.End.Display())
}

func txtProgressLine(k *cd.ActivityKind, value, target int64) string {
	unit := measureUnit(k)
	if target > 0 {
		pct := value * 100 / target
		return fmt.Sprintf("• %s: %s/%s %s (%d%%)", k.Name, cd.GroupThousands(value), cd.GroupThousands(target), unit, pct)
	}
	return fmt.Sprintf("• %s: %s %s", k.Name, cd.GroupThousands(value), unit)
}

func measureUnit(k *cd.ActivityKind) string {
	switch k.Measure {
	case cd.MeasurePeople:
		return "người"
	case cd.MeasureAmount:
		return "đ"
	case cd.MeasureQuantity:
		return k.QuantityUnit
	}
	return "báo cáo"
}

func txtRankLine(p *cd.UnitProgress) string {
	return fmt.Sprintf("%d. %s (%s): %d%% chỉ tiêu, %d báo cáo", p.Rank, p.Unit.Name, p.Unit.Code, int(p.Score*100+0.5), p.Reports)
}

func txtCampaignAskTarget(k *cd.ActivityKind) string {
	return fmt.Sprintf("Chỉ tiêu «%s» cho mỗi công đoàn cơ sở (tính bằng %s)? Gõ một số (gõ 0 nếu không đặt chỉ tiêu).", k.Name, measureUnit(k))
}

func txtCampaignConfirm(c *cd.Campaign, kinds map[string]*cd.ActivityKind) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tạo phong trào?\n• Tên: %s\n• Thời gian: %s – %s\n", c.Name, c.Start.Display(), c.End.Display())
	if c.Description != "" {
		fmt.Fprintf(&b, "• Mô tả: %s\n", c.Description)
	}
	b.WriteString("• Tính các hoạt động:")
	for _, code := range c.Kinds {
		k := kinds[code]
		fmt.Fprintf(&b, "\n   – %s", k.Name)
		if t := c.TargetFor(0, code); t > 0 {
			fmt.Fprintf(&b, ": chỉ tiêu %s %s mỗi CĐCS", cd.GroupThousands(t), measureUnit(k))
		}
	}
	return b.String()
}

const (
	txtUnitTargetSet     = "Đặt chỉ tiêu riêng cho một đơn vị"
	txtUnitTargetAskUnit = "Đơn vị nào? Gõ mã (ví dụ STP) hoặc tên công đoàn cơ sở."
)

func txtUnitTargetAskKind(unit string) string {
	return fmt.Sprintf("Chỉ tiêu riêng của %s cho loại hoạt động nào?", unit)
}

func txtUnitTargetSaved(c *cd.Campaign, u *cd.Unit, k *cd.ActivityKind, n int64) string {
	return fmt.Sprintf("Đã đặt chỉ tiêu riêng của %s trong «%s»: %s %s %s (thay cho chỉ tiêu chung).", u.Name, c.Name,
		k.Name, cd.GroupThousands(n), measureUnit(k))
}

func txtCampaignCreated(c *cd.Campaign) string {
	return fmt.Sprintf("Đã tạo phong trào «%s» (số %d). Đoàn viên chọn phong trào này khi báo cáo hoạt động.", c.Name, c.ID)
}

// Kinds of activity.
const (
	txtKindsHeader      = "Các loại hoạt động (đoàn viên chọn khi báo cáo):"
	txtKindAdd          = "Thêm loại hoạt động"
	txtKindToggle       = "Ẩn hoặc hiện một loại"
	txtKindPickToggle   = "Chọn loại cần ẩn (hoặc hiện lại). Báo cáo cũ của loại bị ẩn vẫn được tính."
	txtKindAskName      = "Tên loại hoạt động mới (ví dụ: Trồng cây xanh):"
	txtKindAskMeasure   = "Báo cáo loại này tính bằng gì (dùng cho chỉ tiêu và xếp hạng)?"
	txtMeasureCount     = "Số báo cáo"
	txtMeasurePeople    = "Số người"
	txtMeasureAmount    = "Số tiền"
	txtMeasureQuantity  = "Số lượng theo đơn vị riêng"
	txtKindAskUnit      = "Đơn vị tính (ví dụ: cây, lớp, suất quà):"
	txtAskPeopleDefault = "Số người tham gia"
	txtAskAmountDefault = "Số tiền"
)

func txtKindLine(k *cd.ActivityKind) string {
	s := k.Name
	if !k.Active {
		s += " (đang ẩn)"
	}
	return s
}

func txtKindToggled(k *cd.ActivityKind) string {
	if k.Active {
		return fmt.Sprintf("Đã hiện lại loại «%s».", k.Name)
	}
	return fmt.Sprintf("Đã ẩn loại «%s»; báo cáo cũ vẫn được tính.", k.Name)
}

func txtKindCreated(k *cd.ActivityKind) string {
	return fmt.Sprintf("Đã thêm loại hoạt động «%s». Đoàn viên chọn được ngay khi báo cáo.", k.Name)
}

// Funds, pledges and payments.
const (
	txtNoFunds       = "Chưa có quỹ nào."
	txtFundsHeader   = "Các quỹ của Công đoàn — công khai số đăng ký ủng hộ và số đã nộp:"
	txtFundNew       = "Tạo quỹ mới"
	txtErasedMember  = "(đoàn viên đã xóa dữ liệu)"
	txtAnonymousMark = "(ẩn danh)"
	txtAnonymous     = "Ẩn danh"
	txtFundEdit      = "Sửa thông tin quỹ"
	txtFundClose     = "Đóng quỹ"
	txtFundReopen    = "Mở lại quỹ"
	txtFieldName     = "Tên quỹ"
	txtFieldDesc     = "Mô tả"
	txtFieldTarget   = "Mục tiêu"
	txtFieldPeriod   = "Thời gian"
	txtFieldBank     = "Tài khoản nhận tiền"
	txtFundAskName   = "Tên quỹ (ví dụ: Mái ấm Công đoàn):"
	txtFundAskDesc   = "Mô tả ngắn mục đích của quỹ (hoặc chọn «Bỏ qua»):"
	txtFundAskTarget = "Mục tiêu vận động của quỹ? Ví dụ 300 triệu, 1 tỷ (gõ 0 nếu không đặt mục tiêu)."
	txtFundAskStart  = "Quỹ nhận ủng hộ từ ngày nào? Gõ ngày bắt đầu (dd/mm/yyyy), hoặc chọn «Không giới hạn thời gian»."
	txtNoPeriod      = "Không giới hạn thời gian"
	txtFundAskEnd    = "Đến ngày nào (dd/mm/yyyy)?"
	txtFundAskBank   = "Tài khoản nhận chuyển khoản: chọn ngân hàng, hoặc gõ mã BIN 6 chữ số của ngân hàng khác. Chọn «Không nhận chuyển khoản» nếu đoàn viên nộp tiền mặt."
	txtNoBank        = "Không nhận chuyển khoản"
	txtFundAskHolder = "Tên chủ tài khoản (như trên sao kê, ví dụ CONG DOAN VIEN CHUC TINH):"
	txtCreateFund    = "Tạo quỹ"

	txtPledgeFund    = "Anh/chị muốn ủng hộ quỹ nào?"
	txtNoOpenFunds   = "Hiện chưa có quỹ nào đang nhận đăng ký ủng hộ."
	txtMyPledges     = "Đăng ký của tôi (đổi, rút, mã QR)"
	txtPledgeDueAsk  = "Anh/chị hẹn nộp trước ngày nào? Gõ ngày/tháng, ví dụ 31/12, hoặc chọn."
	txtNoDueDate     = "Không hẹn ngày"
	txtEndOfMonth    = "Cuối tháng này"
	txtPledgeAnonAsk = "Danh sách ủng hộ được công khai với đoàn viên. Anh/chị muốn hiện tên mình hay ủng hộ ẩn danh? " +
		"(Ẩn danh: đoàn viên khác chỉ thấy «Ẩn danh»; chủ tịch công đoàn cơ sở và Công đoàn tỉnh vẫn biết để xác nhận tiền.)"
	txtPledgeNamed   = "Hiện tên tôi"
	txtPledgeAnon    = "Ẩn danh"
	txtSavePledge    = "Lưu đăng ký"
	txtNoPledges     = "Anh/chị chưa có đăng ký ủng hộ nào. Gõ /ungho để đăng ký."
	txtMyPledgesAsk  = "Các đăng ký ủng hộ của anh/chị. Chọn một đăng ký để xem, đổi số tiền, rút, hoặc lấy lại mã QR chuyển khoản."
	txtChangeAmount  = "Đổi số tiền"
	txtWithdraw      = "Rút đăng ký"
	txtShowQR        = "Mã QR chuyển khoản"
	txtSaveNewAmount = "Lưu số tiền mới"
	txtWithdrawYes   = "Rút đăng ký"
	txtWithdrawNo    = "Giữ đăng ký"
	txtPayCash       = "Cách nộp: anh/chị nộp tiền mặt cho chủ tịch công đoàn cơ sở (quỹ này không nhận chuyển khoản). Khi chủ tịch xác nhận đã nhận tiền, bot sẽ báo anh/chị."

	txtConfirmPickUnit = "Xác nhận tiền ủng hộ của đơn vị nào? Gõ mã đơn vị (ví dụ STP) hoặc tên."
	txtOwnPledge       = "Anh/chị không tự xác nhận khoản ủng hộ của chính mình. Nhờ phó chủ tịch công đoàn cơ sở hoặc Công đoàn tỉnh xác nhận giúp."
	txtFixPayment      = "Sửa một khoản nộp đã ghi"
	txtPayPart         = "Nộp một phần (gõ số tiền)"
	txtPaidOnAsk       = "Ngày nộp? Chọn, hoặc gõ ngày/tháng, ví dụ 20/11."
	txtKeepDate        = "Giữ ngày cũ"
	txtRecordPayment   = "Ghi nhận"
	txtNoPayments      = "Chưa có khoản nộp nào để sửa."
	txtFixPick         = "Chọn khoản nộp cần sửa (mới ghi nhất ở trên):"
	txtFixAmount       = "Sửa số tiền, ngày nộp"
	txtFixCancel       = "Hủy khoản nộp này (ghi nhầm)"
	txtSaveCorrection  = "Lưu sửa đổi"
)

// moneyReasonTexts says why a typed amount was refused. The bounds in
// force are named by txtMoneyRefused; these texts, with the default
// bounds, serve where a step returns the error instead.
var moneyReasonTexts = map[cd.Reason]string{
	cd.ReasonMoneyEmpty:     "Anh/chị chưa nhập số tiền. Gõ số tiền, ví dụ 500k, 1tr5, 2 triệu hoặc 1.000.000đ.",
	cd.ReasonMoneyFormat:    "Bot chưa đọc được số tiền này. Gõ như thường viết, ví dụ 500k, 1tr5, 2 triệu hoặc 1.000.000đ.",
	cd.ReasonMoneyAmbiguous: "Số tiền chưa rõ: «1,5» là 1,5 nghìn hay 1,5 triệu? Gõ kèm đơn vị, ví dụ 1,5tr, hoặc gõ đủ 1.500.000.",
	cd.ReasonMoneyNegative:  "Số tiền không được âm. Gõ lại số tiền, ví dụ 500k.",
	cd.ReasonMoneyZero:      "Số tiền phải lớn hơn 0. Gõ lại số tiền, ví dụ 500k.",
	cd.ReasonMoneyTooSmall:  "Số tiền quá nhỏ (tối thiểu 1.000 đ). Gõ lại số tiền, ví dụ 500k.",
	cd.ReasonMoneyFraction:  "Số tiền phải là số đồng chẵn, không có phần lẻ dưới một đồng. Gõ lại số tiền.",
	cd.ReasonMoneyTrailing:  txtMoneyTrailing,
}

// fundReasonTexts extends reasonTexts for money, funds, pledges and
// payments.
var fundReasonTexts = map[cd.Reason]string{
	cd.ReasonFundName:          "Tên quỹ cần từ 3 đến 200 ký tự.",
	cd.ReasonFundTarget:        "Mục tiêu của quỹ không hợp lệ (tối đa 1.000 tỷ đồng).",
	cd.ReasonFundBank:          "Bot chưa nhận ra ngân hàng này. Chọn trong danh sách, hoặc gõ mã BIN 6 chữ số của ngân hàng (ví dụ 970436 là Vietcombank).",
	cd.ReasonQRBankBIN:         "Mã ngân hàng (BIN) phải gồm 6 chữ số, ví dụ 970436.",
	cd.ReasonQRAccount:         "Số tài khoản gồm 1 đến 19 chữ số hoặc chữ cái không dấu. Gõ lại số tài khoản.",
	cd.ReasonAccountName:       "Tên chủ tài khoản cần từ 2 đến 100 ký tự.",
	cd.ReasonFundClosed:        "Quỹ này đã đóng, không nhận đăng ký ủng hộ mới.",
	cd.ReasonFundPeriod:        "Quỹ này hiện không trong thời gian nhận ủng hộ.",
	cd.ReasonFundNotFound:      "Không tìm thấy quỹ này. Gõ /quy để xem các quỹ.",
	cd.ReasonDueDatePast:       "Ngày hẹn nộp đã qua. Gõ một ngày từ hôm nay trở đi, ví dụ 31/12, hoặc chọn «Không hẹn ngày».",
	cd.ReasonPledgeNotFound:    "Không tìm thấy đăng ký ủng hộ này.",
	cd.ReasonPledgeWithdrawn:   "Đăng ký này đã được rút.",
	cd.ReasonPledgeHasPayments: "Đăng ký này đã có khoản nộp nên không đổi số tiền hay rút được nữa. Cần điều chỉnh, anh/chị liên hệ chủ tịch công đoàn cơ sở.",
	cd.ReasonPledgeBelowPaid:   "Số tiền đăng ký không được nhỏ hơn số đã nộp.",
	cd.ReasonPledgePaidUp:      "Đăng ký này đã nộp đủ.",
	cd.ReasonPledgeNotYours:    "Đây không phải đăng ký ủng hộ của anh/chị.",
	cd.ReasonOwnPledge:         txtOwnPledge,
	cd.ReasonPaymentTooLarge:   "Số tiền nộp lớn hơn số còn phải nộp của đăng ký này.",
	cd.ReasonPaymentNotFound:   "Không tìm thấy khoản nộp này (có thể vừa được người khác sửa). Gõ /xacnhan để xem lại.",
}

// txtMoneyRefused says why a typed amount was refused, with the bounds
// in force.
func txtMoneyRefused(reason cd.Reason, lim cd.MoneyLimits) string {
	switch reason {
	case cd.ReasonMoneyTooSmall:
		return fmt.Sprintf("Số tiền quá nhỏ (tối thiểu %s). Gõ lại số tiền, ví dụ 500k.", cd.FormatVND(lim.Min))
	case cd.ReasonMoneyTooLarge:
		return fmt.Sprintf("Số tiền quá lớn (tối đa %s). Kiểm tra lại và gõ lại số tiền.", cd.FormatVND(lim.Max))
	}
	if t, ok := moneyReasonTexts[reason]; ok {
		return t
	}
	return moneyReasonTexts[cd.ReasonMoneyFormat]
}

// txtAmountEcho repeats an amount in digits and words before it is saved.
func txtAmountEcho(n int64) string { return "Số tiền: " + cd.FormatVNDWithWords(n) + "." }

func txtMoneyRange(lim cd.MoneyLimits) string {
	return fmt.Sprintf("từ %s đến %s", cd.FormatVND(lim.Min), cd.FormatVND(lim.Max))
}

// fundRef names a fund in a sentence: quỹ «Mái ấm Công đoàn», but
// «Quỹ xã hội từ thiện» for a name that says "quỹ" itself.
func fundRef(name string) string {
	if strings.HasPrefix(cd.Fold(name), "quy ") {
		return "«" + name + "»"
	}
	return "quỹ «" + name + "»"
}

// pledgeRef is how a pledge is numbered for people: its transfer memo.
func pledgeRef(id int64) string { return cd.PledgeMemo(id) }

var pledgeStatusNames = map[cd.PledgeStatus]string{
	cd.PledgePledged:   "chưa nộp",
	cd.PledgePartial:   "đã nộp một phần",
	cd.PledgePaid:      "đã nộp đủ",
	cd.PledgeWithdrawn: "đã rút",
}

// txtPaidOf is "đã nộp 500.000 đ trên 1.500.000 đ, còn 1.000.000 đ", or
// "chưa nộp, còn …", or "đã nộp đủ …".
func txtPaidOf(paid, amount int64) string {
	switch {
	case paid >= amount:
		return fmt.Sprintf("đã nộp đủ %s", cd.FormatVND(amount))
	case paid <= 0:
		return fmt.Sprintf("chưa nộp, còn %s", cd.FormatVND(amount))
	}
	return fmt.Sprintf("đã nộp %s trên %s, còn %s", cd.FormatVND(paid), cd.FormatVND(amount), cd.FormatVND(amount-paid))
}

func txtFundsPick(admin bool) string {
	if admin {
		return "Chọn một quỹ để xem danh sách ủng hộ, sửa thông tin hoặc đóng quỹ; hoặc tạo quỹ mới."
	}
	return "Chọn một quỹ để xem danh sách người ủng hộ. Đăng ký ủng hộ: /ungho."
}

func txtFundTitle(f *cd.Fund) string {
	s := "«" + f.Name + "»"
	if f.HasPeriod() {
		s += fmt.Sprintf(" (%s – %s)", f.Start.Display(), f.End.Display())
	}
	if f.Closed {
		s += " — đã đóng"
	}
	return s
}

// txtFundTotals are a fund's totals, its progress and, up to unitsShown
// (0 for all), its totals per unit.
func txtFundTotals(f *cd.Fund, t *cd.FundTotals, unitsShown int) string {
	if t.Pledges == 0 {
		s := "• Chưa có ai đăng ký ủng hộ."
		if f.Target > 0 {
			s += "\n• Mục tiêu: " + cd.FormatVND(f.Target)
		}
		return s
	}
	lines := []string{
		fmt.Sprintf("• Đã đăng ký: %s — %d người ủng hộ", cd.FormatVND(t.Pledged), t.Donors),
		fmt.Sprintf("• Đã nộp: %s", cd.FormatVND(t.Paid)),
	}
	if f.Target > 0 {
		lines = append(lines, fmt.Sprintf("• Mục tiêu: %s — đã nộp đạt %d%%, đã đăng ký đạt %d%%",
			cd.FormatVND(f.Target), cd.Percent(t.Paid, f.Target), cd.Percent(t.Pledged, f.Target)))
	}
	lines = append(lines, "• Theo đơn vị:")
	for i, u := range t.Units {
		if unitsShown > 0 && i == unitsShown {
			lines = append(lines, fmt.Sprintf("   … và %d đơn vị khác (chọn quỹ để xem đủ)", len(t.Units)-unitsShown))
			break
		}
		lines = append(lines, fmt.Sprintf("   – %s: đăng ký %s, đã nộp %s (%d người)", u.UnitName,
			cd.FormatVND(u.Pledged), cd.FormatVND(u.Paid), u.Donors))
	}
	return strings.Join(lines, "\n")
}

func txtFundSummary(f *cd.Fund, t *cd.FundTotals, unitsShown int) string {
	return txtFundTitle(f) + "\n" + txtFundTotals(f, t, unitsShown)
}

func txtFundBank(f *cd.Fund) string {
	return fmt.Sprintf("%s %s — %s", cd.BankName(f.BankBIN), f.AccountNo, f.AccountName)
}

func txtFundDetails(f *cd.Fund, t *cd.FundTotals, donors []string) string {
	var b strings.Builder
	b.WriteString(txtFundTitle(f) + "\n")
	if f.Description != "" {
		b.WriteString(f.Description + "\n")
	}
	b.WriteString(txtFundTotals(f, t, 0) + "\n")
	if f.HasBank() {
		fmt.Fprintf(&b, "• Nhận chuyển khoản: %s (nội dung: UH và số đăng ký)\n", txtFundBank(f))
	} else {
		b.WriteString("• Nộp tiền mặt qua chủ tịch công đoàn cơ sở\n")
	}
	if len(donors) > 0 {
		b.WriteString("\nDanh sách ủng hộ:\n" + strings.Join(donors, "\n"))
	}
	return strings.TrimRight(b.String(), "\n")
}

func txtDonorLine(name, unit string, p *cd.Pledge) string {
	if unit != "" {
		name += " (" + unit + ")"
	}
	state := pledgeStatusNames[p.Status]
	if p.Status == cd.PledgePartial {
		state = "đã nộp " + cd.FormatVND(p.Paid)
	}
	return fmt.Sprintf("• %s: %s — %s", name, cd.FormatVND(p.Amount), state)
}

func txtMoreDonors(n int) string {
	return fmt.Sprintf("… và %d lượt ủng hộ khác (xem đủ trong bản xuất dữ liệu).", n)
}

func txtFundFieldAsk(f *cd.Fund) string { return "Sửa thông tin nào của «" + f.Name + "»?" }

func txtFundCloseAsk(f *cd.Fund) string {
	if f.Closed {
		return "Mở lại «" + f.Name + "» để nhận đăng ký ủng hộ mới?"
	}
	return "Đóng «" + f.Name + "»? Quỹ sẽ không nhận đăng ký mới; các đăng ký đã có vẫn được xác nhận nộp tiền."
}

func txtFundAskAccount(bank string) string { return "Số tài khoản tại " + bank + ":" }

func txtFundConfirm(f *cd.Fund) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tạo quỹ?\n• Tên: %s\n", f.Name)
	if f.Description != "" {
		fmt.Fprintf(&b, "• Mô tả: %s\n", f.Description)
	}
	if f.Target > 0 {
		fmt.Fprintf(&b, "• Mục tiêu: %s\n", cd.FormatVNDWithWords(f.Target))
	} else {
		b.WriteString("• Mục tiêu: không đặt\n")
	}
	if f.HasPeriod() {
		fmt.Fprintf(&b, "• Thời gian: %s – %s\n", f.Start.Display(), f.End.Display())
	} else {
		b.WriteString("• Thời gian: không giới hạn\n")
	}
	if f.HasBank() {
		fmt.Fprintf(&b, "• Nhận chuyển khoản: %s", txtFundBank(f))
	} else {
		b.WriteString("• Không nhận chuyển khoản: đoàn viên nộp tiền mặt qua chủ tịch công đoàn cơ sở")
	}
	return b.String()
}

func txtFundCreated(f *cd.Fund) string {
	return fmt.Sprintf("Đã tạo quỹ «%s» (số %d). Đoàn viên đăng ký ủng hộ bằng lệnh /ungho.", f.Name, f.ID)
}

func txtFundUpdated(f *cd.Fund) string { return "Đã lưu thông tin quỹ «" + f.Name + "»." }

func txtFundClosedNow(f *cd.Fund, closed bool) string {
	if closed {
		return "Đã đóng «" + f.Name + "»: không nhận đăng ký mới; các đăng ký đã có vẫn được xác nhận nộp tiền."
	}
	return "Đã mở lại «" + f.Name + "» để nhận đăng ký ủng hộ."
}

func txtPledgeAmountAsk(f *cd.Fund, lim cd.MoneyLimits) string {
	return fmt.Sprintf("Số tiền anh/chị ủng hộ %s? Gõ như thường viết, ví dụ 500k, 1tr5, 2 triệu, 1.000.000đ (%s).",
		fundRef(f.Name), txtMoneyRange(lim))
}

func txtDueOrNone(d cd.Date) string {
	if d.IsZero() {
		return "không hẹn"
	}
	return d.Display()
}

func txtPublicity(anonymous bool) string {
	if anonymous {
		return "ẩn danh (đoàn viên khác không thấy tên)"
	}
	return "hiện tên"
}

func txtPledgeSummary(p *cd.Pledge) string {
	return fmt.Sprintf("Kiểm tra lại đăng ký ủng hộ:\n• Quỹ: %s\n• Số tiền: %s\n• Hạn nộp: %s\n• Công khai: %s\n\nLưu đăng ký?",
		p.FundName, cd.FormatVNDWithWords(p.Amount), txtDueOrNone(p.DueDate), txtPublicity(p.Anonymous))
}

func txtPledgeSaved(p *cd.Pledge) string {
	s := fmt.Sprintf("Đã ghi nhận đăng ký ủng hộ số %d (%s): %s cho %s.", p.ID, pledgeRef(p.ID),
		cd.FormatVNDWithWords(p.Amount), fundRef(p.FundName))
	if !p.DueDate.IsZero() {
		s += " Hạn nộp: " + p.DueDate.Display() + "."
	}
	return s + " Cảm ơn anh/chị!"
}

// txtPayBank tells how to pay what is left of a pledge by transfer.
func txtPayBank(f *cd.Fund, p *cd.Pledge, payload string) string {
	return fmt.Sprintf("Cách nộp: chuyển khoản %s tới\n• Ngân hàng: %s\n• Số tài khoản: %s\n• Chủ tài khoản: %s\n"+
		"• Nội dung chuyển khoản: %s (giữ nguyên để thủ quỹ đối chiếu)\n"+
		"Quét mã VietQR trong ảnh bằng ứng dụng ngân hàng bất kỳ, hoặc dán mã sau vào ứng dụng:\n%s\n"+
		"Khi chủ tịch công đoàn cơ sở xác nhận đã nhận tiền, bot sẽ báo anh/chị.",
		cd.FormatVND(p.Remaining()), cd.BankName(f.BankBIN), f.AccountNo, f.AccountName, pledgeRef(p.ID), payload)
}

func txtMyPledgeLabel(p *cd.Pledge) string {
	return fmt.Sprintf("%s — %s: %s (%s)", pledgeRef(p.ID), p.FundName, cd.FormatVND(p.Amount), pledgeStatusNames[p.Status])
}

func txtMyPledge(p *cd.Pledge, f *cd.Fund) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Đăng ký số %d (%s) — %s\n", p.ID, pledgeRef(p.ID), fundRef(f.Name))
	fmt.Fprintf(&b, "• Số tiền: %s\n", cd.FormatVNDWithWords(p.Amount))
	if p.Status != cd.PledgeWithdrawn {
		fmt.Fprintf(&b, "• Tình hình: %s\n", txtPaidOf(p.Paid, p.Amount))
	}
	fmt.Fprintf(&b, "• Trạng thái: %s\n• Hạn nộp: %s\n• Công khai: %s", pledgeStatusNames[p.Status],
		txtDueOrNone(p.DueDate), txtPublicity(p.Anonymous))
	if p.Paid > 0 && p.Status != cd.PledgePaid {
		b.WriteString("\nĐăng ký đã có khoản nộp nên không đổi số tiền hay rút được nữa.")
	}
	return b.String()
}

func txtPledgeNewAmountAsk(p *cd.Pledge, lim cd.MoneyLimits) string {
	return fmt.Sprintf("Số tiền mới cho đăng ký %s (đang là %s)? Ví dụ 2tr, 500k (%s).", pledgeRef(p.ID),
		cd.FormatVND(p.Amount), txtMoneyRange(lim))
}

func txtPledgeChangeConfirm(p *cd.Pledge, n int64) string {
	return fmt.Sprintf("Đổi số tiền đăng ký %s (%s) từ %s thành %s?", pledgeRef(p.ID), fundRef(p.FundName),
		cd.FormatVND(p.Amount), cd.FormatVNDWithWords(n))
}

func txtPledgeChanged(p *cd.Pledge) string {
	return fmt.Sprintf("Đã đổi số tiền đăng ký %s thành %s.", pledgeRef(p.ID), cd.FormatVNDWithWords(p.Amount))
}

func txtWithdrawAsk(p *cd.Pledge) string {
	return fmt.Sprintf("Rút đăng ký %s: %s cho %s? Đăng ký sẽ không còn được tính.", pledgeRef(p.ID),
		cd.FormatVND(p.Amount), fundRef(p.FundName))
}

func txtWithdrawn(p *cd.Pledge) string {
	return fmt.Sprintf("Đã rút đăng ký %s (%s cho %s). Khi nào muốn, anh/chị gõ /ungho để đăng ký lại.", pledgeRef(p.ID),
		cd.FormatVND(p.Amount), fundRef(p.FundName))
}

// txtPledger names the member of a pledge to a chair: the name, marked
// when the pledge is anonymous to other members.
func txtPledger(name string, anonymous bool) string {
	if name == "" {
		name = txtErasedMember
	}
	if anonymous {
		name += " " + txtAnonymousMark
	}
	return name
}

func txtNoOpenPledges(u *cd.Unit) string {
	return u.Name + " chưa có đăng ký ủng hộ nào chờ nộp tiền."
}

func txtOpenPledgeLabel(p *cd.Pledge) string {
	return fmt.Sprintf("%s: còn %s (%s)", txtPledger(p.MemberName, p.Anonymous), cd.FormatVND(p.Remaining()), pledgeRef(p.ID))
}

func txtUnitPledges(u *cd.Unit, ps []cd.Pledge, shown int) string {
	if len(ps) == 0 {
		return u.Name + ": không còn đăng ký nào chờ nộp tiền."
	}
	lines := []string{fmt.Sprintf("Đăng ký ủng hộ chờ nộp tiền của %s (%d):", u.Name, len(ps))}
	for i := range shown {
		p := &ps[i]
		line := fmt.Sprintf("• %s %s — %s: %s", pledgeRef(p.ID), txtPledger(p.MemberName, p.Anonymous), p.FundName, txtPaidOf(p.Paid, p.Amount))
		if !p.DueDate.IsZero() {
			line += ", hạn " + p.DueDate.Display()
		}
		lines = append(lines, line)
	}
	if len(ps) > shown {
		lines = append(lines, fmt.Sprintf("… và %d đăng ký khác: gõ /xacnhan UH kèm số đăng ký.", len(ps)-shown))
	}
	lines = append(lines, "", "Chọn đăng ký để ghi nhận tiền đã nộp (hoặc gõ số đăng ký, ví dụ UH 12).")
	return strings.Join(lines, "\n")
}

func txtConfirmPledgeShow(p *cd.Pledge) string {
	return fmt.Sprintf("Đăng ký %s của %s — %s\n• Số tiền đăng ký: %s\n• Đã nộp: %s\n• Còn phải nộp: %s\n\nGhi nhận khoản nộp thế nào?",
		pledgeRef(p.ID), txtPledger(p.MemberName, p.Anonymous), fundRef(p.FundName), cd.FormatVND(p.Amount),
		cd.FormatVND(p.Paid), cd.FormatVND(p.Remaining()))
}

func txtPayFull(n int64) string { return "Nộp đủ số còn lại: " + cd.FormatVND(n) }

func txtPayAmountAsk(remaining int64) string {
	return fmt.Sprintf("Số tiền đoàn viên đã nộp? Ví dụ 500k, 1tr, 1.000.000đ (tối đa %s).", cd.FormatVND(remaining))
}

func txtPaymentTooLarge(most int64) string {
	return fmt.Sprintf("Số tiền này lớn hơn số còn phải nộp (%s). Gõ lại số tiền đã nộp.", cd.FormatVND(most))
}

func txtPaymentSummary(p *cd.Pledge, amount int64, d cd.Date) string {
	return fmt.Sprintf("Ghi nhận khoản nộp?\n• Đăng ký %s của %s, %s\n• Số tiền nộp: %s\n• Ngày nộp: %s\n• Sau khi ghi: %s",
		pledgeRef(p.ID), txtPledger(p.MemberName, p.Anonymous), fundRef(p.FundName), cd.FormatVNDWithWords(amount),
		d.Display(), txtPaidOf(p.Paid+amount, p.Amount))
}

func txtPaymentSaved(p *cd.Pledge, pay *cd.Payment) string {
	return fmt.Sprintf("Đã ghi nhận %s nộp %s ngày %s cho đăng ký %s: %s. Bot đã báo cho đoàn viên. Gõ /xacnhan để ghi khoản khác.",
		txtPledger(p.MemberName, false), cd.FormatVND(pay.Amount), pay.PaidOn.Display(), pledgeRef(p.ID),
		txtPaidOf(p.Paid, p.Amount))
}

func txtPaymentNotice(p *cd.Pledge, pay *cd.Payment, by string) string {
	s := fmt.Sprintf("%s đã xác nhận anh/chị nộp %s ngày %s cho %s (đăng ký %s). ", by, cd.FormatVNDWithWords(pay.Amount),
		pay.PaidOn.Display(), fundRef(p.FundName), pledgeRef(p.ID))
	if p.Status == cd.PledgePaid {
		return s + fmt.Sprintf("Anh/chị đã nộp đủ %s. Cảm ơn anh/chị đã ủng hộ!", cd.FormatVND(p.Amount))
	}
	return s + "Tình hình: " + txtPaidOf(p.Paid, p.Amount) + "."
}

func txtPaymentLabel(pay *cd.Payment) string {
	return fmt.Sprintf("%s %s: %s, %s", pledgeRef(pay.PledgeID), txtPledger(pay.MemberName, false), cd.FormatVND(pay.Amount), pay.PaidOn.Short())
}

func txtFixShow(pay *cd.Payment, p *cd.Pledge) string {
	return fmt.Sprintf("Khoản nộp %s ngày %s của %s cho đăng ký %s (%s). Sửa thế nào?", cd.FormatVND(pay.Amount),
		pay.PaidOn.Display(), txtPledger(p.MemberName, p.Anonymous), pledgeRef(p.ID), fundRef(p.FundName))
}

func txtFixAmountAsk(pay *cd.Payment, most int64) string {
	return fmt.Sprintf("Số tiền đúng của khoản nộp này? (đang ghi %s; tối đa %s)", cd.FormatVND(pay.Amount), cd.FormatVND(most))
}

func txtFixConfirm(pay *cd.Payment, p *cd.Pledge, amount int64, d cd.Date) string {
	after := txtPaidOf(p.Paid-pay.Amount+amount, p.Amount)
	if amount == 0 {
		return fmt.Sprintf("Hủy khoản nộp %s ngày %s của %s (%s)? Sau khi hủy: %s.", cd.FormatVND(pay.Amount),
			pay.PaidOn.Display(), txtPledger(p.MemberName, p.Anonymous), pledgeRef(p.ID), after)
	}
	return fmt.Sprintf("Sửa khoản nộp của %s (%s):\n• Trước: %s, ngày %s\n• Sau: %s, ngày %s\n• Sau khi sửa: %s",
		txtPledger(p.MemberName, p.Anonymous), pledgeRef(p.ID), cd.FormatVND(pay.Amount), pay.PaidOn.Display(),
		cd.FormatVNDWithWords(amount), d.Display(), after)
}

func txtCorrectionSaved(p *cd.Pledge, old, pay *cd.Payment) string {
	what := fmt.Sprintf("Đã hủy khoản nộp %s ngày %s", cd.FormatVND(old.Amount), old.PaidOn.Display())
	if pay != nil {
		what = fmt.Sprintf("Đã sửa khoản nộp: %s ngày %s → %s ngày %s", cd.FormatVND(old.Amount), old.PaidOn.Display(),
			cd.FormatVND(pay.Amount), pay.PaidOn.Display())
	}
	return fmt.Sprintf("%s của %s (%s). Tình hình: %s. Bot đã báo cho đoàn viên.", what, txtPledger(p.MemberName, false),
		pledgeRef(p.ID), txtPaidOf(p.Paid, p.Amount))
}

func txtCorrectionNotice(p *cd.Pledge, old, pay *cd.Payment, by string) string {
	what := fmt.Sprintf("đã hủy khoản nộp %s ngày %s (ghi nhầm)", cd.FormatVND(old.Amount), old.PaidOn.Display())
	if pay != nil {
		what = fmt.Sprintf("đã sửa khoản nộp của anh/chị từ %s ngày %s thành %s ngày %s", cd.FormatVND(old.Amount),
			old.PaidOn.Display(), cd.FormatVND(pay.Amount), pay.PaidOn.Display())
	}
	return fmt.Sprintf("%s %s cho %s (đăng ký %s). Tình hình: %s.", by, what, fundRef(p.FundName), pledgeRef(p.ID),
		txtPaidOf(p.Paid, p.Amount))
}

// Monthly report sheets (XLSX) and the summary chart (PNG): the labels
// of documents filed the way Nghị định 30/2020 lays them out.

const (
	txtXLSXNation           = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	txtXLSXMotto            = "Độc lập - Tự do - Hạnh phúc"
	txtXLSXCatchUp          = "(gửi bù)"
	txtXLSXKindsHeading     = "I. Kết quả hoạt động theo loại"
	txtXLSXUnitsHeading     = "II. Các công đoàn cơ sở"
	txtXLSXUnitPartHeading  = "II. Phong trào thi đua và báo cáo của đoàn viên"
	txtXLSXCampaignsHeading = "1. Tiến độ các phong trào thi đua"
	txtXLSXFundsHeading     = "III. Các quỹ"
	txtXLSXNo               = "STT"
	txtXLSXKind             = "Loại hoạt động"
	txtXLSXReports          = "Số báo cáo"
	txtXLSXPeople           = "Số người"
	txtXLSXAmount           = "Số tiền (đ)"
	txtXLSXQuantity         = "Số lượng (đơn vị)"
	txtXLSXTotal            = "Tổng cộng"
	txtXLSXUnit             = "Đơn vị"
	txtXLSXCode             = "Mã"
	txtXLSXActive           = "Đoàn viên"
	txtXLSXNew              = "Kết nạp mới"
	txtXLSXReported         = "Đã báo cáo"
	txtXLSXNotReported      = "Chưa báo cáo"
	txtXLSXSubmitted        = "Nộp báo cáo"
	txtXLSXNotSubmitted     = "Chưa nộp"
	txtXLSXCampaign         = "Phong trào"
	txtXLSXCampaignKind     = "Loại"
	txtXLSXResult           = "Kết quả"
	txtXLSXTarget           = "Chỉ tiêu"
	txtXLSXPercent          = "%"
	txtXLSXNoTarget         = "-"
	txtXLSXMemberName       = "Họ và tên"
	txtXLSXFund             = "Quỹ"
	txtXLSXPledged          = "Đã đăng ký (đ)"
	txtXLSXPaid             = "Đã nộp (đ)"
	txtXLSXDonors           = "Số người ủng hộ"
	txtXLSXFundPercent      = "% chỉ tiêu"
	txtXLSXNoActivity       = "Không có báo cáo hoạt động nào trong tháng."
	txtXLSXNoUnits          = "Chưa có công đoàn cơ sở nào."
	txtXLSXNoCampaigns      = "Không có phong trào thi đua nào trong tháng."
	txtXLSXNoFunds          = "Chưa có quỹ nào."
	txtXLSXAllReported      = "Tất cả đoàn viên đã báo cáo hoạt động trong tháng."
	txtXLSXProvinceSigner   = "TM. BAN THƯỜNG VỤ"
	txtXLSXUnitSigner       = "TM. BAN CHẤP HÀNH"
	txtXLSXChair            = "CHỦ TỊCH"
	txtXLSXSignHint         = "(Ký, ghi rõ họ tên)"
	txtChartFundsTitle      = "Tiến độ các quỹ (triệu đồng)"
	txtChartReportsAxis     = "Số báo cáo"
	txtChartMillionAxis     = "Triệu đồng"
	txtChartPledged         = "Đã đăng ký"
	txtChartPaid            = "Đã nộp"
	txtChartNoData          = "Chưa có số liệu"
)

// txtXLSXSheetName is the sheet's name: ASCII, no '/', under Excel's 31
// characters.
func txtXLSXSheetName(m cd.Month) string {
	return fmt.Sprintf("Bao cao thang %02d-%04d", m.Month, m.Year)
}

func txtXLSXDocTitle(who string, m cd.Month) string {
	return fmt.Sprintf("Báo cáo kết quả hoạt động tháng %s - %s", m.Display(), who)
}

func txtXLSXTitle(m cd.Month) string {
	return "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG " + m.Display()
}

func txtXLSXDeadline(date string) string { return "Hạn nộp báo cáo tháng: " + date }

// txtXLSXPlace is the place name of a document from the union's name:
// what follows "tỉnh" or "thành phố" ("Công đoàn Viên chức tỉnh Quảng
// Trị": "Quảng Trị"); "" when the name has none.
func txtXLSXPlace(province string) string {
	words := strings.Fields(province)
	for i := len(words) - 1; i >= 0; i-- {
		w := strings.ToLower(words[i])
		if w == "tỉnh" || w == "phố" && i > 0 && strings.ToLower(words[i-1]) == "thành" {
			return strings.Join(words[i+1:], " ")
		}
	}
	return ""
}

// txtXLSXPlaceDate is the place and date line of Nghị định 30/2020: a
// day below 10, and the months 1 and 2, are written with a leading zero
// ("Quảng Trị, ngày 05 tháng 3 năm 2026", "ngày 15 tháng 02 năm 2026").
func txtXLSXPlaceDate(place string, day, month, year int) string {
	m := fmt.Sprint(month)
	if month <= 2 {
		m = fmt.Sprintf("%02d", month)
	}
	date := fmt.Sprintf("ngày %02d tháng %s năm %d", day, m, year)
	if place == "" {
		return "N" + strings.TrimPrefix(date, "n")
	}
	return place + ", " + date
}

func txtXLSXSubmittedAt(at string, late bool) string {
	if late {
		return at + " (Muộn)"
	}
	return at
}

func txtXLSXLateUnit(name string, submitted bool) string {
	if submitted {
		return name + " (nộp muộn)"
	}
	return name + " (chưa nộp)"
}

func txtXLSXLateList(units []string) string {
	if len(units) == 0 {
		return "Các đơn vị nộp muộn hoặc chưa nộp: không có."
	}
	return "Các đơn vị nộp muộn hoặc chưa nộp: " + strings.Join(units, ", ") + "."
}

func txtXLSXUnitLine(active, admitted, reporters, notReported int, status string) string {
	return fmt.Sprintf("Đoàn viên: %d; kết nạp mới trong tháng: %d; đã báo cáo hoạt động: %d; chưa báo cáo: %d. Nộp báo cáo tháng: %s.",
		active, admitted, reporters, notReported, status)
}

func txtXLSXNotReportedHeading(n int) string {
	if n == 0 {
		return "2. Đoàn viên chưa báo cáo hoạt động trong tháng"
	}
	return fmt.Sprintf("2. Đoàn viên chưa báo cáo hoạt động trong tháng (%d người)", n)
}

// txtXLSXKindMeasure is a kind with what its campaign figures count:
// "Hiến máu (đơn vị máu)".
func txtXLSXKindMeasure(k *cd.ActivityKind) string {
	return fmt.Sprintf("%s (%s)", k.Name, measureUnit(k))
}

func txtChartUnitsTitle(m cd.Month) string {
	return "Số báo cáo theo đơn vị, tháng " + m.Display()
}

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

func txtAnnScheduledCancelled(id int64) string {
	return fmt.Sprintf("Đã hủy thông báo số %d đã hẹn giờ; chưa gửi cho ai.", id)
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

// Linking accounts.
const (
	txtLinkGuest   = "Anh/chị chưa đăng ký trên tài khoản này. Nếu đã đăng ký trên Telegram hoặc Zalo, gõ /lienket ở đó để lấy mã, rồi gõ /lienket kèm mã ở đây. Chưa đăng ký thì gõ /dangky."
	txtLinkAlready = "Tài khoản này đã gắn với anh/chị rồi."
)

var linkReasonTexts = map[cd.Reason]string{
	cd.ReasonLinkCodeWrong:   "Mã liên kết không đúng. Kiểm tra lại 6 chữ số, hoặc gõ /lienket trên tài khoản kia để lấy mã mới.",
	cd.ReasonLinkCodeExpired: "Mã liên kết đã hết hạn (chỉ dùng được trong 10 phút). Gõ /lienket trên tài khoản kia để lấy mã mới.",
	cd.ReasonLinkCodeUsed:    "Mã liên kết này đã được dùng. Gõ /lienket trên tài khoản kia để lấy mã mới.",
	cd.ReasonLinkOtherMember: "Tài khoản này đã thuộc một đoàn viên khác nên không liên kết được. Liên hệ chủ tịch công đoàn cơ sở nếu có nhầm lẫn.",
	cd.ReasonLinkTooMany:     "Anh/chị đã nhập sai mã nhiều lần. Vui lòng thử lại sau 10 phút.",
}

func txtLinkCode(code string, minutes int, other string) string {
	return fmt.Sprintf("Mã liên kết: %s (dùng được trong %d phút, một lần). Trên %s, nhắn cho bot: /lienket %s\nHai tài khoản sẽ là của cùng một đoàn viên; bot nhắn vào tài khoản anh/chị dùng gần nhất.",
		code, minutes, other, code)
}

func txtLinked(m *cd.Member, platform string) string {
	return fmt.Sprintf("Đã liên kết tài khoản %s này với đoàn viên %s (%s). Gõ /cuatoi để xem.", platform, m.FullName, m.UnitName)
}

func txtUnreachable(names []string) string {
	return fmt.Sprintf("Bot không nhắn được (đã chặn bot hoặc bỏ tài khoản) (%d): %s. Anh/chị báo trực tiếp giúp.", len(names), strings.Join(names, ", "))
}

// The reason texts of each part of the bot join reasonTexts, the one map
// reasonText reads.
func init() {
	for _, m := range []map[cd.Reason]string{activityReasonTexts, moneyReasonTexts, fundReasonTexts, announceReasonTexts, linkReasonTexts} {
		for k, v := range m {
			if _, dup := reasonTexts[k]; dup {
				panic("two texts for reason " + string(k))
			}
			reasonTexts[k] = v
		}
	}
}
