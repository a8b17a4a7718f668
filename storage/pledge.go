package storage

import (
	"context"
	"database/sql"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

const pledgeColumns = `p.id, p.fund_id, p.member_id, p.unit_id, p.amount, p.paid, p.status, COALESCE(p.due_date, ''),
	p.anonymous, p.created_at, p.updated_at, f.name, m.full_name, u.code, u.name`

const pledgeFrom = ` FROM pledges p
	JOIN funds f ON f.id = p.fund_id
	JOIN members m ON m.id = p.member_id
	JOIN units u ON u.id = p.unit_id `

func scanPledge(sc interface{ Scan(...any) error }) (*cd.Pledge, error) {
	var p cd.Pledge
	var due string
	var created, updated sql.NullString
	if err := sc.Scan(&p.ID, &p.FundID, &p.MemberID, &p.UnitID, &p.Amount, &p.Paid, &p.Status, &due,
		&p.Anonymous, &created, &updated, &p.FundName, &p.MemberName, &p.UnitCode, &p.UnitName); err != nil {
		return nil, err
	}
	if due != "" {
		d, err := cd.ParseISODate(due)
		if err != nil {
			return nil, err
		}
		p.DueDate = d
	}
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
	return &p, nil
}

func queryPledges(ctx context.Context, q querier, where string, args ...any) ([]cd.Pledge, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+pledgeColumns+pledgeFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query pledges: %w", err)
	}
	defer rows.Close()
	var out []cd.Pledge
	for rows.Next() {
		p, err := scanPledge(rows)
		if err != nil {
			return nil, fmt.Errorf("scan pledge: %w", err)
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// CreatePledge checks a pledge against its fund, the day and lim, and
// stores it, setting its ID, status and times.
func (tx *Tx) CreatePledge(p *cd.Pledge, today cd.Date, lim cd.MoneyLimits) error {
	f, err := tx.FundByID(p.FundID)
	if err != nil {
		return err
	}
	if err := p.Validate(f, today, lim); err != nil {
		return err
	}
	p.CreatedAt, p.UpdatedAt = tx.now, tx.now
	err = tx.tx.QueryRowContext(tx.ctx, `INSERT INTO pledges (fund_id, member_id, unit_id, amount, paid, status, due_date,
		anonymous, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING id`,
		p.FundID, p.MemberID, p.UnitID, p.Amount, p.Status, nullDate(p.DueDate), flag(p.Anonymous),
		fmtTime(p.CreatedAt), fmtTime(p.UpdatedAt)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("insert pledge: %w", err)
	}
	p.FundName = f.Name
	return nil
}

// PledgeByID returns a pledge, or ENOTFOUND.
func (tx *Tx) PledgeByID(id int64) (*cd.Pledge, error) {
	ps, err := queryPledges(tx.ctx, tx.tx, `WHERE p.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonPledgeNotFound, "pledge %d", id)
	}
	return &ps[0], nil
}

// MemberPledges lists a member's pledges that were not withdrawn, newest
// first.
func (tx *Tx) MemberPledges(memberID int64) ([]cd.Pledge, error) {
	return queryPledges(tx.ctx, tx.tx, `WHERE p.member_id = ? AND p.status <> 'withdrawn' ORDER BY p.id DESC`, memberID)
}

// UnitOpenPledges lists a grassroots union's pledges that still wait for
// payments, oldest first.
func (tx *Tx) UnitOpenPledges(unitID int64) ([]cd.Pledge, error) {
	return queryPledges(tx.ctx, tx.tx, `WHERE p.unit_id = ? AND p.status IN ('pledged', 'partial') ORDER BY p.id`, unitID)
}

// FundPledges lists a fund's pledges that were not withdrawn, by unit
// name, then oldest first.
func (tx *Tx) FundPledges(fundID int64) ([]cd.Pledge, error) {
	return queryPledges(tx.ctx, tx.tx, `WHERE p.fund_id = ? AND p.status <> 'withdrawn' ORDER BY u.name, p.id`, fundID)
}

// ChangePledgeAmount sets a new amount on a pledge nothing has been paid
// on, within lim.
func (tx *Tx) ChangePledgeAmount(id, amount int64, lim cd.MoneyLimits) (*cd.Pledge, error) {
	p, err := tx.PledgeByID(id)
	if err != nil {
		return nil, err
	}
	if err := p.ChangeAmount(amount, lim); err != nil {
		return nil, err
	}
	return p, tx.savePledge(p)
}

// WithdrawPledge takes back a pledge nothing has been paid on.
func (tx *Tx) WithdrawPledge(id int64) (*cd.Pledge, error) {
	p, err := tx.PledgeByID(id)
	if err != nil {
		return nil, err
	}
	if err := p.Withdraw(); err != nil {
		return nil, err
	}
	return p, tx.savePledge(p)
}

// savePledge writes a pledge's amount, paid total and status, as the
// domain computed them from the row read in the same transaction.
func (tx *Tx) savePledge(p *cd.Pledge) error {
	p.UpdatedAt = tx.now
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE pledges SET amount = ?, paid = ?, status = ?, updated_at = ? WHERE id = ?`,
		p.Amount, p.Paid, p.Status, fmtTime(p.UpdatedAt), p.ID)
	if err != nil {
		return fmt.Errorf("save pledge %d: %w", p.ID, err)
	}
	return nil
}

// syncPaid checks that the pledge's paid total is the sum of its current
// payments, as the domain computed it.
func (tx *Tx) syncPaid(p *cd.Pledge) error {
	var sum int64
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COALESCE(SUM(amount), 0) FROM pledge_payments
		WHERE pledge_id = ? AND superseded_at IS NULL`, p.ID).Scan(&sum)
	if err != nil {
		return fmt.Errorf("sum payments of pledge %d: %w", p.ID, err)
	}
	if sum != p.Paid {
		return fmt.Errorf("pledge %d: payments add up to %d, the pledge says %d", p.ID, sum, p.Paid)
	}
	return tx.savePledge(p)
}

const paymentColumns = `pp.id, pp.pledge_id, pp.amount, pp.paid_on, COALESCE(pp.recorded_by, 0), pp.created_at,
	COALESCE(pp.corrects, 0), pp.superseded_at, COALESCE(pp.superseded_by, 0), p.member_id, m.full_name, f.name, p.unit_id`

const paymentFrom = ` FROM pledge_payments pp
	JOIN pledges p ON p.id = pp.pledge_id
	JOIN members m ON m.id = p.member_id
	JOIN funds f ON f.id = p.fund_id `

func scanPayment(sc interface{ Scan(...any) error }) (*cd.Payment, error) {
	var pay cd.Payment
	var paidOn string
	var created, superseded sql.NullString
	if err := sc.Scan(&pay.ID, &pay.PledgeID, &pay.Amount, &paidOn, &pay.RecordedBy, &created, &pay.Corrects,
		&superseded, &pay.SupersededBy, &pay.MemberID, &pay.MemberName, &pay.FundName, &pay.UnitID); err != nil {
		return nil, err
	}
	d, err := cd.ParseISODate(paidOn)
	if err != nil {
		return nil, err
	}
	pay.PaidOn, pay.CreatedAt, pay.SupersededAt = d, parseTime(created), parseTime(superseded)
	return &pay, nil
}

func queryPayments(ctx context.Context, q querier, where string, args ...any) ([]cd.Payment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+paymentColumns+paymentFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query payments: %w", err)
	}
	defer rows.Close()
	var out []cd.Payment
	for rows.Next() {
		pay, err := scanPayment(rows)
		if err != nil {
			return nil, fmt.Errorf("scan payment: %w", err)
		}
		out = append(out, *pay)
	}
	return out, rows.Err()
}

func (tx *Tx) insertPayment(pay *cd.Payment) error {
	pay.CreatedAt = tx.now
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO pledge_payments (pledge_id, amount, paid_on, recorded_by, created_at, corrects)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, pay.PledgeID, pay.Amount, pay.PaidOn.String(), nullInt(pay.RecordedBy),
		fmtTime(pay.CreatedAt), nullInt(pay.Corrects)).Scan(&pay.ID)
	if err != nil {
		return fmt.Errorf("insert payment of pledge %d: %w", pay.PledgeID, err)
	}
	return nil
}

// RecordPayment stores a payment against its pledge, checked by the
// domain against what is left (today bounds the date), and updates the
// pledge's paid total and status. It returns the updated pledge.
func (tx *Tx) RecordPayment(pay *cd.Payment, today cd.Date) (*cd.Pledge, error) {
	p, err := tx.PledgeByID(pay.PledgeID)
	if err != nil {
		return nil, err
	}
	if err := p.RecordPayment(pay.Amount, pay.PaidOn, today); err != nil {
		return nil, err
	}
	pay.Corrects = 0
	if err := tx.insertPayment(pay); err != nil {
		return nil, err
	}
	return p, tx.syncPaid(p)
}

// CorrectPayment supersedes a current payment with a corrected one of
// amount đồng made on paidOn, or, with amount 0, cancels it. It returns
// the corrected payment (nil when cancelled) and the updated pledge.
func (tx *Tx) CorrectPayment(id, amount int64, paidOn cd.Date, by int64, today cd.Date) (*cd.Payment, *cd.Pledge, error) {
	old, err := tx.PaymentByID(id)
	if err != nil {
		return nil, nil, err
	}
	if !old.Current() {
		return nil, nil, cd.Errorf(cd.ECONFLICT, cd.ReasonPaymentNotFound, "payment %d superseded already", id)
	}
	p, err := tx.PledgeByID(old.PledgeID)
	if err != nil {
		return nil, nil, err
	}
	if err := p.CorrectPayment(old.Amount, amount, paidOn, today); err != nil {
		return nil, nil, err
	}
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE pledge_payments SET superseded_at = ?, superseded_by = ?
		WHERE id = ? AND superseded_at IS NULL`, fmtTime(tx.now), nullInt(by), id)
	if err != nil {
		return nil, nil, fmt.Errorf("supersede payment %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, cd.Errorf(cd.ECONFLICT, cd.ReasonPaymentNotFound, "payment %d superseded already", id)
	}
	var pay *cd.Payment
	if amount > 0 {
		pay = &cd.Payment{PledgeID: p.ID, Amount: amount, PaidOn: paidOn, RecordedBy: by, Corrects: id}
		if err := tx.insertPayment(pay); err != nil {
			return nil, nil, err
		}
	}
	return pay, p, tx.syncPaid(p)
}

// PaymentByID returns a payment, current or superseded, or ENOTFOUND.
func (tx *Tx) PaymentByID(id int64) (*cd.Payment, error) {
	ps, err := queryPayments(tx.ctx, tx.tx, `WHERE pp.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonPaymentNotFound, "payment %d", id)
	}
	return &ps[0], nil
}

// PledgePayments lists a pledge's current payments, in the order paid.
func (tx *Tx) PledgePayments(pledgeID int64) ([]cd.Payment, error) {
	return queryPayments(tx.ctx, tx.tx, `WHERE pp.pledge_id = ? AND pp.superseded_at IS NULL ORDER BY pp.paid_on, pp.id`, pledgeID)
}

// UnitPayments lists the current payments on a grassroots union's
// pledges, newest first, at most limit of them: what a chair may correct.
func (tx *Tx) UnitPayments(unitID int64, limit int) ([]cd.Payment, error) {
	return queryPayments(tx.ctx, tx.tx, `WHERE p.unit_id = ? AND pp.superseded_at IS NULL ORDER BY pp.id DESC LIMIT ?`, unitID, limit)
}

// PledgeFilter selects pledges for an export.
type PledgeFilter struct {
	FundID int64 // 0 for every fund
}

// ExportPledges calls fn for each pledge, withdrawn ones included, on a
// read snapshot, in the order made.
func (db *DB) ExportPledges(ctx context.Context, f PledgeFilter, fn func(cd.Pledge) error) error {
	return db.view(ctx, func(t *dbTx) error {
		rows, err := t.QueryContext(ctx, `SELECT `+pledgeColumns+pledgeFrom+`WHERE ? = 0 OR p.fund_id = ? ORDER BY p.id`,
			f.FundID, f.FundID)
		if err != nil {
			return fmt.Errorf("export pledges: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPledge(rows)
			if err != nil {
				return fmt.Errorf("export pledges: %w", err)
			}
			if err := fn(*p); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}
