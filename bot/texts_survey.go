package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// Surveys.
const (
	txtSurveyMenu            = "Khảo sát đang mở cho anh/chị:"
	txtNoSurveysMaker        = "Hiện không có khảo sát nào đang mở cho anh/chị. Anh/chị có thể tạo khảo sát mới hoặc xem kết quả."
	txtNoSurveys             = "Hiện không có khảo sát nào đang mở cho anh/chị."
	txtNoSurveysMade         = "Anh/chị chưa tạo khảo sát nào. Gõ /taokhaosat để tạo."
	txtSurveyNew             = "Tạo khảo sát mới"
	txtSurveyResultsList     = "Kết quả khảo sát"
	txtSurveyResultsAsk      = "Xem kết quả khảo sát nào?"
	txtSurveyAskTitle        = "Tên khảo sát (3–200 ký tự), ví dụ: Tâm tư, nguyện vọng của đoàn viên năm 2026."
	txtSurveyAskKind         = "Trả lời câu này bằng cách nào?"
	txtKindSingle            = "Chọn một phương án"
	txtKindMultiple          = "Chọn nhiều phương án"
	txtKindRating            = "Chấm điểm 1–5"
	txtKindText              = "Trả lời tự do"
	txtSurveyAskOptions      = "Các phương án trả lời (2–10), mỗi phương án một dòng hoặc cách nhau bằng dấu chấm phẩy, ví dụ: Thể thao; Văn nghệ; Tham quan."
	txtMoreQuestion          = "Thêm câu hỏi"
	txtNoMoreQuestions       = "Đủ câu hỏi"
	txtSurveyAskAnon         = "Khảo sát ẩn danh hay ghi tên? Ẩn danh: không ai (kể cả người tạo và người quản trị) biết ai trả lời gì; câu trả lời đã gửi không sửa được; kết quả xem được sau khi khảo sát đóng. Ghi tên: người tạo thấy tên người trả lời; đoàn viên sửa được câu trả lời đến khi khảo sát đóng."
	txtSurveyAnon            = "Ẩn danh"
	txtSurveyNamed           = "Ghi tên"
	txtSurveyAskAudience     = "Gửi khảo sát cho ai?"
	txtInAWeek               = "7 ngày nữa"
	txtSurveySendOut         = "Gửi khảo sát"
	txtTicked                = "✅ "
	txtTickFirst             = "Anh/chị chưa chọn phương án nào. Bấm các phương án rồi bấm «Xong», hoặc gõ các số, ví dụ 1,3."
	txtSurveySend            = "Gửi câu trả lời"
	txtSurveyRedo            = "Trả lời lại từ đầu"
	txtSurveyResultsNotYours = "Kết quả khảo sát này chỉ người tạo khảo sát và Công đoàn tỉnh xem được."
)

var surveyReasonTexts = map[cd.Reason]string{
	cd.ReasonSurveyTitle:      "Tên khảo sát cần từ 3 đến 200 ký tự. Gõ lại tên.",
	cd.ReasonSurveyQuestion:   "Câu hỏi cần từ 3 đến 300 ký tự. Gõ lại câu hỏi.",
	cd.ReasonSurveyOptions:    "Cần từ 2 đến 10 phương án, mỗi phương án một dòng hoặc cách nhau bằng dấu chấm phẩy. Gõ lại các phương án.",
	cd.ReasonSurveyOptionLong: "Mỗi phương án tối đa 100 ký tự. Gõ lại các phương án ngắn hơn.",
	cd.ReasonSurveyOptionDup:  "Có hai phương án giống nhau. Gõ lại các phương án, mỗi phương án một lần.",
	cd.ReasonSurveyNoQuestion: "Khảo sát cần từ 1 đến 10 câu hỏi.",
	cd.ReasonSurveyCloseDate:  "Hạn trả lời cần từ hôm nay đến 90 ngày tới, dạng ngày/tháng, ví dụ 30/11.",
	cd.ReasonSurveyAnswerLong: "Câu trả lời dài quá 1.000 ký tự. Anh/chị viết ngắn lại.",
	cd.ReasonSurveyAnswer:     "Câu trả lời chưa hợp lệ. Anh/chị trả lời lại câu hỏi.",
	cd.ReasonSurveyNotFound:   "Không tìm thấy khảo sát này. Gõ /khaosat để xem các khảo sát đang mở.",
	cd.ReasonSurveyClosed:     "Khảo sát này đã đóng, không nhận câu trả lời nữa.",
	cd.ReasonSurveyNotForYou:  "Khảo sát này không dành cho anh/chị. Gõ /khaosat để xem các khảo sát đang mở cho anh/chị.",
	cd.ReasonSurveyAnswered:   "Anh/chị đã gửi câu trả lời cho khảo sát ẩn danh này. Câu trả lời ẩn danh không gắn với tên anh/chị nên không sửa được.",
	cd.ReasonSurveyPick:       "Có lựa chọn không có trong danh sách. Gõ các số thứ tự, cách nhau bằng dấu phẩy, ví dụ 1,3.",
}

