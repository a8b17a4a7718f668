package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const flowSurvey = "survey"

// surveyStep is a step of /khaosat: pick a survey, answer its questions
// one by one, send the answers.
type surveyStep string

const (
	surveyPick   surveyStep = "pick"
	surveyAnswer surveyStep = "answer"
	surveySubmit surveyStep = "submit"
)

func (s surveyStep) where() (string, string) { return flowSurvey, string(s) }

func surveyFlow() *flow { return newFlow(stepSurvey, surveyPick, surveyAnswer, surveySubmit) }

// surveyData is the survey being answered and the answers so far. For an
// anonymous survey they live only here, in the person's own flow state,
// until they are sent.
type surveyData struct {
	Survey  int64             `json:"survey,omitempty"`
	Q       int               `json:"q,omitempty"` // the question being answered
	Answers []cd.SurveyAnswer `json:"answers,omitempty"`
	Ticked  []int             `json:"ticked,omitempty"` // options ticked at a multiple-choice question
}

// surveyRecheck: the survey being answered still asks the person (their
// unit or role may have changed).
func surveyRecheck(r *request) (bool, error) {
	d := flowData[surveyData](r)
	if d.Survey == 0 {
		return true, nil
	}
	s, err := r.tx.SurveyByID(d.Survey)
	if err != nil {
		return false, err
	}
	return surveyFor(r, s)
}

// Choices of a question carry the survey and the question, so that a
// button left on an earlier question counts for nothing: "q12.3:1" is
// option 1 (or rating 1) of question 3 of survey 12; "t12.3:1" ticks it;
// "x12.3" is «Xong»; "s12.3" skips a free-text question.
func answerID(kind byte, survey int64, q, n int) string {
	id := fmt.Sprintf("%c%d.%d", kind, survey, q)
	if n >= 0 {
		id += ":" + strconv.Itoa(n)
	}
	return id
}

// readAnswerID reads an answerID of the given kind for survey and
// question q: the number after the colon, or -1 when it has none.
func readAnswerID(id string, kind byte, survey int64, q int) (int, bool) {
	prefix := answerID(kind, survey, q, -1)
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok {
		return 0, false
	}
	if rest == "" {
		return -1, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(rest, ":"))
	return n, err == nil && strings.HasPrefix(rest, ":")
}

// startAnswering begins a survey at its first question, after saying
// what answering it means: an anonymous survey's answers cannot be
// changed once sent; a named one's can, until it closes.
func startAnswering(r *request, s *cd.Survey) error {
	if !s.OpenOn(r.today()) {
		return cd.Invalid(cd.ReasonSurveyClosed)
	}
	done, err := r.tx.SurveyResponded(s.ID, r.me.ID)
	if err != nil {
		return err
	}
	if s.Anonymous && done {
		return cd.Invalid(cd.ReasonSurveyAnswered)
	}
	r.reply(txtSurveyIntro(s, done))
	r.flow = nil
	d := startFlow[surveyData](r, surveyAnswer)
	d.Survey, d.Q, d.Answers = s.ID, 0, make([]cd.SurveyAnswer, len(s.Questions))
	return askQuestion(r, s, d)
}

// askQuestion asks question d.Q, with the member's earlier answer to a
// named survey.
func askQuestion(r *request, s *cd.Survey, d *surveyData) error {
	q := &s.Questions[d.Q]
	d.Ticked = nil
	var before string
	if !s.Anonymous {
		prev, err := r.tx.MySurveyAnswers(s.ID, r.me.ID)
		if err != nil {
			return err
		}
		if d.Q < len(prev) {
			before = txtAnswerText(q, prev[d.Q])
		}
	}
	r.ask(surveyAnswer, cd.Message{Text: txtQuestion(s, d.Q, before), Choices: questionChoices(s, d.Q, nil)})
	return nil
}

