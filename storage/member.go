package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const memberColumns = `m.id, m.full_name, m.unit_id, m.role, m.status, COALESCE(m.phone, ''),
	m.consent_at, m.registered_at, m.decided_at, COALESCE(m.decided_by, 0), m.note, m.deleted_at,
	u.name, u.code`

const memberFrom = ` FROM members m JOIN units u ON u.id = m.unit_id `

func scanMember(sc interface{ Scan(...any) error }) (*cd.Member, error) {
	var m cd.Member
	var consent, registered, decided, deleted sql.NullString
	if err := sc.Scan(&m.ID, &m.FullName, &m.UnitID, &m.Role, &m.Status, &m.Phone,
		&consent, &registered, &decided, &m.DecidedBy, &m.Note, &deleted, &m.UnitName, &m.UnitCode); err != nil {
		return nil, err
	}
	m.ConsentAt, m.RegisteredAt = parseTime(consent), parseTime(registered)
	m.DecidedAt, m.DeletedAt = parseTime(decided), parseTime(deleted)
	return &m, nil
}

func queryMembers(ctx context.Context, q querier, where string, args ...any) ([]cd.Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+memberColumns+memberFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query members: %w", err)
	}
	defer rows.Close()
	var out []cd.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("scan member: %w", err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query members: %w", err)
	}
	return out, nil
}

// MemberByID returns a member, or an ENOTFOUND error.
func (tx *Tx) MemberByID(id int64) (*cd.Member, error) {
	m, err := scanMember(tx.tx.QueryRowContext(tx.ctx, `SELECT `+memberColumns+memberFrom+`WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonMemberNotFound, "member %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("member %d: %w", id, err)
	}
	return m, nil
}

// MemberByIdentity returns the member a chat account belongs to, or nil if
// the account is not linked to anyone.
func (tx *Tx) MemberByIdentity(p cd.Platform, userID string) (*cd.Member, error) {
	m, err := scanMember(tx.tx.QueryRowContext(tx.ctx, `SELECT `+memberColumns+memberFrom+`
		JOIN identities i ON i.member_id = m.id WHERE i.platform = ? AND i.user_id = ?`, p, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("member of %s: %w", cd.Key(p, userID), err)
	}
	return m, nil
}

// CreateMember stores a new member and links the chat account to it. The
// member's ID is set.
func (tx *Tx) CreateMember(m *cd.Member, id cd.Identity) error {
	if _, ok := cd.ParseRole(string(m.Role)); !ok {
		return cd.Errorf(cd.EINVALID, cd.ReasonRole, "role %q", m.Role)
	}
	if m.RegisteredAt.IsZero() {
		m.RegisteredAt = tx.now
	}
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO members
		(full_name, unit_id, role, status, phone, consent_at, registered_at, decided_at, decided_by, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.FullName, m.UnitID, m.Role, m.Status, nullString(m.Phone), nullTime(m.ConsentAt),
		fmtTime(m.RegisteredAt), nullTime(m.DecidedAt), nullInt(m.DecidedBy), m.Note).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("insert member: %w", err)
	}
	id.MemberID = m.ID
	return tx.LinkIdentity(id)
}

// ReRegister reuses a rejected member's row for a new application.
func (tx *Tx) ReRegister(m *cd.Member) error {
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE members SET full_name = ?, unit_id = ?, role = 'member',
		status = 'pending', phone = ?, consent_at = ?, registered_at = ?, decided_at = NULL,
		decided_by = NULL, note = '' WHERE id = ? AND status = 'rejected'`,
		m.FullName, m.UnitID, nullString(m.Phone), nullTime(m.ConsentAt), fmtTime(tx.now), m.ID)
	if err != nil {
		return fmt.Errorf("re-register member %d: %w", m.ID, err)
	}
	return nil
}

// SetMemberStatus records a decision on a member: approval, rejection or
// leaving. from is the status the member must still be in, so that two
// chairs deciding at once cannot both win.
func (tx *Tx) SetMemberStatus(memberID int64, from, to cd.Status, by int64, note string) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE members SET status = ?, decided_at = ?, decided_by = ?, note = ?
		WHERE id = ? AND status = ?`, to, fmtTime(tx.now), nullInt(by), note, memberID, from)
	if err != nil {
		return fmt.Errorf("set status of member %d: %w", memberID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonMemberState, "member %d is not %s", memberID, from)
	}
	return nil
}

// SetMemberRole changes a member's role and, for chairs and deputies, the
// unit they belong to.
func (tx *Tx) SetMemberRole(memberID int64, role cd.Role, unitID int64) error {
	if _, ok := cd.ParseRole(string(role)); !ok {
		return cd.Errorf(cd.EINVALID, cd.ReasonRole, "role %q", role)
	}
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE members SET role = ?, unit_id = ? WHERE id = ? AND status = 'active'`,
		role, unitID, memberID)
	if err != nil {
		return fmt.Errorf("set role of member %d: %w", memberID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonMemberState, "member %d is not active", memberID)
	}
	return nil
}

