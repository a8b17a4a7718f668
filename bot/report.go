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

const (
	flowReport = "report"
	flowEdit   = "edit"
)

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

// figure is one number a kind asks for.
type figure struct {
	key   string // flow data key and activity field
	label string
	money bool
}

func figuresOf(k *cd.ActivityKind) []figure {
	var fs []figure
	if k.AskQuantity != "" {
		fs = append(fs, figure{"quantity", k.AskQuantity, false})
	}
	if k.AskPeople != "" {
		fs = append(fs, figure{"people", k.AskPeople, false})
	}
	if k.AskAmount != "" {
		fs = append(fs, figure{"amount", k.AskAmount, true})
	}
	return fs
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
		r.ask(flowReport, "for", cd.Message{Text: txtReportFor, Choices: []cd.Choice{
			{ID: chSelf, Label: txtReportForSelf}, {ID: chForUnit, Label: txtReportForUnit}}})
		return nil
	case r.me.Role == cd.RoleChair || r.me.Role == cd.RoleDeputy:
		r.ask(flowReport, "for", cd.Message{Text: txtReportFor, Choices: []cd.Choice{
			{ID: chSelf, Label: txtReportForSelf}, {ID: chForMem, Label: txtReportForMember}, {ID: chForUnit, Label: txtReportForUnit}}})
		return nil
	}
	r.startFlow(flowReport, "kind")
	return reportForSelf(r)
}

func reportForSelf(r *request) error {
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return err
	}
	r.flow.setInt("unit", u.ID)
	r.flow.setInt("member", r.me.ID)
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
	cs := make([]cd.Choice, len(kinds))
	for i, k := range kinds {
		cs[i] = cd.Choice{ID: chKind + k.Code, Label: k.Name}
	}
	r.ask(flowReport, "kind", cd.Message{Text: txtReportKind, Choices: cs})
	return nil
}

