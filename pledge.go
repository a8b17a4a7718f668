package congdoanbot

import "time"

// PledgeStatus is where a pledge stands.
type PledgeStatus string

// Pledge statuses. The first three follow from the amount and what was
// paid; withdrawn is the member's choice, open only while nothing is paid.
const (
	PledgePledged   PledgeStatus = "pledged"   // nothing paid yet
	PledgePartial   PledgeStatus = "partial"   // some paid
	PledgePaid      PledgeStatus = "paid"      // all paid
	PledgeWithdrawn PledgeStatus = "withdrawn" // taken back by the member
)

// Pledge is a member's promise of an amount to a fund (đăng ký ủng hộ),
// with what a chair has confirmed paid so far.
type Pledge struct {
	ID        int64
	FundID    int64
	MemberID  int64
	UnitID    int64 // the grassroots union of the member when pledging
	Amount    int64 // đồng promised
	Paid      int64 // đồng confirmed: the sum of the current payments
	Status    PledgeStatus
	DueDate   Date // zero for none
	Anonymous bool // no list shown to other members names the pledger
	CreatedAt time.Time
	UpdatedAt time.Time

	// Filled by queries that join them.
	FundName   string
	MemberName string
	UnitCode   string
	UnitName   string
}

// Payment is one payment a chair recorded against a pledge. Payments are
// never edited: a correction supersedes the row and, unless the payment is
// cancelled outright, adds the corrected one, which names the row it
// corrects. The pledge's paid total is the sum of the rows not superseded.
type Payment struct {
	ID           int64
	PledgeID     int64
	Amount       int64
	PaidOn       Date
	RecordedBy   int64
	CreatedAt    time.Time
	Corrects     int64 // the payment this one replaces, or 0
	SupersededAt time.Time
	SupersededBy int64

	// Filled by queries that join them.
	MemberID   int64
	MemberName string
	FundName   string
	UnitID     int64
}

// Current reports whether the payment counts: it was not superseded.
func (p *Payment) Current() bool { return p.SupersededAt.IsZero() }

// PledgeStatusFor is the status of a pledge that was not withdrawn.
func PledgeStatusFor(amount, paid int64) PledgeStatus {
	switch {
	case paid <= 0:
		return PledgePledged
	case paid < amount:
		return PledgePartial
	}
	return PledgePaid
}

// Remaining is what is left to pay; 0 for a withdrawn pledge.
func (p *Pledge) Remaining() int64 {
	if p.Status == PledgeWithdrawn || p.Paid >= p.Amount {
		return 0
	}
	return p.Amount - p.Paid
}

// Open reports whether payments may still be recorded on the pledge.
func (p *Pledge) Open() bool { return p.Status == PledgePledged || p.Status == PledgePartial }

// Validate checks a new pledge against its fund and today's date: the
// fund takes pledges, the amount is within lim, the due date (if any) is
// not in the past.
func (p *Pledge) Validate(f *Fund, today Date, lim MoneyLimits) error {
	if p.FundID != f.ID {
		return Errorf(EINVALID, ReasonFundClosed, "pledge to fund %d checked against fund %d", p.FundID, f.ID)
	}
	if err := f.AcceptsPledges(today); err != nil {
		return err
	}
	if err := CheckAmount(p.Amount, lim); err != nil {
		return err
	}
	if err := ValidateDueDate(p.DueDate, today); err != nil {
		return err
	}
	if p.MemberID == 0 || p.UnitID == 0 {
		return Errorf(EINVALID, ReasonMemberNotFound, "pledge without member or unit")
	}
	p.Paid, p.Status = 0, PledgePledged
	return nil
}

// CheckAmount checks an amount already in đồng against lim, with the
// reasons ParseVND gives.
func CheckAmount(n int64, lim MoneyLimits) error {
	lim = lim.withDefaults()
	switch {
	case n == 0:
		return Invalid(ReasonMoneyZero)
	case n < 0:
		return Invalid(ReasonMoneyNegative)
	case n < lim.Min:
		return Errorf(EINVALID, ReasonMoneyTooSmall, "value=%d min=%d", n, lim.Min)
	case n > lim.Max:
		return Errorf(EINVALID, ReasonMoneyTooLarge, "value=%d max=%d", n, lim.Max)
	}
	return nil
}

