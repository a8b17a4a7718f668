package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	cd "github.com/congdoanbot/congdoanbot"
)

// reportZone is Asia/Ho_Chi_Minh (UTC+7, no daylight saving), fixed so
// that tests do not depend on the system's zone database.
var reportZone = time.FixedZone("ICT", 7*3600)

// reportFixture is July 2026 in a province of three grassroots unions,
// four kinds of activity and two funds; the totals are worked out by
// hand in the comments.
func reportFixture() (*cd.ProvinceSummary, cd.Date) {
	kinds := []cd.ActivityKind{
		{Code: "sang_kien", Name: "Sáng kiến", Measure: cd.MeasureCount, Position: 1, Active: true},
		{Code: "hien_mau", Name: "Hiến máu", AskPeople: "Số người hiến máu?", AskQuantity: "Số đơn vị máu?",
			QuantityUnit: "đơn vị máu", Measure: cd.MeasureQuantity, Position: 2, Active: true},
		{Code: "tu_thien", Name: "Từ thiện, thăm hỏi", AskAmount: "Số tiền?", Measure: cd.MeasureAmount, Position: 3, Active: true},
		{Code: "van_nghe", Name: "Văn nghệ, thể thao", AskPeople: "Số người tham gia?", Measure: cd.MeasurePeople, Position: 4,
			Active: true},
	}
	mai := cd.Fund{ID: 1, Name: "Mái ấm Công đoàn", Target: 100_000_000}
	nu := cd.Fund{ID: 2, Name: "Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn"}
	laoDong := cd.Campaign{ID: 1, Name: "Lao động giỏi, Lao động sáng tạo"}
	gioiViec := cd.Campaign{ID: 2, Name: "Giỏi việc nước, đảm việc nhà"}
	stp := cd.UnitMonth{
		Unit: cd.Unit{ID: 2, ParentID: 1, Kind: cd.UnitGrassroots, Name: "Sở Tư pháp", Code: "STP"},
		Rank: 1,
		Totals: map[string]cd.KindTotal{ // 10 reports, 4 people, 2.000.000 đ, 4 đơn vị máu
			"sang_kien": {Kind: "sang_kien", Count: 3},
			"hien_mau":  {Kind: "hien_mau", Count: 3, People: 4, Quantity: 4},
			"tu_thien":  {Kind: "tu_thien", Count: 4, Amount: 2_000_000},
		},
		Reports: 10, ActiveMembers: 20, NewMembers: 2, Reporters: 18,
		NotReported: []string{"Trần Thị Bình", "Lê Văn Cường"},
		Report: &cd.UnitReport{UnitID: 2, Month: cd.Month{Year: 2026, Month: 7},
			SubmittedAt: time.Date(2026, 8, 3, 2, 15, 0, 0, time.UTC), Locked: true}, // 09:15 in Vietnam
		Campaigns: []cd.CampaignProgress{
			{Campaign: laoDong, Lines: []cd.ProgressLine{{Kind: kinds[0], Value: 3, Target: 5}, {Kind: kinds[1], Value: 4}}},
			{Campaign: gioiViec, Lines: []cd.ProgressLine{{Kind: kinds[2], Value: 2_000_000, Target: 5_000_000}}},
		},
		Funds: []cd.FundSummary{
			{Fund: mai, Pledged: 5_000_000, Paid: 1_500_000, Donors: 5},
			{Fund: nu, Pledged: 2_000_000, Paid: 2_000_000, Donors: 3},
		},
	}
	kbnn := cd.UnitMonth{
		Unit: cd.Unit{ID: 3, ParentID: 1, Kind: cd.UnitGrassroots, Name: "Kho bạc Nhà nước tỉnh", Code: "KBNN"},
		Rank: 2,
		Totals: map[string]cd.KindTotal{ // 9 reports
			"sang_kien": {Kind: "sang_kien", Count: 1},
			"hien_mau":  {Kind: "hien_mau", Count: 2, People: 3, Quantity: 3},
			"tu_thien":  {Kind: "tu_thien", Count: 2, Amount: 1_500_000},
			"van_nghe":  {Kind: "van_nghe", Count: 4, People: 85},
		},
		Reports: 9, ActiveMembers: 30, Reporters: 6,
		Report: &cd.UnitReport{UnitID: 3, Month: cd.Month{Year: 2026, Month: 7},
			SubmittedAt: time.Date(2026, 8, 6, 0, 30, 0, 0, time.UTC), Late: true, Locked: true}, // 07:30
	}
	ct := cd.UnitMonth{
		Unit:   cd.Unit{ID: 4, ParentID: 1, Kind: cd.UnitGrassroots, Name: "Cục Thuế tỉnh", Code: "CT"},
		Rank:   3,
		Totals: map[string]cd.KindTotal{}, ActiveMembers: 40, NewMembers: 1,
	}
	s := &cd.ProvinceSummary{
		Province:    "Công đoàn Viên chức tỉnh Quảng Trị",
		Month:       cd.Month{Year: 2026, Month: 7},
		GeneratedAt: time.Date(2026, 8, 6, 8, 0, 0, 0, reportZone),
		Kinds:       kinds,
		// The province: 19 reports, 92 people, 3.500.000 đ, 7 đơn vị máu.
		Totals: map[string]cd.KindTotal{
			"sang_kien": {Kind: "sang_kien", Count: 4},
			"hien_mau":  {Kind: "hien_mau", Count: 5, People: 7, Quantity: 7},
			"tu_thien":  {Kind: "tu_thien", Count: 6, Amount: 3_500_000},
			"van_nghe":  {Kind: "van_nghe", Count: 4, People: 85},
		},
		Units: []cd.UnitMonth{stp, kbnn, ct},
		Funds: []cd.FundSummary{
			{Fund: mai, Pledged: 15_000_000, Paid: 1_500_000, Donors: 12},
			{Fund: nu, Pledged: 8_200_000, Paid: 6_000_000, Donors: 9},
		},
	}
	return s, cd.Date{Year: 2026, Month: 8, Day: 5}
}