func init() { addReasonTexts(surveyReasonTexts) }

// addReasonTexts adds the reason texts of a feature to reasonTexts.
func addReasonTexts(m map[cd.Reason]string) {
	for k, v := range m {
		if _, dup := reasonTexts[k]; dup {
			panic("two texts for reason " + string(k))
		}
		reasonTexts[k] = v
	}
}

var questionKindNames = map[cd.QuestionKind]string{
	cd.QuestionSingle:   "một lựa chọn",
	cd.QuestionMultiple: "nhiều lựa chọn",
	cd.QuestionRating:   "chấm điểm 1–5",
	cd.QuestionText:     "trả lời tự do",
}

func txtAnonOrNamed(anonymous bool) string {
	if anonymous {
		return "ẩn danh"
	}
	return "ghi tên"
}

func txtSurveyRef(s *cd.Survey) string { return "/khaosat_" + strconv.FormatInt(s.ID, 10) }

func txtSurveyLabel(s *cd.Survey, done bool) string {
	state := "chưa trả lời"
	if done {
		state = "đã trả lời"
	}
	return fmt.Sprintf("%s (hạn %s, %s)", cd.Truncate(s.Title, 40), s.ClosesOn.Short(), state)
}

func txtSurveyResultLabel(s *cd.Survey) string {
	return fmt.Sprintf("Số %d: %s (hạn %s)", s.ID, cd.Truncate(s.Title, 40), s.ClosesOn.Short())
}

func txtAudienceUnits(names []string) string { return "Đoàn viên " + strings.Join(names, ", ") }

func txtUnionOf(unit string) string { return "Công đoàn " + unit }

func txtSurveyAskQuestion(n int) string {
	return fmt.Sprintf("Câu hỏi số %d (3–300 ký tự), ví dụ: Anh/chị muốn công đoàn tổ chức hoạt động nào trong năm tới?", n)
}

func txtSurveyAskMore(n int) string {
	return fmt.Sprintf("Đã có %d câu hỏi. Thêm câu hỏi nữa (tối đa %d)?", n, cd.MaxSurveyQuestions)
}

func txtSurveyFull(n int) string { return fmt.Sprintf("Khảo sát đã đủ %d câu hỏi.", n) }

func txtSurveyAskCloses(days int) string {
	return fmt.Sprintf("Hạn trả lời: khảo sát nhận câu trả lời đến hết ngày nào? Gõ ngày/tháng (ví dụ 30/11), trong vòng %d ngày, hoặc chọn.", days)
}

// txtQuestionLine is a question with its kind and options, for a preview.
func txtQuestionLine(i int, q *cd.SurveyQuestion) string {
	line := fmt.Sprintf("%d. %s (%s", i+1, q.Text, questionKindNames[q.Kind])
	if q.HasOptions() {
		line += ": " + strings.Join(q.Options, " / ")
	}
	return line + ")"
}

func txtSurveyPreview(s *cd.Survey, who string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Khảo sát «%s», %d câu hỏi:\n", s.Title, len(s.Questions))
	for i := range s.Questions {
		b.WriteString(txtQuestionLine(i, &s.Questions[i]) + "\n")
	}
	if s.Anonymous {
		b.WriteString("• Ẩn danh: không ai biết ai trả lời gì; kết quả xem được sau khi khảo sát đóng.\n")
	} else {
		b.WriteString("• Ghi tên: anh/chị thấy tên người trả lời; đoàn viên sửa được câu trả lời đến khi khảo sát đóng.\n")
	}
	fmt.Fprintf(&b, "• Gửi tới: %s (%d người)\n• Hạn trả lời: hết ngày %s\n\nGửi khảo sát?", who, n, s.ClosesOn.Display())
	return b.String()
}

func txtSurveyInvitation(from string, s *cd.Survey) string {
	return fmt.Sprintf("📋 %s mời anh/chị trả lời khảo sát «%s» (%d câu, %s), hạn hết ngày %s. Gõ %s để trả lời.",
		from, s.Title, len(s.Questions), txtAnonOrNamed(s.Anonymous), s.ClosesOn.Display(), txtSurveyRef(s))
}

