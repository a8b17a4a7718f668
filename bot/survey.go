package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// surveyStore keeps surveys, who answered them and, apart, what was
// answered.
type surveyStore interface {
	CreateSurvey(s *cd.Survey) error
	SetSurveyRecipients(id int64, n int) error
	SurveyByID(id int64) (*cd.Survey, error)
	OpenSurveys(today cd.Date) ([]cd.Survey, error)
	SurveysBy(by int64, limit int) ([]cd.Survey, error)
	SurveysToRemind(lastDay cd.Date) ([]cd.Survey, error)
	SurveysToClose(today cd.Date) ([]cd.Survey, error)
	MarkSurveyReminded(id int64) error
	CloseSurvey(s *cd.Survey) error
	SurveyResponded(surveyID, memberID int64) (bool, error)
	SurveyRespondents(surveyID int64) (map[int64]bool, error)
	MySurveyAnswers(surveyID, memberID int64) ([]cd.SurveyAnswer, error)
	SaveSurveyResponse(s *cd.Survey, memberID int64, answers []cd.SurveyAnswer) error
	SurveyResponses(surveyID int64) ([]cd.SurveyResponse, error)
	SurveyResponseCount(surveyID int64) (int, error)
	ForgetInboxPayload(id int64) error
}

// Lists in chat: how many surveys one list offers.
const surveysShown = 10

const (
	chSurvey     = "sv:" // + survey id: answer it
	chSurveyRes  = "sr:" // + survey id: its results
	chSurveyNew  = "svnew"
	chSurveyList = "svres"
)

// reaches reports whether an audience reaches the person writing.
func reaches(r *request, aud cd.Audience, unitIDs []int64) (bool, error) {
	if !r.me.IsActive() {
		return false, nil
	}
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return false, err
	}
	return aud.Reaches(r.me, u.ID, unitIDs), nil
}

// surveyFor reports whether the person writing is asked to answer s: in
// its audience, and not its author.
func surveyFor(r *request, s *cd.Survey) (bool, error) {
	if s.CreatedBy == r.me.ID {
		return false, nil
	}
	return reaches(r, s.Audience, s.UnitIDs)
}

// seesResults reports whether the person writing may see a survey's
// results: its author, or a province admin.
func seesResults(r *request, s *cd.Survey) bool {
	return r.me.IsProvinceAdmin() || r.me.IsActive() && s.CreatedBy == r.me.ID
}

