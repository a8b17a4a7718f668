package report

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// The texts of a survey's chart and workbook, kept beside the reports'
// in texts.go.

const (
	txtSurveyChartAxis      = "Số người chọn"
	txtSurveySheetSummary   = "Ket qua"
	txtSurveySheetResponses = "Cau tra loi"
	txtSurveyBookCount      = "Số người"
	txtSurveyBookPercent    = "Tỉ lệ (%)"
	txtSurveyBookAverage    = "Điểm trung bình"
	txtSurveyBookName       = "Họ và tên"
	txtSurveyBookUnit       = "Đơn vị"
	txtSurveyBookUpdated    = "Cập nhật lúc (UTC)"
)

var surveyKindNames = map[cd.QuestionKind]string{
	cd.QuestionSingle:   "một lựa chọn",
	cd.QuestionMultiple: "nhiều lựa chọn",
	cd.QuestionRating:   "chấm điểm 1–5",
	cd.QuestionText:     "trả lời tự do",
}

// txtSurveyChartTitle heads a question: "Câu 2. ... (nhiều lựa chọn, 12
// người trả lời)".
func txtSurveyChartTitle(i int, q *cd.QuestionResult) string {
	return fmt.Sprintf("Câu %d. %s (%s, %d người trả lời)", i+1, q.Question.Text, surveyKindNames[q.Question.Kind], q.Answered)
}

func txtSurveyRating(v int) string { return fmt.Sprintf("%d điểm", v) }

func txtSurveyBookTitle(s *cd.Survey) string {
	return fmt.Sprintf("KẾT QUẢ KHẢO SÁT SỐ %d: %s", s.ID, s.Title)
}

func txtSurveyBookInfo(s *cd.Survey, responses int) string {
	kind := "ghi tên"
	if s.Anonymous {
		kind = "ẩn danh"
	}
	return fmt.Sprintf("Khảo sát %s, hạn trả lời hết ngày %s; %d/%d người trả lời.", kind, s.ClosesOn.Display(), responses, s.Recipients)
}

func txtSurveyBookQuestion(i int) string { return fmt.Sprintf("Câu %d", i+1) }