func txtSurveyCreated(s *cd.Survey, n int) string {
	return fmt.Sprintf("Đã gửi khảo sát số %d tới %d người. Bot sẽ nhắc người chưa trả lời một ngày trước khi đóng, và gửi anh/chị kết quả khi khảo sát đóng. Xem kết quả bất cứ lúc nào: /ketquakhaosat_%d.",
		s.ID, n, s.ID)
}

func txtSurveyIntro(s *cd.Survey, answered bool) string {
	head := fmt.Sprintf("📋 Khảo sát «%s» (%d câu, hạn hết ngày %s).", s.Title, len(s.Questions), s.ClosesOn.Display())
	if s.Anonymous {
		return head + " Khảo sát ẩn danh: câu trả lời không gắn với tên hay tài khoản của anh/chị, kể cả với người tạo khảo sát và người quản trị; vì vậy câu trả lời đã gửi là cuối cùng, không sửa được. Gõ /huy để dừng."
	}
	if answered {
		return head + " Anh/chị đã trả lời khảo sát này; trả lời lại sẽ thay câu trả lời cũ. Gõ /huy để giữ câu trả lời cũ."
	}
	return head + " Khảo sát ghi tên: người tạo khảo sát thấy câu trả lời kèm tên anh/chị; anh/chị sửa được câu trả lời đến khi khảo sát đóng. Gõ /huy để dừng."
}

var questionHints = map[cd.QuestionKind]string{
	cd.QuestionMultiple: "(Chọn một hoặc nhiều: gõ các số, cách nhau bằng dấu phẩy, ví dụ 1,3; hoặc bấm từng phương án rồi bấm «Xong».)",
	cd.QuestionRating:   "(Chấm điểm từ 1 — thấp nhất — đến 5 — cao nhất.)",
	cd.QuestionText:     "(Gõ câu trả lời, tối đa 1.000 ký tự; hoặc chọn «Bỏ qua».)",
}

func txtQuestion(s *cd.Survey, q int, before string) string {
	qu := &s.Questions[q]
	text := fmt.Sprintf("Câu %d/%d: %s", q+1, len(s.Questions), qu.Text)
	if h := questionHints[qu.Kind]; h != "" {
		text += "\n" + h
	}
	if before != "" {
		text += "\nLần trước anh/chị trả lời: " + before
	}
	return text
}

// txtAnswerText is an answer as the member reads it back.
func txtAnswerText(q *cd.SurveyQuestion, a cd.SurveyAnswer) string {
	switch q.Kind {
	case cd.QuestionSingle, cd.QuestionMultiple:
		var picked []string
		for _, o := range a.Options {
			if o >= 0 && o < len(q.Options) {
				picked = append(picked, q.Options[o])
			}
		}
		return strings.Join(picked, "; ")
	case cd.QuestionRating:
		return fmt.Sprintf("%d điểm", a.Rating)
	}
	if a.Text == "" {
		return "(bỏ qua)"
	}
	return a.Text
}

// txtSurveyReview asks to send the answers. A named survey's answers are
// read back; an anonymous survey's are not, so that no message the bot
// keeps holds them.
func txtSurveyReview(s *cd.Survey, as []cd.SurveyAnswer) string {
	if s.Anonymous {
		return fmt.Sprintf("Anh/chị đã trả lời đủ %d câu. Đây là khảo sát ẩn danh: bot không lưu ai trả lời gì, nên sau khi gửi anh/chị không xem lại hay sửa được câu trả lời. Gửi câu trả lời?",
			len(s.Questions))
	}
	var b strings.Builder
	b.WriteString("Câu trả lời của anh/chị:")
	for i := range s.Questions {
		fmt.Fprintf(&b, "\n%d. %s\n→ %s", i+1, s.Questions[i].Text, txtAnswerText(&s.Questions[i], as[i]))
	}
	b.WriteString("\n\nGửi câu trả lời?")
	return b.String()
}

func txtSurveyThanks(s *cd.Survey) string {
	if s.Anonymous {
		return fmt.Sprintf("Cảm ơn anh/chị đã trả lời khảo sát «%s». Câu trả lời đã được lưu ẩn danh.", s.Title)
	}
	return fmt.Sprintf("Cảm ơn anh/chị đã trả lời khảo sát «%s». Muốn sửa, gõ %s trước hết ngày %s.", s.Title, txtSurveyRef(s), s.ClosesOn.Display())
}

