package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// activityStore keeps activity reports and their totals per member,
// unit and month.
type activityStore interface {
	CreateActivity(a *cd.Activity) error
	UpdateActivity(a *cd.Activity) error
	DeleteActivity(id int64) error
	ActivityByID(id int64) (*cd.Activity, error)
	ActivitiesEnteredSince(memberID int64, since time.Time) ([]cd.Activity, error)
	MemberActivities(memberID int64, from, to cd.Date) ([]cd.Activity, error)
	UnitActivities(unitID int64, m cd.Month) ([]cd.Activity, error)
	MonthTotals(m cd.Month, unitID int64) (map[int64]map[string]cd.KindTotal, error)
	MemberYearTotals(memberID int64, year int) ([]cd.KindTotal, error)
	MemberReportCounts(unitID int64, m cd.Month) (map[int64]int, error)
	ReporterCounts(m cd.Month) (map[int64]int, error)
}

const flowReport = "report"

// reportStep is a step of /baocao.
type reportStep string

const (
	reportFor      reportStep = "for"
	reportUnit     reportStep = "unit"
	reportMember   reportStep = "member"
	reportKind     reportStep = "kind"
	reportDate     reportStep = "date"
	reportDesc     reportStep = "desc"
	reportFigure   reportStep = "figure"
	reportPhoto    reportStep = "photo"
	reportCampaign reportStep = "campaign"
	reportConfirm  reportStep = "confirm"
	reportSaved    reportStep = "saved"
)

func (s reportStep) where() (string, string) { return flowReport, string(s) }

func reportFlow() *flow {
	return newFlow(stepReport, reportFor, reportUnit, reportMember, reportKind, reportDate, reportDesc,
		reportFigure, reportPhoto, reportCampaign, reportConfirm, reportSaved)
}

// reportData is the report /baocao is gathering, or the one it saved.
type reportData struct {
	Unit   int64   `json:"unit,omitempty"`   // the grassroots union the report counts for
	Member int64   `json:"member,omitempty"` // whose report; 0 for one of the unit
	Kind   string  `json:"kind,omitempty"`
	Date   cd.Date `json:"date,omitzero"`
	Desc   string  `json:"desc,omitempty"`
	figureAnswers
	Photo    string `json:"photo,omitempty"`
	Campaign int64  `json:"campaign,omitempty"`
	Saved    int64  `json:"saved,omitempty"` // the report just saved, which may be undone
}

// reportRecheck: the person still reports for whom the report is about:
// themselves in their own union, or, as its chair or a province admin,
// the unit or one of its members.
func reportRecheck(r *request) (bool, error) {
	d := flowData[reportData](r)
	if d.Unit == 0 {
		return true, nil
	}
	if d.Member != r.me.ID {
		return managesUnit(r, d.Unit)
	}
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return false, err
	}
	return u.ID == d.Unit, nil
}

const (
	chSelf    = "self"
	chForMem  = "mem"
	chForUnit = "unit"
	chKind    = "k:" // + kind code
	chToday   = "today"
	chYest    = "yest"
	chCamp    = "c:" // + campaign id
	chNoCamp  = "nocamp"
	chUndo    = "undo"
	chDesc    = "desc"
	chDate    = "date"
	chNums    = "nums"
)

// figureKey names one number a kind of activity may ask for.
type figureKey string

const (
	figQuantity figureKey = "quantity"
	figPeople   figureKey = "people"
	figAmount   figureKey = "amount"
)

// figure is one number a kind asks for.
type figure struct {
	key   figureKey
	label string
	money bool
}

func figuresOf(k *cd.ActivityKind) []figure {
	var fs []figure
	if k.AskQuantity != "" {
		fs = append(fs, figure{figQuantity, k.AskQuantity, false})
	}
	if k.AskPeople != "" {
		fs = append(fs, figure{figPeople, k.AskPeople, false})
	}
	if k.AskAmount != "" {
		fs = append(fs, figure{figAmount, k.AskAmount, true})
	}
	return fs
}

// figureAnswers are the numbers of a report answered so far, in a report
// or an edit.
type figureAnswers struct {
	Asking  figureKey           `json:"asking,omitempty"` // the figure asked last
	Figures map[figureKey]int64 `json:"figures,omitempty"`
}

// grassrootsOf returns the grassroots union a unit's reports count for:
// the unit itself, or the CĐCS a sub-unit belongs to.
func grassrootsOf(r *request, unitID int64) (*cd.Unit, error) {
	u, err := r.tx.UnitByID(unitID)
	if err != nil || u.Kind != cd.UnitSub {
		return u, err
	}
	return r.tx.UnitByID(u.ParentID)
}

