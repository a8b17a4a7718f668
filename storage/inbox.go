package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// InboxItem is an update received from a platform and not yet applied.
type InboxItem struct {
	ID        int64
	Platform  string
	UpdateKey string
	ChatKey   string
	Payload   []byte
}

// PutInbox records a received update. The same (platform, key) twice is
// stored once: inserted is false the second time.
func (db *DB) PutInbox(ctx context.Context, platform, key, chatKey string, payload []byte) (id int64, inserted bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO inbox (platform, update_key, chat_key, payload, received_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, update_key) DO NOTHING`, platform, key, chatKey, payload, fmtTime(tx.now))
		if err != nil {
			return fmt.Errorf("store update %s/%s: %w", platform, key, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		inserted = true
		id, err = res.LastInsertId()
		return err
	})
	return id, inserted, err
}

// PendingInbox returns up to limit updates of a platform not yet applied,
// in the order received.
func (db *DB) PendingInbox(ctx context.Context, platform string, limit int) ([]InboxItem, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, platform, update_key, chat_key, payload FROM inbox
		WHERE platform = ? AND processed_at IS NULL ORDER BY id LIMIT ?`, platform, limit)
	if err != nil {
		return nil, fmt.Errorf("read pending updates of %s: %w", platform, err)
	}
	defer rows.Close()
	var out []InboxItem
	for rows.Next() {
		var it InboxItem
		if err := rows.Scan(&it.ID, &it.Platform, &it.UpdateKey, &it.ChatKey, &it.Payload); err != nil {
			return nil, fmt.Errorf("read pending updates of %s: %w", platform, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// InboxDone marks an update as applied, in the transaction that applied it,
// with the error text if applying it failed for good. It reports false if
// the update had been applied already: the caller must then roll back.
func (tx *Tx) InboxDone(id int64, errText string) (bool, error) {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE inbox SET processed_at = ?, error = ? WHERE id = ? AND processed_at IS NULL`,
		fmtTime(tx.now), errText, id)
	if err != nil {
		return false, fmt.Errorf("mark update %d applied: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// KV returns a stored setting, or "" when it is not set.
func (db *DB) KV(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetKV stores a setting.
func (db *DB) SetKV(ctx context.Context, key, value string) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO kv (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store setting %s: %w", key, err)
	}
	return nil
}
