package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// pledgeStore keeps members' pledges to funds and the payments chairs
// confirm against them.
type pledgeStore interface {
	CreatePledge(p *cd.Pledge, today cd.Date, lim cd.MoneyLimits) error
	PledgeByID(id int64) (*cd.Pledge, error)
	MemberPledges(memberID int64) ([]cd.Pledge, error)
	UnitOpenPledges(unitID int64) ([]cd.Pledge, error)
	ChangePledgeAmount(id, amount int64, lim cd.MoneyLimits) (*cd.Pledge, error)
	WithdrawPledge(id int64) (*cd.Pledge, error)
	RecordPayment(pay *cd.Payment, today cd.Date) (*cd.Pledge, error)
	CorrectPayment(id, amount int64, paidOn cd.Date, by int64, today cd.Date) (*cd.Payment, *cd.Pledge, error)
	PaymentByID(id int64) (*cd.Payment, error)
	UnitPayments(unitID int64, limit int) ([]cd.Payment, error)
	PledgesDueBetween(from, to cd.Date) ([]cd.Pledge, error)
	OverduePledges(today cd.Date) ([]cd.Pledge, error)
}

const flowPledge = "pledge"

// pledgeStep is a step of /ungho.
type pledgeStep string

const (
	pledgeFund      pledgeStep = "fund"
	pledgeAmount    pledgeStep = "amount"
	pledgeDue       pledgeStep = "due"
	pledgeAnon      pledgeStep = "anon"
	pledgeConfirm   pledgeStep = "confirm"
	pledgeMine      pledgeStep = "mine"
	pledgeShow      pledgeStep = "pledge"
	pledgeNewAmount pledgeStep = "newamount"
	pledgeChange    pledgeStep = "change"
	pledgeWithdraw  pledgeStep = "withdraw"
)

func (s pledgeStep) where() (string, string) { return flowPledge, string(s) }

func pledgeFlow() *flow {
	return newFlow(stepPledge, pledgeFund, pledgeAmount, pledgeDue, pledgeAnon, pledgeConfirm, pledgeMine,
		pledgeShow, pledgeNewAmount, pledgeChange, pledgeWithdraw)
}

// pledgeData is the pledge /ungho is making, or the member's pledge it
// changes or withdraws.
type pledgeData struct {
	Fund      int64   `json:"fund,omitempty"`
	Amount    int64   `json:"amount,omitempty"`
	Due       cd.Date `json:"due,omitzero"`
	Anonymous bool    `json:"anon,omitempty"`
	Pledge    int64   `json:"pledge,omitempty"` // the member's pledge being changed
}

const (
	chFund      = "f:"   // + fund id
	chPledge    = "p:"   // + pledge id
	chPayment   = "pay:" // + payment id
	chMine      = "mine"
	chEndMonth  = "eom"
	chNamed     = "named"
	chAnon      = "anon"
	chChange    = "chg"
	chWithdraw  = "wd"
	chQR        = "qr"
	chFull      = "full"
	chPart      = "part"
	chFix       = "fix"
	chFixAmount = "fixamt"
	chFixCancel = "fixdel"
	chKeepDate  = "keep"
)

// Lists in chat: how many pledges or payments one list offers.
const (
	pledgesShown  = 20
	paymentsShown = 20
)

// limits are the configured bounds of an amount of money.
func (b *Bot) limits() cd.MoneyLimits {
	return cd.MoneyLimits{Min: b.cfg.MoneyMin, Max: b.cfg.MoneyMax}
}

// readMoney reads an amount typed as an answer. When it cannot, it
// replies why, naming the bounds in force, and reports false: the step
// stays where it is and nothing is saved.
func readMoney(r *request, text string, lim cd.MoneyLimits) (int64, bool) {
	n, err := cd.ParseVND(text, lim)
	if err != nil {
		r.reply(txtMoneyRefused(cd.ErrorReason(err), lim))
		return 0, false
	}
	return n, true
}