func cmdReport(r *request, _ string) error {
	switch {
	case r.me.IsProvinceAdmin():
		r.ask(reportFor, cd.Message{Text: txtReportFor, Choices: []cd.Choice{
			{ID: chSelf, Label: txtReportForSelf}, {ID: chForUnit, Label: txtReportForUnit}}})
		return nil
	case r.me.Role == cd.RoleChair || r.me.Role == cd.RoleDeputy:
		r.ask(reportFor, cd.Message{Text: txtReportFor, Choices: []cd.Choice{
			{ID: chSelf, Label: txtReportForSelf}, {ID: chForMem, Label: txtReportForMember}, {ID: chForUnit, Label: txtReportForUnit}}})
		return nil
	}
	return reportForSelf(r, startFlow[reportData](r, reportKind))
}

func reportForSelf(r *request, d *reportData) error {
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return err
	}
	d.Unit, d.Member = u.ID, r.me.ID
	return askKind(r)
}

func askKind(r *request) error {
	kinds, err := r.tx.ActivityKinds(true)
	if err != nil {
		return err
	}
	if len(kinds) == 0 {
		r.end()
		r.reply(txtNoKinds)
		return nil
	}
	r.ask(reportKind, cd.Message{Text: txtReportKind, Choices: kindChoices(kinds)})
	return nil
}

// askDate asks the date of a report, as step s of a report or an edit.
func askDate(r *request, s flowStep) {
	today := r.today()
	r.ask(s, cd.Message{Text: txtReportDateAsk(r.b.cfg.ReportWindowDays), Choices: []cd.Choice{
		{ID: chToday, Label: txtDateChoice("Hôm nay", today)}, {ID: chYest, Label: txtDateChoice("Hôm qua", today.AddDays(-1))}}})
}

// readDate reads the answer to askDate and checks the date is allowed for
// the unit: within the window, and in a month not locked.
func readDate(r *request, in input, unitID int64) (cd.Date, error) {
	today := r.today()
	var d cd.Date
	switch in.Choice {
	case chToday:
		d = today
	case chYest:
		d = today.AddDays(-1)
	default:
		var err error
		if d, err = cd.ParseDateInput(in.Text, today); err != nil {
			return d, err
		}
	}
	if err := cd.ValidateReportDate(d, today, r.b.cfg.ReportWindowDays); err != nil {
		return d, err
	}
	locked, err := r.tx.MonthLocked(unitID, d.MonthOf())
	if err != nil {
		return d, err
	}
	if locked {
		return d, cd.Invalid(cd.ReasonMonthLocked)
	}
	return d, nil
}

// askFigure asks, as step s, for the next figure the kind wants after
// those answered, or returns false when all are answered.
func askFigure(r *request, s flowStep, k *cd.ActivityKind, fa *figureAnswers) bool {
	for _, f := range figuresOf(k) {
		if _, ok := fa.Figures[f.key]; ok {
			continue
		}
		text := txtAskNumber(f.label)
		if f.money {
			text = txtAskAmount(f.label)
		}
		fa.Asking = f.key
		// No numbered choices here: a typed number is the answer.
		r.ask(s, cd.Message{Text: text})
		return true
	}
	return false
}

// readFigure stores the answer to askFigure.
func readFigure(r *request, in input, k *cd.ActivityKind, fa *figureAnswers) error {
	var f *figure
	for _, x := range figuresOf(k) {
		if x.key == fa.Asking {
			f = &x
		}
	}
	if f == nil {
		return cd.Invalid(cd.ReasonKind)
	}
	var n int64
	var err error
	switch {
	case strings.TrimSpace(in.Text) == "0":
	case f.money:
		n, err = cd.ParseVND(in.Text, r.b.limits())
	default:
		n, err = parseCount(in.Text, cd.MaxPeople)
	}
	if err != nil {
		return err
	}
	if fa.Figures == nil {
		fa.Figures = map[figureKey]int64{}
	}
	fa.Figures[f.key] = n
	return nil
}

// countPattern is a whole number, with dots, commas or spaces between
// groups of three digits allowed: "12", "1.200", "1 200".
var countPattern = regexp.MustCompile(`^(\d+|\d{1,3}([., ]\d{3})+)$`)

// parseCount reads a whole number as people type it.
func parseCount(s string, max int64) (int64, error) {
	t := strings.TrimSpace(s)
	if neg, ok := strings.CutPrefix(t, "-"); ok && countPattern.MatchString(neg) {
		return 0, cd.Invalid(cd.ReasonCountNegative)
	}
	if !countPattern.MatchString(t) {
		return 0, cd.Invalid(cd.ReasonCountFormat)
	}
	t = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, t)
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n > max {
		return 0, cd.Errorf(cd.EINVALID, cd.ReasonCountTooLarge, "max %d", max)
	}
	return n, nil
}

