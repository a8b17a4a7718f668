package congdoanbot

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// QuestionKind is how a survey question is answered.
type QuestionKind string

// Kinds of question: one option, several options, a rating from 1 to 5,
// or free text.
const (
	QuestionSingle   QuestionKind = "single"
	QuestionMultiple QuestionKind = "multiple"
	QuestionRating   QuestionKind = "rating"
	QuestionText     QuestionKind = "text"
)

// Bounds of a survey.
const (
	MaxSurveyQuestions = 10
	MinSurveyOptions   = 2
	MaxSurveyOptions   = 10
	MaxSurveyTitle     = 200
	MaxQuestionText    = 300
	MaxOptionText      = 100
	MaxFreeAnswer      = 1000
	RatingMax          = 5
	MaxSurveyDays      = 90 // how far ahead a survey may close
	// MinAnonymousResults is the fewest responses an anonymous survey's
	// results are shown with: with fewer, anyone who knows who answered
	// could tell what they answered.
	MinAnonymousResults = 3
)

// Reasons for surveys.
const (
	ReasonSurveyTitle      Reason = "survey.title"
	ReasonSurveyQuestion   Reason = "survey.question"
	ReasonSurveyOptions    Reason = "survey.options"
	ReasonSurveyOptionLong Reason = "survey.option_long"
	ReasonSurveyOptionDup  Reason = "survey.option_dup"
	ReasonSurveyNoQuestion Reason = "survey.no_question"
	ReasonSurveyCloseDate  Reason = "survey.close_date"
	ReasonSurveyAnswerLong Reason = "survey.answer_long"
	ReasonSurveyAnswer     Reason = "survey.answer"
	ReasonSurveyNotFound   Reason = "survey.not_found"
	ReasonSurveyClosed     Reason = "survey.closed"
	ReasonSurveyNotForYou  Reason = "survey.not_for_you"
	ReasonSurveyAnswered   Reason = "survey.answered" // an anonymous survey, answered already
	ReasonSurveyPick       Reason = "survey.pick"     // typed options that are not in the list
)

// AuditSurvey records a survey made and sent. Answers are not audited.
const AuditSurvey = "survey.create"

// SurveyQuestion is one question of a survey.
type SurveyQuestion struct {
	Kind    QuestionKind `json:"kind"`
	Text    string       `json:"text"`
	Options []string     `json:"options,omitempty"` // for single and multiple choice
}

// HasOptions reports whether the question is answered by choosing.
func (q *SurveyQuestion) HasOptions() bool {
	return q.Kind == QuestionSingle || q.Kind == QuestionMultiple
}

// Survey is a survey of members' views (khảo sát ý kiến, tâm tư nguyện
// vọng): questions sent to an audience, answered until a closing date.
// An anonymous survey's answers are stored apart from who answered.
type Survey struct {
	ID        int64
	Title     string
	Questions []SurveyQuestion
	Anonymous bool
	Audience  Audience
	UnitIDs   []int64 // for AudienceUnits
	CreatedBy int64
	ClosesOn  Date // answers are taken until the end of this day
	// Recipients is how many members the invitation was queued for.
	Recipients int
	CreatedAt  time.Time
	RemindedAt time.Time // the reminder before closing was done
	ClosedAt   time.Time // the close was processed (results to the creator)

	CreatorName string // filled by queries that join it
}

// OpenOn reports whether the survey takes answers on day today.
func (s *Survey) OpenOn(today Date) bool { return !today.After(s.ClosesOn) }

// ReminderAt is when non-respondents are reminded: 08:00 on the day
// before the closing day.
func (s *Survey) ReminderAt(loc *time.Location) time.Time {
	return s.ClosesOn.AddDays(-1).Time(loc).Add(8 * time.Hour)
}

// SurveyAnswer is the answer to one question: the chosen options (0-based
// indexes, ascending), a rating, or a text. The zero answer is a skipped
// free-text question.
type SurveyAnswer struct {
	Options []int  `json:"o,omitempty"`
	Rating  int    `json:"r,omitempty"`
	Text    string `json:"t,omitempty"`
}

// SurveyResponse is one member's answers to a survey. For an anonymous
// survey MemberID is 0 and UpdatedAt is zero: nothing ties it to a person
// or a moment.
type SurveyResponse struct {
	Answers    []SurveyAnswer
	MemberID   int64
	MemberName string
	UnitCode   string
	UpdatedAt  time.Time
}

// ValidateSurveyTitle cleans and checks a survey's title.
func ValidateSurveyTitle(s string) (string, error) {
	t := CleanText(s)
	if n := utf8.RuneCountInString(t); n < 3 || n > MaxSurveyTitle {
		return "", Invalid(ReasonSurveyTitle)
	}
	if HasControl(t) {
		return "", Invalid(ReasonText)
	}
	return t, nil
}

