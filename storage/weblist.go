package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// The dashboard's listings: one page of rows and the count of all that
// match, each in one query pair on the transaction's snapshot. They
// order in SQL so that a page of a large province reads only its rows.

// Page is a window of a listing: Limit rows from Offset.
type Page struct {
	Offset, Limit int
}

// nameSearch adds the condition that every searched word is in the
// member's folded name.
func nameSearch(where []string, args []any, search string) ([]string, []any) {
	words := strings.Fields(cd.Fold(search))
	if len(words) == 0 {
		return where, args
	}
	cond := make([]string, len(words))
	for i, w := range words {
		cond[i] = `folded LIKE ? ESCAPE '\'`
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)+"%")
	}
	return append(where, "m.id IN (SELECT member_id FROM member_names WHERE "+strings.Join(cond, " AND ")+")"), args
}

// FoldMemberNames folds the names the triggers of member_names marked
// (new members, changed names), so that a search finds them. It returns
// how many it folded.
func (db *DB) FoldMemberNames(ctx context.Context) (int, error) {
	// Most searches find nothing to fold: look on a reader first, so that
	// a search does not queue behind the single writer for nothing.
	var pending bool
	if err := db.view(ctx, func(t *dbTx) error {
		return t.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM member_names WHERE folded IS NULL)`).Scan(&pending)
	}); err != nil {
		return 0, fmt.Errorf("look for names to fold: %w", err)
	}
	if !pending {
		return 0, nil
	}
	total := 0
	for {
		n := 0
		err := db.Update(ctx, func(tx *Tx) error {
			rows, err := tx.tx.QueryContext(ctx, `SELECT member_id, name FROM member_names WHERE folded IS NULL LIMIT 5000`)
			if err != nil {
				return fmt.Errorf("read names to fold: %w", err)
			}
			type name struct {
				id   int64
				name string
			}
			var names []name
			for rows.Next() {
				var nm name
				if err := rows.Scan(&nm.id, &nm.name); err != nil {
					rows.Close()
					return fmt.Errorf("read names to fold: %w", err)
				}
				names = append(names, nm)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, nm := range names {
				if _, err := tx.tx.ExecContext(ctx, `UPDATE member_names SET folded = ? WHERE member_id = ? AND name = ?`,
					cd.Fold(nm.name), nm.id, nm.name); err != nil {
					return fmt.Errorf("fold name of member %d: %w", nm.id, err)
				}
			}
			n = len(names)
			return nil
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// count runs a COUNT(*) query.
func (tx *Tx) count(query string, args ...any) (int, error) {
	var n int
	if err := tx.tx.QueryRowContext(tx.ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// MembersPage lists a page of members as f selects them (its Limit is
// ignored; a unit's listing includes its sub-units when f.WithSubUnits),
// ordered by unit and name, with the number of all that match.
func (tx *Tx) MembersPage(f cd.MemberFilter, p Page) ([]cd.Member, int, error) {
	where, args := memberWhere([]string{"TRUE"}, f)
	where, args = nameSearch(where, args, f.Search)
	w := " WHERE " + strings.Join(where, " AND ")
	total, err := tx.count(`SELECT COUNT(*)`+memberFrom+w, args...)
	if err != nil {
		return nil, 0, err
	}
	ms, err := queryMembers(tx.ctx, tx.tx, w+` ORDER BY u.name, m.full_name, m.id LIMIT ? OFFSET ?`,
		append(args, p.Limit, p.Offset)...)
	return ms, total, err
}

// ActivityQuery selects activity reports for the dashboard.
type ActivityQuery struct {
	Month      cd.Month // zero for every month
	UnitID     int64    // 0 for every unit
	Kind       string   // "" for every kind
	CampaignID int64    // 0 for any
}

// ActivitiesPage lists a page of the reports q selects, newest first,
// with the number of all that match.
func (tx *Tx) ActivitiesPage(q ActivityQuery, p Page) ([]cd.Activity, int, error) {
	where := []string{"a.deleted_at IS NULL"}
	var args []any
	if q.Month != (cd.Month{}) {
		where = append(where, "a.month = ?")
		args = append(args, q.Month.String())
	}
	if q.UnitID != 0 {
		where = append(where, "a.unit_id = ?")
		args = append(args, q.UnitID)
	}
	if q.Kind != "" {
		where = append(where, "a.kind = ?")
		args = append(args, q.Kind)
	}
	if q.CampaignID != 0 {
		where = append(where, "a.campaign_id = ?")
		args = append(args, q.CampaignID)
	}
	w := " WHERE " + strings.Join(where, " AND ")
	total, err := tx.count(`SELECT COUNT(*) FROM activities a`+w, args...)
	if err != nil {
		return nil, 0, err
	}
	as, err := queryActivities(tx.ctx, tx.tx, w+` ORDER BY a.id DESC LIMIT ? OFFSET ?`, append(args, p.Limit, p.Offset)...)
	return as, total, err
}

// AuditQuery selects audit entries for the dashboard.
type AuditQuery struct {
	MemberID int64  // entries by or about this member; 0 for any
	UnitID   int64  // entries about this unit or its members; 0 for any
	Action   string // "" for every action; "member." for a family
}

// AuditPage lists a page of audit entries, newest first, with the number
// of all that match.
func (tx *Tx) AuditPage(q AuditQuery, p Page) ([]cd.AuditEntry, int, error) {
	where := []string{"TRUE"}
	var args []any
	if q.MemberID != 0 {
		where = append(where, "(actor_id = ? OR target_member = ?)")
		args = append(args, q.MemberID, q.MemberID)
	}
	if q.UnitID != 0 {
		where = append(where, `(target_unit = ? OR target_unit IN (SELECT id FROM units WHERE parent_id = ?))`)
		args = append(args, q.UnitID, q.UnitID)
	}
	if q.Action != "" {
		if strings.HasSuffix(q.Action, ".") {
			where = append(where, "action LIKE ? ESCAPE '\\'")
			args = append(args, strings.ReplaceAll(q.Action, "_", `\_`)+"%")
		} else {
			where = append(where, "action = ?")
			args = append(args, q.Action)
		}
	}
	w := " WHERE " + strings.Join(where, " AND ")
	total, err := tx.count(`SELECT COUNT(*) FROM audit_log`+w, args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_key, action,
		COALESCE(target_member, 0), COALESCE(target_unit, 0), detail FROM audit_log`+w+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []cd.AuditEntry
	for rows.Next() {
		var e cd.AuditEntry
		var at sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorKey, &e.Action, &e.TargetMember, &e.TargetUnit, &e.Detail); err != nil {
			return nil, 0, fmt.Errorf("read audit log: %w", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// PledgeQuery selects pledges for the dashboard.
type PledgeQuery struct {
	FundID   int64 // 0 for every fund
	UnitID   int64 // 0 for every unit
	OpenOnly bool  // only those waiting for payments
}

// PledgesPage lists a page of the pledges q selects (withdrawn ones left
// out), the newest first, with the number of all that match.
func (tx *Tx) PledgesPage(q PledgeQuery, p Page) ([]cd.Pledge, int, error) {
	where := []string{"p.status <> 'withdrawn'"}
	var args []any
	if q.FundID != 0 {
		where = append(where, "p.fund_id = ?")
		args = append(args, q.FundID)
	}
	if q.UnitID != 0 {
		where = append(where, "p.unit_id = ?")
		args = append(args, q.UnitID)
	}
	if q.OpenOnly {
		where = append(where, "p.status IN ('pledged', 'partial')")
	}
	w := " WHERE " + strings.Join(where, " AND ")
	total, err := tx.count(`SELECT COUNT(*) FROM pledges p`+w, args...)
	if err != nil {
		return nil, 0, err
	}
	ps, err := queryPledges(tx.ctx, tx.tx, w+` ORDER BY p.id DESC LIMIT ? OFFSET ?`, append(args, p.Limit, p.Offset)...)
	return ps, total, err
}

// AnnouncementsPage lists a page of announcements, the newest first,
// with the number of all.
func (tx *Tx) AnnouncementsPage(p Page) ([]cd.Announcement, int, error) {
	total, err := tx.count(`SELECT COUNT(*) FROM announcements`)
	if err != nil {
		return nil, 0, err
	}
	as, err := tx.announcements(`ORDER BY id DESC LIMIT ? OFFSET ?`, p.Limit, p.Offset)
	return as, total, err
}
