package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

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

func txtEditShow(a *cd.Activity, k *cd.ActivityKind) string {
	return fmt.Sprintf("Báo cáo số %d: %s, ngày %s\n%s\n%s", a.ID, k.Name, a.Date.Display(), a.Description,
		txtFigures(k, a.People, a.Amount, a.Quantity))
}
