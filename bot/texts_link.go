package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

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
