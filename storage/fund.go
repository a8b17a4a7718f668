package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

const fundColumns = `id, name, description, target, COALESCE(start_date, ''), COALESCE(end_date, ''), bank_bin,
	account_no, account_name, closed_at, COALESCE(created_by, 0), created_at, updated_at`

func scanFund(sc interface{ Scan(...any) error }) (*cd.Fund, error) {
	var f cd.Fund
	var start, end string
	var closed, created, updated sql.NullString
	if err := sc.Scan(&f.ID, &f.Name, &f.Description, &f.Target, &start, &end, &f.BankBIN,
		&f.AccountNo, &f.AccountName, &closed, &f.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	var err error
	if start != "" {
		if f.Start, err = cd.ParseISODate(start); err != nil {
			return nil, err
		}
		if f.End, err = cd.ParseISODate(end); err != nil {
			return nil, err
		}
	}
	f.ClosedAt, f.CreatedAt, f.UpdatedAt = parseTime(closed), parseTime(created), parseTime(updated)
	f.Closed = !f.ClosedAt.IsZero()
	return &f, nil
}

// nullDate stores the zero date as NULL.
func nullDate(d cd.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// CreateFund validates and stores a fund, setting its ID and times.
func (tx *Tx) CreateFund(f *cd.Fund) error {
	if err := f.Validate(); err != nil {
		return err
	}
	f.CreatedAt, f.UpdatedAt = tx.now, tx.now
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO funds (name, description, target, start_date, end_date, bank_bin,
		account_no, account_name, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.Name, f.Description, f.Target, nullDate(f.Start), nullDate(f.End), f.BankBIN, f.AccountNo, f.AccountName,
		nullInt(f.CreatedBy), fmtTime(f.CreatedAt), fmtTime(f.UpdatedAt)).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("insert fund: %w", err)
	}
	return nil
}

// UpdateFund validates and saves a fund's name, description, target,
// period and bank account. Closing is SetFundClosed.
func (tx *Tx) UpdateFund(f *cd.Fund) error {
	if err := f.Validate(); err != nil {
		return err
	}
	f.UpdatedAt = tx.now
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE funds SET name = ?, description = ?, target = ?, start_date = ?,
		end_date = ?, bank_bin = ?, account_no = ?, account_name = ?, updated_at = ? WHERE id = ?`,
		f.Name, f.Description, f.Target, nullDate(f.Start), nullDate(f.End), f.BankBIN, f.AccountNo, f.AccountName,
		fmtTime(f.UpdatedAt), f.ID)
	if err != nil {
		return fmt.Errorf("update fund %d: %w", f.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cd.Errorf(cd.ENOTFOUND, cd.ReasonFundNotFound, "fund %d", f.ID)
	}
	return nil
}

// SetFundClosed closes a fund to new pledges, or opens it again. Pledges
// made stay, and their payments can still be recorded. A fund already in
// the state asked for is a conflict.
func (tx *Tx) SetFundClosed(id int64, closed bool, by int64) error {
	var res sql.Result
	var err error
	if closed {
		res, err = tx.tx.ExecContext(tx.ctx, `UPDATE funds SET closed_at = ?, closed_by = ?, updated_at = ?
			WHERE id = ? AND closed_at IS NULL`, fmtTime(tx.now), nullInt(by), fmtTime(tx.now), id)
	} else {
		res, err = tx.tx.ExecContext(tx.ctx, `UPDATE funds SET closed_at = NULL, closed_by = NULL, updated_at = ?
			WHERE id = ? AND closed_at IS NOT NULL`, fmtTime(tx.now), id)
	}
	if err != nil {
		return fmt.Errorf("close fund %d (%t): %w", id, closed, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if _, err := tx.FundByID(id); err != nil {
			return err
		}
		return cd.Errorf(cd.ECONFLICT, cd.ReasonFundClosed, "fund %d closed is %t already", id, closed)
	}
	return nil
}

// FundByID returns a fund, or ENOTFOUND.
func (tx *Tx) FundByID(id int64) (*cd.Fund, error) {
	f, err := scanFund(tx.tx.QueryRowContext(tx.ctx, `SELECT `+fundColumns+` FROM funds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonFundNotFound, "fund %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("fund %d: %w", id, err)
	}
	return f, nil
}

// Funds lists the funds, open ones first, then by id; with openOnly, the
// closed ones are left out.
func (tx *Tx) Funds(openOnly bool) ([]cd.Fund, error) { return listFunds(tx.ctx, tx.tx, openOnly) }

// Funds lists the funds on a read snapshot.
func (db *DB) Funds(ctx context.Context, openOnly bool) (out []cd.Fund, err error) {
	err = db.view(ctx, func(t *dbTx) error {
		out, err = listFunds(ctx, t, openOnly)
		return err
	})
	return out, err
}

func listFunds(ctx context.Context, q querier, openOnly bool) ([]cd.Fund, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fundColumns+` FROM funds WHERE closed_at IS NULL OR ? = 0
		ORDER BY closed_at IS NOT NULL, id`, flag(openOnly))
	if err != nil {
		return nil, fmt.Errorf("list funds: %w", err)
	}
	defer rows.Close()
	var out []cd.Fund
	for rows.Next() {
		f, err := scanFund(rows)
		if err != nil {
			return nil, fmt.Errorf("list funds: %w", err)
		}
		out = append(out, *f)
	}
	return out, rows.Err()
}

// FundTotals adds up a fund's pledges that were not withdrawn, in all and
// per grassroots union (those with pledges, by name).
func (tx *Tx) FundTotals(fundID int64) (*cd.FundTotals, error) {
	return fundTotals(tx.ctx, tx.tx, fundID)
}

// FundTotals adds up a fund's pledges on a read snapshot.
func (db *DB) FundTotals(ctx context.Context, fundID int64) (out *cd.FundTotals, err error) {
	err = db.view(ctx, func(t *dbTx) error {
		out, err = fundTotals(ctx, t, fundID)
		return err
	})
	return out, err
}

func fundTotals(ctx context.Context, q querier, fundID int64) (*cd.FundTotals, error) {
	t := &cd.FundTotals{}
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(paid), 0), COUNT(*), COUNT(DISTINCT member_id)
		FROM pledges WHERE fund_id = ? AND status <> 'withdrawn'`, fundID).Scan(&t.Pledged, &t.Paid, &t.Pledges, &t.Donors)
	if err != nil {
		return nil, fmt.Errorf("totals of fund %d: %w", fundID, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.unit_id, u.code, u.name, SUM(p.amount), SUM(p.paid), COUNT(*),
		COUNT(DISTINCT p.member_id) FROM pledges p JOIN units u ON u.id = p.unit_id
		WHERE p.fund_id = ? AND p.status <> 'withdrawn' GROUP BY p.unit_id, u.id ORDER BY u.name, u.id`, fundID)
	if err != nil {
		return nil, fmt.Errorf("unit totals of fund %d: %w", fundID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var u cd.UnitFundTotal
		if err := rows.Scan(&u.UnitID, &u.UnitCode, &u.UnitName, &u.Pledged, &u.Paid, &u.Pledges, &u.Donors); err != nil {
			return nil, fmt.Errorf("unit totals of fund %d: %w", fundID, err)
		}
		t.Units = append(t.Units, u)
	}
	return t, rows.Err()
}
