package congdoanbot

import (
	"testing"
)

var pledgeToday = Date{2026, 11, 25}

// TestPledgeStateMachine walks pledges through every transition the
// domain allows and refuses: pledged → partly paid → paid; withdraw and
// change the amount only while nothing is paid; corrections of payments.
func TestPledgeStateMachine(t *testing.T) {
	type op struct {
		name   string
		do     func(p *Pledge) error
		reason Reason // "" when the operation succeeds
		status PledgeStatus
		paid   int64
		amount int64
	}
	pay := func(n int64) func(*Pledge) error {
		return func(p *Pledge) error { return p.RecordPayment(n, pledgeToday, pledgeToday) }
	}
	payOn := func(n int64, d Date) func(*Pledge) error {
		return func(p *Pledge) error { return p.RecordPayment(n, d, pledgeToday) }
	}
	correct := func(old, n int64) func(*Pledge) error {
		return func(p *Pledge) error { return p.CorrectPayment(old, n, pledgeToday, pledgeToday) }
	}
	change := func(n int64) func(*Pledge) error {
		return func(p *Pledge) error { return p.ChangeAmount(n, MoneyLimits{}) }
	}
	withdraw := func(p *Pledge) error { return p.Withdraw() }

	cases := []struct {
		name string
		ops  []op
	}{
		{"pledged, partly paid, paid", []op{
			{"pay 500k", pay(500_000), "", PledgePartial, 500_000, 1_500_000},
			{"pay 400k", pay(400_000), "", PledgePartial, 900_000, 1_500_000},
			{"pay more than left", pay(700_000), ReasonPaymentTooLarge, PledgePartial, 900_000, 1_500_000},
			{"pay the rest", pay(600_000), "", PledgePaid, 1_500_000, 1_500_000},
			{"pay when paid up", pay(1_000), ReasonPledgePaidUp, PledgePaid, 1_500_000, 1_500_000},
			{"withdraw when paid", withdraw, ReasonPledgeHasPayments, PledgePaid, 1_500_000, 1_500_000},
			{"change when paid", change(2_000_000), ReasonPledgeHasPayments, PledgePaid, 1_500_000, 1_500_000},
		}},
		{"paid in full at once", []op{
			{"pay all", pay(1_500_000), "", PledgePaid, 1_500_000, 1_500_000},
		}},
		{"bad payments change nothing", []op{
			{"zero", pay(0), ReasonMoneyZero, PledgePledged, 0, 1_500_000},
			{"negative", pay(-5), ReasonMoneyZero, PledgePledged, 0, 1_500_000},
			{"future date", payOn(1_000, pledgeToday.AddDays(1)), ReasonDateFuture, PledgePledged, 0, 1_500_000},
			{"no date", payOn(1_000, Date{}), ReasonDateFormat, PledgePledged, 0, 1_500_000},
			{"too much", pay(1_500_001), ReasonPaymentTooLarge, PledgePledged, 0, 1_500_000},
		}},
		{"change the amount while nothing is paid", []op{
			{"up", change(2_000_000), "", PledgePledged, 0, 2_000_000},
			{"down", change(1_000_000), "", PledgePledged, 0, 1_000_000},
			{"below the minimum", change(500), ReasonMoneyTooSmall, PledgePledged, 0, 1_000_000},
			{"above the maximum", change(2_000_000_000), ReasonMoneyTooLarge, PledgePledged, 0, 1_000_000},
			{"zero", change(0), ReasonMoneyZero, PledgePledged, 0, 1_000_000},
			{"pay some", pay(100_000), "", PledgePartial, 100_000, 1_000_000},
			{"then change", change(3_000_000), ReasonPledgeHasPayments, PledgePartial, 100_000, 1_000_000},
			{"nor below paid", change(50_000), ReasonPledgeHasPayments, PledgePartial, 100_000, 1_000_000},
		}},
		{"withdraw only with nothing paid", []op{
			{"withdraw", withdraw, "", PledgeWithdrawn, 0, 1_500_000},
			{"withdraw again", withdraw, ReasonPledgeWithdrawn, PledgeWithdrawn, 0, 1_500_000},
			{"pay a withdrawn pledge", pay(1_000), ReasonPledgeWithdrawn, PledgeWithdrawn, 0, 1_500_000},
			{"change a withdrawn pledge", change(2_000_000), ReasonPledgeWithdrawn, PledgeWithdrawn, 0, 1_500_000},
		}},
		{"withdraw refused once partly paid", []op{
			{"pay 1k", pay(1_000), "", PledgePartial, 1_000, 1_500_000},
			{"withdraw", withdraw, ReasonPledgeHasPayments, PledgePartial, 1_000, 1_500_000},
		}},
		{"corrections", []op{
			{"pay 500k", pay(500_000), "", PledgePartial, 500_000, 1_500_000},
			{"pay 1tr", pay(1_000_000), "", PledgePaid, 1_500_000, 1_500_000},
			{"correct 1tr to 700k", correct(1_000_000, 700_000), "", PledgePartial, 1_200_000, 1_500_000},
			{"correct 500k to 900k: over the amount", correct(500_000, 900_000), ReasonPaymentTooLarge, PledgePartial, 1_200_000, 1_500_000},
			{"correct 500k to 800k: exactly paid", correct(500_000, 800_000), "", PledgePaid, 1_500_000, 1_500_000},
			{"cancel the 700k", correct(700_000, 0), "", PledgePartial, 800_000, 1_500_000},
			{"cancel the 800k", correct(800_000, 0), "", PledgePledged, 0, 1_500_000},
			{"correct a payment that is not there", correct(1_000, 2_000), ReasonPaymentNotFound, PledgePledged, 0, 1_500_000},
			{"now it may be withdrawn", withdraw, "", PledgeWithdrawn, 0, 1_500_000},
			{"but not corrected", correct(1_000, 0), ReasonPledgeWithdrawn, PledgeWithdrawn, 0, 1_500_000},
		}},
		{"correction with a future date", []op{
			{"pay 500k", pay(500_000), "", PledgePartial, 500_000, 1_500_000},
			{"correct into the future", func(p *Pledge) error {
				return p.CorrectPayment(500_000, 400_000, pledgeToday.AddDays(2), pledgeToday)
			}, ReasonDateFuture, PledgePartial, 500_000, 1_500_000},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Pledge{ID: 7, FundID: 1, MemberID: 2, UnitID: 3, Amount: 1_500_000, Status: PledgePledged}
			for _, o := range c.ops {
				before := *p
				err := o.do(p)
				if got := ErrorReason(err); got != o.reason || (o.reason == "" && err != nil) {
					t.Fatalf("%s: err = %v, want reason %q", o.name, err, o.reason)
				}
				if err != nil && *p != before {
					t.Fatalf("%s: refused, yet the pledge changed: %+v -> %+v", o.name, before, *p)
				}
				if p.Status != o.status || p.Paid != o.paid || p.Amount != o.amount {
					t.Fatalf("%s: pledge = %s paid %d of %d; want %s paid %d of %d", o.name, p.Status, p.Paid, p.Amount, o.status, o.paid, o.amount)
				}
				if p.Status != PledgeWithdrawn && p.Status != PledgeStatusFor(p.Amount, p.Paid) {
					t.Fatalf("%s: status %s does not follow from %d of %d", o.name, p.Status, p.Paid, p.Amount)
				}
				if p.Remaining() != max(0, p.Amount-p.Paid) && p.Status != PledgeWithdrawn {
					t.Fatalf("%s: remaining %d", o.name, p.Remaining())
				}
			}
		})
	}
}