func txtSurveyReminder(s *cd.Survey) string {
	return fmt.Sprintf("⏰ Nhắc: khảo sát «%s» đóng vào cuối ngày %s mà anh/chị chưa trả lời. Gõ %s để trả lời (chỉ mất vài phút).",
		s.Title, s.ClosesOn.Display(), txtSurveyRef(s))
}

func txtSurveyClosedLead(s *cd.Survey) string {
	return fmt.Sprintf("Khảo sát số %d «%s» đã đóng.\n", s.ID, s.Title)
}

func txtSurveyChartCaption(s *cd.Survey) string {
	return fmt.Sprintf("Biểu đồ kết quả khảo sát số %d «%s».", s.ID, s.Title)
}

// freeAnswersShown is how many free-text answers of a question the
// results in chat show.
const freeAnswersShown = 20

func txtPercentOf(n, of int) string {
	if of == 0 {
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("%d/%d (%d%%)", n, of, (200*n+of)/(2*of))
}

func txtSurveyResults(res *cd.SurveyResults, today cd.Date) string {
	s := res.Survey
	state := "đang mở"
	if !s.OpenOn(today) {
		state = "đã đóng"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "📊 Kết quả khảo sát số %d «%s» (%s; hạn hết ngày %s, %s).\nĐã trả lời: %s người.",
		s.ID, s.Title, txtAnonOrNamed(s.Anonymous), s.ClosesOn.Display(), state, txtPercentOf(res.Responses, s.Recipients))
	if res.Withheld {
		if s.OpenOn(today) {
			fmt.Fprintf(&b, "\nĐây là khảo sát ẩn danh: kết quả xem được sau khi khảo sát đóng (hết ngày %s) nếu có từ %d người trả lời, để không ai suy ra được câu trả lời của một người.",
				s.ClosesOn.Display(), cd.MinAnonymousResults)
		} else {
			fmt.Fprintf(&b, "\nKhảo sát ẩn danh có dưới %d người trả lời nên kết quả không công bố, để không ai suy ra được câu trả lời của một người.",
				cd.MinAnonymousResults)
		}
		return b.String()
	}
	for i := range res.Questions {
		b.WriteString("\n\n" + txtQuestionResult(i, &res.Questions[i]))
	}
	return b.String()
}

func txtQuestionResult(i int, q *cd.QuestionResult) string {
	var b strings.Builder
	qu := &q.Question
	fmt.Fprintf(&b, "Câu %d. %s", i+1, qu.Text)
	switch qu.Kind {
	case cd.QuestionSingle:
		fmt.Fprintf(&b, " (một lựa chọn; %d người trả lời)", q.Answered)
	case cd.QuestionMultiple:
		fmt.Fprintf(&b, " (nhiều lựa chọn; tỉ lệ trên %d người trả lời)", q.Answered)
	case cd.QuestionRating:
		avg := q.AverageTenths()
		fmt.Fprintf(&b, " (chấm điểm; trung bình %d,%d/5; %d người trả lời)", avg/10, avg%10, q.Answered)
	case cd.QuestionText:
		fmt.Fprintf(&b, " (trả lời tự do; %d ý kiến)", q.Answered)
	}
	switch qu.Kind {
	case cd.QuestionSingle, cd.QuestionMultiple:
		for j, o := range qu.Options {
			fmt.Fprintf(&b, "\n• %s: %d (%d%%)", o, q.Counts[j], q.Percent(q.Counts[j]))
		}
	case cd.QuestionRating:
		for v := cd.RatingMax; v >= 1; v-- {
			fmt.Fprintf(&b, "\n• %d điểm: %d (%d%%)", v, q.Counts[v-1], q.Percent(q.Counts[v-1]))
		}
	case cd.QuestionText:
		for j, t := range q.Texts {
			if j == freeAnswersShown {
				fmt.Fprintf(&b, "\n… và %d ý kiến khác (đầy đủ trong tệp Excel).", len(q.Texts)-freeAnswersShown)
				break
			}
			b.WriteString("\n– " + t.Text)
			if t.Name != "" {
				fmt.Fprintf(&b, " (%s, %s)", t.Name, t.UnitCode)
			}
		}
	}
	return b.String()
}

func txtSurveyFileCaption(s *cd.Survey) string {
	return fmt.Sprintf("Tệp Excel kết quả khảo sát số %d «%s».", s.ID, s.Title)
}
