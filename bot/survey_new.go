package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

const flowSurveyNew = "surveynew"

// surveyNewStep is a step of /taokhaosat.
type surveyNewStep string

const (
	surveyNewTitle    surveyNewStep = "title"
	surveyNewQuestion surveyNewStep = "question"
	surveyNewKind     surveyNewStep = "kind"
	surveyNewOptions  surveyNewStep = "options"
	surveyNewMore     surveyNewStep = "more"
	surveyNewAnon     surveyNewStep = "anon"
	surveyNewAudience surveyNewStep = "audience"
	surveyNewUnits    surveyNewStep = "units"
	surveyNewCloses   surveyNewStep = "closes"
	surveyNewConfirm  surveyNewStep = "confirm"
)

func (s surveyNewStep) where() (string, string) { return flowSurveyNew, string(s) }

func surveyNewFlow() *flow {
	return newFlow(stepSurveyNew, surveyNewTitle, surveyNewQuestion, surveyNewKind, surveyNewOptions, surveyNewMore,
		surveyNewAnon, surveyNewAudience, surveyNewUnits, surveyNewCloses, surveyNewConfirm)
}

// surveyNewData is the survey /taokhaosat is making.
type surveyNewData struct {
	Title     string              `json:"title,omitempty"`
	Questions []cd.SurveyQuestion `json:"questions,omitempty"`
	Draft     string              `json:"draft,omitempty"` // the text of the question being added
	DraftKind cd.QuestionKind     `json:"draft_kind,omitempty"`
	Anonymous bool                `json:"anon,omitempty"`
	Audience  cd.Audience         `json:"audience,omitempty"`
	Units     []int64             `json:"units,omitempty"`
	Closes    cd.Date             `json:"closes,omitzero"`
}

const (
	chKindSingle   = "k:single"
	chKindMultiple = "k:multiple"
	chKindRating   = "k:rating"
	chKindText     = "k:text"
	chMoreQuestion = "more"
	chNoMore       = "enough"
	chInAWeek      = "week"
)

// defaultSurveyDays is the closing date offered: a week from today.
const defaultSurveyDays = 7

// cmdNewSurvey is /taokhaosat: a chair surveys their unit, the province
// any audience.
func cmdNewSurvey(r *request, _ string) error {
	if !r.me.IsProvinceAdmin() {
		if _, err := ownAudience(r); err != nil {
			return err
		}
	}
	r.ask(surveyNewTitle, cd.Message{Text: txtSurveyAskTitle})
	return nil
}

func stepSurveyNew(r *request, s surveyNewStep, d *surveyNewData, in input) error {
	switch s {
	case surveyNewTitle:
		t, err := cd.ValidateSurveyTitle(in.Text)
		if err != nil {
			return err
		}
		d.Title = t
		r.ask(surveyNewQuestion, cd.Message{Text: txtSurveyAskQuestion(1)})
	case surveyNewQuestion:
		t, err := cd.ValidateQuestionText(in.Text)
		if err != nil {
			return err
		}
		d.Draft = t
		r.ask(surveyNewKind, cd.Message{Text: txtSurveyAskKind, Choices: []cd.Choice{
			{ID: chKindSingle, Label: txtKindSingle}, {ID: chKindMultiple, Label: txtKindMultiple},
			{ID: chKindRating, Label: txtKindRating}, {ID: chKindText, Label: txtKindText}}})
	case surveyNewKind:
		return readQuestionKind(r, d, in)
	case surveyNewOptions:
		opts, err := cd.ParseSurveyOptions(r.u.Text)
		if err != nil {
			return err
		}
		return addQuestion(r, d, cd.SurveyQuestion{Text: d.Draft, Kind: d.DraftKind, Options: opts})
	case surveyNewMore:
		switch in.Choice {
		case chMoreQuestion:
			r.ask(surveyNewQuestion, cd.Message{Text: txtSurveyAskQuestion(len(d.Questions) + 1)})
		case chNoMore:
			askAnonymous(r)
		default:
			r.reply(txtPickOne)
		}
	default:
		return stepSurveyWho(r, s, d, in)
	}
	return nil
}

// readQuestionKind takes the kind of the question being added: a rating
// or free text is complete; a choice question asks for its options next.
func readQuestionKind(r *request, d *surveyNewData, in input) error {
	kinds := map[string]cd.QuestionKind{chKindSingle: cd.QuestionSingle, chKindMultiple: cd.QuestionMultiple,
		chKindRating: cd.QuestionRating, chKindText: cd.QuestionText}
	k, ok := kinds[in.Choice]
	if !ok {
		r.reply(txtPickOne)
		return nil
	}
	q := cd.SurveyQuestion{Text: d.Draft, Kind: k}
	if !q.HasOptions() {
		return addQuestion(r, d, q)
	}
	d.DraftKind = k
	r.ask(surveyNewOptions, cd.Message{Text: txtSurveyAskOptions})
	return nil
}

