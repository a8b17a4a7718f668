package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// fundStore keeps the funds (quỹ) and their totals pledged and paid.
type fundStore interface {
	CreateFund(f *cd.Fund) error
	UpdateFund(f *cd.Fund) error
	SetFundClosed(id int64, closed bool, by int64) error
	FundByID(id int64) (*cd.Fund, error)
	Funds(openOnly bool) ([]cd.Fund, error)
	FundTotals(fundID int64) (*cd.FundTotals, error)
	FundPledges(fundID int64) ([]cd.Pledge, error)
}

const flowFund = "fund"

const (
	chEdit     = "edit"
	chClose    = "close"
	chReopen   = "reopen"
	chBank     = "b:" // + BIN
	chNoBank   = "nobank"
	chNoPeriod = "noperiod"
	// Fields of a fund, to edit one.
	chFieldName   = "fname"
	chFieldDesc   = "fdesc"
	chFieldTarget = "ftarget"
	chFieldPeriod = "fperiod"
	chFieldBank   = "fbank"
)

// How much of a fund one chat message lists.
const (
	fundUnitsShown  = 10
	fundDonorsShown = 50
)

// cmdFunds shows every fund with its totals, progress and totals per
// unit, and offers each fund's details; a province admin may also create
// a fund, and edit or close one from its details.
func cmdFunds(r *request, _ string) error {
	funds, err := r.tx.Funds(false)
	if err != nil {
		return err
	}
	admin := r.me.IsProvinceAdmin()
	if len(funds) == 0 && !admin {
		r.reply(txtNoFunds)
		return nil
	}
	blocks := []string{txtFundsHeader}
	cs := make([]cd.Choice, 0, len(funds)+1)
	for i := range funds {
		fund := &funds[i]
		t, err := r.tx.FundTotals(fund.ID)
		if err != nil {
			return err
		}
		blocks = append(blocks, txtFundSummary(fund, t, fundUnitsShown))
		cs = append(cs, cd.Choice{ID: chFund + strconv.FormatInt(fund.ID, 10), Label: fund.Name})
	}
	if len(funds) == 0 {
		blocks = append(blocks, txtNoFunds)
	}
	if admin {
		cs = append(cs, cd.Choice{ID: chNew, Label: txtFundNew})
	}
	blocks = append(blocks, txtFundsPick(admin))
	r.ask(flowFund, "menu", cd.Message{Text: strings.Join(blocks, "\n\n"), Choices: cs})
	return nil
}

// viewer says how the person writing sees a fund's donors: a province
// admin sees every name; a chair, the names of their own union's
// anonymous donors; everyone, their own name.
type viewer struct {
	me      *cd.Member
	admin   bool
	chairOf int64 // the grassroots union the person chairs, or 0
}

func viewerOf(r *request) (viewer, error) {
	v := viewer{me: r.me, admin: r.me.IsProvinceAdmin()}
	u, err := managedUnit(r)
	if err != nil {
		return v, err
	}
	if u != nil && r.me.IsActive() {
		v.chairOf = u.ID
	}
	return v, nil
}

// donor is how a pledge's donor is named to this viewer, and their
// union's code, which an anonymous pledge does not show either.
func (v viewer) donor(p *cd.Pledge) (name, unit string) {
	name = p.MemberName
	if name == "" {
		name = txtErasedMember
	}
	if !p.Anonymous {
		return name, p.UnitCode
	}
	if v.admin || v.chairOf == p.UnitID || p.MemberID == v.me.ID {
		return name + " " + txtAnonymousMark, p.UnitCode
	}
	return txtAnonymous, ""
}

// fundDetails shows a fund: its totals, totals per unit and its donors.
func fundDetails(r *request, fund *cd.Fund) (string, error) {
	t, err := r.tx.FundTotals(fund.ID)
	if err != nil {
		return "", err
	}
	ps, err := r.tx.FundPledges(fund.ID)
	if err != nil {
		return "", err
	}
	v, err := viewerOf(r)
	if err != nil {
		return "", err
	}
	donors := make([]string, 0, min(len(ps), fundDonorsShown)+1)
	for i := range ps {
		if i == fundDonorsShown {
			donors = append(donors, txtMoreDonors(len(ps)-fundDonorsShown))
			break
		}
		name, unit := v.donor(&ps[i])
		donors = append(donors, txtDonorLine(name, unit, &ps[i]))
	}
	return txtFundDetails(fund, t, donors), nil
}

func stepFund(r *request, in input) error {
	f := r.flow
	if f.Step == "menu" && in.Choice != chNew {
		id, ok := idAfter(in.Choice, chFund)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		return showFund(r, id)
	}
	// Everything else manages funds: the province's work. The role is
	// checked at every step, since it may change in the middle.
	if !r.me.IsProvinceAdmin() {
		r.end()
		return r.deny("manage funds")
	}
	switch f.Step {
	case "menu":
		f.set("mode", "create")
		r.ask(flowFund, "name", cd.Message{Text: txtFundAskName})
		return nil
	case "manage":
		return manageFund(r, in)
	case "field":
		return editField(r, in)
	case "close":
		return yesNo(r, in, saveFundClosed)
	case "confirm":
		return yesNo(r, in, saveNewFund)
	}
	return fundValueStep(r, in)
}