func TestPledgeValidate(t *testing.T) {
	open := &Fund{ID: 1, Name: "Mái ấm Công đoàn"}
	closed := &Fund{ID: 1, Name: "Mái ấm Công đoàn", Closed: true}
	period := &Fund{ID: 1, Name: "Mái ấm Công đoàn", Start: Date{2026, 1, 1}, End: Date{2026, 6, 30}}
	ok := func() *Pledge { return &Pledge{FundID: 1, MemberID: 2, UnitID: 3, Amount: 1_500_000} }
	cases := []struct {
		name   string
		fund   *Fund
		edit   func(*Pledge)
		lim    MoneyLimits
		reason Reason
	}{
		{"fine", open, func(*Pledge) {}, MoneyLimits{}, ""},
		{"due today", open, func(p *Pledge) { p.DueDate = pledgeToday }, MoneyLimits{}, ""},
		{"due yesterday", open, func(p *Pledge) { p.DueDate = pledgeToday.AddDays(-1) }, MoneyLimits{}, ReasonDueDatePast},
		{"closed fund", closed, func(*Pledge) {}, MoneyLimits{}, ReasonFundClosed},
		{"period over", period, func(*Pledge) {}, MoneyLimits{}, ReasonFundPeriod},
		{"below a configured minimum", open, func(*Pledge) {}, MoneyLimits{Min: 2_000_000}, ReasonMoneyTooSmall},
		{"above a configured maximum", open, func(*Pledge) {}, MoneyLimits{Max: 1_000_000}, ReasonMoneyTooLarge},
		{"zero", open, func(p *Pledge) { p.Amount = 0 }, MoneyLimits{}, ReasonMoneyZero},
		{"negative", open, func(p *Pledge) { p.Amount = -1 }, MoneyLimits{}, ReasonMoneyNegative},
		{"another fund", open, func(p *Pledge) { p.FundID = 9 }, MoneyLimits{}, ReasonFundClosed},
		{"no member", open, func(p *Pledge) { p.MemberID = 0 }, MoneyLimits{}, ReasonMemberNotFound},
	}
	for _, c := range cases {
		p := ok()
		c.edit(p)
		err := p.Validate(c.fund, pledgeToday, c.lim)
		if ErrorReason(err) != c.reason || (c.reason == "" && err != nil) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.reason)
		}
		if err == nil && (p.Status != PledgePledged || p.Paid != 0) {
			t.Errorf("%s: validated pledge = %+v", c.name, p)
		}
	}
}