func askDate(r *request, flow string) {
	today := r.today()
	r.ask(flow, "date", cd.Message{Text: txtReportDateAsk(r.b.cfg.ReportWindowDays), Choices: []cd.Choice{
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

// askFigure asks for the next figure the kind wants after those in done,
// or returns false when all are answered.
func askFigure(r *request, flow string, k *cd.ActivityKind) bool {
	for _, f := range figuresOf(k) {
		if _, ok := r.flow.Data[f.key]; ok {
			continue
		}
		text := txtAskNumber(f.label)
		if f.money {
			text = txtAskAmount(f.label)
		}
		r.flow.set("asking", f.key)
		// No numbered choices here: a typed number is the answer.
		r.ask(flow, "figure", cd.Message{Text: text})
		return true
	}
	return false
}

// readFigure stores the answer to askFigure.
func readFigure(r *request, in input, k *cd.ActivityKind) error {
	key := r.flow.get("asking")
	var f *figure
	for _, x := range figuresOf(k) {
		if x.key == key {
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
	r.flow.setInt(key, n)
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

func stepReport(r *request, in input) error {
	f := r.flow
	switch f.Step {
	case "for":
		switch in.Choice {
		case chSelf:
			return reportForSelf(r)
		case chForMem:
			u, err := grassrootsOf(r, r.me.UnitID)
			if err != nil {
				return err
			}
			f.setInt("unit", u.ID)
			return listReportMembers(r, "")
		case chForUnit:
			if r.me.IsProvinceAdmin() {
				r.ask(flowReport, "unit", cd.Message{Text: txtReportPickUnit})
				return nil
			}
			u, err := grassrootsOf(r, r.me.UnitID)
			if err != nil {
				return err
			}
			f.setInt("unit", u.ID)
			return askKind(r)
		}
		r.reply(txtPickOne)
	case "unit":
		u, err := pickUnit(r, in, flowReport, "unit", cd.UnitGrassroots)
		if err != nil || u == nil {
			return err
		}
		f.setInt("unit", u.ID)
		return askKind(r)
	case "member":
		id, ok := strings.CutPrefix(in.Choice, chMember)
		if !ok {
			return listReportMembers(r, in.Text)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		return chooseReportMember(r, n)
	case "kind":
		code, ok := strings.CutPrefix(in.Choice, chKind)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		f.set("kind", code)
		askDate(r, flowReport)
	case "date":
		d, err := readDate(r, in, f.getInt("unit"))
		if err != nil {
			return err
		}
		f.set("date", d.String())
		r.ask(flowReport, "desc", cd.Message{Text: txtReportDescAsk})
	case "desc":
		d, err := cd.ValidateDescription(in.Text)
		if err != nil {
			return err
		}
		f.set("desc", d)
		return afterFigures(r)
	case "figure":
		k, err := r.tx.ActivityKind(f.get("kind"))
		if err != nil {
			return err
		}
		if err := readFigure(r, in, k); err != nil {
			return err
		}
		return afterFigures(r)
	case "photo":
		switch {
		case in.Photo != "":
			f.set("photo", in.Photo)
		case in.Choice == chSkip:
			f.set("photo", "")
		default:
			r.reply(txtReportPhotoWant)
			return nil
		}
		return askCampaign(r)
	case "campaign":
		switch {
		case in.Choice == chNoCamp:
			f.setInt("campaign", 0)
		case strings.HasPrefix(in.Choice, chCamp):
			n, _ := strconv.ParseInt(strings.TrimPrefix(in.Choice, chCamp), 10, 64)
			f.setInt("campaign", n)
		default:
			r.reply(txtPickOne)
			return nil
		}
		return confirmReport(r)
	case "confirm":
		switch in.Choice {
		case chYes:
			return saveReport(r)
		case chNo:
			r.end()
			r.reply(txtCancelled)
		default:
			r.reply(txtPickOne)
		}
	case "saved":
		if in.Choice == chUndo {
			return undoReport(r, f.getInt("id"))
		}
		// Anything else is a new conversation.
		r.end()
		return r.b.route(r)
	}
	return nil
}

func listReportMembers(r *request, search string) error {
	ms, err := r.tx.Members(cd.MemberFilter{UnitID: r.flow.getInt("unit"), WithSubUnits: true, Status: cd.StatusActive, Search: search})
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
		return chooseReportMember(r, ms[0].ID)
	}
	shown := min(len(ms), membersShown)
	cs := make([]cd.Choice, shown)
	for i := range shown {
		cs[i] = cd.Choice{ID: chMember + strconv.FormatInt(ms[i].ID, 10), Label: ms[i].FullName}
	}
	r.ask(flowReport, "member", cd.Message{Text: txtReportPickMember, Choices: cs})
	return nil
}

func chooseReportMember(r *request, memberID int64) error {
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
	r.flow.setInt("unit", u.ID)
	r.flow.setInt("member", m.ID)
	return askKind(r)
}

func afterFigures(r *request) error {
	k, err := r.tx.ActivityKind(r.flow.get("kind"))
	if err != nil {
		return err
	}
	if askFigure(r, flowReport, k) {
		return nil
	}
	r.ask(flowReport, "photo", cd.Message{Text: txtReportPhotoAsk, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
	return nil
}

func askCampaign(r *request) error {
	d, err := cd.ParseISODate(r.flow.get("date"))
	if err != nil {
		return err
	}
	cs, err := r.tx.Campaigns(d)
	if err != nil {
		return err
	}
	var choices []cd.Choice
	for _, c := range cs {
		if c.Counts(r.flow.get("kind")) {
			choices = append(choices, cd.Choice{ID: chCamp + strconv.FormatInt(c.ID, 10), Label: c.Name})
		}
	}
	if len(choices) == 0 {
		r.flow.setInt("campaign", 0)
		return confirmReport(r)
	}
	choices = append(choices, cd.Choice{ID: chNoCamp, Label: txtNoCampaign})
	r.ask(flowReport, "campaign", cd.Message{Text: txtReportCampaign, Choices: choices})
	return nil
}

// draft builds the activity the flow has gathered.
func draft(r *request) (*cd.Activity, *cd.ActivityKind, error) {
	f := r.flow
	k, err := r.tx.ActivityKind(f.get("kind"))
	if err != nil {
		return nil, nil, err
	}
	d, err := cd.ParseISODate(f.get("date"))
	if err != nil {
		return nil, nil, err
	}
	a := &cd.Activity{UnitID: f.getInt("unit"), MemberID: f.getInt("member"), Kind: k.Code, Date: d,
		Description: f.get("desc"), People: f.getInt("people"), Amount: f.getInt("amount"), Quantity: f.getInt("quantity"),
		Photo: f.get("photo"), CampaignID: f.getInt("campaign"), EnteredBy: r.me.ID}
	return a, k, nil
}

func confirmReport(r *request) error {
	a, k, err := draft(r)
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
	r.ask(flowReport, "confirm", cd.Message{Text: txtReportSummary(a, k, who, campaign, a.Photo), Choices: []cd.Choice{
		{ID: chYes, Label: txtSave}, {ID: chNo, Label: txtCancel}}})
	return nil
}

func saveReport(r *request) error {
	a, k, err := draft(r)
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
	r.flow.Data = map[string]string{}
	r.flow.setInt("id", a.ID)
	r.ask(flowReport, "saved", cd.Message{Text: txtReportSaved(a.ID, int(r.b.cfg.UndoWindow.Minutes())),
		Choices: []cd.Choice{{ID: chUndo, Label: txtUndo}}})
	return nil
}

// undoReport withdraws a report its author saved within the undo window.
func undoReport(r *request, id int64) error {
	a, err := r.tx.ActivityByID(id)
	if err != nil {
		return err
	}
	if a.EnteredBy != r.me.ID {
		return cd.Invalid(cd.ReasonNotYours)
	}
	if r.tx.Now().Sub(a.CreatedAt) > r.b.cfg.UndoWindow {
		r.end()
		return cd.Invalid(cd.ReasonUndoExpired)
	}
	if locked, err := r.tx.MonthLocked(a.UnitID, a.Date.MonthOf()); err != nil || locked {
		if err == nil {
			err = cd.Invalid(cd.ReasonMonthLocked)
		}
		return err
	}
	if err := r.tx.DeleteActivity(a.ID); err != nil {
		return err
	}
	if err := r.audit(cd.AuditActivityUndo, a.MemberID, a.UnitID, fmt.Sprintf("activity %d", a.ID)); err != nil {
		return err
	}
	r.end()
	r.reply(txtUndone)
	return nil
}

func cmdUndo(r *request, args string) error {
	if args != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(args), "#"), 10, 64)
		if err != nil {
			return cd.Invalid(cd.ReasonActivityNotFound)
		}
		return undoReport(r, n)
	}
	recent, err := r.tx.ActivitiesEnteredSince(r.me.ID, r.tx.Now().Add(-r.b.cfg.UndoWindow))
	if err != nil {
		return err
	}
	if len(recent) == 0 {
		r.reply(txtNothingToUndo)
		return nil
	}
	return undoReport(r, recent[0].ID)
}

// canEdit reports whether the person may change a report: its member, who
// entered it, or a manager of its unit; never in a locked month.
func canEdit(r *request, a *cd.Activity) error {
	if a.MemberID != r.me.ID && a.EnteredBy != r.me.ID && !r.me.CanManageUnit(a.UnitID) {
		return cd.Invalid(cd.ReasonNotYours)
	}
	locked, err := r.tx.MonthLocked(a.UnitID, a.Date.MonthOf())
	if err == nil && locked {
		err = cd.Invalid(cd.ReasonMonthLocked)
	}
	return err
}

func cmdEdit(r *request, args string) error {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(args), "#"), 10, 64)
	if err != nil {
		r.reply(txtEditAskUsage)
		return nil
	}
	a, err := r.tx.ActivityByID(n)
	if err != nil {
		return err
	}
	if err := canEdit(r, a); err != nil {
		return err
	}
	k, err := r.tx.ActivityKind(a.Kind)
	if err != nil {
		return err
	}
	choices := []cd.Choice{{ID: chDesc, Label: txtEditDesc}, {ID: chDate, Label: txtEditDate}}
	if len(figuresOf(k)) > 0 {
		choices = append(choices, cd.Choice{ID: chNums, Label: txtEditNumbers})
	}
	r.startFlow(flowEdit, "what")
	r.flow.setInt("id", a.ID)
	r.ask(flowEdit, "what", cd.Message{Text: txtEditShow(a, k) + "\n\n" + txtEditWhat, Choices: choices})
	return nil
}

func stepEdit(r *request, in input) error {
	f := r.flow
	a, err := r.tx.ActivityByID(f.getInt("id"))
	if err != nil {
		return err
	}
	if err := canEdit(r, a); err != nil {
		r.end()
		return err
	}
	k, err := r.tx.ActivityKind(a.Kind)
	if err != nil {
		return err
	}
	switch f.Step {
	case "what":
		switch in.Choice {
		case chDesc:
			r.ask(flowEdit, "desc", cd.Message{Text: txtReportDescAsk})
		case chDate:
			askDate(r, flowEdit)
		case chNums:
			if !askFigure(r, flowEdit, k) {
				r.reply(txtPickOne)
			}
		default:
			r.reply(txtPickOne)
		}
		return nil
	case "desc":
		d, err := cd.ValidateDescription(in.Text)
		if err != nil {
			return err
		}
		return saveEdit(r, a, "description", a.Description, d, func() { a.Description = d })
	case "date":
		d, err := readDate(r, in, a.UnitID)
		if err != nil {
			return err
		}
		return saveEdit(r, a, "date", a.Date.String(), d.String(), func() { a.Date = d })
	case "figure":
		if err := readFigure(r, in, k); err != nil {
			return err
		}
		if askFigure(r, flowEdit, k) {
			return nil
		}
		old := fmt.Sprintf("%d/%d/%d", a.People, a.Amount, a.Quantity)
		people, amount, quantity := a.People, a.Amount, a.Quantity
		if _, ok := f.Data["people"]; ok {
			people = f.getInt("people")
		}
		if _, ok := f.Data["amount"]; ok {
			amount = f.getInt("amount")
		}
		if _, ok := f.Data["quantity"]; ok {
			quantity = f.getInt("quantity")
		}
		return saveEdit(r, a, "people/amount/quantity", old, fmt.Sprintf("%d/%d/%d", people, amount, quantity), func() {
			a.People, a.Amount, a.Quantity = people, amount, quantity
		})
	}
	return nil
}

func saveEdit(r *request, a *cd.Activity, field, old, new string, apply func()) error {
	apply()
	if err := r.tx.UpdateActivity(a); err != nil {
		return err
	}
	if err := r.audit(cd.AuditActivityUpdate, a.MemberID, a.UnitID, fmt.Sprintf("activity %d %s: %q -> %q", a.ID, field, old, new)); err != nil {
		return err
	}
	r.end()
	r.reply(txtEdited)
	return nil
}