// idAfter reads the number after a choice prefix.
func idAfter(choice, prefix string) (int64, bool) {
	s, ok := strings.CutPrefix(choice, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// typedPledgeRef reads a pledge number typed with its memo prefix ("UH 12",
// "#12"). A bare number is not taken: in a list it picks a numbered choice.
func typedPledgeRef(text string) (int64, bool) {
	f := cd.Fold(text)
	if !strings.HasPrefix(f, "uh") && !strings.HasPrefix(f, "#") {
		return 0, false
	}
	return cd.ParsePledgeRef(text)
}

// qrFile draws a VietQR payload as a PNG image.
func (b *Bot) qrFile(payload, name string) (*cd.File, error) {
	png, err := b.renderer().QRPNG(payload)
	if err != nil {
		return nil, err
	}
	return &cd.File{Name: name, MIME: "image/png", Data: png}, nil
}

// pledgeReceipt is lead followed by how to pay what is left of p: with a
// VietQR code (as an image and as text) when the fund has a bank account,
// else in cash to the chair.
func (b *Bot) pledgeReceipt(f *cd.Fund, p *cd.Pledge, lead string) (cd.Message, error) {
	if p.Remaining() == 0 {
		return cd.Message{Text: lead}, nil
	}
	if !f.HasBank() {
		return cd.Message{Text: lead + "\n\n" + txtPayCash}, nil
	}
	payload, err := f.PaymentPayload(p)
	if err != nil {
		return cd.Message{}, fmt.Errorf("VietQR for pledge %d: %w", p.ID, err)
	}
	file, err := b.qrFile(payload, "vietqr-UH"+strconv.FormatInt(p.ID, 10)+".png")
	if err != nil {
		return cd.Message{}, err
	}
	return cd.Message{Text: lead + "\n\n" + txtPayBank(f, p, payload), File: file}, nil
}

// ---- /ungho: a member pledges, changes or withdraws a pledge.

func cmdPledge(r *request, args string) error {
	if id, ok := cd.ParsePledgeRef(args); ok {
		return showMyPledge(r, id)
	}
	funds, err := r.tx.Funds(true)
	if err != nil {
		return err
	}
	mine, err := r.tx.MemberPledges(r.me.ID)
	if err != nil {
		return err
	}
	today := r.today()
	var cs []cd.Choice
	for _, f := range funds {
		if f.AcceptsPledges(today) == nil {
			cs = append(cs, cd.Choice{ID: chFund + strconv.FormatInt(f.ID, 10), Label: f.Name})
		}
	}
	text := txtPledgeFund
	if len(cs) == 0 {
		text = txtNoOpenFunds
	}
	if len(mine) > 0 {
		cs = append(cs, cd.Choice{ID: chMine, Label: txtMyPledges})
	}
	if len(cs) == 0 {
		r.reply(txtNoOpenFunds)
		return nil
	}
	r.ask(pledgeFund, cd.Message{Text: text, Choices: cs})
	return nil
}

func stepPledge(r *request, s pledgeStep, d *pledgeData, in input) error {
	switch s {
	case pledgeFund:
		if in.Choice == chMine {
			return listMyPledges(r)
		}
		if id, ok := idAfter(in.Choice, chFund); ok {
			return chooseFund(r, d, id)
		}
		r.reply(txtPickOne)
	case pledgeAmount:
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		d.Amount = n
		askDueDate(r, n)
	case pledgeDue:
		due, err := readDueDate(r, in)
		if err != nil {
			return err
		}
		d.Due = due
		r.ask(pledgeAnon, cd.Message{Text: txtPledgeAnonAsk, Choices: []cd.Choice{
			{ID: chNamed, Label: txtPledgeNamed}, {ID: chAnon, Label: txtPledgeAnon}}})
	case pledgeAnon:
		switch in.Choice {
		case chNamed, chAnon:
			d.Anonymous = in.Choice == chAnon
			return confirmPledge(r, d)
		}
		r.reply(txtPickOne)
	case pledgeConfirm:
		return yesNo(r, in, func(r *request) error { return savePledge(r, d) })
	default:
		return stepMyPledge(r, s, d, in)
	}
	return nil
}

// stepMyPledge runs the steps on a pledge the member made: change its
// amount, withdraw it.
func stepMyPledge(r *request, s pledgeStep, d *pledgeData, in input) error {
	switch s {
	case pledgeMine:
		if id, ok := idAfter(in.Choice, chPledge); ok {
			return showMyPledge(r, id)
		}
		r.reply(txtPickOne)
	case pledgeShow:
		return pledgeAction(r, d, in)
	case pledgeNewAmount:
		p, _, err := myPledge(r, d.Pledge)
		if err != nil {
			return err
		}
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		d.Amount = n
		r.ask(pledgeChange, cd.Message{Text: txtPledgeChangeConfirm(p, n), Choices: []cd.Choice{
			{ID: chYes, Label: txtSaveNewAmount}, {ID: chNo, Label: txtCancel}}})
	case pledgeChange:
		return yesNo(r, in, func(r *request) error { return saveNewAmount(r, d) })
	case pledgeWithdraw:
		return yesNo(r, in, func(r *request) error { return saveWithdraw(r, d) })
	}
	return nil
}

// yesNo runs save on chYes, cancels on chNo, and asks again otherwise.
func yesNo(r *request, in input, save func(*request) error) error {
	switch in.Choice {
	case chYes:
		return save(r)
	case chNo:
		r.end()
		r.reply(txtCancelled)
	default:
		r.reply(txtPickOne)
	}
	return nil
}

func chooseFund(r *request, d *pledgeData, id int64) error {
	fund, err := r.tx.FundByID(id)
	if err != nil {
		return err
	}
	if err := fund.AcceptsPledges(r.today()); err != nil {
		return err
	}
	d.Fund = fund.ID
	r.ask(pledgeAmount, cd.Message{Text: txtPledgeAmountAsk(fund, r.b.limits())})
	return nil
}

func askDueDate(r *request, amount int64) {
	eom := r.today().MonthOf().Last()
	r.ask(pledgeDue, cd.Message{Text: txtAmountEcho(amount) + "\n\n" + txtPledgeDueAsk, Choices: []cd.Choice{
		{ID: chSkip, Label: txtNoDueDate}, {ID: chEndMonth, Label: txtDateChoice(txtEndOfMonth, eom)}}})
}

// readDueDate reads the answer to askDueDate: none, the end of this
// month, or a typed date from today on. A date typed without a year is in
// this year.
func readDueDate(r *request, in input) (cd.Date, error) {
	today := r.today()
	switch in.Choice {
	case chSkip:
		return cd.Date{}, nil
	case chEndMonth:
		return today.MonthOf().Last(), nil
	}
	switch cd.Fold(in.Text) {
	case "cuoi thang", "cuoi thang nay":
		return today.MonthOf().Last(), nil
	}
	d, err := parseFullDate(in.Text, today)
	if err != nil {
		return d, err
	}
	return d, cd.ValidateDueDate(d, today)
}

// pledgeDraft builds the pledge the flow has gathered.
func pledgeDraft(r *request, d *pledgeData) (*cd.Pledge, *cd.Fund, error) {
	fund, err := r.tx.FundByID(d.Fund)
	if err != nil {
		return nil, nil, err
	}
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return nil, nil, err
	}
	p := &cd.Pledge{FundID: fund.ID, MemberID: r.me.ID, UnitID: u.ID, Amount: d.Amount,
		Anonymous: d.Anonymous, DueDate: d.Due, FundName: fund.Name}
	return p, fund, nil
}

func confirmPledge(r *request, d *pledgeData) error {
	p, _, err := pledgeDraft(r, d)
	if err != nil {
		return err
	}
	r.ask(pledgeConfirm, cd.Message{Text: txtPledgeSummary(p), Choices: []cd.Choice{
		{ID: chYes, Label: txtSavePledge}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// savePledge saves the pledge. The router has checked that the person is
// still an active member.
func savePledge(r *request, d *pledgeData) error {
	p, fund, err := pledgeDraft(r, d)
	if err != nil {
		return err
	}
	if err := r.tx.CreatePledge(p, r.today(), r.b.limits()); err != nil {
		return err
	}
	detail := fmt.Sprintf("pledge %d fund %d amount %d due %q anonymous %t", p.ID, fund.ID, p.Amount, dateOrNone(p.DueDate), p.Anonymous)
	if err := r.audit(cd.AuditPledgeCreate, p.MemberID, p.UnitID, detail); err != nil {
		return err
	}
	msg, err := r.b.pledgeReceipt(fund, p, txtPledgeSaved(p))
	if err != nil {
		return err
	}
	r.end()
	r.replies = append(r.replies, msg)
	return nil
}

func dateOrNone(d cd.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// myPledge returns a pledge of the person writing, with its fund.
func myPledge(r *request, id int64) (*cd.Pledge, *cd.Fund, error) {
	p, err := r.tx.PledgeByID(id)
	if err != nil {
		return nil, nil, err
	}
	if p.MemberID != r.me.ID {
		return nil, nil, cd.Errorf(cd.EFORBIDDEN, cd.ReasonPledgeNotYours, "pledge %d of member %d", p.ID, p.MemberID)
	}
	fund, err := r.tx.FundByID(p.FundID)
	if err != nil {
		return nil, nil, err
	}
	return p, fund, nil
}

func listMyPledges(r *request) error {
	ps, err := r.tx.MemberPledges(r.me.ID)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		r.end()
		r.reply(txtNoPledges)
		return nil
	}
	shown := min(len(ps), pledgesShown)
	cs := make([]cd.Choice, shown)
	for i := range shown {
		cs[i] = cd.Choice{ID: chPledge + strconv.FormatInt(ps[i].ID, 10), Label: txtMyPledgeLabel(&ps[i])}
	}
	r.ask(pledgeMine, cd.Message{Text: txtMyPledgesAsk, Choices: cs})
	return nil
}

// showMyPledge shows one of the member's pledges with what may be done
// with it: change the amount or withdraw it while nothing is paid, see
// the payment code again while something is left to pay.
func showMyPledge(r *request, id int64) error {
	p, fund, err := myPledge(r, id)
	if err != nil {
		return err
	}
	var cs []cd.Choice
	if p.Status == cd.PledgePledged {
		if fund.AcceptsPledges(r.today()) == nil {
			cs = append(cs, cd.Choice{ID: chChange, Label: txtChangeAmount})
		}
		cs = append(cs, cd.Choice{ID: chWithdraw, Label: txtWithdraw})
	}
	if fund.HasBank() && p.Remaining() > 0 {
		cs = append(cs, cd.Choice{ID: chQR, Label: txtShowQR})
	}
	text := txtMyPledge(p, fund)
	if len(cs) == 0 {
		r.end()
		r.reply(text)
		return nil
	}
	r.ask(pledgeShow, cd.Message{Text: text, Choices: cs})
	flowData[pledgeData](r).Pledge = p.ID
	return nil
}

func pledgeAction(r *request, d *pledgeData, in input) error {
	p, fund, err := myPledge(r, d.Pledge)
	if err != nil {
		return err
	}
	switch in.Choice {
	case chChange:
		if err := p.Changeable(); err != nil {
			return err
		}
		if err := fund.AcceptsPledges(r.today()); err != nil {
			return err
		}
		r.ask(pledgeNewAmount, cd.Message{Text: txtPledgeNewAmountAsk(p, r.b.limits())})
	case chWithdraw:
		if err := p.Changeable(); err != nil {
			return err
		}
		r.ask(pledgeWithdraw, cd.Message{Text: txtWithdrawAsk(p), Choices: []cd.Choice{
			{ID: chYes, Label: txtWithdrawYes}, {ID: chNo, Label: txtWithdrawNo}}})
	case chQR:
		msg, err := r.b.pledgeReceipt(fund, p, txtMyPledge(p, fund))
		if err != nil {
			return err
		}
		r.end()
		r.replies = append(r.replies, msg)
	default:
		r.reply(txtPickOne)
	}
	return nil
}

func saveNewAmount(r *request, d *pledgeData) error {
	old, fund, err := myPledge(r, d.Pledge)
	if err != nil {
		return err
	}
	if err := fund.AcceptsPledges(r.today()); err != nil {
		return err
	}
	p, err := r.tx.ChangePledgeAmount(old.ID, d.Amount, r.b.limits())
	if err != nil {
		return err
	}
	if err := r.audit(cd.AuditPledgeChange, p.MemberID, p.UnitID, fmt.Sprintf("pledge %d amount %d -> %d", p.ID, old.Amount, p.Amount)); err != nil {
		return err
	}
	msg, err := r.b.pledgeReceipt(fund, p, txtPledgeChanged(p))
	if err != nil {
		return err
	}
	r.end()
	r.replies = append(r.replies, msg)
	return nil
}

func saveWithdraw(r *request, d *pledgeData) error {
	old, _, err := myPledge(r, d.Pledge)
	if err != nil {
		return err
	}
	p, err := r.tx.WithdrawPledge(old.ID)
	if err != nil {
		return err
	}
	if err := r.audit(cd.AuditPledgeWithdraw, p.MemberID, p.UnitID, fmt.Sprintf("pledge %d amount %d", p.ID, p.Amount)); err != nil {
		return err
	}
	r.end()
	r.reply(txtWithdrawn(p))
	return nil
}
