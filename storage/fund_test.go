package storage_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// today is t0's date in the union's zone.
var today = cd.Date{Year: 2026, Month: 11, Day: 25}

// fundWorld is a province with two grassroots unions and four members.
type fundWorld struct {
	stp, kb            cd.Unit
	an, binh, kho, hoa cd.Member
	house, savings     cd.Fund
	limits             cd.MoneyLimits
	db                 *storage.DB
}

func newFundWorld(t *testing.T, e storage.Engine) *fundWorld {
	t.Helper()
	db, _ := openOn(t, e)
	w := &fundWorld{db: db}
	update(t, db, func(tx *storage.Tx) error {
		prov, err := tx.ProvinceUnit()
		if err != nil {
			return err
		}
		w.stp = cd.Unit{Kind: cd.UnitGrassroots, ParentID: prov.ID, Name: "Sở Tư pháp", Code: "STP"}
		w.kb = cd.Unit{Kind: cd.UnitGrassroots, ParentID: prov.ID, Name: "Kho bạc Nhà nước tỉnh", Code: "KBNN"}
		for _, u := range []*cd.Unit{&w.stp, &w.kb} {
			if err := tx.CreateUnit(u); err != nil {
				return err
			}
		}
		for i, m := range []struct {
			m    *cd.Member
			name string
			unit int64
			role cd.Role
		}{
			{&w.an, "Nguyễn Văn An", w.stp.ID, cd.RoleMember},
			{&w.binh, "Lê Thị Bình", w.stp.ID, cd.RoleMember},
			{&w.kho, "Đặng Văn Kho", w.kb.ID, cd.RoleMember},
			{&w.hoa, "Trần Thị Hoa", w.stp.ID, cd.RoleChair},
		} {
			*m.m = cd.Member{FullName: m.name, UnitID: m.unit, Role: m.role, Status: cd.StatusActive}
			id := cd.Identity{Platform: cd.PlatformConsole, UserID: string(rune('a' + i)), ChatID: "c"}
			if err := tx.CreateMember(m.m, id); err != nil {
				return err
			}
		}
		w.house = cd.Fund{Name: "Mái ấm Công đoàn", Target: 10_000_000, BankBIN: "970436", AccountNo: "1234567890", AccountName: "CONG DOAN"}
		w.savings = cd.Fund{Name: "Tiết kiệm vì nữ CNVCLĐ", Start: cd.Date{Year: 2026, Month: 1, Day: 1}, End: cd.Date{Year: 2026, Month: 12, Day: 31}}
		if err := tx.CreateFund(&w.house); err != nil {
			return err
		}
		return tx.CreateFund(&w.savings)
	})
	return w
}

func (w *fundWorld) pledge(t *testing.T, fund int64, m cd.Member, amount int64, anonymous bool) cd.Pledge {
	t.Helper()
	p := cd.Pledge{FundID: fund, MemberID: m.ID, UnitID: m.UnitID, Amount: amount, Anonymous: anonymous}
	update(t, w.db, func(tx *storage.Tx) error { return tx.CreatePledge(&p, today, w.limits) })
	return p
}

func (w *fundWorld) pay(t *testing.T, pledge, amount int64) (*cd.Payment, *cd.Pledge) {
	t.Helper()
	pay := &cd.Payment{PledgeID: pledge, Amount: amount, PaidOn: today, RecordedBy: w.hoa.ID}
	var p *cd.Pledge
	update(t, w.db, func(tx *storage.Tx) (err error) {
		p, err = tx.RecordPayment(pay, today)
		return err
	})
	return pay, p
}

func TestFundsStored(t *testing.T) { storagetest.Run(t, testFundsStored) }