// SetMemberPhone stores or clears a member's phone number.
func (tx *Tx) SetMemberPhone(memberID int64, phone string) error {
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE members SET phone = ? WHERE id = ?`, nullString(phone), memberID)
	if err != nil {
		return fmt.Errorf("set phone of member %d: %w", memberID, err)
	}
	return nil
}

// EraseMember deletes a member's personal data: the name becomes empty, the
// phone and every chat identity are removed, and the member is marked as
// left. The row stays so that counts and reports that include the member
// keep adding up, anonymised.
func (tx *Tx) EraseMember(memberID int64) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM flows WHERE (platform, user_id) IN
		(SELECT platform, user_id FROM identities WHERE member_id = ?)`, memberID); err != nil {
		return fmt.Errorf("erase flows of member %d: %w", memberID, err)
	}
	// Photos the member sent with reports are personal data too.
	if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM media WHERE 'media:' || id IN
		(SELECT photo FROM activities WHERE member_id = ? AND photo LIKE 'media:%')`, memberID); err != nil {
		return fmt.Errorf("erase photos of member %d: %w", memberID, err)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE activities SET photo = '' WHERE member_id = ? AND photo <> ''`, memberID); err != nil {
		return fmt.Errorf("erase photo references of member %d: %w", memberID, err)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM identities WHERE member_id = ?`, memberID); err != nil {
		return fmt.Errorf("erase identities of member %d: %w", memberID, err)
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE members SET full_name = '', phone = NULL, note = '', status = 'left',
		role = 'member', deleted_at = ? WHERE id = ?`, fmtTime(tx.now), memberID)
	if err != nil {
		return fmt.Errorf("erase member %d: %w", memberID, err)
	}
	return nil
}

// Members lists members by unit and name.
func (tx *Tx) Members(f cd.MemberFilter) ([]cd.Member, error) { return listMembers(tx.ctx, tx.tx, f) }