// ValidateQuestionText cleans and checks the text of a question.
func ValidateQuestionText(s string) (string, error) {
	t := CleanText(s)
	if n := utf8.RuneCountInString(t); n < 3 || n > MaxQuestionText {
		return "", Invalid(ReasonSurveyQuestion)
	}
	if HasControl(t) {
		return "", Invalid(ReasonText)
	}
	return t, nil
}

// ParseSurveyOptions reads the options of a choice question typed one a
// line or separated by semicolons: 2 to 10, each at most 100 characters,
// no two alike.
func ParseSurveyOptions(s string) ([]string, error) {
	if HasControl(s) {
		return nil, Invalid(ReasonText)
	}
	var opts []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ';' }) {
		o := CleanText(f)
		if o == "" {
			continue
		}
		if utf8.RuneCountInString(o) > MaxOptionText {
			return nil, Invalid(ReasonSurveyOptionLong)
		}
		if seen[Fold(o)] {
			return nil, Invalid(ReasonSurveyOptionDup)
		}
		seen[Fold(o)] = true
		opts = append(opts, o)
	}
	if len(opts) < MinSurveyOptions || len(opts) > MaxSurveyOptions {
		return nil, Invalid(ReasonSurveyOptions)
	}
	return opts, nil
}

// ValidateFreeAnswer cleans and checks a free-text answer: the usual
// rules of text people type (length, no control characters); line breaks
// are kept.
func ValidateFreeAnswer(s string) (string, error) {
	if HasControl(s) {
		return "", Invalid(ReasonText)
	}
	t := trimLines(s)
	if t == "" {
		return "", Invalid(ReasonSurveyAnswer)
	}
	if utf8.RuneCountInString(t) > MaxFreeAnswer {
		return "", Invalid(ReasonSurveyAnswerLong)
	}
	return t, nil
}

// ValidateCloseDate checks a survey's closing day against today.
func ValidateCloseDate(d, today Date) error {
	if d.Before(today) || d.DaysSince(today) > MaxSurveyDays {
		return Invalid(ReasonSurveyCloseDate)
	}
	return nil
}

// Validate checks a survey before it is stored.
func (s *Survey) Validate(today Date) error {
	if _, err := ValidateSurveyTitle(s.Title); err != nil {
		return err
	}
	if len(s.Questions) == 0 || len(s.Questions) > MaxSurveyQuestions {
		return Invalid(ReasonSurveyNoQuestion)
	}
	for _, q := range s.Questions {
		switch q.Kind {
		case QuestionSingle, QuestionMultiple:
			if len(q.Options) < MinSurveyOptions || len(q.Options) > MaxSurveyOptions {
				return Invalid(ReasonSurveyOptions)
			}
		case QuestionRating, QuestionText:
			if len(q.Options) > 0 {
				return Invalid(ReasonSurveyOptions)
			}
		default:
			return Errorf(EINVALID, ReasonSurveyQuestion, "kind %q", q.Kind)
		}
	}
	if !ValidAudience(s.Audience) || s.Audience == AudienceUnits && len(s.UnitIDs) == 0 {
		return Invalid(ReasonAnnouncementUnits)
	}
	return ValidateCloseDate(s.ClosesOn, today)
}

// CheckAnswers checks a full set of answers against the questions: one
// answer a question, options in range, a rating from 1 to 5, a free text
// within the rules (or skipped).
func (s *Survey) CheckAnswers(as []SurveyAnswer) error {
	if len(as) != len(s.Questions) {
		return Errorf(EINVALID, ReasonSurveyAnswer, "%d answers to %d questions", len(as), len(s.Questions))
	}
	for i, q := range s.Questions {
		a := as[i]
		bad := false
		switch q.Kind {
		case QuestionSingle:
			bad = len(a.Options) != 1
		case QuestionMultiple:
			bad = len(a.Options) == 0 || !slices.IsSorted(a.Options) || len(slices.Compact(slices.Clone(a.Options))) != len(a.Options)
		case QuestionRating:
			bad = a.Rating < 1 || a.Rating > RatingMax
		case QuestionText:
			if a.Text != "" {
				t, err := ValidateFreeAnswer(a.Text)
				bad = err != nil || t != a.Text
			}
		}
		for _, o := range a.Options {
			bad = bad || o < 0 || o >= len(q.Options)
		}
		if bad {
			return Errorf(EINVALID, ReasonSurveyAnswer, "question %d", i+1)
		}
	}
	return nil
}
