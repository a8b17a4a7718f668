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

// fundStep is a step of /quy: choosing a fund to see, and for the
// province creating, editing, closing or reopening one.
type fundStep string

const (
	fundMenu    fundStep = "menu"
	fundManage  fundStep = "manage"
	fundField   fundStep = "field"
	fundClose   fundStep = "close"
	fundConfirm fundStep = "confirm"
	fundName    fundStep = "name"
	fundDesc    fundStep = "desc"
	fundTarget  fundStep = "target"
	fundStart   fundStep = "start"
	fundEnd     fundStep = "end"
	fundBank    fundStep = "bank"
	fundAccount fundStep = "account"
	fundHolder  fundStep = "holder"
)

func (s fundStep) where() (string, string) { return flowFund, string(s) }

func fundFlow() *flow {
	return newFlow(stepFund, fundMenu, fundManage, fundField, fundClose, fundConfirm, fundName, fundDesc,
		fundTarget, fundStart, fundEnd, fundBank, fundAccount, fundHolder)
}

// fundData is the fund /quy shows or manages, and the values of a fund
// being created, or the one value being edited.
type fundData struct {
	Fund int64 `json:"fund,omitempty"`
	// Edit is the field being edited (a chField choice); empty while a
	// fund is created.
	Edit    string  `json:"edit,omitempty"`
	Name    string  `json:"name,omitempty"`
	Desc    string  `json:"desc,omitempty"`
	Target  int64   `json:"target,omitempty"`
	Start   cd.Date `json:"start,omitzero"` // zero: no period
	End     cd.Date `json:"end,omitzero"`
	BIN     string  `json:"bin,omitempty"` // empty: no bank account
	Account string  `json:"acct,omitempty"`
	Holder  string  `json:"holder,omitempty"`
}

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
	r.ask(fundMenu, cd.Message{Text: strings.Join(blocks, "\n\n"), Choices: cs})
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

