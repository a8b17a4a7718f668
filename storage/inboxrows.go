package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// InboxRow is one stored update: its row id (the order it was stored in),
// the platform's update key, its chat, and when it was applied (zero
// while pending).
type InboxRow struct {
	ID        int64
	UpdateKey string
	ChatKey   string
	Applied   time.Time
	Error     string
}

// InboxRows lists a platform's stored updates in the order they were
// stored, without their payloads: what the fault tests check order and
// exactly-once against.
func (db *DB) InboxRows(ctx context.Context, platform string) ([]InboxRow, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, update_key, chat_key, processed_at, error FROM inbox
		WHERE platform = ? ORDER BY id`, platform)
	if err != nil {
		return nil, classify(fmt.Errorf("list updates of %s: %w", platform, err))
	}
	defer rows.Close()
	var out []InboxRow
	for rows.Next() {
		var r InboxRow
		var applied sql.NullString
		if err := rows.Scan(&r.ID, &r.UpdateKey, &r.ChatKey, &applied, &r.Error); err != nil {
			return nil, fmt.Errorf("list updates of %s: %w", platform, err)
		}
		r.Applied = parseTime(applied)
		out = append(out, r)
	}
	return out, rows.Err()
}
