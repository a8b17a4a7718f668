package congdoanbot

import "time"

// SurveyResults are a survey's answers added up, question by question.
type SurveyResults struct {
	Survey    *Survey
	Responses int // members who answered
	// Withheld: an anonymous survey still open, or with fewer than
	// MinAnonymousResults responses; only the number of responses is
	// shown.
	Withheld  bool
	Questions []QuestionResult
	// Rows are the responses added up (none when withheld): a named
	// survey's with who answered, an anonymous survey's with no one.
	Rows []SurveyResponse
	At   time.Time // when they were added up
}

// QuestionResult is one question's answers added up.
type QuestionResult struct {
	Question SurveyQuestion
	Answered int // responses that answered it (free text may be skipped)
	// Counts per option (single, multiple) or per rating 1..5 (index
	// rating-1).
	Counts    []int
	RatingSum int
	Texts     []FreeAnswer // free-text answers, in the order stored
}

// FreeAnswer is one free-text answer; Name is empty for an anonymous
// survey.
type FreeAnswer struct {
	Text     string
	Name     string
	UnitCode string
}

// Percent is n as a whole percentage of the question's answers, rounded.
func (q *QuestionResult) Percent(n int) int {
	if q.Answered == 0 {
		return 0
	}
	return (200*n + q.Answered) / (2 * q.Answered)
}

// AverageTenths is the average rating times ten, rounded (42 for 4,2).
func (q *QuestionResult) AverageTenths() int {
	if q.Answered == 0 {
		return 0
	}
	return (20*q.RatingSum + q.Answered) / (2 * q.Answered)
}

// ResultsWithheld reports whether a survey's results are kept back:
// those of an anonymous survey show only once it has closed (so that no
// one can compare results before and after a person answered) and only
// with at least MinAnonymousResults responses.
func ResultsWithheld(s *Survey, responses int, today Date) bool {
	return s.Anonymous && (s.OpenOn(today) || responses < MinAnonymousResults)
}

// TallySurvey adds up the responses to a survey as of today.
func TallySurvey(s *Survey, rs []SurveyResponse, today Date, at time.Time) *SurveyResults {
	res := &SurveyResults{Survey: s, Responses: len(rs), At: at, Withheld: ResultsWithheld(s, len(rs), today)}
	if res.Withheld {
		return res
	}
	res.Rows = rs
	res.Questions = make([]QuestionResult, len(s.Questions))
	for i, q := range s.Questions {
		qr := QuestionResult{Question: q}
		switch q.Kind {
		case QuestionSingle, QuestionMultiple:
			qr.Counts = make([]int, len(q.Options))
		case QuestionRating:
			qr.Counts = make([]int, RatingMax)
		}
		for _, r := range rs {
			if i >= len(r.Answers) {
				continue
			}
			tallyAnswer(&qr, r.Answers[i], r)
		}
		res.Questions[i] = qr
	}
	return res
}

func tallyAnswer(qr *QuestionResult, a SurveyAnswer, r SurveyResponse) {
	switch qr.Question.Kind {
	case QuestionSingle, QuestionMultiple:
		if len(a.Options) == 0 {
			return
		}
		qr.Answered++
		for _, o := range a.Options {
			if o >= 0 && o < len(qr.Counts) {
				qr.Counts[o]++
			}
		}
	case QuestionRating:
		if a.Rating < 1 || a.Rating > RatingMax {
			return
		}
		qr.Answered++
		qr.Counts[a.Rating-1]++
		qr.RatingSum += a.Rating
	case QuestionText:
		if a.Text == "" {
			return
		}
		qr.Answered++
		qr.Texts = append(qr.Texts, FreeAnswer{Text: a.Text, Name: r.MemberName, UnitCode: r.UnitCode})
	}
}