func stepReport(r *request, s reportStep, d *reportData, in input) error {
	switch s {
	case reportFor:
		return readReportFor(r, d, in)
	case reportUnit:
		u, err := pickUnit(r, in, reportUnit, cd.UnitGrassroots)
		if err != nil || u == nil {
			return err
		}
		d.Unit = u.ID
		return askKind(r)
	case reportMember:
		id, ok := strings.CutPrefix(in.Choice, chMember)
		if !ok {
			return listReportMembers(r, d, in.Text)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		return chooseReportMember(r, d, n)
	case reportConfirm:
		return yesNo(r, in, func(r *request) error { return saveReport(r, d) })
	case reportSaved:
		if in.Choice == chUndo {
			return undoReport(r, d.Saved)
		}
		// Anything else is a new conversation.
		r.end()
		return r.b.route(r)
	}
	return stepReportWhat(r, s, d, in)
}

// readReportFor reads whom a chair or a province admin reports for:
// themselves, a member of their union, or a unit.
func readReportFor(r *request, d *reportData, in input) error {
	switch in.Choice {
	case chSelf:
		return reportForSelf(r, d)
	case chForMem:
		u, err := grassrootsOf(r, r.me.UnitID)
		if err != nil {
			return err
		}
		d.Unit = u.ID
		return listReportMembers(r, d, "")
	case chForUnit:
		if r.me.IsProvinceAdmin() {
			r.ask(reportUnit, cd.Message{Text: txtReportPickUnit})
			return nil
		}
		u, err := grassrootsOf(r, r.me.UnitID)
		if err != nil {
			return err
		}
		d.Unit = u.ID
		return askKind(r)
	}
	r.reply(txtPickOne)
	return nil
}

// stepReportWhat reads what was done: the kind, the date, the text, the
// figures, a photo and the campaign it counts for.
func stepReportWhat(r *request, s reportStep, d *reportData, in input) error {
	switch s {
	case reportKind:
		code, ok := strings.CutPrefix(in.Choice, chKind)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		d.Kind = code
		askDate(r, reportDate)
	case reportDate:
		day, err := readDate(r, in, d.Unit)
		if err != nil {
			return err
		}
		d.Date = day
		r.ask(reportDesc, cd.Message{Text: txtReportDescAsk})
	case reportDesc:
		desc, err := cd.ValidateDescription(in.Text)
		if err != nil {
			return err
		}
		d.Desc = desc
		return afterFigures(r, d)
	case reportFigure:
		k, err := r.tx.ActivityKind(d.Kind)
		if err != nil {
			return err
		}
		if err := readFigure(r, in, k, &d.figureAnswers); err != nil {
			return err
		}
		return afterFigures(r, d)
	case reportPhoto:
		switch {
		case in.Photo != "":
			d.Photo = in.Photo
		case in.Choice == chSkip:
			d.Photo = ""
		default:
			r.reply(txtReportPhotoWant)
			return nil
		}
		return askCampaign(r, d)
	case reportCampaign:
		return readReportCampaign(r, d, in)
	}
	return nil
}

// readReportCampaign reads the campaign a report counts for, if any.
func readReportCampaign(r *request, d *reportData, in input) error {
	switch {
	case in.Choice == chNoCamp:
		d.Campaign = 0
	case strings.HasPrefix(in.Choice, chCamp):
		d.Campaign, _ = strconv.ParseInt(strings.TrimPrefix(in.Choice, chCamp), 10, 64)
	default:
		r.reply(txtPickOne)
		return nil
	}
	return confirmReport(r, d)
}

func listReportMembers(r *request, d *reportData, search string) error {
	ms, err := r.tx.Members(cd.MemberFilter{UnitID: d.Unit, WithSubUnits: true, Status: cd.StatusActive, Search: search})
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		if search != "" {
			return cd.Invalid(cd.ReasonMemberNotFound)
		}
		r.end()
		r.reply(txtNoMembers)
		return nil
	}
	if search != "" && len(ms) == 1 {
		return chooseReportMember(r, d, ms[0].ID)
	}
	shown := min(len(ms), membersShown)
	cs := make([]cd.Choice, shown)
	for i := range shown {
		cs[i] = cd.Choice{ID: chMember + strconv.FormatInt(ms[i].ID, 10), Label: ms[i].FullName}
	}
	r.ask(reportMember, cd.Message{Text: txtReportPickMember, Choices: cs})
	return nil
}

