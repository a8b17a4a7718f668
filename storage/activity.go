package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

const kindColumns = `code, name, ask_people, ask_amount, ask_quantity, quantity_unit, measure, position, active`

func scanKind(sc interface{ Scan(...any) error }) (*cd.ActivityKind, error) {
	var k cd.ActivityKind
	err := sc.Scan(&k.Code, &k.Name, &k.AskPeople, &k.AskAmount, &k.AskQuantity, &k.QuantityUnit, &k.Measure, &k.Position, &k.Active)
	return &k, err
}

// ActivityKinds lists the kinds of activity in their order; with
// activeOnly, the hidden ones are left out.
func (tx *Tx) ActivityKinds(activeOnly bool) ([]cd.ActivityKind, error) {
	return activityKinds(tx.ctx, tx.tx, activeOnly)
}

func activityKinds(ctx context.Context, q querier, activeOnly bool) ([]cd.ActivityKind, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+kindColumns+` FROM activity_kinds WHERE active = 1 OR ? = 0 ORDER BY position, code`,
		flag(activeOnly))
	if err != nil {
		return nil, fmt.Errorf("list activity kinds: %w", err)
	}
	defer rows.Close()
	var out []cd.ActivityKind
	for rows.Next() {
		k, err := scanKind(rows)
		if err != nil {
			return nil, fmt.Errorf("list activity kinds: %w", err)
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

// ActivityKind returns a kind by code, or an ENOTFOUND error.
func (tx *Tx) ActivityKind(code string) (*cd.ActivityKind, error) {
	k, err := scanKind(tx.tx.QueryRowContext(tx.ctx, `SELECT `+kindColumns+` FROM activity_kinds WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonKind, "kind %q", code)
	}
	if err != nil {
		return nil, fmt.Errorf("activity kind %q: %w", code, err)
	}
	return k, nil
}

// CreateActivityKind adds a kind at the end of the list.
func (tx *Tx) CreateActivityKind(k *cd.ActivityKind) error {
	// ON CONFLICT rather than a failed statement: on PostgreSQL an error
	// would abort the caller's transaction, which goes on after a conflict.
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO activity_kinds (code, name, ask_people, ask_amount, ask_quantity,
		quantity_unit, measure, position, active) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM activity_kinds), 1)
		ON CONFLICT (code) DO NOTHING`,
		k.Code, k.Name, k.AskPeople, k.AskAmount, k.AskQuantity, k.QuantityUnit, k.Measure)
	if err != nil {
		return fmt.Errorf("create activity kind %q: %w", k.Code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonKind, "kind %q exists", k.Code)
	}
	return nil
}

// SetActivityKindActive shows or hides a kind in the report menu. Reports
// of a hidden kind stay and keep counting.
func (tx *Tx) SetActivityKindActive(code string, active bool) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE activity_kinds SET active = ? WHERE code = ?`, flag(active), code)
	if err != nil {
		return fmt.Errorf("set activity kind %q: %w", code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cd.Errorf(cd.ENOTFOUND, cd.ReasonKind, "kind %q", code)
	}
	return nil
}

const activityColumns = `a.id, a.unit_id, COALESCE(a.member_id, 0), a.kind, a.date, a.description, a.people, a.amount,
	a.quantity, a.photo, COALESCE(a.campaign_id, 0), COALESCE(a.entered_by, 0), a.created_at, a.updated_at,
	k.name, u.code, u.name, COALESCE(m.full_name, ''), COALESCE(c.name, ''), COALESCE(e.full_name, '')`

const activityFrom = ` FROM activities a
	JOIN activity_kinds k ON k.code = a.kind
	JOIN units u ON u.id = a.unit_id
	LEFT JOIN members m ON m.id = a.member_id
	LEFT JOIN campaigns c ON c.id = a.campaign_id
	LEFT JOIN members e ON e.id = a.entered_by `

func scanActivity(sc interface{ Scan(...any) error }) (*cd.Activity, error) {
	var a cd.Activity
	var date string
	var created, updated sql.NullString
	if err := sc.Scan(&a.ID, &a.UnitID, &a.MemberID, &a.Kind, &date, &a.Description, &a.People, &a.Amount,
		&a.Quantity, &a.Photo, &a.CampaignID, &a.EnteredBy, &created, &updated,
		&a.KindName, &a.UnitCode, &a.UnitName, &a.MemberName, &a.CampaignName, &a.EnteredName); err != nil {
		return nil, err
	}
	d, err := cd.ParseISODate(date)
	if err != nil {
		return nil, err
	}
	a.Date, a.CreatedAt, a.UpdatedAt = d, parseTime(created), parseTime(updated)
	return &a, nil
}

func queryActivities(ctx context.Context, q querier, where string, args ...any) ([]cd.Activity, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+activityColumns+activityFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query activities: %w", err)
	}
	defer rows.Close()
	var out []cd.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, fmt.Errorf("scan activity: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// CreateActivity stores a report, setting its ID and times.
func (tx *Tx) CreateActivity(a *cd.Activity) error {
	a.CreatedAt, a.UpdatedAt = tx.now, tx.now
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO activities (unit_id, member_id, kind, date, month, description,
		people, amount, quantity, photo, campaign_id, entered_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.UnitID, nullInt(a.MemberID), a.Kind, a.Date.String(), a.Date.MonthOf().String(), a.Description,
		a.People, a.Amount, a.Quantity, a.Photo, nullInt(a.CampaignID), nullInt(a.EnteredBy),
		fmtTime(a.CreatedAt), fmtTime(a.UpdatedAt)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert activity: %w", err)
	}
	return nil
}

// UpdateActivity saves an edited report.
func (tx *Tx) UpdateActivity(a *cd.Activity) error {
	a.UpdatedAt = tx.now
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE activities SET kind = ?, date = ?, month = ?, description = ?,
		people = ?, amount = ?, quantity = ?, photo = ?, campaign_id = ?, updated_at = ?
		WHERE id = ? AND deleted_at IS NULL`,
		a.Kind, a.Date.String(), a.Date.MonthOf().String(), a.Description, a.People, a.Amount, a.Quantity, a.Photo,
		nullInt(a.CampaignID), fmtTime(a.UpdatedAt), a.ID)
	if err != nil {
		return fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cd.Errorf(cd.ENOTFOUND, cd.ReasonActivityNotFound, "activity %d", a.ID)
	}
	return nil
}

// DeleteActivity withdraws a report (undo). The row stays for the audit
// trail but counts nowhere.
func (tx *Tx) DeleteActivity(id int64) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE activities SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`,
		fmtTime(tx.now), id)
	if err != nil {
		return fmt.Errorf("delete activity %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cd.Errorf(cd.ENOTFOUND, cd.ReasonActivityNotFound, "activity %d", id)
	}
	return nil
}

// ActivityByID returns a report that was not withdrawn, or ENOTFOUND.
func (tx *Tx) ActivityByID(id int64) (*cd.Activity, error) {
	as, err := queryActivities(tx.ctx, tx.tx, `WHERE a.id = ? AND a.deleted_at IS NULL`, id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonActivityNotFound, "activity %d", id)
	}
	return &as[0], nil
}

// MemberActivities lists a member's own reports between two dates.
func (tx *Tx) MemberActivities(memberID int64, from, to cd.Date) ([]cd.Activity, error) {
	return queryActivities(tx.ctx, tx.tx, `WHERE a.member_id = ? AND a.date BETWEEN ? AND ? AND a.deleted_at IS NULL
		ORDER BY a.date, a.id`, memberID, from.String(), to.String())
}

// UnitActivities lists a grassroots union's reports of a month.
func (tx *Tx) UnitActivities(unitID int64, m cd.Month) ([]cd.Activity, error) {
	return queryActivities(tx.ctx, tx.tx, `WHERE a.month = ? AND a.unit_id = ? AND a.deleted_at IS NULL
		ORDER BY a.date, a.id`, m.String(), unitID)
}

// totals reads "unit_id, kind, count, people, amount, quantity" rows.
func scanTotals(rows *sql.Rows) (map[int64]map[string]cd.KindTotal, error) {
	defer rows.Close()
	out := map[int64]map[string]cd.KindTotal{}
	for rows.Next() {
		var unit int64
		var t cd.KindTotal
		if err := rows.Scan(&unit, &t.Kind, &t.Count, &t.People, &t.Amount, &t.Quantity); err != nil {
			return nil, fmt.Errorf("scan totals: %w", err)
		}
		if out[unit] == nil {
			out[unit] = map[string]cd.KindTotal{}
		}
		out[unit][t.Kind] = t
	}
	return out, rows.Err()
}

func monthTotals(ctx context.Context, q querier, m cd.Month, unitID int64) (map[int64]map[string]cd.KindTotal, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit_id, kind, COUNT(*), SUM(people), SUM(amount), SUM(quantity)
		FROM activities WHERE month = ? AND (? = 0 OR unit_id = ?) AND deleted_at IS NULL
		GROUP BY unit_id, kind`, m.String(), unitID, unitID)
	if err != nil {
		return nil, fmt.Errorf("month totals %s: %w", m, err)
	}
	return scanTotals(rows)
}

