package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// The Zalo OA's tokens. The refresh token is single-use and Zalo has no
// idempotency key, so the steps of a refresh are each one transaction:
// ClaimOAToken marks the row exchanging before its refresh token leaves;
// StoreOARefresh inserts the new pair and marks the old row used together;
// a row still exchanging later is an exchange that was interrupted (its
// answer may be lost), which the next claim sees (Attempts > 0).

const oaTokenColumns = `id, access_token, access_expires_at, refresh_token, refresh_expires_at, status, created_at,
	claimed_by, claimed_at, attempts, note`

func scanOAToken(sc interface{ Scan(...any) error }) (*cd.OAToken, error) {
	var t cd.OAToken
	var access, refresh, created, claimed sql.NullString
	if err := sc.Scan(&t.ID, &t.AccessToken, &access, &t.RefreshToken, &refresh, &t.Status, &created,
		&t.ClaimedBy, &claimed, &t.Attempts, &t.Note); err != nil {
		return nil, err
	}
	t.AccessExpiresAt, t.RefreshExpiresAt = parseTime(access), parseTime(refresh)
	t.CreatedAt, t.ClaimedAt = parseTime(created), parseTime(claimed)
	return &t, nil
}

// OAToken returns the live pair of tokens, the newest row that is current,
// exchanging or lost; nil when the OA was never authorized.
func (db *DB) OAToken(ctx context.Context) (*cd.OAToken, error) {
	t, err := scanOAToken(db.read.QueryRowContext(ctx, `SELECT `+oaTokenColumns+` FROM zalo_oa_tokens
		WHERE status IN ('current', 'exchanging', 'lost') ORDER BY id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the Zalo OA tokens: %w", err)
	}
	return t, nil
}

// ClaimOAToken marks the live row exchanging for process by, before its
// refresh token is sent to Zalo: if it is current, if by claimed it
// before, or if another process's claim is older than lease (that process
// died mid-exchange). It returns the row as claimed, or nil when the row
// is no longer id or another process holds a fresh claim.
func (db *DB) ClaimOAToken(ctx context.Context, id int64, by string, lease time.Duration) (*cd.OAToken, error) {
	var out *cd.OAToken
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `UPDATE zalo_oa_tokens SET status = 'exchanging', claimed_by = ?, claimed_at = ?,
			attempts = attempts + 1 WHERE id = ? AND (status = 'current' OR (status = 'exchanging' AND (claimed_by = ? OR claimed_at < ?)))
			AND id = (SELECT MAX(id) FROM zalo_oa_tokens WHERE status IN ('current', 'exchanging', 'lost'))`,
			by, fmtTime(tx.now), id, by, fmtTime(tx.now.Add(-lease)))
		if err != nil {
			return fmt.Errorf("claim the Zalo OA refresh token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		out, err = scanOAToken(tx.tx.QueryRowContext(ctx, `SELECT `+oaTokenColumns+` FROM zalo_oa_tokens WHERE id = ?`, id))
		return err
	})
	return out, err
}

// StoreOARefresh stores the pair Zalo gave in exchange for the refresh
// token of row oldID, in one transaction: the old row becomes used, any
// other live row replaced (the new pair is the one Zalo knows now), and
// the new pair current.
func (db *DB) StoreOARefresh(ctx context.Context, oldID int64, t cd.OAToken) (*cd.OAToken, error) {
	var out *cd.OAToken
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE zalo_oa_tokens SET status = 'used', used_at = ? WHERE id = ?`,
			fmtTime(tx.now), oldID); err != nil {
			return fmt.Errorf("mark the old Zalo OA refresh token used: %w", err)
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE zalo_oa_tokens SET status = 'replaced'
			WHERE status IN ('current', 'exchanging', 'lost')`); err != nil {
			return fmt.Errorf("replace the old Zalo OA tokens: %w", err)
		}
		var err error
		out, err = tx.insertOAToken(t)
		return err
	})
	return out, err
}

func (tx *Tx) insertOAToken(t cd.OAToken) (*cd.OAToken, error) {
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO zalo_oa_tokens (access_token, access_expires_at, refresh_token,
		refresh_expires_at, status, created_at) VALUES (?, ?, ?, ?, 'current', ?)`,
		t.AccessToken, fmtTime(t.AccessExpiresAt), t.RefreshToken, fmtTime(t.RefreshExpiresAt), fmtTime(tx.now))
	if err != nil {
		return nil, fmt.Errorf("store the new Zalo OA tokens: %w", err)
	}
	t.ID, err = res.LastInsertId()
	t.Status, t.CreatedAt, t.ClaimedBy, t.ClaimedAt, t.Attempts, t.Note = cd.OATokenCurrent, tx.now, "", time.Time{}, 0, ""
	return &t, err
}

// ReleaseOAToken puts a claimed row back to current: Zalo answered the
// exchange with an error that did not consume the refresh token.
func (db *DB) ReleaseOAToken(ctx context.Context, id int64) error {
	_, err := db.write.ExecContext(ctx, `UPDATE zalo_oa_tokens SET status = 'current', claimed_by = '' WHERE id = ? AND status = 'exchanging'`, id)
	if err != nil {
		return fmt.Errorf("release the Zalo OA refresh token: %w", err)
	}
	return nil
}

// LoseOAToken records that Zalo refused the row's refresh token: only a
// new authorization can renew the tokens. The access token stays usable
// until it expires.
func (db *DB) LoseOAToken(ctx context.Context, id int64, note string) error {
	_, err := db.write.ExecContext(ctx, `UPDATE zalo_oa_tokens SET status = 'lost', note = ? WHERE id = ? AND status IN ('current', 'exchanging')`,
		note, id)
	if err != nil {
		return fmt.Errorf("mark the Zalo OA refresh token lost: %w", err)
	}
	return nil
}

// SaveOAAuthorization stores the pair of a new authorization (the code of
// `zalo-oa authorize` exchanged) as the live one; every earlier row is
// replaced.
func (db *DB) SaveOAAuthorization(ctx context.Context, t cd.OAToken) (*cd.OAToken, error) {
	var out *cd.OAToken
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE zalo_oa_tokens SET status = 'replaced' WHERE status IN ('current', 'exchanging', 'lost')`); err != nil {
			return fmt.Errorf("replace the old Zalo OA tokens: %w", err)
		}
		var err error
		out, err = tx.insertOAToken(t)
		return err
	})
	return out, err
}

// PutOAAuthRequest keeps the PKCE code verifier of a consent URL until
// expires.
func (db *DB) PutOAAuthRequest(ctx context.Context, state, verifier string, expires time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO zalo_oa_auth_requests (state, code_verifier, created_at, expires_at)
		VALUES (?, ?, ?, ?)`, state, verifier, fmtTime(db.Now()), fmtTime(expires))
	if err != nil {
		return fmt.Errorf("store the Zalo OA authorization request: %w", err)
	}
	return nil
}