// questionChoices are the choices of question q, with the ticked options
// of a multiple-choice question marked.
func questionChoices(s *cd.Survey, q int, ticked []int) []cd.Choice {
	qu := &s.Questions[q]
	var cs []cd.Choice
	switch qu.Kind {
	case cd.QuestionSingle:
		for i, o := range qu.Options {
			cs = append(cs, cd.Choice{ID: answerID('q', s.ID, q, i), Label: o})
		}
	case cd.QuestionMultiple:
		for i, o := range qu.Options {
			label := o
			if slices.Contains(ticked, i) {
				label = txtTicked + o
			}
			cs = append(cs, cd.Choice{ID: answerID('t', s.ID, q, i), Label: label})
		}
		cs = append(cs, cd.Choice{ID: answerID('x', s.ID, q, -1), Label: txtDone})
	case cd.QuestionRating:
		for v := 1; v <= cd.RatingMax; v++ {
			cs = append(cs, cd.Choice{ID: answerID('q', s.ID, q, v), Label: strconv.Itoa(v)})
		}
	case cd.QuestionText:
		cs = append(cs, cd.Choice{ID: answerID('s', s.ID, q, -1), Label: txtSkip})
	}
	return cs
}

func stepSurvey(r *request, s surveyStep, d *surveyData, in input) error {
	if s == surveyPick {
		return pickSurvey(r, in)
	}
	sv, err := r.tx.SurveyByID(d.Survey)
	if err != nil {
		return err
	}
	if sv.Anonymous {
		// What the update carried (a pressed option, a typed answer)
		// stays nowhere beside the account that sent it.
		if err := r.tx.ForgetInboxPayload(r.u.InboxID); err != nil {
			return err
		}
	}
	if !sv.OpenOn(r.today()) {
		r.end()
		return cd.Invalid(cd.ReasonSurveyClosed)
	}
	if s == surveySubmit {
		return submitAnswers(r, sv, d, in)
	}
	if d.Q < 0 || d.Q >= len(sv.Questions) || len(d.Answers) != len(sv.Questions) {
		r.end()
		r.reply(txtExpired)
		return nil
	}
	a, done, err := readAnswer(r, sv, d, in)
	if err != nil && cd.ErrorCode(err) != cd.EINTERNAL {
		// Said here, not by rolling back: the update's content is then
		// forgotten (above) even when the answer is refused.
		r.reply(reasonText(err))
		return nil
	}
	if err != nil || !done {
		return err
	}
	d.Answers[d.Q] = a
	d.Q++
	if d.Q < len(sv.Questions) {
		return askQuestion(r, sv, d)
	}
	r.ask(surveySubmit, cd.Message{Text: txtSurveyReview(sv, d.Answers), Choices: []cd.Choice{
		{ID: chSend, Label: txtSurveySend}, {ID: chRedo, Label: txtSurveyRedo}, {ID: chNo, Label: txtCancel}}})
	return nil
}

const chRedo = "redo"

func pickSurvey(r *request, in input) error {
	if id, ok := idAfter(in.Choice, chSurvey); ok {
		return openSurvey(r, id)
	}
	switch in.Choice {
	case chSurveyNew, chSurveyList:
		if !allowed(r.me, permChair) {
			return r.deny(in.Choice)
		}
		if in.Choice == chSurveyNew {
			return cmdNewSurvey(r, "")
		}
		return cmdSurveyResults(r, "")
	}
	r.reply(txtPickOne)
	return nil
}

// readAnswer reads the answer to the question asked; done is false when
// the step stays where it is (an option ticked, or a retry asked for).
func readAnswer(r *request, s *cd.Survey, d *surveyData, in input) (a cd.SurveyAnswer, done bool, err error) {
	q := &s.Questions[d.Q]
	switch q.Kind {
	case cd.QuestionSingle, cd.QuestionRating:
		n, ok := readAnswerID(in.Choice, 'q', s.ID, d.Q)
		if !ok || n < 0 {
			r.reply(txtPickOne)
			return a, false, nil
		}
		if q.Kind == cd.QuestionRating {
			return cd.SurveyAnswer{Rating: n}, true, nil
		}
		return cd.SurveyAnswer{Options: []int{n}}, true, nil
	case cd.QuestionMultiple:
		return readMultiple(r, s, d, in)
	}
	if _, ok := readAnswerID(in.Choice, 's', s.ID, d.Q); ok {
		return cd.SurveyAnswer{}, true, nil
	}
	text, err := cd.ValidateFreeAnswer(r.u.Text)
	if err != nil {
		return a, false, err
	}
	return cd.SurveyAnswer{Text: text}, true, nil
}