func stepFund(r *request, s fundStep, d *fundData, in input) error {
	if s == fundMenu && in.Choice != chNew {
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
	switch s {
	case fundMenu:
		r.ask(fundName, cd.Message{Text: txtFundAskName})
		return nil
	case fundManage:
		return manageFund(r, d, in)
	case fundField:
		return editField(r, d, in)
	case fundClose:
		return yesNo(r, in, func(r *request) error { return saveFundClosed(r, d) })
	case fundConfirm:
		return yesNo(r, in, func(r *request) error { return saveNewFund(r, d) })
	}
	return fundValueStep(r, s, d, in)
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
	r.ask(fundManage, cd.Message{Text: text, Choices: []cd.Choice{{ID: chEdit, Label: txtFundEdit}, toggle}})
	flowData[fundData](r).Fund = fund.ID
	return nil
}

func manageFund(r *request, d *fundData, in input) error {
	fund, err := r.tx.FundByID(d.Fund)
	if err != nil {
		return err
	}
	switch in.Choice {
	case chEdit:
		r.ask(fundField, cd.Message{Text: txtFundFieldAsk(fund), Choices: []cd.Choice{
			{ID: chFieldName, Label: txtFieldName}, {ID: chFieldDesc, Label: txtFieldDesc},
			{ID: chFieldTarget, Label: txtFieldTarget}, {ID: chFieldPeriod, Label: txtFieldPeriod},
			{ID: chFieldBank, Label: txtFieldBank}}})
	case chClose, chReopen:
		label := txtFundClose
		if fund.Closed {
			label = txtFundReopen
		}
		r.ask(fundClose, cd.Message{Text: txtFundCloseAsk(fund), Choices: []cd.Choice{
			{ID: chYes, Label: label}, {ID: chNo, Label: txtCancel}}})
	default:
		r.reply(txtPickOne)
	}
	return nil
}

func editField(r *request, d *fundData, in input) error {
	switch in.Choice {
	case chFieldName:
		r.ask(fundName, cd.Message{Text: txtFundAskName})
	case chFieldDesc:
		askFundStep(r, fundDesc)
	case chFieldTarget:
		askFundStep(r, fundTarget)
	case chFieldPeriod:
		askFundStep(r, fundStart)
	case chFieldBank:
		askFundStep(r, fundBank)
	default:
		r.reply(txtPickOne)
		return nil
	}
	d.Edit = in.Choice
	return nil
}

// askFundStep asks for one value of a fund being created or edited.
func askFundStep(r *request, s fundStep) {
	switch s {
	case fundDesc:
		r.ask(fundDesc, cd.Message{Text: txtFundAskDesc, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
	case fundTarget:
		// No choices: a typed number is the answer.
		r.ask(fundTarget, cd.Message{Text: txtFundAskTarget})
	case fundStart:
		r.ask(fundStart, cd.Message{Text: txtFundAskStart, Choices: []cd.Choice{{ID: chNoPeriod, Label: txtNoPeriod}}})
	case fundBank:
		cs := make([]cd.Choice, 0, len(cd.Banks)+1)
		for _, b := range cd.Banks {
			cs = append(cs, cd.Choice{ID: chBank + b.BIN, Label: b.Name})
		}
		cs = append(cs, cd.Choice{ID: chNoBank, Label: txtNoBank})
		r.ask(fundBank, cd.Message{Text: txtFundAskBank, Choices: cs})
	}
}

// fundNext goes on after a value: in an edit, the change is saved; in a
// creation, the next value is asked, then the summary.
func fundNext(r *request, d *fundData, next fundStep) error {
	if d.Edit != "" {
		return saveFundEdit(r, d)
	}
	if next != fundConfirm {
		askFundStep(r, next)
		return nil
	}
	fund := fundDraft(d, &cd.Fund{})
	r.ask(fundConfirm, cd.Message{Text: txtFundConfirm(fund), Choices: []cd.Choice{
		{ID: chYes, Label: txtCreateFund}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// fundValueStep reads one value of a fund being created or edited.
func fundValueStep(r *request, s fundStep, d *fundData, in input) error {
	switch s {
	case fundName:
		name, err := cd.ValidateFundName(in.Text)
		if err != nil {
			return err
		}
		d.Name = name
		return fundNext(r, d, fundDesc)
	case fundDesc:
		desc := ""
		if in.Choice != chSkip {
			var err error
			if desc, err = cd.ValidateDescription(in.Text); err != nil {
				return err
			}
		}
		d.Desc = desc
		return fundNext(r, d, fundTarget)
	case fundTarget:
		var n int64
		if strings.TrimSpace(in.Text) != "0" {
			var ok bool
			if n, ok = readMoney(r, in.Text, cd.MoneyLimits{Min: r.b.cfg.MoneyMin, Max: cd.FundTargetMax}); !ok {
				return nil
			}
		}
		d.Target = n
		return fundNext(r, d, fundStart)
	case fundStart, fundEnd:
		return readFundPeriod(r, s, d, in)
	case fundBank:
		return readBank(r, d, in)
	case fundAccount:
		acct, err := cd.ValidateAccountNo(in.Text)
		if err != nil {
			return err
		}
		d.Account = acct
		r.ask(fundHolder, cd.Message{Text: txtFundAskHolder})
	case fundHolder:
		name, err := cd.ValidateAccountName(in.Text)
		if err != nil {
			return err
		}
		d.Holder = name
		return fundNext(r, d, fundConfirm)
	}
	return nil
}

// readFundPeriod reads the first or the last day of a fund's period, or
// that it has none.
func readFundPeriod(r *request, s fundStep, d *fundData, in input) error {
	if s == fundStart && in.Choice == chNoPeriod {
		d.Start, d.End = cd.Date{}, cd.Date{}
		return fundNext(r, d, fundBank)
	}
	day, err := parseFullDate(in.Text, r.today())
	if err != nil {
		return err
	}
	if s == fundStart {
		d.Start = day
		r.ask(fundEnd, cd.Message{Text: txtFundAskEnd})
		return nil
	}
	if day.Before(d.Start) {
		return cd.Invalid(cd.ReasonDateOrder)
	}
	d.End = day
	return fundNext(r, d, fundBank)
}

func readBank(r *request, d *fundData, in input) error {
	var bank cd.Bank
	switch {
	case in.Choice == chNoBank:
		d.BIN, d.Account, d.Holder = "", "", ""
		return fundNext(r, d, fundConfirm)
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
	d.BIN = bank.BIN
	r.ask(fundAccount, cd.Message{Text: txtFundAskAccount(cd.BankName(bank.BIN))})
	return nil
}

// fundDraft applies to base the values the flow has gathered: all of
// them for a new fund, the one edited for an edit.
func fundDraft(d *fundData, base *cd.Fund) *cd.Fund {
	fund := *base
	edits := func(field string) bool { return d.Edit == "" || d.Edit == field }
	if edits(chFieldName) {
		fund.Name = d.Name
	}
	if edits(chFieldDesc) {
		fund.Description = d.Desc
	}
	if edits(chFieldTarget) {
		fund.Target = d.Target
	}
	if edits(chFieldPeriod) {
		fund.Start, fund.End = d.Start, d.End
	}
	if edits(chFieldBank) {
		fund.BankBIN, fund.AccountNo, fund.AccountName = d.BIN, d.Account, d.Holder
	}
	return &fund
}

func saveNewFund(r *request, d *fundData) error {
	fund := fundDraft(d, &cd.Fund{})
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

func saveFundEdit(r *request, d *fundData) error {
	old, err := r.tx.FundByID(d.Fund)
	if err != nil {
		return err
	}
	fund := fundDraft(d, old)
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

func saveFundClosed(r *request, d *fundData) error {
	fund, err := r.tx.FundByID(d.Fund)
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
