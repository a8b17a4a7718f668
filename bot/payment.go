package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// /xacnhan: a chair records what members paid, and corrects it.

const flowPayment = "payment"

// paymentStep is a step of /xacnhan.
type paymentStep string

const (
	paymentUnit    paymentStep = "unit"
	paymentList    paymentStep = "list"
	paymentHow     paymentStep = "how"
	paymentAmount  paymentStep = "amount"
	paymentDate    paymentStep = "date"
	paymentConfirm paymentStep = "confirm"
	// Correcting or cancelling a payment.
	paymentFixPick    paymentStep = "fixpick"
	paymentFixHow     paymentStep = "fixhow"
	paymentFixAmount  paymentStep = "fixamount"
	paymentFixDate    paymentStep = "fixdate"
	paymentFixConfirm paymentStep = "fixconfirm"
)

func (s paymentStep) where() (string, string) { return flowPayment, string(s) }

func paymentFlow() *flow {
	return newFlow(stepPayment, paymentUnit, paymentList, paymentHow, paymentAmount, paymentDate, paymentConfirm,
		paymentFixPick, paymentFixHow, paymentFixAmount, paymentFixDate, paymentFixConfirm)
}

// paymentData is what /xacnhan is on: a unit's pledges, a pledge being
// paid, or a payment being corrected.
type paymentData struct {
	Unit    int64   `json:"unit,omitempty"` // the grassroots union whose payments are recorded
	Pledge  int64   `json:"pledge,omitempty"`
	Payment int64   `json:"payment,omitempty"` // the payment corrected
	Amount  int64   `json:"amount,omitempty"`
	Date    cd.Date `json:"date,omitzero"`
}

// paymentRecheck: the person still records payments for the unit the
// flow is on.
func paymentRecheck(r *request) (bool, error) {
	d := flowData[paymentData](r)
	if d.Unit == 0 {
		return true, nil
	}
	return managesUnit(r, d.Unit)
}

func cmdConfirmPayment(r *request, args string) error {
	if id, ok := cd.ParsePledgeRef(args); ok {
		return pickPledgeToConfirm(r, id)
	}
	if args != "" {
		return stepPayment(r, paymentUnit, startFlow[paymentData](r, paymentUnit), input{Text: args})
	}
	if r.me.IsProvinceAdmin() {
		r.ask(paymentUnit, cd.Message{Text: txtConfirmPickUnit})
		return nil
	}
	u, err := managedUnit(r)
	if err != nil {
		return err
	}
	if u == nil {
		r.reply(txtChairNoUnit)
		return nil
	}
	return listUnitPledges(r, u)
}

// canConfirm checks that the person writing may record payments on p:
// they manage its unit, and it is not their own pledge. When they may
// not, it has answered and audited, and reports false.
func canConfirm(r *request, p *cd.Pledge) (bool, error) {
	ok, err := managesUnit(r, p.UnitID)
	if err != nil {
		return false, err
	}
	if !ok {
		r.end()
		return false, r.deny("confirm payment of pledge " + strconv.FormatInt(p.ID, 10))
	}
	if p.MemberID == r.me.ID {
		r.reply(txtOwnPledge)
		return false, r.audit(cd.AuditDenied, p.MemberID, p.UnitID, "confirm own pledge "+strconv.FormatInt(p.ID, 10))
	}
	return true, nil
}

func listUnitPledges(r *request, u *cd.Unit) error {
	ps, err := r.tx.UnitOpenPledges(u.ID)
	if err != nil {
		return err
	}
	pays, err := r.tx.UnitPayments(u.ID, 1)
	if err != nil {
		return err
	}
	if len(ps) == 0 && len(pays) == 0 {
		r.end()
		r.reply(txtNoOpenPledges(u))
		return nil
	}
	shown := min(len(ps), pledgesShown)
	cs := make([]cd.Choice, 0, shown+1)
	for i := range shown {
		cs = append(cs, cd.Choice{ID: chPledge + strconv.FormatInt(ps[i].ID, 10), Label: txtOpenPledgeLabel(&ps[i])})
	}
	if len(pays) > 0 {
		cs = append(cs, cd.Choice{ID: chFix, Label: txtFixPayment})
	}
	r.ask(paymentList, cd.Message{Text: txtUnitPledges(u, ps, shown), Choices: cs})
	flowData[paymentData](r).Unit = u.ID
	return nil
}

