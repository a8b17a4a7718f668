package bot

import (
	"strconv"
	"strings"
	"unicode/utf8"

	cd "github.com/congdoanbot/congdoanbot"
)

const flowApprove = "approve"

// approveStep is a step of /duyet.
type approveStep string

const (
	approvePick   approveStep = "pick"
	approveDecide approveStep = "decide"
	approveReason approveStep = "reason"
)

func (s approveStep) where() (string, string) { return flowApprove, string(s) }

func approveFlow() *flow { return newFlow(stepApprove, approvePick, approveDecide, approveReason) }

// approveData is the applicant /duyet is on.
type approveData struct {
	Member int64 `json:"member,omitempty"`
}

// approveRecheck: the person may still decide on the applicant the flow
// is on (their unit's chair, or a province admin).
func approveRecheck(r *request) (bool, error) {
	d := flowData[approveData](r)
	if d.Member == 0 {
		return true, nil
	}
	m, err := r.tx.MemberByID(d.Member)
	if err != nil {
		return false, err
	}
	return r.me.CanManageUnit(m.UnitID), nil
}

// pendingShown is how many applicants one list offers.
const pendingShown = 20

func cmdApprove(r *request, _ string) error { return listPending(r) }

// listPending offers the applicants this person may decide on: a chair
// sees their own unit, a province admin every unit.
func listPending(r *request) error {
	f := cd.MemberFilter{Status: cd.StatusPending}
	if !r.me.IsProvinceAdmin() {
		f.UnitID = r.me.UnitID
	}
	pending, err := r.tx.Members(f)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		r.end()
		r.reply(txtNoPending)
		return nil
	}
	shown := min(len(pending), pendingShown)
	cs := make([]cd.Choice, shown)
	for i := range shown {
		cs[i] = cd.Choice{ID: chMember + strconv.FormatInt(pending[i].ID, 10), Label: txtApplicantLabel(&pending[i])}
	}
	r.ask(approvePick, cd.Message{Text: txtPendingList(len(pending), shown), Choices: cs})
	return nil
}

func stepApprove(r *request, s approveStep, d *approveData, in input) error {
	switch s {
	case approvePick:
		id, ok := strings.CutPrefix(in.Choice, chMember)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		m, err := r.tx.MemberByID(n)
		if err != nil {
			return err
		}
		if !r.me.CanManageUnit(m.UnitID) {
			r.end()
			return r.deny("approve member " + id)
		}
		if m.Status != cd.StatusPending {
			r.reply(txtNotPending)
			return listPending(r)
		}
		d.Member = m.ID
		r.ask(approveDecide, cd.Message{Text: txtApplicantDetail(m, r.b.loc), Choices: []cd.Choice{
			{ID: chYes, Label: txtApprove}, {ID: chNo, Label: txtReject}, {ID: chBack, Label: txtBack}}})
	case approveDecide:
		switch in.Choice {
		case chYes:
			return decide(r, d, true, "")
		case chNo:
			r.ask(approveReason, cd.Message{Text: txtAskReason})
		case chBack:
			return listPending(r)
		default:
			r.reply(txtPickOne)
		}
	case approveReason:
		reason, err := rejectReason(in.Text)
		if err != nil {
			return err
		}
		if reason == "" {
			r.reply(txtAskReason)
			return nil
		}
		return decide(r, d, false, reason)
	}
	return nil
}

// decide approves or rejects the applicant the flow is on, tells them, and
// goes back to the list. The router has checked before this step that the
// person still manages the applicant's unit.
func decide(r *request, d *approveData, approve bool, reason string) error {
	m, err := r.tx.MemberByID(d.Member)
	if err != nil {
		return err
	}
	if err := applyDecision(r, m, approve, reason); err != nil {
		if cd.ErrorCode(err) == cd.ECONFLICT {
			r.reply(txtNotPending)
			return listPending(r)
		}
		return err
	}
	return listPending(r)
}

// rejectReason cleans the reason for a rejection and checks its length;
// "" when none was given.
func rejectReason(text string) (string, error) {
	reason := cd.CleanText(text)
	if utf8.RuneCountInString(reason) > 200 {
		return "", cd.Invalid(cd.ReasonReasonTooLong)
	}
	return reason, nil
}

// applyDecision approves or rejects applicant m (who must still be
// pending: ECONFLICT otherwise), records it, tells the applicant and
// replies to the person deciding. The chat and the web dashboard both
// decide through it, after checking r.me.CanManageUnit(m.UnitID).
func applyDecision(r *request, m *cd.Member, approve bool, reason string) error {
	to, action := cd.StatusActive, cd.AuditApprove
	if !approve {
		to, action = cd.StatusRejected, cd.AuditReject
	}
	if err := r.tx.SetMemberStatus(m.ID, cd.StatusPending, to, r.me.ID, reason); err != nil {
		return err
	}
	if err := r.audit(action, m.ID, m.UnitID, reason); err != nil {
		return err
	}
	msg := txtYouAreApproved(m)
	r.reply(txtApproved(m))
	if !approve {
		msg = txtYouAreRejected(m, reason)
		r.replies[len(r.replies)-1].Text = txtRejectedFor(m)
	}
	return r.notify(m.ID, cd.Message{Text: msg})
}