// xlsxOpenReport opens a rendered report again and returns the sheet's rows
// as Excel shows them.
func xlsxOpenReport(t *testing.T, data []byte, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet}) {
		t.Fatalf("sheets = %q, want [%q]", got, sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// xlsxFindRow is the index of the first row at or after from holding text in
// some cell; it fails the test when there is none.
func xlsxFindRow(t *testing.T, rows [][]string, from int, text string) int {
	t.Helper()
	for i := from; i < len(rows); i++ {
		if slices.Contains(rows[i], text) {
			return i
		}
	}
	t.Fatalf("no row with %q after row %d", text, from+1)
	return -1
}

// xlsxCellAt is the value in column c (0-based) of a row, "" past its end.
func xlsxCellAt(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

// xlsxWantRow checks a row's leading cells (after skipping none).
func xlsxWantRow(t *testing.T, rows [][]string, i int, want ...string) {
	t.Helper()
	for c, w := range want {
		if got := xlsxCellAt(rows[i], c); got != w {
			t.Errorf("row %d column %c = %q, want %q (row: %q)", i+1, 'A'+c, got, w, rows[i])
		}
	}
}

func TestProvinceXLSX(t *testing.T) {
	s, deadline := reportFixture()
	data, err := ProvinceXLSX(s, deadline)
	if err != nil {
		t.Fatal(err)
	}
	reportSaveSample(t, "province.xlsx", data)
	const sheet = "Bao cao thang 07-2026"
	f, rows := xlsxOpenReport(t, data, sheet)

	// Letterhead: issuing body top left, nation and motto top right.
	xlsxWantRow(t, rows, 0, "CÔNG ĐOÀN VIÊN CHỨC TỈNH QUẢNG TRỊ", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	xlsxWantRow(t, rows, 1, "", "", "", "Độc lập - Tự do - Hạnh phúc")
	xlsxWantRow(t, rows, 2, "", "", "", "Quảng Trị, ngày 06 tháng 8 năm 2026")
	title := xlsxFindRow(t, rows, 0, "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG 07/2026")
	if slices.Contains(rows[title+1], "(gửi bù)") {
		t.Error("(gửi bù) on a report made on time")
	}
	xlsxFindRow(t, rows, title, "Hạn nộp báo cáo tháng: 05/08/2026")
	xlsxWantStyle(t, f, sheet, "A1", excelize.Font{Bold: true, Underline: "single"}, "center")
	xlsxWantStyle(t, f, sheet, "D1", excelize.Font{Bold: true}, "center")
	xlsxWantStyle(t, f, sheet, "D2", excelize.Font{Bold: true, Underline: "single"}, "center")
	xlsxWantStyle(t, f, sheet, cellName(1, title+1), excelize.Font{Bold: true}, "center")
	xlsxWantMerged(t, f, sheet, "A1:C1", "D1:I1", "D2:I2", "D3:I3", cellName(1, title+1)+":"+cellName(9, title+1))

	// I. Kinds: every kind had reports; figures a kind does not ask for
	// are blank; totals by hand.
	i := xlsxFindRow(t, rows, title, "I. Kết quả hoạt động theo loại")
	xlsxWantRow(t, rows, i+1, "STT", "Loại hoạt động", "Số báo cáo", "Số người", "Số tiền (đ)", "", "Số lượng (đơn vị)")
	xlsxWantRow(t, rows, i+2, "1", "Sáng kiến", "4", "", "", "", "")
	xlsxWantRow(t, rows, i+3, "2", "Hiến máu", "5", "7", "", "", "7 đơn vị máu")
	xlsxWantRow(t, rows, i+4, "3", "Từ thiện, thăm hỏi", "6", "", "3.500.000", "", "")
	xlsxWantRow(t, rows, i+5, "4", "Văn nghệ, thể thao", "4", "85", "", "", "")
	xlsxWantRow(t, rows, i+6, "", "Tổng cộng", "19", "92", "3.500.000", "", "7 đơn vị máu")
	totals := i + 7 // 1-based row of the totals
	xlsxWantStyle(t, f, sheet, cellName(2, totals), excelize.Font{Bold: true}, "center")
	xlsxWantStyle(t, f, sheet, cellName(5, totals), excelize.Font{Bold: true}, "right")
	xlsxWantText(t, f, sheet, cellName(5, totals), true)  // money: text
	xlsxWantText(t, f, sheet, cellName(3, totals), false) // reports: a number
	xlsxWantText(t, f, sheet, cellName(7, totals), false) // quantity: a number with its unit
	if v, _ := f.GetCellValue(sheet, cellName(7, totals), excelize.Options{RawCellValue: true}); v != "7" {
		t.Errorf("quantity total raw = %q, want 7", v)
	}

	// II. Units as ranked, submission times in Vietnam's zone, late ones.
	u := xlsxFindRow(t, rows, i, "II. Các công đoàn cơ sở")
	xlsxWantRow(t, rows, u+1, "STT", "Đơn vị", "Mã", "Số báo cáo", "Đoàn viên", "Kết nạp mới", "Đã báo cáo", "Chưa báo cáo", "Nộp báo cáo")
	xlsxWantRow(t, rows, u+2, "1", "Sở Tư pháp", "STP", "10", "20", "2", "18", "2", "03/08/2026 09:15")
	xlsxWantRow(t, rows, u+3, "2", "Kho bạc Nhà nước tỉnh", "KBNN", "9", "30", "0", "6", "24", "06/08/2026 07:30 (Muộn)")
	xlsxWantRow(t, rows, u+4, "3", "Cục Thuế tỉnh", "CT", "0", "40", "1", "0", "40", "Chưa nộp")
	xlsxWantRow(t, rows, u+5, "Các đơn vị nộp muộn hoặc chưa nộp: Kho bạc Nhà nước tỉnh (nộp muộn), Cục Thuế tỉnh (chưa nộp).")
	xlsxWantRed(t, f, sheet, cellName(9, u+3), false)
	xlsxWantRed(t, f, sheet, cellName(9, u+4), true)
	xlsxWantRed(t, f, sheet, cellName(9, u+5), true)

	// III. Funds: money as text "1.500.000", % of target (none: "-").
	fu := xlsxFindRow(t, rows, u, "III. Các quỹ")
	xlsxWantRow(t, rows, fu+1, "STT", "Quỹ", "Đã đăng ký (đ)", "", "Đã nộp (đ)", "", "Số người ủng hộ", "", "% chỉ tiêu")
	xlsxWantRow(t, rows, fu+2, "1", "Mái ấm Công đoàn", "15.000.000", "", "1.500.000", "", "12", "", "1")
	xlsxWantRow(t, rows, fu+3, "2", "Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn", "8.200.000", "", "6.000.000", "", "9", "", "-")
	xlsxWantRow(t, rows, fu+4, "", "Tổng cộng", "23.200.000", "", "7.500.000")
	xlsxWantText(t, f, sheet, cellName(5, fu+3), true)
	xlsxWantStyle(t, f, sheet, cellName(5, fu+3), excelize.Font{}, "right")

	// Signature, bottom right.
	sig := xlsxFindRow(t, rows, fu, "TM. BAN THƯỜNG VỤ")
	xlsxWantRow(t, rows, sig, "", "", "", "TM. BAN THƯỜNG VỤ")
	xlsxWantRow(t, rows, sig+1, "", "", "", "CHỦ TỊCH")
	xlsxWantRow(t, rows, sig+2, "", "", "", "(Ký, ghi rõ họ tên)")

	xlsxWantPage(t, f, sheet)
}

func TestUnitXLSX(t *testing.T) {
	s, deadline := reportFixture()
	s.CatchUp = true
	data, err := UnitXLSX(s, &s.Units[0], "Nguyễn Văn An", deadline)
	if err != nil {
		t.Fatal(err)
	}
	reportSaveSample(t, "unit.xlsx", data)
	const sheet = "Bao cao thang 07-2026"
	f, rows := xlsxOpenReport(t, data, sheet)

	xlsxWantRow(t, rows, 0, "CÔNG ĐOÀN VIÊN CHỨC TỈNH QUẢNG TRỊ", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	xlsxWantRow(t, rows, 1, "SỞ TƯ PHÁP", "", "Độc lập - Tự do - Hạnh phúc")
	xlsxWantRow(t, rows, 2, "", "", "Quảng Trị, ngày 06 tháng 8 năm 2026")
	xlsxWantStyle(t, f, sheet, "A1", excelize.Font{}, "center")
	xlsxWantStyle(t, f, sheet, "A2", excelize.Font{Bold: true, Underline: "single"}, "center")
	title := xlsxFindRow(t, rows, 0, "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG 07/2026")
	xlsxWantRow(t, rows, title+1, "(gửi bù)")
	xlsxFindRow(t, rows, title, "Đoàn viên: 20; kết nạp mới trong tháng: 2; đã báo cáo hoạt động: 18; chưa báo cáo: 2. Nộp báo cáo tháng: 03/08/2026 09:15.")

	// I. Only the kinds the unit reported; its own totals.
	i := xlsxFindRow(t, rows, title, "I. Kết quả hoạt động theo loại")
	xlsxWantRow(t, rows, i+2, "1", "Sáng kiến", "3", "", "", "")
	xlsxWantRow(t, rows, i+3, "2", "Hiến máu", "3", "4", "", "4 đơn vị máu")
	xlsxWantRow(t, rows, i+4, "3", "Từ thiện, thăm hỏi", "4", "", "2.000.000", "")
	xlsxWantRow(t, rows, i+5, "", "Tổng cộng", "10", "4", "2.000.000", "4 đơn vị máu")

	// II. Campaigns, kind by kind, and the members who did not report.
	c := xlsxFindRow(t, rows, i, "1. Tiến độ các phong trào thi đua")
	xlsxWantRow(t, rows, c+1, "STT", "Phong trào", "Loại", "Kết quả", "Chỉ tiêu", "%")
	xlsxWantRow(t, rows, c+2, "1", "Lao động giỏi, Lao động sáng tạo", "Sáng kiến (báo cáo)", "3", "5", "60")
	xlsxWantRow(t, rows, c+3, "", "", "Hiến máu (đơn vị máu)", "4", "-", "-")
	xlsxWantRow(t, rows, c+4, "2", "Giỏi việc nước, đảm việc nhà", "Từ thiện, thăm hỏi (đ)", "2.000.000", "5.000.000", "40")
	xlsxWantMerged(t, f, sheet, cellName(2, c+3)+":"+cellName(2, c+4))
	n := xlsxFindRow(t, rows, c, "2. Đoàn viên chưa báo cáo hoạt động trong tháng (2 người)")
	xlsxWantRow(t, rows, n+1, "STT", "Họ và tên")
	xlsxWantRow(t, rows, n+2, "1", "Trần Thị Bình")
	xlsxWantRow(t, rows, n+3, "2", "Lê Văn Cường")

	// III. The unit's part of each fund.
	fu := xlsxFindRow(t, rows, n, "III. Các quỹ")
	xlsxWantRow(t, rows, fu+2, "1", "Mái ấm Công đoàn", "5.000.000", "1.500.000", "5", "1")
	xlsxWantRow(t, rows, fu+3, "2", "Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn", "2.000.000", "2.000.000", "3", "-")
	xlsxWantRow(t, rows, fu+4, "", "Tổng cộng", "7.000.000", "3.500.000")

	// Signed by the executive committee's chair, by name.
	sig := xlsxFindRow(t, rows, fu, "TM. BAN CHẤP HÀNH")
	xlsxWantRow(t, rows, sig, "", "", "TM. BAN CHẤP HÀNH")
	xlsxWantRow(t, rows, sig+1, "", "", "CHỦ TỊCH")
	xlsxWantRow(t, rows, sig+2, "", "", "(Ký, ghi rõ họ tên)")
	name := xlsxFindRow(t, rows, sig, "Nguyễn Văn An")
	xlsxWantRow(t, rows, name, "", "", "Nguyễn Văn An")
	xlsxWantStyle(t, f, sheet, cellName(3, name+1), excelize.Font{Bold: true}, "center")

	xlsxWantPage(t, f, sheet)
}

// TestReportXLSXEmpty: a month with no unit, kind, fund or campaign still
// makes a complete report, saying so in each table.
func TestReportXLSXEmpty(t *testing.T) {
	s := &cd.ProvinceSummary{Province: "Công đoàn Viên chức tỉnh", Month: cd.Month{Year: 2027, Month: 1},
		GeneratedAt: time.Date(2027, 2, 3, 7, 0, 0, 0, reportZone), Totals: map[string]cd.KindTotal{}}
	data, err := ProvinceXLSX(s, cd.Date{})
	if err != nil {
		t.Fatal(err)
	}
	_, rows := xlsxOpenReport(t, data, "Bao cao thang 01-2027")
	xlsxWantRow(t, rows, 0, "CÔNG ĐOÀN VIÊN CHỨC TỈNH")
	xlsxWantRow(t, rows, 2, "", "", "", "Ngày 03 tháng 02 năm 2027")
	for _, want := range []string{"Không có báo cáo hoạt động nào trong tháng.", "Chưa có công đoàn cơ sở nào.",
		"Các đơn vị nộp muộn hoặc chưa nộp: không có.", "Chưa có quỹ nào.", "TM. BAN THƯỜNG VỤ"} {
		xlsxFindRow(t, rows, 0, want)
	}
	tot := xlsxFindRow(t, rows, 0, "Tổng cộng")
	xlsxWantRow(t, rows, tot, "", "Tổng cộng", "0", "0", "0")

	u := &cd.UnitMonth{Unit: cd.Unit{Name: "Sở Công Thương", Code: "SCT"}}
	data, err = UnitXLSX(s, u, "", cd.Date{})
	if err != nil {
		t.Fatal(err)
	}
	_, rows = xlsxOpenReport(t, data, "Bao cao thang 01-2027")
	for _, want := range []string{"SỞ CÔNG THƯƠNG", "Không có phong trào thi đua nào trong tháng.",
		"Tất cả đoàn viên đã báo cáo hoạt động trong tháng.", "TM. BAN CHẤP HÀNH"} {
		xlsxFindRow(t, rows, 0, want)
	}
	if _, err := UnitXLSX(s, nil, "", cd.Date{}); err == nil {
		t.Error("unit report of no unit: no error")
	}
}

func TestXLSXPlaceDate(t *testing.T) {
	for _, tc := range []struct {
		province         string
		day, month, year int
		want             string
	}{
		{"Công đoàn Viên chức tỉnh Quảng Trị", 6, 8, 2026, "Quảng Trị, ngày 06 tháng 8 năm 2026"},
		{"Công đoàn Viên chức tỉnh Bà Rịa - Vũng Tàu", 15, 2, 2026, "Bà Rịa - Vũng Tàu, ngày 15 tháng 02 năm 2026"},
		{"Công đoàn Viên chức thành phố Hà Nội", 31, 12, 2026, "Hà Nội, ngày 31 tháng 12 năm 2026"},
		{"CÔNG ĐOÀN VIÊN CHỨC TỈNH NGHỆ AN", 1, 1, 2027, "NGHỆ AN, ngày 01 tháng 01 năm 2027"},
		{"Công đoàn Viên chức tỉnh", 9, 10, 2026, "Ngày 09 tháng 10 năm 2026"},
	} {
		if got := txtXLSXPlaceDate(txtXLSXPlace(tc.province), tc.day, tc.month, tc.year); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.province, got, tc.want)
		}
	}
}

// TestXLSXLines: the row-height estimate wraps words like a cell does.
func TestXLSXLines(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width float64
		want  int
	}{
		{"", 10, 1},
		{"Sở Tư pháp", 30, 1},
		{"Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn", 30, 2},
		{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 73, 1},
		{"a\nb", 30, 2},
		{strings.Repeat("x", 50), 12, 5},
		{"03/08/2026 09:15", 20, 1},
		{"06/08/2026 07:30 (Muộn)", 20, 2},
		{"2.000.000", 14, 1},
	} {
		if got := wrapLines(tc.s, tc.width, false); got != tc.want {
			t.Errorf("wrapLines(%q, %v) = %d, want %d", tc.s, tc.width, got, tc.want)
		}
	}
}

// xlsxWantStyle checks a cell's font (Times New Roman 13 or 14, and the
// given weight and underline) and horizontal alignment.
func xlsxWantStyle(t *testing.T, f *excelize.File, sheet, cell string, font excelize.Font, align string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Font == nil || st.Font.Family != "Times New Roman" || st.Font.Size < 13 || st.Font.Size > 14 {
		t.Errorf("%s: font %+v, want Times New Roman 13", cell, st.Font)
		return
	}
	if st.Font.Bold != font.Bold || st.Font.Underline != font.Underline {
		t.Errorf("%s: bold %v underline %q, want %v %q", cell, st.Font.Bold, st.Font.Underline, font.Bold, font.Underline)
	}
	if st.Alignment == nil || st.Alignment.Horizontal != align {
		t.Errorf("%s: alignment %+v, want %s", cell, st.Alignment, align)
	}
}

func xlsxWantRed(t *testing.T, f *excelize.File, sheet, cell string, red bool) {
	t.Helper()
	id, _ := f.GetCellStyle(sheet, cell)
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Font != nil && st.Font.Color != "" && !strings.EqualFold(st.Font.Color, "FF000000"); got != red {
		t.Errorf("%s: red %v (font %+v), want %v", cell, got, st.Font, red)
	}
}

// xlsxWantText checks whether a cell holds text (money) or a number (counts).
func xlsxWantText(t *testing.T, f *excelize.File, sheet, cell string, text bool) {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
	if isText != text {
		t.Errorf("%s: cell type %v, want text %v", cell, typ, text)
	}
}

func xlsxWantMerged(t *testing.T, f *excelize.File, sheet string, ranges ...string) {
	t.Helper()
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, m := range merged {
		have = append(have, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	for _, r := range ranges {
		if !slices.Contains(have, r) {
			t.Errorf("%s not merged (merged: %v)", r, have)
		}
	}
}

// xlsxWantPage checks the page setup: A4 portrait, fit to one page wide.
func xlsxWantPage(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "portrait" ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v, want A4 portrait, 1 page wide", pl)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("fit to page not set")
	}
}

// TestXLSXLongLateList: a late list longer than a row can hold goes on
// over several rows, every unit named once, and the file opens.
func TestXLSXLongLateList(t *testing.T) {
	s := reportBenchSummary(400, 3, 1)
	for i := range s.Units {
		s.Units[i].Report = nil
	}
	data, err := ProvinceXLSX(s, cd.Date{Year: 2026, Month: 8, Day: 5})
	if err != nil {
		t.Fatal(err)
	}
	f, rows := xlsxOpenReport(t, data, "Bao cao thang 07-2026")
	first := xlsxFindRow(t, rows, 0, "II. Các công đoàn cơ sở") + 2 + len(s.Units)
	var list []string
	for i := first; i < len(rows) && xlsxCellAt(rows[i], 0) != ""; i++ {
		list = append(list, rows[i][0])
		if h, _ := f.GetRowHeight("Bao cao thang 07-2026", i+1); h > 409 {
			t.Errorf("row %d: height %v over 409", i+1, h)
		}
	}
	if len(list) < 2 {
		t.Fatalf("late list in %d rows, want several", len(list))
	}
	joined := strings.Join(list, " ")
	if !strings.HasPrefix(joined, "Các đơn vị nộp muộn hoặc chưa nộp: ") || !strings.HasSuffix(joined, "(chưa nộp).") {
		t.Errorf("late list %q...%q", joined[:60], joined[len(joined)-60:])
	}
	if n := strings.Count(joined, "(chưa nộp)"); n != len(s.Units) {
		t.Errorf("%d units in the late list, want %d", n, len(s.Units))
	}
}