// readMultiple reads the answer to a multiple-choice question. A pressed
// option ticks or unticks it, and the buttons show it (Result.Keyboard);
// «Xong» answers with the ticked options. Typed, the answer is whole:
// "1,3", "1 3", labels, or a single number.
func readMultiple(r *request, s *cd.Survey, d *surveyData, in input) (cd.SurveyAnswer, bool, error) {
	q := &s.Questions[d.Q]
	if n, ok := readAnswerID(in.Choice, 't', s.ID, d.Q); ok && n >= 0 {
		if r.u.Choice == "" { // typed: the one option is the answer
			return cd.SurveyAnswer{Options: []int{n}}, true, nil
		}
		if i := slices.Index(d.Ticked, n); i >= 0 {
			d.Ticked = slices.Delete(d.Ticked, i, i+1)
		} else {
			d.Ticked = append(d.Ticked, n)
		}
		slices.Sort(d.Ticked)
		r.keyboard = questionChoices(s, d.Q, d.Ticked)
		return cd.SurveyAnswer{}, false, nil
	}
	if _, ok := readAnswerID(in.Choice, 'x', s.ID, d.Q); ok {
		if len(d.Ticked) == 0 {
			r.reply(txtTickFirst)
			return cd.SurveyAnswer{}, false, nil
		}
		return cd.SurveyAnswer{Options: slices.Clone(d.Ticked)}, true, nil
	}
	opts, err := parseOptionList(in.Text, q.Options)
	if err != nil {
		return cd.SurveyAnswer{}, false, err
	}
	return cd.SurveyAnswer{Options: opts}, true, nil
}

// parseOptionList reads several options typed at once: numbers or
// labels, separated by commas, semicolons or spaces ("1,3", "1 3",
// "Thể thao, Văn nghệ"). It returns their indexes, sorted, each once.
func parseOptionList(text string, options []string) ([]int, error) {
	parts := strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ';' || c == '\n' })
	if len(parts) == 1 {
		parts = strings.Fields(parts[0])
		if _, err := strconv.Atoi(strings.TrimSuffix(parts[0], ".")); err != nil {
			parts = []string{text} // one label of several words
		}
	}
	var out []int
	for _, p := range parts {
		p = strings.TrimSuffix(strings.TrimSpace(p), ".")
		if p == "" {
			continue
		}
		i := -1
		if n, err := strconv.Atoi(p); err == nil && n >= 1 && n <= len(options) {
			i = n - 1
		} else if err != nil {
			i = slices.IndexFunc(options, func(o string) bool { return cd.Fold(o) == cd.Fold(p) })
		}
		if i < 0 {
			return nil, cd.Invalid(cd.ReasonSurveyPick)
		}
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, cd.Invalid(cd.ReasonSurveyPick)
	}
	slices.Sort(out)
	return out, nil
}

// submitAnswers sends the answers, answers again from the first
// question, or cancels.
func submitAnswers(r *request, s *cd.Survey, d *surveyData, in input) error {
	switch in.Choice {
	case chSend:
	case chRedo:
		d.Q, d.Answers = 0, make([]cd.SurveyAnswer, len(s.Questions))
		return askQuestion(r, s, d)
	case chNo:
		r.end()
		r.reply(txtCancelled)
		return nil
	default:
		r.reply(txtPickOne)
		return nil
	}
	if err := r.tx.SaveSurveyResponse(s, r.me.ID, d.Answers); err != nil {
		return err
	}
	r.end()
	r.reply(txtSurveyThanks(s))
	return nil
}
