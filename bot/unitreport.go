package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// unitReportStore keeps the grassroots unions' monthly reports: their
// submission, which locks the month's activities, and unlocking.
type unitReportStore interface {
	UnitReport(unitID int64, m cd.Month) (*cd.UnitReport, error)
	MonthLocked(unitID int64, m cd.Month) (bool, error)
	SubmitUnitReport(unitID int64, m cd.Month, by int64, late bool) error
	UnlockUnitReport(unitID int64, m cd.Month, by int64) error
	UnitReports(m cd.Month) (map[int64]cd.UnitReport, error)
}

const flowSubmit = "submit"

// submitStep is the step of /nopbaocao.
type submitStep string

const submitConfirm submitStep = "confirm"

func (s submitStep) where() (string, string) { return flowSubmit, string(s) }

func submitFlow() *flow { return newFlow(stepSubmit, submitConfirm) }

// submitData is the unit and month /nopbaocao submits.
type submitData struct {
	Unit  int64    `json:"unit"`
	Month cd.Month `json:"month"`
}

// submitRecheck: the person still chairs the unit whose report the flow
// submits.
func submitRecheck(r *request) (bool, error) {
	return r.me.CanManageUnit(flowData[submitData](r).Unit), nil
}

// reportsListed is how many reports a monthly summary lists in chat.
const reportsListed = 30

// managedUnit is the grassroots union a chair or deputy answers for.
func managedUnit(r *request) (*cd.Unit, error) {
	if r.me.Role != cd.RoleChair && r.me.Role != cd.RoleDeputy {
		return nil, nil
	}
	return grassrootsOf(r, r.me.UnitID)
}

// managesUnit reports whether the person writing acts for a grassroots
// union: as its active chair or deputy, or as a province admin.
func managesUnit(r *request, unitID int64) (bool, error) {
	if r.me.IsProvinceAdmin() {
		return true, nil
	}
	if !r.me.IsActive() {
		return false, nil
	}
	u, err := managedUnit(r)
	if err != nil || u == nil {
		return false, err
	}
	return u.ID == unitID, nil
}

// deadline is the day a month's report is due.
func (b *Bot) deadline(m cd.Month) cd.Date { return m.Day(b.cfg.ReportDeadlineDay) }

// unitMonthLines returns the totals by kind and the list of reports of a
// unit's month, as text lines.
func unitMonthLines(r *request, u *cd.Unit, m cd.Month) (totals, reports []string, err error) {
	kinds, err := kindMap(r)
	if err != nil {
		return nil, nil, err
	}
	all, err := r.tx.MonthTotals(m, u.ID)
	if err != nil {
		return nil, nil, err
	}
	ks, err := r.tx.ActivityKinds(false)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range ks {
		if t, ok := all[u.ID][k.Code]; ok {
			totals = append(totals, txtTotalLine(&k, t))
		}
	}
	acts, err := r.tx.UnitActivities(u.ID, m)
	if err != nil {
		return nil, nil, err
	}
	for i := range acts {
		if i == reportsListed {
			reports = append(reports, txtMoreReports(len(acts)-reportsListed))
			break
		}
		reports = append(reports, txtActivityLine(&acts[i], kinds[acts[i].Kind], true))
	}
	return totals, reports, nil
}

func kindMap(r *request) (map[string]*cd.ActivityKind, error) {
	ks, err := r.tx.ActivityKinds(false)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*cd.ActivityKind, len(ks))
	for i := range ks {
		out[ks[i].Code] = &ks[i]
	}
	return out, nil
}

func cmdSubmit(r *request, args string) error {
	u, err := managedUnit(r)
	if err != nil {
		return err
	}
	if u == nil {
		r.reply(txtChairNoUnit)
		return nil
	}
	m := cd.MonthOf(r.tx.Now(), r.b.cfg.Location)
	if args != "" {
		if m, err = cd.ParseMonth(args); err != nil {
			r.reply(txtSubmitUsage)
			return nil
		}
	}
	rep, err := r.tx.UnitReport(u.ID, m)
	if err != nil {
		return err
	}
	totals, reports, err := unitMonthLines(r, u, m)
	if err != nil {
		return err
	}
	text := txtUnitMonth(u, m, totals, reports, txtSubmittedStatus(rep, r.b.loc))
	if rep != nil && rep.Locked {
		r.reply(text)
		return nil
	}
	*startFlow[submitData](r, submitConfirm) = submitData{Unit: u.ID, Month: m}
	r.ask(submitConfirm, cd.Message{Text: text + "\n\n" + txtSubmitAsk(r.b.deadline(m)), Choices: []cd.Choice{
		{ID: chYes, Label: txtSubmit2}, {ID: chNo, Label: txtLater}}})
	return nil
}