// ValidateDueDate checks a pledge's due date: none, or today or later.
func ValidateDueDate(d, today Date) error {
	if !d.IsZero() && d.Before(today) {
		return Errorf(EINVALID, ReasonDueDatePast, "%s before %s", d, today)
	}
	return nil
}

// ChangeAmount sets a new amount. Only a pledge nothing has been paid on
// may change (so the amount can never fall below what was paid).
func (p *Pledge) ChangeAmount(n int64, lim MoneyLimits) error {
	if err := p.Changeable(); err != nil {
		return err
	}
	if n < p.Paid {
		return Errorf(EINVALID, ReasonPledgeBelowPaid, "amount %d < paid %d", n, p.Paid)
	}
	if err := CheckAmount(n, lim); err != nil {
		return err
	}
	p.Amount = n
	return nil
}

// Withdraw takes a pledge back. Only a pledge nothing has been paid on
// may be withdrawn.
func (p *Pledge) Withdraw() error {
	if err := p.Changeable(); err != nil {
		return err
	}
	p.Status = PledgeWithdrawn
	return nil
}

// Changeable says whether the member may still change the amount of the
// pledge or withdraw it: only while nothing has been paid on it.
func (p *Pledge) Changeable() error {
	switch {
	case p.Status == PledgeWithdrawn:
		return Errorf(ECONFLICT, ReasonPledgeWithdrawn, "pledge %d", p.ID)
	case p.Paid > 0 || p.Status != PledgePledged:
		return Errorf(ECONFLICT, ReasonPledgeHasPayments, "pledge %d paid %d", p.ID, p.Paid)
	}
	return nil
}

// RecordPayment adds a payment of amount đồng, made on paidOn, to the
// pledge: at most what is left, never in the future.
func (p *Pledge) RecordPayment(amount int64, paidOn, today Date) error {
	if !p.Open() {
		if p.Status == PledgeWithdrawn {
			return Errorf(ECONFLICT, ReasonPledgeWithdrawn, "pledge %d", p.ID)
		}
		return Errorf(ECONFLICT, ReasonPledgePaidUp, "pledge %d", p.ID)
	}
	if err := checkPayment(amount, paidOn, today); err != nil {
		return err
	}
	if amount > p.Remaining() {
		return Errorf(EINVALID, ReasonPaymentTooLarge, "amount %d > remaining %d", amount, p.Remaining())
	}
	p.Paid += amount
	p.Status = PledgeStatusFor(p.Amount, p.Paid)
	return nil
}

// CorrectPayment replaces a recorded payment of old đồng with one of
// amount đồng made on paidOn; amount 0 cancels the payment. The pledge's
// new total may not exceed its amount.
func (p *Pledge) CorrectPayment(old, amount int64, paidOn, today Date) error {
	if p.Status == PledgeWithdrawn {
		return Errorf(ECONFLICT, ReasonPledgeWithdrawn, "pledge %d", p.ID)
	}
	if old <= 0 || old > p.Paid {
		return Errorf(ECONFLICT, ReasonPaymentNotFound, "payment of %d not within paid %d", old, p.Paid)
	}
	if amount != 0 {
		if err := checkPayment(amount, paidOn, today); err != nil {
			return err
		}
	}
	paid := p.Paid - old + amount
	if paid > p.Amount {
		return Errorf(EINVALID, ReasonPaymentTooLarge, "paid would be %d > amount %d", paid, p.Amount)
	}
	p.Paid = paid
	p.Status = PledgeStatusFor(p.Amount, p.Paid)
	return nil
}

func checkPayment(amount int64, paidOn, today Date) error {
	switch {
	case amount <= 0:
		return Invalid(ReasonMoneyZero)
	case paidOn.IsZero():
		return Invalid(ReasonDateFormat)
	case paidOn.After(today):
		return Invalid(ReasonDateFuture)
	}
	return nil
}
