package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// CreateLinkCode stores a new one-time code for a member's account,
// valid until expires. Earlier unused codes of the member stop working.
// It reports false when the code exists already (draw another).
func (tx *Tx) CreateLinkCode(code string, memberID int64, p cd.Platform, userID string, expires time.Time) (bool, error) {
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE link_codes SET expires_at = ? WHERE member_id = ? AND used_at IS NULL
		AND expires_at > ?`, fmtTime(tx.now), memberID, fmtTime(tx.now)); err != nil {
		return false, fmt.Errorf("retire link codes of member %d: %w", memberID, err)
	}
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO link_codes (code, member_id, platform, user_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, code, memberID, p, userID, fmtTime(tx.now), fmtTime(expires))
	if err != nil {
		return false, fmt.Errorf("store link code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// UseLinkCode takes a code for the account by: it returns the member the
// code belongs to, or a domain error: not found, expired, or used.
func (tx *Tx) UseLinkCode(code, by string) (int64, error) {
	var member int64
	var expires, used sql.NullString
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT member_id, expires_at, used_at FROM link_codes WHERE code = ?`, code).
		Scan(&member, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, cd.Invalid(cd.ReasonLinkCodeWrong)
	}
	if err != nil {
		return 0, fmt.Errorf("read link code: %w", err)
	}
	switch {
	case used.Valid:
		return 0, cd.Invalid(cd.ReasonLinkCodeUsed)
	case !parseTime(expires).After(tx.now):
		return 0, cd.Invalid(cd.ReasonLinkCodeExpired)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE link_codes SET used_at = ?, used_by = ? WHERE code = ?`,
		fmtTime(tx.now), by, code); err != nil {
		return 0, fmt.Errorf("use link code: %w", err)
	}
	return member, nil
}