func chooseReportMember(r *request, d *reportData, memberID int64) error {
	m, err := r.tx.MemberByID(memberID)
	if err != nil {
		return err
	}
	if !m.IsActive() || !r.me.CanManageUnit(m.UnitID) {
		r.end()
		return r.deny("report for member " + strconv.FormatInt(memberID, 10))
	}
	u, err := grassrootsOf(r, m.UnitID)
	if err != nil {
		return err
	}
	d.Unit, d.Member = u.ID, m.ID
	return askKind(r)
}

func afterFigures(r *request, d *reportData) error {
	k, err := r.tx.ActivityKind(d.Kind)
	if err != nil {
		return err
	}
	if askFigure(r, reportFigure, k, &d.figureAnswers) {
		return nil
	}
	r.ask(reportPhoto, cd.Message{Text: txtReportPhotoAsk, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
	return nil
}

func askCampaign(r *request, d *reportData) error {
	choices, err := campaignChoices(r, d.Date, d.Kind)
	if err != nil {
		return err
	}
	if choices == nil {
		d.Campaign = 0
		return confirmReport(r, d)
	}
	r.ask(reportCampaign, cd.Message{Text: txtReportCampaign, Choices: choices})
	return nil
}

// draft builds the activity the flow has gathered.
func draft(r *request, d *reportData) (*cd.Activity, *cd.ActivityKind, error) {
	k, err := r.tx.ActivityKind(d.Kind)
	if err != nil {
		return nil, nil, err
	}
	a := &cd.Activity{UnitID: d.Unit, MemberID: d.Member, Kind: k.Code, Date: d.Date, Description: d.Desc,
		People: d.Figures[figPeople], Amount: d.Figures[figAmount], Quantity: d.Figures[figQuantity],
		Photo: d.Photo, CampaignID: d.Campaign, EnteredBy: r.me.ID}
	return a, k, nil
}

func confirmReport(r *request, d *reportData) error {
	a, k, err := draft(r, d)
	if err != nil {
		return err
	}
	who := r.me.FullName
	switch {
	case a.MemberID == 0:
		u, err := r.tx.UnitByID(a.UnitID)
		if err != nil {
			return err
		}
		who = txtWhoUnit(u.Name)
	case a.MemberID != r.me.ID:
		m, err := r.tx.MemberByID(a.MemberID)
		if err != nil {
			return err
		}
		who = m.FullName
	}
	campaign := ""
	if a.CampaignID != 0 {
		c, err := r.tx.CampaignByID(a.CampaignID)
		if err != nil {
			return err
		}
		campaign = c.Name
	}
	r.ask(reportConfirm, cd.Message{Text: txtReportSummary(a, k, who, campaign, a.Photo), Choices: []cd.Choice{
		{ID: chYes, Label: txtSave}, {ID: chNo, Label: txtCancel}}})
	return nil
}

func saveReport(r *request, d *reportData) error {
	a, k, err := draft(r, d)
	if err != nil {
		return err
	}
	if err := a.Validate(k, r.today(), r.b.cfg.ReportWindowDays); err != nil {
		return err
	}
	// The month may have been submitted while the flow was open.
	if locked, err := r.tx.MonthLocked(a.UnitID, a.Date.MonthOf()); err != nil || locked {
		if err == nil {
			err = cd.Invalid(cd.ReasonMonthLocked)
		}
		return err
	}
	if a.MemberID != 0 && a.MemberID != r.me.ID {
		m, err := r.tx.MemberByID(a.MemberID)
		if err != nil {
			return err
		}
		if !r.me.CanManageUnit(m.UnitID) {
			r.end()
			return r.deny("report for member " + strconv.FormatInt(m.ID, 10))
		}
	}
	if err := r.tx.CreateActivity(a); err != nil {
		return err
	}
	if err := r.audit(cd.AuditActivityCreate, a.MemberID, a.UnitID, fmt.Sprintf("activity %d %s %s", a.ID, a.Kind, a.Date)); err != nil {
		return err
	}
	if a.MemberID != 0 && a.MemberID != r.me.ID {
		a.KindName = k.Name
		if err := r.notify(a.MemberID, cd.Message{Text: txtReportedForYou(a, r.me.FullName)}); err != nil {
			return err
		}
	}
	*d = reportData{Saved: a.ID}
	r.ask(reportSaved, cd.Message{Text: txtReportSaved(a.ID, int(r.b.cfg.UndoWindow.Minutes())),
		Choices: []cd.Choice{{ID: chUndo, Label: txtUndo}}})
	return nil
}