// stepSubmit submits the month's report. The router has checked that the
// person still chairs the unit.
func stepSubmit(r *request, _ submitStep, d *submitData, in input) error {
	switch in.Choice {
	case chYes:
	case chNo:
		r.end()
		r.reply(txtNotSubmitted)
		return nil
	default:
		r.reply(txtPickOne)
		return nil
	}
	u, err := r.tx.UnitByID(d.Unit)
	if err != nil {
		return err
	}
	m := d.Month
	deadline := r.b.deadline(m)
	late := r.today().After(deadline)
	if err := r.tx.SubmitUnitReport(u.ID, m, r.me.ID, late); err != nil {
		return err
	}
	if err := r.audit(cd.AuditReportSubmit, 0, u.ID, fmt.Sprintf("%s late=%v", m, late)); err != nil {
		return err
	}
	r.end()
	r.reply(txtSubmitted(u, m, late, deadline))
	return nil
}

// cmdUnlock lets a province admin reopen a unit's submitted month:
// "/mokhoa STP 10/2026".
func cmdUnlock(r *request, args string) error {
	f := strings.Fields(args)
	if len(f) != 2 {
		r.reply(txtUnlockUsage)
		return nil
	}
	u, err := r.tx.UnitByCode(f[0])
	if err != nil {
		return err
	}
	m, err := cd.ParseMonth(f[1])
	if err != nil {
		return err
	}
	if err := r.tx.UnlockUnitReport(u.ID, m, r.me.ID); err != nil {
		return err
	}
	if err := r.audit(cd.AuditReportUnlock, 0, u.ID, m.String()); err != nil {
		return err
	}
	managers, err := r.tx.UnitManagers(u.ID)
	if err != nil {
		return err
	}
	for _, mg := range managers {
		if err := r.notify(mg.ID, cd.Message{Text: txtYourMonthUnlocked(u, m)}); err != nil {
			return err
		}
	}
	r.reply(txtUnlocked(u, m))
	return nil
}

// unitStatus is /donvi for a chair: the month so far, who reported and who
// did not.
func unitStatus(r *request) error {
	u, err := managedUnit(r)
	if err != nil {
		return err
	}
	if u == nil {
		r.reply(txtChairNoUnit)
		return nil
	}
	m := cd.MonthOf(r.tx.Now(), r.b.cfg.Location)
	totals, _, err := unitMonthLines(r, u, m)
	if err != nil {
		return err
	}
	counts, err := r.tx.MemberReportCounts(u.ID, m)
	if err != nil {
		return err
	}
	members, err := r.tx.Members(cd.MemberFilter{UnitID: u.ID, WithSubUnits: true, Status: cd.StatusActive})
	if err != nil {
		return err
	}
	var reported, missing []string
	for _, mb := range members {
		if n := counts[mb.ID]; n > 0 {
			reported = append(reported, mb.FullName+" ("+strconv.Itoa(n)+")")
		} else {
			missing = append(missing, mb.FullName)
		}
	}
	rep, err := r.tx.UnitReport(u.ID, m)
	if err != nil {
		return err
	}
	text := txtUnitStatus(u, m, totals, reported, missing, txtSubmittedStatus(rep, r.b.loc))
	unreachable, err := r.tx.UnreachableMembers(u.ID)
	if err != nil {
		return err
	}
	if len(unreachable) > 0 {
		names := make([]string, len(unreachable))
		for i := range unreachable {
			names[i] = unreachable[i].FullName
		}
		text += "\n" + txtUnreachable(names)
	}
	r.reply(text)
	return nil
}
