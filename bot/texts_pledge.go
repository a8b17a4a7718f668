package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// Funds, pledges and payments.
const (
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
