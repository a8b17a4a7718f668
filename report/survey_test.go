package report

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	cd "github.com/congdoanbot/congdoanbot"
)

// surveyFixture is a closed survey of three questions and its results.
func surveyFixture(anonymous bool) *cd.SurveyResults {
	s := &cd.Survey{ID: 4, Title: "Tâm tư, nguyện vọng 2026", Anonymous: anonymous, Recipients: 5,
		ClosesOn: cd.Date{Year: 2026, Month: 11, Day: 30}, Questions: []cd.SurveyQuestion{
			{Kind: cd.QuestionRating, Text: "Mức hài lòng với công đoàn?"},
			{Kind: cd.QuestionMultiple, Text: "Hoạt động muốn có thêm?", Options: []string{"Thể thao", "Văn nghệ", "Tham quan"}},
			{Kind: cd.QuestionText, Text: "Góp ý khác"},
		}}
	rs := []cd.SurveyResponse{
		{Answers: []cd.SurveyAnswer{{Rating: 5}, {Options: []int{0, 2}}, {Text: "Tổ chức cuối tuần"}}},
		{Answers: []cd.SurveyAnswer{{Rating: 4}, {Options: []int{1}}, {}}},
		{Answers: []cd.SurveyAnswer{{Rating: 2}, {Options: []int{1, 2}}, {Text: "Thêm quỹ"}}},
	}
	if !anonymous {
		for i, n := range []string{"Nguyễn Văn An", "Lê Thị Bình", "Trần Thị Cúc"} {
			rs[i].MemberID, rs[i].MemberName, rs[i].UnitCode = int64(i+1), n, "STP"
			rs[i].UpdatedAt = time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
		}
	}
	return cd.TallySurvey(s, rs, cd.Date{Year: 2026, Month: 12, Day: 1}, time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
}

func TestSurveyChart(t *testing.T) {
	data, err := SurveyChart(surveyFixture(true))
	if err != nil {
		t.Fatal(err)
	}
	reportSaveSample(t, "survey.png", data)
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Two questions drawn (the free text is not): 5 + 3 bars.
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 8*surveyChartBarPx+2*surveyChartExtraPx {
		t.Fatalf("size %dx%d", b.Dx(), b.Dy())
	}
	if n := chartColours(img)[chartUnitColor]; n < 1000 {
		t.Fatalf("%d pixels of bars", n)
	}
	withheld := &cd.SurveyResults{Withheld: true}
	if _, err := SurveyChart(withheld); err == nil {
		t.Fatal("drew withheld results")
	}
}

func TestSurveyXLSX(t *testing.T) {
	for _, anonymous := range []bool{true, false} {
		data, err := SurveyXLSX(surveyFixture(anonymous))
		if err != nil {
			t.Fatal(err)
		}
		reportSaveSample(t, "survey.xlsx", data)
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		summary, err := f.GetRows(txtSurveySheetSummary)
		if err != nil {
			t.Fatal(err)
		}
		flat := ""
		for _, r := range summary {
			flat += strings.Join(r, "|") + "\n"
		}
		for _, want := range []string{"KẾT QUẢ KHẢO SÁT SỐ 4: Tâm tư, nguyện vọng 2026", "3/5 người trả lời",
			"Câu 1. Mức hài lòng với công đoàn? (chấm điểm 1–5, 3 người trả lời)|Số người|Tỉ lệ (%)",
			"5 điểm|1|33", "Điểm trung bình|3,7", "Văn nghệ|2|67", "Tham quan|2|67", "Tổ chức cuối tuần"} {
			if !strings.Contains(flat, want) {
				t.Errorf("anonymous %t: want %q in\n%s", anonymous, want, flat)
			}
		}
		rows, err := f.GetRows(txtSurveySheetResponses)
		if err != nil {
			t.Fatal(err)
		}
		head := strings.Join(rows[0], "|")
		if anonymous && (head != "Câu 1|Câu 2|Câu 3" || strings.Contains(flat, "Nguyễn")) {
			t.Errorf("anonymous responses: %q", rows)
		}
		if !anonymous && (head != "Họ và tên|Đơn vị|Cập nhật lúc (UTC)|Câu 1|Câu 2|Câu 3" ||
			strings.Join(rows[1], "|") != "Nguyễn Văn An|STP|2026-11-26 03:00|5|Thể thao; Tham quan|Tổ chức cuối tuần") {
			t.Errorf("named responses: %q", rows)
		}
		f.Close()
	}
	if _, err := SurveyXLSX(&cd.SurveyResults{Withheld: true}); err == nil {
		t.Fatal("wrote withheld results")
	}
}