// mySurveys lists the open surveys the person writing is asked to answer.
func mySurveys(r *request) ([]cd.Survey, error) {
	open, err := r.tx.OpenSurveys(r.today())
	if err != nil {
		return nil, err
	}
	var out []cd.Survey
	for _, s := range open {
		ok, err := surveyFor(r, &s)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// cmdSurvey is /khaosat: with a number, that survey (to answer it, or
// its results for its author); without, the open surveys to answer and,
// for chairs and the province, making one and the results.
func cmdSurvey(r *request, args string) error {
	if id, ok := parseRef(args); ok {
		return openSurvey(r, id)
	}
	surveys, err := mySurveys(r)
	if err != nil {
		return err
	}
	maker := allowed(r.me, permChair)
	if !maker && len(surveys) == 1 {
		return startAnswering(r, &surveys[0])
	}
	var cs []cd.Choice
	for i, s := range surveys {
		if i == surveysShown {
			break
		}
		done, err := r.tx.SurveyResponded(s.ID, r.me.ID)
		if err != nil {
			return err
		}
		cs = append(cs, cd.Choice{ID: chSurvey + strconv.FormatInt(s.ID, 10), Label: txtSurveyLabel(&s, done)})
	}
	var extra []cd.Choice
	if maker {
		extra = []cd.Choice{{ID: chSurveyNew, Label: txtSurveyNew}, {ID: chSurveyList, Label: txtSurveyResultsList}}
	}
	return askMenu(r, surveyPick, cs, extra, txtSurveyMenu, txtNoSurveysMaker, txtNoSurveys)
}

// openSurvey is /khaosat N: answer the survey if it asks the person and
// is open (and, anonymous, not answered yet); else its results, for
// those who may see them.
func openSurvey(r *request, id int64) error {
	s, err := r.tx.SurveyByID(id)
	if err != nil {
		return err
	}
	asked, err := surveyFor(r, s)
	if err != nil {
		return err
	}
	if seesResults(r, s) {
		answered, err := r.tx.SurveyResponded(s.ID, r.me.ID)
		if err != nil {
			return err
		}
		if !asked || answered || !s.OpenOn(r.today()) {
			return showSurveyResults(r, s)
		}
	}
	if !asked {
		return cd.Invalid(cd.ReasonSurveyNotForYou)
	}
	return startAnswering(r, s)
}

// parseRef reads a number given after a command: "12", "#12", "_12".
func parseRef(args string) (int64, bool) {
	s := strings.TrimLeft(strings.TrimSpace(args), "#_ ")
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// parseUnitCodes reads the grassroots unions of an audience typed as
// codes: "STP, KBNN".
func parseUnitCodes(r *request, text string) ([]int64, error) {
	var ids []int64
	for _, code := range strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ';' || c == ' ' }) {
		u, err := r.tx.UnitByCode(code)
		if err != nil {
			return nil, cd.Errorf(cd.EINVALID, cd.ReasonAnnouncementUnits, "%s", code)
		}
		ids = append(ids, u.ID)
	}
	if len(ids) == 0 {
		return nil, cd.Invalid(cd.ReasonAnnouncementUnits)
	}
	return ids, nil
}

// audienceChoices are the audiences the province picks from, as for
// announcements.
func audienceChoices() []cd.Choice {
	return []cd.Choice{{ID: chAudAll, Label: txtAudAll}, {ID: chAudChairs, Label: txtAudChairs}, {ID: chAudUnits, Label: txtAudUnits}}
}

// readAudience reads the answer to audienceChoices: an audience, and
// whether the units are still to be asked.
func readAudience(in input) (aud cd.Audience, askUnits, ok bool) {
	switch in.Choice {
	case chAudAll, chAudChairs:
		return cd.Audience(strings.TrimPrefix(in.Choice, "a:")), false, true
	case chAudUnits:
		return cd.AudienceUnits, true, true
	}
	return "", false, false
}

// audienceStep takes the answer to audienceChoices into aud and asks for
// the units at step askUnits when the audience is a list of them, or goes
// on with next.
func audienceStep(r *request, in input, aud *cd.Audience, askUnits flowStep, next func(*request) error) error {
	a, units, ok := readAudience(in)
	if !ok {
		r.reply(txtPickOne)
		return nil
	}
	*aud = a
	if units {
		r.ask(askUnits, cd.Message{Text: txtAnnAskUnits})
		return nil
	}
	return next(r)
}

// unitCodesStep takes the unit codes asked for by audienceStep into units and
// goes on with next.
func unitCodesStep(r *request, in input, units *[]int64, next func(*request) error) error {
	ids, err := parseUnitCodes(r, in.Text)
	if err != nil {
		return err
	}
	*units = ids
	return next(r)
}

// audienceText names an audience for a preview.
func audienceText(r *request, aud cd.Audience, unitIDs []int64) (string, error) {
	switch aud {
	case cd.AudienceAll:
		return txtAudAll, nil
	case cd.AudienceChairs:
		return txtAudChairs, nil
	}
	var names []string
	for _, id := range unitIDs {
		u, err := r.tx.UnitByID(id)
		if err != nil {
			return "", err
		}
		names = append(names, u.Name)
	}
	return txtAudienceUnits(names), nil
}

// ownAudience is the audience of what a chair makes: the members of the
// grassroots union they chair.
func ownAudience(r *request) ([]int64, error) {
	u, err := managedUnit(r)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, cd.Errorf(cd.EFORBIDDEN, cd.ReasonRole, "member %d chairs no unit", r.me.ID)
	}
	return []int64{u.ID}, nil
}

// inviter names who sends an invitation: the province, or the
// grassroots union of a chair.
func (b *Bot) inviter(tx Tx, by int64) (string, error) {
	m, err := tx.MemberByID(by)
	if err != nil {
		return "", err
	}
	if m.IsProvinceAdmin() {
		return b.cfg.ProvinceName, nil
	}
	u, err := tx.UnitByID(m.UnitID)
	if err != nil {
		return "", err
	}
	if u.Kind == cd.UnitSub {
		if u, err = tx.UnitByID(u.ParentID); err != nil {
			return "", err
		}
	}
	return txtUnionOf(u.Name), nil
}

// queueInvitations queues msg to every member an audience reaches except
// the author, once each (key + member id), and returns how many.
func (b *Bot) queueInvitations(tx Tx, aud cd.Audience, unitIDs []int64, except int64, key string, msg cd.Message) (int, error) {
	recipients, err := tx.Recipients(aud, unitIDs, except)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, m := range recipients {
		ok, err := queueTo(tx, m.ID, fmt.Sprintf("%s:%d", key, m.ID), msg)
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}
