package storage

import (
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// grassrootsOf is the SQL for the grassroots union a member's unit counts
// for: the unit, or the CĐCS a sub-unit belongs to.
const grassrootsOf = `CASE WHEN u.kind = 'sub' THEN u.parent_id ELSE u.id END`

// MemberCounts counts, per grassroots union, the active members and those
// approved between from and to.
func (tx *Tx) MemberCounts(from, to time.Time) (map[int64]cd.MemberCount, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+grassrootsOf+` AS g,
			COALESCE(SUM(CASE WHEN m.status = 'active' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN m.status = 'active' AND m.decided_at >= ? AND m.decided_at < ? THEN 1 ELSE 0 END), 0)
		FROM members m JOIN units u ON u.id = m.unit_id GROUP BY g`, fmtTime(from), fmtTime(to))
	if err != nil {
		return nil, fmt.Errorf("member counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]cd.MemberCount{}
	for rows.Next() {
		var unit int64
		var c cd.MemberCount
		if err := rows.Scan(&unit, &c.Active, &c.New); err != nil {
			return nil, fmt.Errorf("member counts: %w", err)
		}
		out[unit] = c
	}
	return out, rows.Err()
}

// ReporterCounts counts, per grassroots union, the members with at least
// one report in a month.
func (tx *Tx) ReporterCounts(m cd.Month) (map[int64]int, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT unit_id, COUNT(DISTINCT member_id) FROM activities
		WHERE month = ? AND member_id IS NOT NULL AND deleted_at IS NULL GROUP BY unit_id`, m.String())
	if err != nil {
		return nil, fmt.Errorf("reporters of %s: %w", m, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var unit int64
		var n int
		if err := rows.Scan(&unit, &n); err != nil {
			return nil, fmt.Errorf("reporters of %s: %w", m, err)
		}
		out[unit] = n
	}
	return out, rows.Err()
}

// PledgesDueBetween lists open pledges (not fully paid, not withdrawn)
// due between two dates, both included.
func (tx *Tx) PledgesDueBetween(from, to cd.Date) ([]cd.Pledge, error) {
	return queryPledges(tx.ctx, tx.tx, `WHERE p.status IN ('pledged', 'partial') AND p.due_date BETWEEN ? AND ?
		ORDER BY p.due_date, p.id`, from.String(), to.String())
}

// OverduePledges lists open pledges whose due date is before today.
func (tx *Tx) OverduePledges(today cd.Date) ([]cd.Pledge, error) {
	return queryPledges(tx.ctx, tx.tx, `WHERE p.status IN ('pledged', 'partial') AND p.due_date < ?
		ORDER BY p.unit_id, p.due_date, p.id`, today.String())
}
