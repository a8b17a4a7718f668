package bot

import cd "github.com/congdoanbot/congdoanbot"

const flowErase = "erase"

// eraseStep is the step of /xoataikhoan.
type eraseStep string

const eraseConfirm eraseStep = "confirm"

func (s eraseStep) where() (string, string) { return flowErase, string(s) }

func eraseFlow() *flow { return newFlow(stepErase, eraseConfirm) }

// eraseData: /xoataikhoan keeps nothing between its messages.
type eraseData struct{}

func cmdProfile(r *request, _ string) error {
	ids, err := r.tx.Identities(r.me.ID)
	if err != nil {
		return err
	}
	r.reply(txtProfile(r.me, ids, r.b.loc))
	if !r.me.IsActive() {
		return nil
	}
	kinds, err := kindMap(r)
	if err != nil {
		return err
	}
	today := r.today()
	m := today.MonthOf()
	acts, err := r.tx.MemberActivities(r.me.ID, m.First(), m.Last())
	if err != nil {
		return err
	}
	lines := make([]string, len(acts))
	for i := range acts {
		lines[i] = txtActivityLine(&acts[i], kinds[acts[i].Kind], false)
	}
	text := txtMyReports(m, lines)
	totals, err := r.tx.MemberYearTotals(r.me.ID, today.Year)
	if err != nil {
		return err
	}
	year := make([]string, 0, len(totals))
	for _, t := range totals {
		if k := kinds[t.Kind]; k != nil {
			year = append(year, txtTotalLine(k, t))
		}
	}
	if y := txtYearTotals(today.Year, year); y != "" {
		text += "\n\n" + y
	}
	r.reply(text)
	return nil
}

func cmdErase(r *request, _ string) error {
	r.ask(eraseConfirm, cd.Message{Text: txtEraseAsk, Choices: []cd.Choice{
		{ID: chYes, Label: txtEraseYes}, {ID: chNo, Label: txtEraseNo}}})
	return nil
}

// stepErase runs for a registered person: the router has checked that
// they still are.
func stepErase(r *request, _ eraseStep, _ *eraseData, in input) error {
	switch in.Choice {
	case chYes:
		if err := r.tx.EraseMember(r.me.ID); err != nil {
			return err
		}
		if err := r.audit(cd.AuditDeleteData, r.me.ID, r.me.UnitID, "by the member"); err != nil {
			return err
		}
		r.end()
		r.reply(txtErased)
	case chNo:
		r.end()
		r.reply(txtEraseKept)
	default:
		r.reply(txtPickOne)
	}
	return nil
}
