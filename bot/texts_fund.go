package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

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
)

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

// fundRef names a fund in a sentence: quỹ «Mái ấm Công đoàn», but
// «Quỹ xã hội từ thiện» for a name that says "quỹ" itself.
func fundRef(name string) string {
	if strings.HasPrefix(cd.Fold(name), "quy ") {
		return "«" + name + "»"
	}
	return "quỹ «" + name + "»"
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
