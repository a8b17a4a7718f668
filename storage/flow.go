package storage

import (
	"database/sql"
	"errors"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// Flow returns the stored state of the conversation in progress with a
// chat account, or "" when there is none. The state is opaque here: the
// conversation core encodes it.
func (tx *Tx) Flow(p cd.Platform, userID string) (string, error) {
	var state string
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT state FROM flows WHERE platform = ? AND user_id = ?`, p, userID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load flow of %s: %w", cd.Key(p, userID), err)
	}
	return state, nil
}

// SaveFlow stores the state of a conversation; an empty state deletes it.
func (tx *Tx) SaveFlow(p cd.Platform, userID, state string) error {
	var err error
	if state == "" {
		_, err = tx.tx.ExecContext(tx.ctx, `DELETE FROM flows WHERE platform = ? AND user_id = ?`, p, userID)
	} else {
		_, err = tx.tx.ExecContext(tx.ctx, `INSERT INTO flows (platform, user_id, state, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (platform, user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
			p, userID, state, fmtTime(tx.now))
	}
	if err != nil {
		return fmt.Errorf("save flow of %s: %w", cd.Key(p, userID), err)
	}
	return nil
}