func showFund(r *request, id int64) error {
	fund, err := r.tx.FundByID(id)
	if err != nil {
		return err
	}
	text, err := fundDetails(r, fund)
	if err != nil {
		return err
	}
	if !r.me.IsProvinceAdmin() {
		r.end()
		r.reply(text)
		return nil
	}
	toggle := cd.Choice{ID: chClose, Label: txtFundClose}
	if fund.Closed {
		toggle = cd.Choice{ID: chReopen, Label: txtFundReopen}
	}
	r.ask(flowFund, "manage", cd.Message{Text: text, Choices: []cd.Choice{{ID: chEdit, Label: txtFundEdit}, toggle}})
	r.flow.setInt("fund", fund.ID)
	return nil
}

func manageFund(r *request, in input) error {
	fund, err := r.tx.FundByID(r.flow.getInt("fund"))
	if err != nil {
		return err
	}
	switch in.Choice {
	case chEdit:
		r.ask(flowFund, "field", cd.Message{Text: txtFundFieldAsk(fund), Choices: []cd.Choice{
			{ID: chFieldName, Label: txtFieldName}, {ID: chFieldDesc, Label: txtFieldDesc},
			{ID: chFieldTarget, Label: txtFieldTarget}, {ID: chFieldPeriod, Label: txtFieldPeriod},
			{ID: chFieldBank, Label: txtFieldBank}}})
	case chClose, chReopen:
		label := txtFundClose
		if fund.Closed {
			label = txtFundReopen
		}
		r.ask(flowFund, "close", cd.Message{Text: txtFundCloseAsk(fund), Choices: []cd.Choice{
			{ID: chYes, Label: label}, {ID: chNo, Label: txtCancel}}})
	default:
		r.reply(txtPickOne)
	}
	return nil
}

func editField(r *request, in input) error {
	r.flow.set("mode", "edit")
	switch in.Choice {
	case chFieldName:
		r.ask(flowFund, "name", cd.Message{Text: txtFundAskName})
	case chFieldDesc:
		askFundStep(r, "desc")
	case chFieldTarget:
		askFundStep(r, "target")
	case chFieldPeriod:
		askFundStep(r, "start")
	case chFieldBank:
		askFundStep(r, "bank")
	default:
		r.reply(txtPickOne)
	}
	return nil
}