func testFundsStored(t *testing.T, e storage.Engine) {
	w := newFundWorld(t, e)
	ctx := context.Background()
	update(t, w.db, func(tx *storage.Tx) error {
		f, err := tx.FundByID(w.house.ID)
		if err != nil {
			return err
		}
		if f.Name != "Mái ấm Công đoàn" || f.Target != 10_000_000 || f.BankBIN != "970436" || f.AccountNo != "1234567890" ||
			f.HasPeriod() || f.Closed || !f.CreatedAt.Equal(t0) {
			t.Errorf("house fund = %+v", f)
		}
		s, err := tx.FundByID(w.savings.ID)
		if err != nil {
			return err
		}
		if s.Start != (cd.Date{Year: 2026, Month: 1, Day: 1}) || s.End != (cd.Date{Year: 2026, Month: 12, Day: 31}) || s.HasBank() {
			t.Errorf("savings fund = %+v", s)
		}
		// Invalid funds are refused before SQL.
		if err := tx.CreateFund(&cd.Fund{Name: "Q"}); cd.ErrorReason(err) != cd.ReasonFundName {
			t.Errorf("short name: %v", err)
		}
		// Edit: a bank account, no period.
		s.BankBIN, s.AccountNo, s.AccountName = "970415", "55 66 77", "QUY NU"
		s.Start, s.End = cd.Date{}, cd.Date{}
		if err := tx.UpdateFund(s); err != nil {
			return err
		}
		if err := tx.UpdateFund(&cd.Fund{ID: 999, Name: "Không có"}); cd.ErrorCode(err) != cd.ENOTFOUND {
			t.Errorf("update missing fund: %v", err)
		}
		if _, err := tx.FundByID(999); cd.ErrorReason(err) != cd.ReasonFundNotFound {
			t.Errorf("missing fund: %v", err)
		}
		return tx.SetFundClosed(w.house.ID, true, w.hoa.ID)
	})
	funds, err := w.db.Funds(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	// Open funds first.
	if len(funds) != 2 || funds[0].ID != w.savings.ID || funds[1].ID != w.house.ID || !funds[1].Closed || funds[1].ClosedAt.IsZero() {
		t.Fatalf("funds = %+v", funds)
	}
	if funds[0].AccountNo != "556677" || funds[0].HasPeriod() {
		t.Fatalf("edited fund = %+v", funds[0])
	}
	open, err := w.db.Funds(ctx, true)
	if err != nil || len(open) != 1 || open[0].ID != w.savings.ID {
		t.Fatalf("open funds = %+v, %v", open, err)
	}
	update(t, w.db, func(tx *storage.Tx) error {
		if err := tx.SetFundClosed(w.house.ID, true, 0); cd.ErrorCode(err) != cd.ECONFLICT {
			t.Errorf("close twice: %v", err)
		}
		if err := tx.SetFundClosed(999, true, 0); cd.ErrorCode(err) != cd.ENOTFOUND {
			t.Errorf("close missing: %v", err)
		}
		// A closed fund takes no pledge.
		p := cd.Pledge{FundID: w.house.ID, MemberID: w.an.ID, UnitID: w.stp.ID, Amount: 100_000}
		if err := tx.CreatePledge(&p, today, cd.MoneyLimits{}); cd.ErrorReason(err) != cd.ReasonFundClosed {
			t.Errorf("pledge to closed fund: %v", err)
		}
		return tx.SetFundClosed(w.house.ID, false, 0)
	})
}

// TestFundTotals checks the transparency totals against numbers added up
// by hand.
func TestFundTotals(t *testing.T) { storagetest.Run(t, testFundTotals) }

func testFundTotals(t *testing.T, e storage.Engine) {
	w := newFundWorld(t, e)
	a1 := w.pledge(t, w.house.ID, w.an, 1_500_000, false)
	b := w.pledge(t, w.house.ID, w.binh, 2_000_000, true)
	w.pledge(t, w.house.ID, w.an, 500_000, false) // a second pledge of An: still one donor
	w.pledge(t, w.house.ID, w.kho, 3_000_000, false)
	gone := w.pledge(t, w.house.ID, w.kho, 9_000_000, false)
	w.pledge(t, w.savings.ID, w.binh, 700_000, false) // another fund
	w.pay(t, a1.ID, 1_000_000)
	w.pay(t, b.ID, 2_000_000)
	update(t, w.db, func(tx *storage.Tx) error {
		_, err := tx.WithdrawPledge(gone.ID)
		return err
	})
	got, err := w.db.FundTotals(context.Background(), w.house.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Pledged: 1.500.000 + 2.000.000 + 500.000 + 3.000.000 = 7.000.000 (the
	// withdrawn 9.000.000 does not count); paid: 1.000.000 + 2.000.000;
	// donors: An, Bình, Kho.
	want := cd.FundTotals{Pledged: 7_000_000, Paid: 3_000_000, Pledges: 4, Donors: 3, Units: []cd.UnitFundTotal{
		{UnitID: w.kb.ID, UnitCode: "KBNN", UnitName: "Kho bạc Nhà nước tỉnh", Pledged: 3_000_000, Paid: 0, Pledges: 1, Donors: 1},
		{UnitID: w.stp.ID, UnitCode: "STP", UnitName: "Sở Tư pháp", Pledged: 4_000_000, Paid: 3_000_000, Pledges: 3, Donors: 2},
	}}
	if !equalTotals(got, &want) {
		t.Fatalf("totals =\n%+v\nwant\n%+v", got, &want)
	}
	if cd.Percent(got.Paid, w.house.Target) != 30 || cd.Percent(got.Pledged, w.house.Target) != 70 {
		t.Fatalf("progress %d%% paid, %d%% pledged", cd.Percent(got.Paid, w.house.Target), cd.Percent(got.Pledged, w.house.Target))
	}
	empty, err := w.db.FundTotals(context.Background(), 999)
	if err != nil || empty.Pledges != 0 || len(empty.Units) != 0 {
		t.Fatalf("totals of no fund = %+v, %v", empty, err)
	}
	// The donor list: not withdrawn, by unit name, then oldest first.
	update(t, w.db, func(tx *storage.Tx) error {
		ps, err := tx.FundPledges(w.house.ID)
		if err != nil {
			return err
		}
		var names []string
		for _, p := range ps {
			names = append(names, p.MemberName+" "+cd.GroupThousands(p.Amount))
		}
		if strings.Join(names, ", ") != "Đặng Văn Kho 3.000.000, Nguyễn Văn An 1.500.000, Lê Thị Bình 2.000.000, Nguyễn Văn An 500.000" {
			t.Errorf("donors = %v", names)
		}
		if !ps[2].Anonymous || ps[2].Status != cd.PledgePaid || ps[1].Status != cd.PledgePartial {
			t.Errorf("donor rows = %+v", ps)
		}
		return nil
	})
}

func equalTotals(a, b *cd.FundTotals) bool {
	if a.Pledged != b.Pledged || a.Paid != b.Paid || a.Pledges != b.Pledges || a.Donors != b.Donors || len(a.Units) != len(b.Units) {
		return false
	}
	for i := range a.Units {
		if a.Units[i] != b.Units[i] {
			return false
		}
	}
	return true
}

func TestPledgePaymentsAndCorrections(t *testing.T) {
	storagetest.Run(t, testPledgePaymentsAndCorrections)
}

func testPledgePaymentsAndCorrections(t *testing.T, e storage.Engine) {
	w := newFundWorld(t, e)
	p := w.pledge(t, w.house.ID, w.an, 1_500_000, false)
	if p.ID == 0 || p.Status != cd.PledgePledged || p.FundName != "Mái ấm Công đoàn" {
		t.Fatalf("pledge = %+v", p)
	}
	first, after := w.pay(t, p.ID, 500_000)
	if after.Paid != 500_000 || after.Status != cd.PledgePartial {
		t.Fatalf("after 500k: %+v", after)
	}
	// More than is left: refused, nothing stored.
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		_, err := tx.RecordPayment(&cd.Payment{PledgeID: p.ID, Amount: 1_000_001, PaidOn: today}, today)
		return err
	})
	if cd.ErrorReason(err) != cd.ReasonPaymentTooLarge {
		t.Fatalf("overpayment: %v", err)
	}
	second, after := w.pay(t, p.ID, 1_000_000)
	if after.Paid != 1_500_000 || after.Status != cd.PledgePaid {
		t.Fatalf("after the rest: %+v", after)
	}
	update(t, w.db, func(tx *storage.Tx) error {
		// Neither change nor withdraw a pledge with payments.
		if _, err := tx.ChangePledgeAmount(p.ID, 2_000_000, w.limits); cd.ErrorReason(err) != cd.ReasonPledgeHasPayments {
			t.Errorf("change paid pledge: %v", err)
		}
		if _, err := tx.WithdrawPledge(p.ID); cd.ErrorReason(err) != cd.ReasonPledgeHasPayments {
			t.Errorf("withdraw paid pledge: %v", err)
		}
		// Correct the second payment: 1.000.000 was really 800.000, paid
		// the day before.
		fixed, q, err := tx.CorrectPayment(second.ID, 800_000, today.AddDays(-1), w.hoa.ID, today)
		if err != nil {
			return err
		}
		if fixed.Corrects != second.ID || q.Paid != 1_300_000 || q.Status != cd.PledgePartial {
			t.Errorf("corrected: %+v, pledge %+v", fixed, q)
		}
		old, err := tx.PaymentByID(second.ID)
		if err != nil {
			return err
		}
		if old.Current() || old.SupersededBy != w.hoa.ID || old.Amount != 1_000_000 {
			t.Errorf("superseded row = %+v", old)
		}
		// A superseded payment is not corrected twice.
		if _, _, err := tx.CorrectPayment(second.ID, 1_000, today, w.hoa.ID, today); cd.ErrorReason(err) != cd.ReasonPaymentNotFound {
			t.Errorf("correct superseded: %v", err)
		}
		// Correcting the first to more than the pledge allows is refused.
		if _, _, err := tx.CorrectPayment(first.ID, 800_000, today, w.hoa.ID, today); cd.ErrorReason(err) != cd.ReasonPaymentTooLarge {
			t.Errorf("correct over the amount: %v", err)
		}
		// Cancel the first: recorded by mistake.
		none, q, err := tx.CorrectPayment(first.ID, 0, cd.Date{}, w.hoa.ID, today)
		if err != nil {
			return err
		}
		if none != nil || q.Paid != 800_000 || q.Status != cd.PledgePartial {
			t.Errorf("cancelled: %+v, pledge %+v", none, q)
		}
		pays, err := tx.UnitPayments(w.stp.ID, 10)
		if err != nil {
			return err
		}
		if len(pays) != 1 || pays[0].ID != fixed.ID || pays[0].MemberName != "Nguyễn Văn An" || pays[0].PaidOn != today.AddDays(-1) {
			t.Errorf("current payments = %+v", pays)
		}
		open, err := tx.UnitOpenPledges(w.stp.ID)
		if err != nil {
			return err
		}
		if len(open) != 1 || open[0].ID != p.ID || open[0].Remaining() != 700_000 {
			t.Errorf("open pledges = %+v", open)
		}
		return nil
	})
	// The table's checks hold even against SQL that bypasses the domain.
	raw, err := sql.Open("sqlite", w.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE pledges SET paid = amount + 1 WHERE id = ?`, p.ID); err == nil {
		t.Fatal("paid above amount was stored")
	}
	if _, err := raw.Exec(`UPDATE pledges SET status = 'withdrawn' WHERE id = ?`, p.ID); err == nil {
		t.Fatal("a withdrawn pledge with payments was stored")
	}
}

func TestPledgeChangeWithdrawAndExport(t *testing.T) {
	storagetest.Run(t, testPledgeChangeWithdrawAndExport)
}

func testPledgeChangeWithdrawAndExport(t *testing.T, e storage.Engine) {
	w := newFundWorld(t, e)
	p := w.pledge(t, w.house.ID, w.an, 1_500_000, true)
	q := w.pledge(t, w.savings.ID, w.kho, 200_000, false)
	update(t, w.db, func(tx *storage.Tx) error {
		changed, err := tx.ChangePledgeAmount(p.ID, 2_000_000, w.limits)
		if err != nil {
			return err
		}
		if changed.Amount != 2_000_000 || changed.Status != cd.PledgePledged {
			t.Errorf("changed = %+v", changed)
		}
		if _, err := tx.ChangePledgeAmount(p.ID, 500, w.limits); cd.ErrorReason(err) != cd.ReasonMoneyTooSmall {
			t.Errorf("change below minimum: %v", err)
		}
		if _, err := tx.WithdrawPledge(q.ID); err != nil {
			return err
		}
		mine, err := tx.MemberPledges(w.kho.ID)
		if err != nil || len(mine) != 0 {
			t.Errorf("withdrawn pledge still listed: %+v, %v", mine, err)
		}
		if _, err := tx.PledgeByID(999); cd.ErrorReason(err) != cd.ReasonPledgeNotFound {
			t.Errorf("missing pledge: %v", err)
		}
		// Bad pledges are refused before SQL.
		bad := cd.Pledge{FundID: w.house.ID, MemberID: w.an.ID, UnitID: w.stp.ID, Amount: 100_000, DueDate: today.AddDays(-1)}
		if err := tx.CreatePledge(&bad, today, w.limits); cd.ErrorReason(err) != cd.ReasonDueDatePast {
			t.Errorf("due date in the past: %v", err)
		}
		bad = cd.Pledge{FundID: 999, MemberID: w.an.ID, UnitID: w.stp.ID, Amount: 100_000}
		if err := tx.CreatePledge(&bad, today, w.limits); cd.ErrorReason(err) != cd.ReasonFundNotFound {
			t.Errorf("pledge to a missing fund: %v", err)
		}
		return nil
	})
	var rows []cd.Pledge
	collect := func(f storage.PledgeFilter) {
		rows = nil
		if err := w.db.ExportPledges(context.Background(), f, func(p cd.Pledge) error { rows = append(rows, p); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	collect(storage.PledgeFilter{})
	if len(rows) != 2 || rows[0].ID != p.ID || !rows[0].Anonymous || rows[0].MemberName != "Nguyễn Văn An" || rows[0].UnitCode != "STP" ||
		rows[1].Status != cd.PledgeWithdrawn {
		t.Fatalf("export = %+v", rows)
	}
	collect(storage.PledgeFilter{FundID: w.savings.ID})
	if len(rows) != 1 || rows[0].ID != q.ID {
		t.Fatalf("export of one fund = %+v", rows)
	}
}

func TestDemoFundsSeeded(t *testing.T) { storagetest.Run(t, testDemoFundsSeeded) }

func testDemoFundsSeeded(t *testing.T, e storage.Engine) {
	db, _ := openOn(t, e)
	ctx := context.Background()
	if err := storage.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil { // a second run adds nothing
		t.Fatal(err)
	}
	funds, err := db.Funds(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range funds {
		names = append(names, f.Name)
	}
	if strings.Join(names, " | ") != "Mái ấm Công đoàn | Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn | Quỹ xã hội từ thiện" {
		t.Fatalf("demo funds = %v", names)
	}
	if !funds[0].HasBank() || funds[1].HasBank() || !funds[2].HasBank() {
		t.Fatalf("demo bank accounts = %+v", funds)
	}
}
