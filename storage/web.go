package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// View runs fn in a read-only transaction on the reader pool: a consistent
// snapshot that never blocks the writer. The Tx's read methods work as in
// Update; its write methods fail. The web dashboard reads through it.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.view(ctx, func(t *sql.Tx) error {
		return fn(&Tx{ctx: ctx, tx: t, now: db.Now()})
	})
}

// Errors of UseWebLogin: the link is unknown, was used already, or is
// too old. The web dashboard says which.
var (
	ErrWebLoginUnknown = errors.New("web sign-in link unknown")
	ErrWebLoginUsed    = errors.New("web sign-in link used already")
	ErrWebLoginExpired = errors.New("web sign-in link expired")
)

// CreateWebLogin stores the hash of a one-time sign-in link for a member,
// valid until expires. The member's earlier unused links stop working.
func (tx *Tx) CreateWebLogin(tokenHash string, memberID int64, expires time.Time) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE web_logins SET expires_at = ? WHERE member_id = ? AND used_at IS NULL
		AND expires_at > ?`, fmtTime(tx.now), memberID, fmtTime(tx.now)); err != nil {
		return fmt.Errorf("retire web links of member %d: %w", memberID, err)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO web_logins (token_hash, member_id, created_at, expires_at)
		VALUES (?, ?, ?, ?)`, tokenHash, memberID, fmtTime(tx.now), fmtTime(expires)); err != nil {
		return fmt.Errorf("store web link of member %d: %w", memberID, err)
	}
	return nil
}

// UseWebLogin takes a sign-in link by the hash of its token, once: it
// returns the member it was made for, or ErrWebLoginUnknown, Used or
// Expired.
func (tx *Tx) UseWebLogin(tokenHash string) (int64, error) {
	var member int64
	var expires, used sql.NullString
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT member_id, expires_at, used_at FROM web_logins WHERE token_hash = ?`,
		tokenHash).Scan(&member, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, ErrWebLoginUnknown
	case err != nil:
		return 0, fmt.Errorf("read web link: %w", err)
	case used.Valid:
		return 0, ErrWebLoginUsed
	case !parseTime(expires).After(tx.now):
		return 0, ErrWebLoginExpired
	}
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE web_logins SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`,
		fmtTime(tx.now), tokenHash)
	if err != nil {
		return 0, fmt.Errorf("use web link: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, ErrWebLoginUsed
	}
	return member, nil
}

// CreateWebSession stores a browser session by the hash of its cookie.
func (tx *Tx) CreateWebSession(idHash string, memberID int64) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO web_sessions (id_hash, member_id, created_at, last_seen_at)
		VALUES (?, ?, ?, ?)`, idHash, memberID, fmtTime(tx.now), fmtTime(tx.now)); err != nil {
		return fmt.Errorf("store web session of member %d: %w", memberID, err)
	}
	return nil
}

// WebSession returns the member of a session and when it was last used,
// or 0 when there is no such session.
func (tx *Tx) WebSession(idHash string) (int64, time.Time, error) {
	var member int64
	var seen sql.NullString
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT member_id, last_seen_at FROM web_sessions WHERE id_hash = ?`, idHash).
		Scan(&member, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("read web session: %w", err)
	}
	return member, parseTime(seen), nil
}

// TouchWebSession records that a session was just used.
func (tx *Tx) TouchWebSession(idHash string) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?`,
		fmtTime(tx.now), idHash); err != nil {
		return fmt.Errorf("touch web session: %w", err)
	}
	return nil
}

// EndWebSession deletes a session (signing out, or one found expired or
// no longer allowed).
func (tx *Tx) EndWebSession(idHash string) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM web_sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("end web session: %w", err)
	}
	return nil
}

// EndWebSessionsBefore deletes the sessions idle since before t, and the
// sign-in links that expired before it.
func (tx *Tx) EndWebSessionsBefore(t time.Time) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM web_sessions WHERE last_seen_at < ?`, fmtTime(t)); err != nil {
		return fmt.Errorf("prune web sessions: %w", err)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM web_logins WHERE expires_at < ?`, fmtTime(t)); err != nil {
		return fmt.Errorf("prune web links: %w", err)
	}
	return nil
}