func pickPledgeToConfirm(r *request, id int64) error {
	p, err := r.tx.PledgeByID(id)
	if err != nil {
		return err
	}
	if ok, err := canConfirm(r, p); !ok {
		return err
	}
	if !p.Open() {
		if p.Status == cd.PledgeWithdrawn {
			return cd.Errorf(cd.ECONFLICT, cd.ReasonPledgeWithdrawn, "pledge %d", p.ID)
		}
		return cd.Errorf(cd.ECONFLICT, cd.ReasonPledgePaidUp, "pledge %d", p.ID)
	}
	r.ask(paymentHow, cd.Message{Text: txtConfirmPledgeShow(p), Choices: []cd.Choice{
		{ID: chFull, Label: txtPayFull(p.Remaining())}, {ID: chPart, Label: txtPayPart}}})
	d := flowData[paymentData](r)
	d.Pledge, d.Unit = p.ID, p.UnitID
	return nil
}

// flowPledgeChecked reloads the pledge the flow is about and checks the
// person may still record payments on it.
func flowPledgeChecked(r *request, d *paymentData) (*cd.Pledge, bool, error) {
	p, err := r.tx.PledgeByID(d.Pledge)
	if err != nil {
		return nil, false, err
	}
	ok, err := canConfirm(r, p)
	return p, ok, err
}

func stepPayment(r *request, s paymentStep, d *paymentData, in input) error {
	switch s {
	case paymentUnit:
		u, err := pickUnit(r, in, paymentUnit, cd.UnitGrassroots)
		if err != nil || u == nil {
			return err
		}
		if ok, err := managesUnit(r, u.ID); err != nil || !ok {
			r.end()
			if err != nil {
				return err
			}
			return r.deny("confirm payments of unit " + u.Code)
		}
		return listUnitPledges(r, u)
	case paymentList:
		if id, ok := idAfter(in.Choice, chPledge); ok {
			return pickPledgeToConfirm(r, id)
		}
		if in.Choice == chFix {
			return listPaymentsToFix(r, d)
		}
		if id, ok := typedPledgeRef(in.Text); ok {
			return pickPledgeToConfirm(r, id)
		}
		r.reply(txtPickOne)
	case paymentHow, paymentAmount, paymentDate, paymentConfirm:
		return stepRecordPayment(r, s, d, in)
	default:
		return stepFixPayment(r, s, d, in)
	}
	return nil
}

// stepRecordPayment runs the steps of recording a payment on a pledge.
func stepRecordPayment(r *request, s paymentStep, d *paymentData, in input) error {
	p, ok, err := flowPledgeChecked(r, d)
	if !ok {
		return err
	}
	switch s {
	case paymentHow:
		switch in.Choice {
		case chFull:
			d.Amount = p.Remaining()
			askPaidOn(r, txtAmountEcho(p.Remaining()), nil)
		case chPart:
			r.ask(paymentAmount, cd.Message{Text: txtPayAmountAsk(p.Remaining())})
		default:
			r.reply(txtPickOne)
		}
	case paymentAmount:
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		if n > p.Remaining() {
			r.reply(txtPaymentTooLarge(p.Remaining()))
			return nil
		}
		d.Amount = n
		askPaidOn(r, txtAmountEcho(n), nil)
	case paymentDate:
		day, err := readPaidOn(r, in, cd.Date{})
		if err != nil {
			return err
		}
		d.Date = day
		r.ask(paymentConfirm, cd.Message{Text: txtPaymentSummary(p, d.Amount, day), Choices: []cd.Choice{
			{ID: chYes, Label: txtRecordPayment}, {ID: chNo, Label: txtCancel}}})
	case paymentConfirm:
		return yesNo(r, in, func(r *request) error { return savePayment(r, d, p) })
	}
	return nil
}

