package storage

import (
	"database/sql"
	"errors"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// UnitReport returns a unit's monthly report, or nil if it was never
// submitted.
func (tx *Tx) UnitReport(unitID int64, m cd.Month) (*cd.UnitReport, error) {
	var r cd.UnitReport
	var submitted, unlocked sql.NullString
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT unit_id, submitted_at, COALESCE(submitted_by, 0), late, unlocked_at
		FROM unit_reports WHERE unit_id = ? AND month = ?`, unitID, m.String()).Scan(&r.UnitID, &submitted, &r.SubmittedBy, &r.Late, &unlocked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report of unit %d for %s: %w", unitID, m, err)
	}
	r.Month, r.SubmittedAt, r.Locked = m, parseTime(submitted), !unlocked.Valid
	return &r, nil
}

// MonthLocked reports whether a unit's reports of a month are locked by
// its submitted monthly report.
func (tx *Tx) MonthLocked(unitID int64, m cd.Month) (bool, error) {
	r, err := tx.UnitReport(unitID, m)
	return r != nil && r.Locked, err
}

// SubmitUnitReport records a unit's monthly report as submitted now,
// locking the month; submitting again after an unlock locks it anew.
func (tx *Tx) SubmitUnitReport(unitID int64, m cd.Month, by int64, late bool) error {
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO unit_reports (unit_id, month, submitted_at, submitted_by, late)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit_id, month) DO UPDATE SET submitted_at = excluded.submitted_at,
		submitted_by = excluded.submitted_by, late = excluded.late, unlocked_at = NULL, unlocked_by = NULL
		WHERE unit_reports.unlocked_at IS NOT NULL`, unitID, m.String(), fmtTime(tx.now), nullInt(by), flag(late))
	if err != nil {
		return fmt.Errorf("submit report of unit %d for %s: %w", unitID, m, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonAlreadySubmitted, "unit %d %s", unitID, m)
	}
	return nil
}

// UnlockUnitReport lets a unit change its reports of a month again.
func (tx *Tx) UnlockUnitReport(unitID int64, m cd.Month, by int64) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE unit_reports SET unlocked_at = ?, unlocked_by = ?
		WHERE unit_id = ? AND month = ? AND unlocked_at IS NULL`, fmtTime(tx.now), nullInt(by), unitID, m.String())
	if err != nil {
		return fmt.Errorf("unlock report of unit %d for %s: %w", unitID, m, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonNotSubmitted, "unit %d %s", unitID, m)
	}
	return nil
}

// UnitReports lists the submitted reports of a month, by unit.
func (tx *Tx) UnitReports(m cd.Month) (map[int64]cd.UnitReport, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT unit_id, submitted_at, COALESCE(submitted_by, 0), late, unlocked_at
		FROM unit_reports WHERE month = ?`, m.String())
	if err != nil {
		return nil, fmt.Errorf("reports of %s: %w", m, err)
	}
	defer rows.Close()
	out := map[int64]cd.UnitReport{}
	for rows.Next() {
		var r cd.UnitReport
		var submitted, unlocked sql.NullString
		if err := rows.Scan(&r.UnitID, &submitted, &r.SubmittedBy, &r.Late, &unlocked); err != nil {
			return nil, err
		}
		r.Month, r.SubmittedAt, r.Locked = m, parseTime(submitted), !unlocked.Valid
		out[r.UnitID] = r
	}
	return out, rows.Err()
}
