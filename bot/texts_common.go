// All user-facing Vietnamese text of the conversation core lives in the
// files bot/texts_*.go, one file per feature (texts_register.go,
// texts_fund.go, texts_pledge.go, ...), so that wording is reviewed in
// one place per language and never scattered through the logic. Texts
// that take values are functions. This file holds the texts that every
// feature shares: errors, refusals, help, and the names of roles,
// statuses and platforms.

package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

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

	// Choices that many flows offer.
	txtSkip   = "Bỏ qua"
	txtCancel = "Hủy"
)

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
	cd.ReasonOtherUnit:         "Đây là việc của đơn vị khác: anh/chị chỉ xem và làm việc với đơn vị của mình.",
	cd.ReasonProvinceOnly:      "Phần này chỉ dành cho cán bộ Công đoàn tỉnh.",
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
	cd.PlatformZaloOA:   "Zalo OA",
	cd.PlatformConsole:  "Console",
}

func txtTooLong(max int) string {
	return fmt.Sprintf("Tin nhắn dài quá (tối đa %s ký tự). Anh/chị gửi ngắn hơn.", cd.GroupThousands(int64(max)))
}

func txtWelcomeMember(m *cd.Member) string {
	return fmt.Sprintf("Chào %s (%s, %s)! Gõ /trogiup để xem các lệnh.", m.FullName, roleNames[m.Role], m.UnitName)
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