// askPaidOn asks the date of a payment: today, yesterday, or typed; with
// keep, also the date it has now.
func askPaidOn(r *request, lead string, keep *cd.Date) {
	today := r.today()
	cs := []cd.Choice{{ID: chToday, Label: txtDateChoice("Hôm nay", today)}, {ID: chYest, Label: txtDateChoice("Hôm qua", today.AddDays(-1))}}
	step := paymentDate
	if keep != nil {
		cs = append([]cd.Choice{{ID: chKeepDate, Label: txtDateChoice(txtKeepDate, *keep)}}, cs...)
		step = paymentFixDate
	}
	r.ask(step, cd.Message{Text: lead + "\n\n" + txtPaidOnAsk, Choices: cs})
}

// readPaidOn reads the answer to askPaidOn: a day not in the future.
func readPaidOn(r *request, in input, keep cd.Date) (cd.Date, error) {
	today := r.today()
	switch in.Choice {
	case chToday:
		return today, nil
	case chYest:
		return today.AddDays(-1), nil
	case chKeepDate:
		return keep, nil
	}
	if !keep.IsZero() && strings.HasPrefix(cd.Fold(in.Text), "giu") { // "giữ ngày cũ", "giữ nguyên"
		return keep, nil
	}
	d, err := cd.ParseDateInput(in.Text, today)
	if err != nil {
		return d, err
	}
	if d.After(today) {
		return d, cd.Errorf(cd.EINVALID, cd.ReasonDateFuture, "payment on %s", d)
	}
	return d, nil
}

func savePayment(r *request, d *paymentData, p *cd.Pledge) error {
	if err := recordPayment(r, p, d.Amount, d.Date); err != nil {
		return err
	}
	r.end()
	return nil
}

// recordPayment records a payment of amount đồng made on day against
// pledge p (the domain checks it against what is left and today), records
// it, tells the member and replies. The chat and the web dashboard both
// confirm payments through it, after canConfirm.
func recordPayment(r *request, p *cd.Pledge, amount int64, day cd.Date) error {
	pay := &cd.Payment{PledgeID: p.ID, Amount: amount, PaidOn: day, RecordedBy: r.me.ID}
	p, err := r.tx.RecordPayment(pay, r.today())
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("payment %d pledge %d amount %d paid_on %s; paid %d of %d (%s)", pay.ID, p.ID, pay.Amount, pay.PaidOn, p.Paid, p.Amount, p.Status)
	if err := r.audit(cd.AuditPaymentRecord, p.MemberID, p.UnitID, detail); err != nil {
		return err
	}
	if err := r.notify(p.MemberID, cd.Message{Text: txtPaymentNotice(p, pay, r.me.FullName)}); err != nil {
		return err
	}
	r.reply(txtPaymentSaved(p, pay))
	return nil
}

func listPaymentsToFix(r *request, d *paymentData) error {
	pays, err := r.tx.UnitPayments(d.Unit, paymentsShown)
	if err != nil {
		return err
	}
	if len(pays) == 0 {
		r.end()
		r.reply(txtNoPayments)
		return nil
	}
	cs := make([]cd.Choice, len(pays))
	for i := range pays {
		cs[i] = cd.Choice{ID: chPayment + strconv.FormatInt(pays[i].ID, 10), Label: txtPaymentLabel(&pays[i])}
	}
	r.ask(paymentFixPick, cd.Message{Text: txtFixPick, Choices: cs})
	return nil
}