// addQuestion puts a complete question in the list and asks whether
// there are more.
func addQuestion(r *request, d *surveyNewData, q cd.SurveyQuestion) error {
	d.Questions = append(d.Questions, q)
	d.Draft, d.DraftKind = "", ""
	if len(d.Questions) >= cd.MaxSurveyQuestions {
		r.reply(txtSurveyFull(cd.MaxSurveyQuestions))
		askAnonymous(r)
		return nil
	}
	r.ask(surveyNewMore, cd.Message{Text: txtSurveyAskMore(len(d.Questions)), Choices: []cd.Choice{
		{ID: chMoreQuestion, Label: txtMoreQuestion}, {ID: chNoMore, Label: txtNoMoreQuestions}}})
	return nil
}

func askAnonymous(r *request) {
	r.ask(surveyNewAnon, cd.Message{Text: txtSurveyAskAnon, Choices: []cd.Choice{
		{ID: chAnon, Label: txtSurveyAnon}, {ID: chNamed, Label: txtSurveyNamed}}})
}

// stepSurveyWho asks who answers and until when, then sends the survey.
func stepSurveyWho(r *request, s surveyNewStep, d *surveyNewData, in input) error {
	switch s {
	case surveyNewAnon:
		if in.Choice != chAnon && in.Choice != chNamed {
			r.reply(txtPickOne)
			return nil
		}
		d.Anonymous = in.Choice == chAnon
		if !r.me.IsProvinceAdmin() {
			return askCloses(r)
		}
		r.ask(surveyNewAudience, cd.Message{Text: txtSurveyAskAudience, Choices: audienceChoices()})
	case surveyNewAudience:
		return audienceStep(r, in, &d.Audience, surveyNewUnits, askCloses)
	case surveyNewUnits:
		return unitCodesStep(r, in, &d.Units, askCloses)
	case surveyNewCloses:
		return readCloses(r, d, in)
	case surveyNewConfirm:
		return yesNo(r, in, func(r *request) error { return createSurvey(r, d) })
	}
	return nil
}

func askCloses(r *request) error {
	week := r.today().AddDays(defaultSurveyDays)
	r.ask(surveyNewCloses, cd.Message{Text: txtSurveyAskCloses(cd.MaxSurveyDays), Choices: []cd.Choice{
		{ID: chInAWeek, Label: txtDateChoice(txtInAWeek, week)}}})
	return nil
}

func readCloses(r *request, d *surveyNewData, in input) error {
	today := r.today()
	day := today.AddDays(defaultSurveyDays)
	if in.Choice != chInAWeek {
		var err error
		if day, err = parseFullDate(in.Text, today); err != nil {
			return err
		}
	}
	if err := cd.ValidateCloseDate(day, today); err != nil {
		return err
	}
	d.Closes = day
	return previewSurvey(r, d)
}

// surveyDraft builds the survey the flow has gathered; a chair's goes to
// their own unit.
func surveyDraft(r *request, d *surveyNewData) (*cd.Survey, error) {
	s := &cd.Survey{Title: d.Title, Questions: d.Questions, Anonymous: d.Anonymous, Audience: d.Audience,
		UnitIDs: d.Units, CreatedBy: r.me.ID, ClosesOn: d.Closes}
	if !r.me.IsProvinceAdmin() {
		units, err := ownAudience(r)
		if err != nil {
			return nil, err
		}
		s.Audience, s.UnitIDs = cd.AudienceUnits, units
	}
	return s, s.Validate(r.today())
}

func previewSurvey(r *request, d *surveyNewData) error {
	s, err := surveyDraft(r, d)
	if err != nil {
		return err
	}
	recipients, err := r.tx.Recipients(s.Audience, s.UnitIDs, r.me.ID)
	if err != nil {
		return err
	}
	if len(recipients) == 0 {
		r.end()
		return cd.Invalid(cd.ReasonNoRecipients)
	}
	who, err := audienceText(r, s.Audience, s.UnitIDs)
	if err != nil {
		return err
	}
	r.ask(surveyNewConfirm, cd.Message{Text: txtSurveyPreview(s, who, len(recipients)), Choices: []cd.Choice{
		{ID: chYes, Label: txtSurveySendOut}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// createSurvey stores the survey and invites its audience.
func createSurvey(r *request, d *surveyNewData) error {
	s, err := surveyDraft(r, d)
	if err != nil {
		return err
	}
	if err := r.tx.CreateSurvey(s); err != nil {
		return err
	}
	from, err := r.b.inviter(r.tx, r.me.ID)
	if err != nil {
		return err
	}
	n, err := r.b.queueInvitations(r.tx, s.Audience, s.UnitIDs, r.me.ID, fmt.Sprintf("svy:%d:inv", s.ID),
		cd.Message{Text: txtSurveyInvitation(from, s)})
	if err != nil {
		return err
	}
	if err := r.tx.SetSurveyRecipients(s.ID, n); err != nil {
		return err
	}
	if err := r.audit(cd.AuditSurvey, 0, 0, fmt.Sprintf("survey %d to %s, %d questions, anonymous %t, closes %s, %d invited",
		s.ID, s.Audience, len(s.Questions), s.Anonymous, s.ClosesOn, n)); err != nil {
		return err
	}
	r.end()
	r.reply(txtSurveyCreated(s, n))
	r.wakeAll = true
	return nil
}