// askFundStep asks for one value of a fund being created or edited.
func askFundStep(r *request, step string) {
	switch step {
	case "desc":
		r.ask(flowFund, "desc", cd.Message{Text: txtFundAskDesc, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
	case "target":
		// No choices: a typed number is the answer.
		r.ask(flowFund, "target", cd.Message{Text: txtFundAskTarget})
	case "start":
		r.ask(flowFund, "start", cd.Message{Text: txtFundAskStart, Choices: []cd.Choice{{ID: chNoPeriod, Label: txtNoPeriod}}})
	case "bank":
		cs := make([]cd.Choice, 0, len(cd.Banks)+1)
		for _, b := range cd.Banks {
			cs = append(cs, cd.Choice{ID: chBank + b.BIN, Label: b.Name})
		}
		cs = append(cs, cd.Choice{ID: chNoBank, Label: txtNoBank})
		r.ask(flowFund, "bank", cd.Message{Text: txtFundAskBank, Choices: cs})
	}
}

// fundNext goes on after a value: in an edit, the change is saved; in a
// creation, the next value is asked, then the summary.
func fundNext(r *request, next string) error {
	if r.flow.get("mode") == "edit" {
		return saveFundEdit(r)
	}
	if next != "confirm" {
		askFundStep(r, next)
		return nil
	}
	fund, err := fundDraft(r, &cd.Fund{})
	if err != nil {
		return err
	}
	r.ask(flowFund, "confirm", cd.Message{Text: txtFundConfirm(fund), Choices: []cd.Choice{
		{ID: chYes, Label: txtCreateFund}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// fundValueStep reads one value of a fund being created or edited.
func fundValueStep(r *request, in input) error {
	f := r.flow
	switch f.Step {
	case "name":
		name, err := cd.ValidateFundName(in.Text)
		if err != nil {
			return err
		}
		f.set("name", name)
		return fundNext(r, "desc")
	case "desc":
		d := ""
		if in.Choice != chSkip {
			var err error
			if d, err = cd.ValidateDescription(in.Text); err != nil {
				return err
			}
		}
		f.set("desc", d)
		return fundNext(r, "target")
	case "target":
		var n int64
		if strings.TrimSpace(in.Text) != "0" {
			var ok bool
			if n, ok = readMoney(r, in.Text, cd.MoneyLimits{Min: r.b.cfg.MoneyMin, Max: cd.FundTargetMax}); !ok {
				return nil
			}
		}
		f.setInt("target", n)
		return fundNext(r, "start")
	case "start":
		if in.Choice == chNoPeriod {
			f.set("start", "")
			f.set("end", "")
			return fundNext(r, "bank")
		}
		d, err := parseFullDate(in.Text, r.today())
		if err != nil {
			return err
		}
		f.set("start", d.String())
		r.ask(flowFund, "end", cd.Message{Text: txtFundAskEnd})
	case "end":
		d, err := parseFullDate(in.Text, r.today())
		if err != nil {
			return err
		}
		if start, _ := cd.ParseISODate(f.get("start")); d.Before(start) {
			return cd.Invalid(cd.ReasonDateOrder)
		}
		f.set("end", d.String())
		return fundNext(r, "bank")
	case "bank":
		return readBank(r, in)
	case "account":
		acct, err := cd.ValidateAccountNo(in.Text)
		if err != nil {
			return err
		}
		f.set("acct", acct)
		r.ask(flowFund, "holder", cd.Message{Text: txtFundAskHolder})
	case "holder":
		name, err := cd.ValidateAccountName(in.Text)
		if err != nil {
			return err
		}
		f.set("holder", name)
		return fundNext(r, "confirm")
	}
	return nil
}

func readBank(r *request, in input) error {
	f := r.flow
	var bank cd.Bank
	switch {
	case in.Choice == chNoBank:
		f.set("bin", "")
		f.set("acct", "")
		f.set("holder", "")
		return fundNext(r, "confirm")
	case strings.HasPrefix(in.Choice, chBank):
		b, err := cd.BankByBIN(strings.TrimPrefix(in.Choice, chBank))
		if err != nil {
			return err
		}
		bank = b
	default:
		b, err := cd.ParseBank(in.Text)
		if err != nil {
			return err
		}
		bank = b
	}
	f.set("bin", bank.BIN)
	r.ask(flowFund, "account", cd.Message{Text: txtFundAskAccount(cd.BankName(bank.BIN))})
	return nil
}

// fundDraft applies the values the flow has gathered to base.
func fundDraft(r *request, base *cd.Fund) (*cd.Fund, error) {
	f := r.flow
	fund := *base
	has := func(k string) bool { _, ok := f.Data[k]; return ok }
	if has("name") {
		fund.Name = f.get("name")
	}
	if has("desc") {
		fund.Description = f.get("desc")
	}
	if has("target") {
		fund.Target = f.getInt("target")
	}
	if has("start") {
		fund.Start, fund.End = cd.Date{}, cd.Date{}
		if f.get("start") != "" {
			var err error
			if fund.Start, err = cd.ParseISODate(f.get("start")); err != nil {
				return nil, err
			}
			if fund.End, err = cd.ParseISODate(f.get("end")); err != nil {
				return nil, err
			}
		}
	}
	if has("bin") {
		fund.BankBIN, fund.AccountNo, fund.AccountName = f.get("bin"), f.get("acct"), f.get("holder")
	}
	return &fund, nil
}

func saveNewFund(r *request) error {
	fund, err := fundDraft(r, &cd.Fund{})
	if err != nil {
		return err
	}
	fund.CreatedBy = r.me.ID
	if err := r.tx.CreateFund(fund); err != nil {
		return err
	}
	if err := r.audit(cd.AuditFundCreate, 0, 0, fmt.Sprintf("fund %d %q target %d bank %q %q", fund.ID, fund.Name, fund.Target, fund.BankBIN, fund.AccountNo)); err != nil {
		return err
	}
	r.end()
	r.reply(txtFundCreated(fund))
	return nil
}

func saveFundEdit(r *request) error {
	old, err := r.tx.FundByID(r.flow.getInt("fund"))
	if err != nil {
		return err
	}
	fund, err := fundDraft(r, old)
	if err != nil {
		return err
	}
	if err := r.tx.UpdateFund(fund); err != nil {
		return err
	}
	detail := fmt.Sprintf("fund %d: %s -> %s", fund.ID, fundAuditView(old), fundAuditView(fund))
	if err := r.audit(cd.AuditFundUpdate, 0, 0, detail); err != nil {
		return err
	}
	r.end()
	r.reply(txtFundUpdated(fund))
	return nil
}

// fundAuditView is a fund's editable values, for the audit log.
func fundAuditView(f *cd.Fund) string {
	return fmt.Sprintf("{name %q desc %q target %d period %q..%q bank %q %q %q}", f.Name, f.Description, f.Target,
		dateOrNone(f.Start), dateOrNone(f.End), f.BankBIN, f.AccountNo, f.AccountName)
}

func saveFundClosed(r *request) error {
	fund, err := r.tx.FundByID(r.flow.getInt("fund"))
	if err != nil {
		return err
	}
	closing := !fund.Closed
	if err := r.tx.SetFundClosed(fund.ID, closing, r.me.ID); err != nil {
		return err
	}
	action := cd.AuditFundReopen
	if closing {
		action = cd.AuditFundClose
	}
	if err := r.audit(action, 0, 0, fmt.Sprintf("fund %d %q", fund.ID, fund.Name)); err != nil {
		return err
	}
	r.end()
	r.reply(txtFundClosedNow(fund, closing))
	return nil
}