// MonthTotals adds up a month's reports per unit and kind; unitID 0 for
// every unit.
func (tx *Tx) MonthTotals(m cd.Month, unitID int64) (map[int64]map[string]cd.KindTotal, error) {
	return monthTotals(tx.ctx, tx.tx, m, unitID)
}

// MonthTotals adds up a month's reports per unit and kind on a read
// snapshot; unitID 0 for every unit.
func (db *DB) MonthTotals(ctx context.Context, m cd.Month, unitID int64) (out map[int64]map[string]cd.KindTotal, err error) {
	err = db.view(ctx, func(t *dbTx) error {
		out, err = monthTotals(ctx, t, m, unitID)
		return err
	})
	return out, err
}

// MemberYearTotals adds up a member's own reports of a year by kind.
func (tx *Tx) MemberYearTotals(memberID int64, year int) ([]cd.KindTotal, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT a.kind, COUNT(*), SUM(a.people), SUM(a.amount), SUM(a.quantity)
		FROM activities a JOIN activity_kinds k ON k.code = a.kind
		WHERE a.member_id = ? AND a.date BETWEEN ? AND ? AND a.deleted_at IS NULL
		GROUP BY a.kind ORDER BY MIN(k.position)`, memberID, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	if err != nil {
		return nil, fmt.Errorf("year totals of member %d: %w", memberID, err)
	}
	defer rows.Close()
	var out []cd.KindTotal
	for rows.Next() {
		var t cd.KindTotal
		if err := rows.Scan(&t.Kind, &t.Count, &t.People, &t.Amount, &t.Quantity); err != nil {
			return nil, fmt.Errorf("year totals of member %d: %w", memberID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// MemberReportCounts counts, for each member of a unit, their reports of
// a month (reports entered for them by a chair included).
func (tx *Tx) MemberReportCounts(unitID int64, m cd.Month) (map[int64]int, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT member_id, COUNT(*) FROM activities
		WHERE month = ? AND unit_id = ? AND member_id IS NOT NULL AND deleted_at IS NULL GROUP BY member_id`, m.String(), unitID)
	if err != nil {
		return nil, fmt.Errorf("report counts of unit %d: %w", unitID, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// ActivityFilter selects reports for an export.
type ActivityFilter struct {
	Month  cd.Month
	UnitID int64 // 0 for every unit
}

// ExportActivities calls fn for each report of a month on a read snapshot,
// in date order.
func (db *DB) ExportActivities(ctx context.Context, f ActivityFilter, fn func(cd.Activity) error) error {
	return db.view(ctx, func(t *dbTx) error {
		rows, err := t.QueryContext(ctx, `SELECT `+activityColumns+activityFrom+`
			WHERE a.month = ? AND (? = 0 OR a.unit_id = ?) AND a.deleted_at IS NULL ORDER BY a.date, a.id`,
			f.Month.String(), f.UnitID, f.UnitID)
		if err != nil {
			return fmt.Errorf("export activities: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanActivity(rows)
			if err != nil {
				return fmt.Errorf("export activities: %w", err)
			}
			if err := fn(*a); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// ActivitiesEnteredSince lists the reports a member typed (for themselves
// or for others) since a time, newest first: what they may still undo.
func (tx *Tx) ActivitiesEnteredSince(memberID int64, since time.Time) ([]cd.Activity, error) {
	return queryActivities(tx.ctx, tx.tx, `WHERE a.entered_by = ? AND a.created_at >= ? AND a.deleted_at IS NULL
		ORDER BY a.id DESC`, memberID, fmtTime(since))
}