// memberWhere adds to where the conditions of f on unit, status and
// roles (not its search), with their arguments.
func memberWhere(where []string, f cd.MemberFilter) ([]string, []any) {
	var args []any
	switch {
	case f.UnitID != 0 && f.WithSubUnits:
		where = append(where, "(m.unit_id = ? OR m.unit_id IN (SELECT id FROM units WHERE parent_id = ?))")
		args = append(args, f.UnitID, f.UnitID)
	case f.UnitID != 0:
		where = append(where, "m.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.Status != "" {
		where = append(where, "m.status = ?")
		args = append(args, f.Status)
	} else {
		where = append(where, "m.status <> 'left'")
	}
	if len(f.Roles) > 0 {
		where = append(where, "m.role IN (?"+strings.Repeat(", ?", len(f.Roles)-1)+")")
		for _, r := range f.Roles {
			args = append(args, r)
		}
	}
	return where, args
}

func listMembers(ctx context.Context, q querier, f cd.MemberFilter) ([]cd.Member, error) {
	where, args := memberWhere([]string{"1 = 1"}, f)
	ms, err := queryMembers(ctx, q, "WHERE "+strings.Join(where, " AND ")+" ORDER BY u.name, m.full_name, m.id", args...)
	if err != nil {
		return nil, err
	}
	words := strings.Fields(cd.Fold(f.Search))
	out := ms[:0]
	for _, m := range ms {
		if matchesAll(cd.Fold(m.FullName), words) {
			out = append(out, m)
		}
	}
	// By unit, then as Vietnamese lists go: by given name.
	sort.SliceStable(out, func(i, j int) bool {
		if c := cd.CompareVietnamese(out[i].UnitName, out[j].UnitName); c != 0 {
			return c < 0
		}
		return cd.CompareNames(out[i].FullName, out[j].FullName) < 0
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// UnitManagers returns the active chair and deputy chairs of a unit.
func (tx *Tx) UnitManagers(unitID int64) ([]cd.Member, error) {
	return listMembers(tx.ctx, tx.tx, cd.MemberFilter{UnitID: unitID, Status: cd.StatusActive,
		Roles: []cd.Role{cd.RoleChair, cd.RoleDeputy}})
}

// ProvinceAdmins returns the active province admins.
func (tx *Tx) ProvinceAdmins() ([]cd.Member, error) {
	return listMembers(tx.ctx, tx.tx, cd.MemberFilter{Status: cd.StatusActive, Roles: []cd.Role{cd.RoleProvinceAdmin}})
}

// LinkIdentity links a chat account to a member.
func (tx *Tx) LinkIdentity(id cd.Identity) error {
	if id.MemberID == 0 || id.Platform == "" || id.UserID == "" {
		return fmt.Errorf("link identity: member, platform and user id are required")
	}
	if id.ChatID == "" {
		id.ChatID = id.UserID
	}
	// ON CONFLICT rather than a failed statement: on PostgreSQL an error
	// would abort the caller's transaction, which goes on after a conflict.
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO identities
		(member_id, platform, user_id, chat_id, display_name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, user_id) DO NOTHING`,
		id.MemberID, id.Platform, id.UserID, id.ChatID, id.DisplayName, fmtTime(tx.now), fmtTime(tx.now))
	if err != nil {
		return fmt.Errorf("link identity %s: %w", cd.Key(id.Platform, id.UserID), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonIdentityTaken, "%s", cd.Key(id.Platform, id.UserID))
	}
	return nil
}

// TouchIdentity records that a chat account was just heard from, in which
// chat and under which display name; a chat heard from is reachable again.
func (tx *Tx) TouchIdentity(p cd.Platform, userID, chatID, displayName string) error {
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE identities SET chat_id = ?, display_name = ?, last_seen_at = ?,
		unreachable_at = NULL, unreachable_reason = '' WHERE platform = ? AND user_id = ?`,
		chatID, displayName, fmtTime(tx.now), p, userID)
	if err != nil {
		return fmt.Errorf("touch identity %s: %w", cd.Key(p, userID), err)
	}
	return nil
}

// Identities returns a member's chat accounts, the most recently used first.
func (tx *Tx) Identities(memberID int64) ([]cd.Identity, error) {
	return identitiesOf(tx.ctx, tx.tx, memberID)
}

func identitiesOf(ctx context.Context, q querier, memberID int64) ([]cd.Identity, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, member_id, platform, user_id, chat_id, display_name, last_seen_at,
		unreachable_at, unreachable_reason FROM identities WHERE member_id = ? ORDER BY last_seen_at DESC, id DESC`, memberID)
	if err != nil {
		return nil, fmt.Errorf("identities of member %d: %w", memberID, err)
	}
	defer rows.Close()
	var out []cd.Identity
	for rows.Next() {
		var id cd.Identity
		var seen, unreachable sql.NullString
		if err := rows.Scan(&id.ID, &id.MemberID, &id.Platform, &id.UserID, &id.ChatID, &id.DisplayName, &seen,
			&unreachable, &id.UnreachableReason); err != nil {
			return nil, fmt.Errorf("identities of member %d: %w", memberID, err)
		}
		id.LastSeenAt = parseTime(seen)
		id.Unreachable = unreachable.Valid
		out = append(out, id)
	}
	return out, rows.Err()
}

// MarkUnreachable records that a platform refused delivery to a chat (the
// person blocked the bot or the chat is gone).
func (db *DB) MarkUnreachable(ctx context.Context, p cd.Platform, chatID, reason string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, `UPDATE identities SET unreachable_at = ?, unreachable_reason = ?
			WHERE platform = ? AND chat_id = ?`, fmtTime(tx.now), reason, p, chatID)
		if err != nil {
			return fmt.Errorf("mark %s unreachable: %w", cd.Key(p, chatID), err)
		}
		return nil
	})
}

// ExportMembers calls fn for every member, in id order, on a read snapshot.
// Platforms lists the platforms of each member's chat accounts.
func (db *DB) ExportMembers(ctx context.Context, fn func(cd.Member) error) error {
	return db.view(ctx, func(t *dbTx) error {
		rows, err := t.QueryContext(ctx, `SELECT `+memberColumns+`,
			COALESCE((SELECT string_agg(platform, ' ' ORDER BY platform) FROM (SELECT DISTINCT platform
				FROM identities i WHERE i.member_id = m.id) AS ps), '')`+memberFrom+`ORDER BY m.id`)
		if err != nil {
			return fmt.Errorf("export members: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var platforms string
			m, err := scanMember(scanAppend{rows, &platforms})
			if err != nil {
				return fmt.Errorf("export members: %w", err)
			}
			m.Platforms = strings.Fields(platforms)
			if err := fn(*m); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// scanAppend lets a scan helper read extra columns after its own.
type scanAppend struct {
	sc    interface{ Scan(...any) error }
	extra any
}

func (s scanAppend) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra)...) }

// UnreachableMembers lists the active members of a grassroots union (its
// sub-units included) whom no platform lets the bot reach: every chat
// account of theirs was refused (blocked, gone).
func (tx *Tx) UnreachableMembers(unitID int64) ([]cd.Member, error) {
	return queryMembers(tx.ctx, tx.tx, `WHERE m.status = 'active'
		AND (m.unit_id = ? OR m.unit_id IN (SELECT id FROM units WHERE parent_id = ?))
		AND EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id)
		AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id AND i.unreachable_at IS NULL)
		ORDER BY m.full_name`, unitID, unitID)
}