// flowPaymentChecked reloads the payment the flow corrects and its
// pledge, and checks the person may still correct it.
func flowPaymentChecked(r *request, id int64) (*cd.Payment, *cd.Pledge, bool, error) {
	pay, err := r.tx.PaymentByID(id)
	if err != nil {
		return nil, nil, false, err
	}
	p, err := r.tx.PledgeByID(pay.PledgeID)
	if err != nil {
		return nil, nil, false, err
	}
	if ok, err := canConfirm(r, p); !ok {
		return nil, nil, false, err
	}
	if !pay.Current() {
		return nil, nil, false, cd.Errorf(cd.ECONFLICT, cd.ReasonPaymentNotFound, "payment %d superseded", pay.ID)
	}
	return pay, p, true, nil
}

// stepFixPayment runs the steps of correcting or cancelling a payment.
func stepFixPayment(r *request, s paymentStep, d *paymentData, in input) error {
	id := d.Payment
	if s == paymentFixPick {
		n, ok := idAfter(in.Choice, chPayment)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		id = n
	}
	pay, p, ok, err := flowPaymentChecked(r, id)
	if !ok {
		return err
	}
	// The most the corrected payment may be: what is left plus itself.
	most := p.Amount - p.Paid + pay.Amount
	switch s {
	case paymentFixPick:
		d.Payment = pay.ID
		r.ask(paymentFixHow, cd.Message{Text: txtFixShow(pay, p), Choices: []cd.Choice{
			{ID: chFixAmount, Label: txtFixAmount}, {ID: chFixCancel, Label: txtFixCancel}}})
	case paymentFixHow:
		switch in.Choice {
		case chFixAmount:
			r.ask(paymentFixAmount, cd.Message{Text: txtFixAmountAsk(pay, most)})
		case chFixCancel:
			d.Amount, d.Date = 0, pay.PaidOn
			askFixConfirm(r, pay, p, 0, pay.PaidOn)
		default:
			r.reply(txtPickOne)
		}
	case paymentFixAmount:
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		if n > most {
			r.reply(txtPaymentTooLarge(most))
			return nil
		}
		d.Amount = n
		askPaidOn(r, txtAmountEcho(n), &pay.PaidOn)
	case paymentFixDate:
		day, err := readPaidOn(r, in, pay.PaidOn)
		if err != nil {
			return err
		}
		d.Date = day
		askFixConfirm(r, pay, p, d.Amount, day)
	case paymentFixConfirm:
		return yesNo(r, in, func(r *request) error { return saveCorrection(r, d, pay) })
	}
	return nil
}

func askFixConfirm(r *request, pay *cd.Payment, p *cd.Pledge, amount int64, d cd.Date) {
	r.ask(paymentFixConfirm, cd.Message{Text: txtFixConfirm(pay, p, amount, d), Choices: []cd.Choice{
		{ID: chYes, Label: txtSaveCorrection}, {ID: chNo, Label: txtCancel}}})
}

func saveCorrection(r *request, d *paymentData, old *cd.Payment) error {
	pay, p, err := r.tx.CorrectPayment(old.ID, d.Amount, d.Date, r.me.ID, r.today())
	if err != nil {
		return err
	}
	action, detail := cd.AuditPaymentCancel, fmt.Sprintf("payment %d pledge %d: %d on %s cancelled", old.ID, p.ID, old.Amount, old.PaidOn)
	if pay != nil {
		action = cd.AuditPaymentCorrect
		detail = fmt.Sprintf("payment %d pledge %d: %d on %s -> payment %d: %d on %s", old.ID, p.ID, old.Amount, old.PaidOn, pay.ID, pay.Amount, pay.PaidOn)
	}
	detail += fmt.Sprintf("; paid %d of %d (%s)", p.Paid, p.Amount, p.Status)
	if err := r.audit(action, p.MemberID, p.UnitID, detail); err != nil {
		return err
	}
	if err := r.notify(p.MemberID, cd.Message{Text: txtCorrectionNotice(p, old, pay, r.me.FullName)}); err != nil {
		return err
	}
	r.end()
	r.reply(txtCorrectionSaved(p, old, pay))
	return nil
}
