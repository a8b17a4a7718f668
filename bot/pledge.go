package bot

import (
	"fmt"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

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

const (
	flowPledge  = "pledge"
	flowPayment = "payment"
)

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

// qrSize is the side of a VietQR image in pixels: enough for a phone
// camera to read from a screen.
const qrSize = 512

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
func qrFile(payload, name string) (*cd.File, error) {
	png, err := qrcode.Encode(payload, qrcode.Medium, qrSize)
	if err != nil {
		return nil, fmt.Errorf("draw VietQR code: %w", err)
	}
	return &cd.File{Name: name, MIME: "image/png", Data: png}, nil
}

// pledgeReceipt is lead followed by how to pay what is left of p: with a
// VietQR code (as an image and as text) when the fund has a bank account,
// else in cash to the chair.
func pledgeReceipt(f *cd.Fund, p *cd.Pledge, lead string) (cd.Message, error) {
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
	file, err := qrFile(payload, "vietqr-UH"+strconv.FormatInt(p.ID, 10)+".png")
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
	r.ask(flowPledge, "fund", cd.Message{Text: text, Choices: cs})
	return nil
}

func stepPledge(r *request, in input) error {
	f := r.flow
	switch f.Step {
	case "fund":
		if in.Choice == chMine {
			return listMyPledges(r)
		}
		if id, ok := idAfter(in.Choice, chFund); ok {
			return chooseFund(r, id)
		}
		r.reply(txtPickOne)
	case "amount":
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		f.setInt("amount", n)
		askDueDate(r, n)
	case "due":
		d, err := readDueDate(r, in)
		if err != nil {
			return err
		}
		f.set("due", "")
		if !d.IsZero() {
			f.set("due", d.String())
		}
		r.ask(flowPledge, "anon", cd.Message{Text: txtPledgeAnonAsk, Choices: []cd.Choice{
			{ID: chNamed, Label: txtPledgeNamed}, {ID: chAnon, Label: txtPledgeAnon}}})
	case "anon":
		switch in.Choice {
		case chNamed, chAnon:
			f.set("anon", strconv.FormatBool(in.Choice == chAnon))
			return confirmPledge(r)
		}
		r.reply(txtPickOne)
	case "confirm":
		return yesNo(r, in, savePledge)
	case "mine":
		if id, ok := idAfter(in.Choice, chPledge); ok {
			return showMyPledge(r, id)
		}
		r.reply(txtPickOne)
	case "pledge":
		return pledgeAction(r, in)
	case "newamount":
		p, _, err := myPledge(r, f.getInt("id"))
		if err != nil {
			return err
		}
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		f.setInt("amount", n)
		r.ask(flowPledge, "change", cd.Message{Text: txtPledgeChangeConfirm(p, n), Choices: []cd.Choice{
			{ID: chYes, Label: txtSaveNewAmount}, {ID: chNo, Label: txtCancel}}})
	case "change":
		return yesNo(r, in, saveNewAmount)
	case "withdraw":
		return yesNo(r, in, saveWithdraw)
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

func chooseFund(r *request, id int64) error {
	fund, err := r.tx.FundByID(id)
	if err != nil {
		return err
	}
	if err := fund.AcceptsPledges(r.today()); err != nil {
		return err
	}
	r.flow.setInt("fund", fund.ID)
	r.ask(flowPledge, "amount", cd.Message{Text: txtPledgeAmountAsk(fund, r.b.limits())})
	return nil
}

func askDueDate(r *request, amount int64) {
	eom := r.today().MonthOf().Last()
	r.ask(flowPledge, "due", cd.Message{Text: txtAmountEcho(amount) + "\n\n" + txtPledgeDueAsk, Choices: []cd.Choice{
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
func pledgeDraft(r *request) (*cd.Pledge, *cd.Fund, error) {
	f := r.flow
	fund, err := r.tx.FundByID(f.getInt("fund"))
	if err != nil {
		return nil, nil, err
	}
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return nil, nil, err
	}
	p := &cd.Pledge{FundID: fund.ID, MemberID: r.me.ID, UnitID: u.ID, Amount: f.getInt("amount"),
		Anonymous: f.get("anon") == "true", FundName: fund.Name}
	if due := f.get("due"); due != "" {
		if p.DueDate, err = cd.ParseISODate(due); err != nil {
			return nil, nil, err
		}
	}
	return p, fund, nil
}

func confirmPledge(r *request) error {
	p, _, err := pledgeDraft(r)
	if err != nil {
		return err
	}
	r.ask(flowPledge, "confirm", cd.Message{Text: txtPledgeSummary(p), Choices: []cd.Choice{
		{ID: chYes, Label: txtSavePledge}, {ID: chNo, Label: txtCancel}}})
	return nil
}

func savePledge(r *request) error {
	if !r.me.IsActive() { // the membership may have ended in the middle
		r.end()
		return r.deny("pledge")
	}
	p, fund, err := pledgeDraft(r)
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
	msg, err := pledgeReceipt(fund, p, txtPledgeSaved(p))
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
	r.ask(flowPledge, "mine", cd.Message{Text: txtMyPledgesAsk, Choices: cs})
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
	r.ask(flowPledge, "pledge", cd.Message{Text: text, Choices: cs})
	r.flow.setInt("id", p.ID)
	return nil
}

func pledgeAction(r *request, in input) error {
	p, fund, err := myPledge(r, r.flow.getInt("id"))
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
		r.ask(flowPledge, "newamount", cd.Message{Text: txtPledgeNewAmountAsk(p, r.b.limits())})
	case chWithdraw:
		if err := p.Changeable(); err != nil {
			return err
		}
		r.ask(flowPledge, "withdraw", cd.Message{Text: txtWithdrawAsk(p), Choices: []cd.Choice{
			{ID: chYes, Label: txtWithdrawYes}, {ID: chNo, Label: txtWithdrawNo}}})
	case chQR:
		msg, err := pledgeReceipt(fund, p, txtMyPledge(p, fund))
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

func saveNewAmount(r *request) error {
	old, fund, err := myPledge(r, r.flow.getInt("id"))
	if err != nil {
		return err
	}
	if err := fund.AcceptsPledges(r.today()); err != nil {
		return err
	}
	p, err := r.tx.ChangePledgeAmount(old.ID, r.flow.getInt("amount"), r.b.limits())
	if err != nil {
		return err
	}
	if err := r.audit(cd.AuditPledgeChange, p.MemberID, p.UnitID, fmt.Sprintf("pledge %d amount %d -> %d", p.ID, old.Amount, p.Amount)); err != nil {
		return err
	}
	msg, err := pledgeReceipt(fund, p, txtPledgeChanged(p))
	if err != nil {
		return err
	}
	r.end()
	r.replies = append(r.replies, msg)
	return nil
}

func saveWithdraw(r *request) error {
	old, _, err := myPledge(r, r.flow.getInt("id"))
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

// ---- /xacnhan: a chair records what members paid, and corrects it.

func cmdConfirmPayment(r *request, args string) error {
	if id, ok := cd.ParsePledgeRef(args); ok {
		return pickPledgeToConfirm(r, id)
	}
	if args != "" {
		return stepPayment(r.startFlow(flowPayment, "unit"), input{Text: args})
	}
	if r.me.IsProvinceAdmin() {
		r.ask(flowPayment, "unit", cd.Message{Text: txtConfirmPickUnit})
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

// confirmsFor reports whether the person writing may record payments of
// a grassroots union: its chair or deputy, or a province admin.
func confirmsFor(r *request, unitID int64) (bool, error) {
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

// canConfirm checks that the person writing may record payments on p:
// they manage its unit, and it is not their own pledge. When they may
// not, it has answered and audited, and reports false.
func canConfirm(r *request, p *cd.Pledge) (bool, error) {
	ok, err := confirmsFor(r, p.UnitID)
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
	r.ask(flowPayment, "list", cd.Message{Text: txtUnitPledges(u, ps, shown), Choices: cs})
	r.flow.setInt("unit", u.ID)
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
	r.ask(flowPayment, "how", cd.Message{Text: txtConfirmPledgeShow(p), Choices: []cd.Choice{
		{ID: chFull, Label: txtPayFull(p.Remaining())}, {ID: chPart, Label: txtPayPart}}})
	r.flow.setInt("pledge", p.ID)
	return nil
}

// flowPledgeChecked reloads the pledge the flow is about and checks the
// person may still record payments on it.
func flowPledgeChecked(r *request) (*cd.Pledge, bool, error) {
	p, err := r.tx.PledgeByID(r.flow.getInt("pledge"))
	if err != nil {
		return nil, false, err
	}
	ok, err := canConfirm(r, p)
	return p, ok, err
}

func stepPayment(r *request, in input) error {
	f := r.flow
	switch f.Step {
	case "unit":
		u, err := pickUnit(r, in, flowPayment, "unit", cd.UnitGrassroots)
		if err != nil || u == nil {
			return err
		}
		if ok, err := confirmsFor(r, u.ID); err != nil || !ok {
			r.end()
			if err != nil {
				return err
			}
			return r.deny("confirm payments of unit " + u.Code)
		}
		return listUnitPledges(r, u)
	case "list":
		if id, ok := idAfter(in.Choice, chPledge); ok {
			return pickPledgeToConfirm(r, id)
		}
		if in.Choice == chFix {
			return listPaymentsToFix(r)
		}
		if id, ok := typedPledgeRef(in.Text); ok {
			return pickPledgeToConfirm(r, id)
		}
		r.reply(txtPickOne)
	case "how", "amount", "date", "confirm":
		return stepRecordPayment(r, in)
	default:
		return stepFixPayment(r, in)
	}
	return nil
}

// stepRecordPayment runs the steps of recording a payment on a pledge.
func stepRecordPayment(r *request, in input) error {
	f := r.flow
	p, ok, err := flowPledgeChecked(r)
	if !ok {
		return err
	}
	switch f.Step {
	case "how":
		switch in.Choice {
		case chFull:
			f.setInt("amount", p.Remaining())
			askPaidOn(r, txtAmountEcho(p.Remaining()), nil)
		case chPart:
			r.ask(flowPayment, "amount", cd.Message{Text: txtPayAmountAsk(p.Remaining())})
		default:
			r.reply(txtPickOne)
		}
	case "amount":
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		if n > p.Remaining() {
			r.reply(txtPaymentTooLarge(p.Remaining()))
			return nil
		}
		f.setInt("amount", n)
		askPaidOn(r, txtAmountEcho(n), nil)
	case "date":
		d, err := readPaidOn(r, in, cd.Date{})
		if err != nil {
			return err
		}
		f.set("date", d.String())
		r.ask(flowPayment, "confirm", cd.Message{Text: txtPaymentSummary(p, f.getInt("amount"), d), Choices: []cd.Choice{
			{ID: chYes, Label: txtRecordPayment}, {ID: chNo, Label: txtCancel}}})
	case "confirm":
		return yesNo(r, in, func(r *request) error { return savePayment(r, p) })
	}
	return nil
}

// askPaidOn asks the date of a payment: today, yesterday, or typed; with
// keep, also the date it has now.
func askPaidOn(r *request, lead string, keep *cd.Date) {
	today := r.today()
	cs := []cd.Choice{{ID: chToday, Label: txtDateChoice("Hôm nay", today)}, {ID: chYest, Label: txtDateChoice("Hôm qua", today.AddDays(-1))}}
	step := "date"
	if keep != nil {
		cs = append([]cd.Choice{{ID: chKeepDate, Label: txtDateChoice(txtKeepDate, *keep)}}, cs...)
		step = "fixdate"
	}
	r.ask(flowPayment, step, cd.Message{Text: lead + "\n\n" + txtPaidOnAsk, Choices: cs})
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

func savePayment(r *request, p *cd.Pledge) error {
	f := r.flow
	d, err := cd.ParseISODate(f.get("date"))
	if err != nil {
		return err
	}
	if err := recordPayment(r, p, f.getInt("amount"), d); err != nil {
		return err
	}
	r.end()
	return nil
}

// recordPayment records a payment of amount đồng made on d against
// pledge p (the domain checks it against what is left and today), records
// it, tells the member and replies. The chat and the web dashboard both
// confirm payments through it, after canConfirm.
func recordPayment(r *request, p *cd.Pledge, amount int64, d cd.Date) error {
	pay := &cd.Payment{PledgeID: p.ID, Amount: amount, PaidOn: d, RecordedBy: r.me.ID}
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

func listPaymentsToFix(r *request) error {
	pays, err := r.tx.UnitPayments(r.flow.getInt("unit"), paymentsShown)
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
	r.ask(flowPayment, "fixpick", cd.Message{Text: txtFixPick, Choices: cs})
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
func stepFixPayment(r *request, in input) error {
	f := r.flow
	id := f.getInt("payment")
	if f.Step == "fixpick" {
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
	switch f.Step {
	case "fixpick":
		f.setInt("payment", pay.ID)
		r.ask(flowPayment, "fixhow", cd.Message{Text: txtFixShow(pay, p), Choices: []cd.Choice{
			{ID: chFixAmount, Label: txtFixAmount}, {ID: chFixCancel, Label: txtFixCancel}}})
	case "fixhow":
		switch in.Choice {
		case chFixAmount:
			r.ask(flowPayment, "fixamount", cd.Message{Text: txtFixAmountAsk(pay, most)})
		case chFixCancel:
			f.setInt("amount", 0)
			f.set("date", pay.PaidOn.String())
			askFixConfirm(r, pay, p, 0, pay.PaidOn)
		default:
			r.reply(txtPickOne)
		}
	case "fixamount":
		n, ok := readMoney(r, in.Text, r.b.limits())
		if !ok {
			return nil
		}
		if n > most {
			r.reply(txtPaymentTooLarge(most))
			return nil
		}
		f.setInt("amount", n)
		askPaidOn(r, txtAmountEcho(n), &pay.PaidOn)
	case "fixdate":
		d, err := readPaidOn(r, in, pay.PaidOn)
		if err != nil {
			return err
		}
		f.set("date", d.String())
		askFixConfirm(r, pay, p, f.getInt("amount"), d)
	case "fixconfirm":
		return yesNo(r, in, func(r *request) error { return saveCorrection(r, pay) })
	}
	return nil
}

func askFixConfirm(r *request, pay *cd.Payment, p *cd.Pledge, amount int64, d cd.Date) {
	r.ask(flowPayment, "fixconfirm", cd.Message{Text: txtFixConfirm(pay, p, amount, d), Choices: []cd.Choice{
		{ID: chYes, Label: txtSaveCorrection}, {ID: chNo, Label: txtCancel}}})
}

func saveCorrection(r *request, old *cd.Payment) error {
	f := r.flow
	d, err := cd.ParseISODate(f.get("date"))
	if err != nil {
		return err
	}
	amount := f.getInt("amount")
	pay, p, err := r.tx.CorrectPayment(old.ID, amount, d, r.me.ID, r.today())
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
