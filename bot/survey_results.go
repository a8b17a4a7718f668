package bot

import (
	"fmt"
	"strconv"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// surveyRenderer draws a survey's results: a chart of its choice and
// rating questions (PNG) and the full results (XLSX).
type surveyRenderer interface {
	SurveyChart(res *cd.SurveyResults) ([]byte, error)
	SurveyXLSX(res *cd.SurveyResults) ([]byte, error)
}

func (noRenderer) SurveyChart(*cd.SurveyResults) ([]byte, error) { return nil, errNoRenderer }
func (noRenderer) SurveyXLSX(*cd.SurveyResults) ([]byte, error)  { return nil, errNoRenderer }

const flowSurveyResults = "surveyres"

// surveyResultsStep is the step of /ketquakhaosat: pick a survey.
type surveyResultsStep string

const surveyResultsPick surveyResultsStep = "pick"

func (s surveyResultsStep) where() (string, string) { return flowSurveyResults, string(s) }

func surveyResultsFlow() *flow { return newFlow(stepSurveyResults, surveyResultsPick) }

// surveyResultsData: the pick needs nothing kept.
type surveyResultsData struct{}

// cmdSurveyResults is /ketquakhaosat [N]: the results of a survey the
// person made (any survey, for the province).
func cmdSurveyResults(r *request, args string) error {
	if id, ok := parseRef(args); ok {
		s, err := r.tx.SurveyByID(id)
		if err != nil {
			return err
		}
		return showSurveyResults(r, s)
	}
	by := r.me.ID
	if r.me.IsProvinceAdmin() {
		by = 0
	}
	surveys, err := r.tx.SurveysBy(by, surveysShown)
	if err != nil {
		return err
	}
	if len(surveys) == 0 {
		r.end()
		r.reply(txtNoSurveysMade)
		return nil
	}
	cs := make([]cd.Choice, len(surveys))
	for i, s := range surveys {
		cs[i] = cd.Choice{ID: chSurveyRes + strconv.FormatInt(s.ID, 10), Label: txtSurveyResultLabel(&s)}
	}
	r.ask(surveyResultsPick, cd.Message{Text: txtSurveyResultsAsk, Choices: cs})
	return nil
}

func stepSurveyResults(r *request, _ surveyResultsStep, _ *surveyResultsData, in input) error {
	id, ok := idAfter(in.Choice, chSurveyRes)
	if !ok {
		r.reply(txtPickOne)
		return nil
	}
	s, err := r.tx.SurveyByID(id)
	if err != nil {
		return err
	}
	return showSurveyResults(r, s)
}

// showSurveyResults replies with a survey's results and their chart.
func showSurveyResults(r *request, s *cd.Survey) error {
	if !seesResults(r, s) {
		r.end()
		r.reply(txtSurveyResultsNotYours)
		return r.audit(cd.AuditDenied, 0, 0, fmt.Sprintf("results of survey %d", s.ID))
	}
	msgs, err := r.b.surveyResultMessages(r.tx, s, r.today(), "")
	if err != nil {
		return err
	}
	r.end()
	r.replies = append(r.replies, msgs...)
	return nil
}

// surveyResultMessages are a survey's results as text, then its chart
// when there is one to draw.
func (b *Bot) surveyResultMessages(tx Tx, s *cd.Survey, today cd.Date, lead string) ([]cd.Message, error) {
	rs, err := tx.SurveyResponses(s.ID)
	if err != nil {
		return nil, err
	}
	res := cd.TallySurvey(s, rs, today, tx.Now())
	msgs := []cd.Message{{Text: lead + txtSurveyResults(res, today)}}
	if res.Withheld {
		return msgs, nil
	}
	if chartable(res) {
		png, err := b.renderer().SurveyChart(res)
		if err != nil {
			return nil, fmt.Errorf("chart of survey %d: %w", s.ID, err)
		}
		msgs = append(msgs, cd.Message{Text: txtSurveyChartCaption(s), File: &cd.File{
			Name: "khao-sat-" + strconv.FormatInt(s.ID, 10) + ".png", MIME: "image/png", Data: png}})
	}
	xlsx, err := b.renderer().SurveyXLSX(res)
	if err != nil {
		return nil, fmt.Errorf("XLSX of survey %d: %w", s.ID, err)
	}
	msgs = append(msgs, cd.Message{Text: txtSurveyFileCaption(s), File: &cd.File{
		Name: "khao-sat-" + strconv.FormatInt(s.ID, 10) + ".xlsx", MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: xlsx}})
	return msgs, nil
}

// chartable reports whether results have a choice or rating question
// with answers.
func chartable(res *cd.SurveyResults) bool {
	for _, q := range res.Questions {
		if q.Question.Kind != cd.QuestionText && q.Answered > 0 {
			return true
		}
	}
	return false
}

// QueueSurveyWork does the surveys' scheduled work due by now (the time
// the scheduler runs as); the scheduler calls it every few minutes. Each
// survey's reminder goes once, at 08:00 the day before it closes (or as
// soon as the bot runs after that, while the survey is open), to the
// members of its audience who have not answered. After the closing day
// its author gets the results, and an anonymous survey forgets who
// answered. It returns the messages queued.
func (b *Bot) QueueSurveyWork(tx Tx, now time.Time) (int, error) {
	loc := b.cfg.Location
	today := cd.DateOf(now, loc)
	due, err := tx.SurveysToRemind(today.AddDays(1))
	if err != nil {
		return 0, err
	}
	queued := 0
	for i := range due {
		s := &due[i]
		at := s.ReminderAt(loc)
		if now.Before(at) {
			continue
		}
		if s.OpenOn(today) && s.CreatedAt.Before(at) {
			n, err := b.remindSurvey(tx, s)
			if err != nil {
				return queued, err
			}
			queued += n
		}
		if err := tx.MarkSurveyReminded(s.ID); err != nil {
			return queued, err
		}
	}
	n, err := b.closeSurveys(tx, today)
	return queued + n, err
}

// remindSurvey reminds the members of a survey's audience who have not
// answered it.
func (b *Bot) remindSurvey(tx Tx, s *cd.Survey) (int, error) {
	done, err := tx.SurveyRespondents(s.ID)
	if err != nil {
		return 0, err
	}
	recipients, err := tx.Recipients(s.Audience, s.UnitIDs, s.CreatedBy)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, m := range recipients {
		if done[m.ID] {
			continue
		}
		ok, err := queueTo(tx, m.ID, fmt.Sprintf("svy:%d:rem:%d", s.ID, m.ID), cd.Message{Text: txtSurveyReminder(s)})
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}

// closeSurveys sends each survey closed before today its results, to its
// author, once.
func (b *Bot) closeSurveys(tx Tx, today cd.Date) (int, error) {
	closed, err := tx.SurveysToClose(today)
	if err != nil {
		return 0, err
	}
	queued := 0
	for i := range closed {
		s := &closed[i]
		msgs, err := b.surveyResultMessages(tx, s, today, txtSurveyClosedLead(s))
		if err != nil {
			return queued, err
		}
		for j, msg := range msgs {
			ok, err := queueTo(tx, s.CreatedBy, fmt.Sprintf("svy:%d:closed:%d", s.ID, j), msg)
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
		if err := tx.CloseSurvey(s); err != nil {
			return queued, err
		}
	}
	return queued, nil
}
