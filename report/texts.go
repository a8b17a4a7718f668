package report

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// All user-facing Vietnamese text of the reports lives in this file, as
// the core's lives in bot/texts.go: wording is reviewed in one place.

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

// measureUnit is what a kind's campaign figures count ("người", "đ",
// its quantity unit, else "báo cáo").
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