// ErrNoOAAuthRequest is returned by OAAuthRequest when no consent URL
// printed (with that state) is waiting for its code.
var ErrNoOAAuthRequest = errors.New("no Zalo OA authorization is waiting for a code")

// OAAuthRequest returns the state and code verifier of the consent URL
// with the given state, or of the newest unexpired one when state is
// empty.
func (db *DB) OAAuthRequest(ctx context.Context, state string) (found, verifier string, err error) {
	q := `SELECT state, code_verifier FROM zalo_oa_auth_requests WHERE used_at IS NULL AND expires_at > ?`
	args := []any{fmtTime(db.Now())}
	if state != "" {
		q += ` AND state = ?`
		args = append(args, state)
	}
	err = db.read.QueryRowContext(ctx, q+` ORDER BY created_at DESC LIMIT 1`, args...).Scan(&found, &verifier)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrNoOAAuthRequest
	}
	if err != nil {
		return "", "", fmt.Errorf("read the Zalo OA authorization request: %w", err)
	}
	return found, verifier, nil
}

// UseOAAuthRequest marks a consent URL's verifier used, once its code was
// exchanged.
func (db *DB) UseOAAuthRequest(ctx context.Context, state string) error {
	_, err := db.write.ExecContext(ctx, `UPDATE zalo_oa_auth_requests SET used_at = ? WHERE state = ?`, fmtTime(db.Now()), state)
	if err != nil {
		return fmt.Errorf("mark the Zalo OA authorization request used: %w", err)
	}
	return nil
}
