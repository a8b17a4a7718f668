package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// PutInbox records a received update. The same (platform, key) twice is
// stored once: inserted is false the second time.
func (db *DB) PutInbox(ctx context.Context, platform, key, chatKey string, payload []byte) (id int64, inserted bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		err := tx.tx.QueryRowContext(ctx, `INSERT INTO inbox (platform, update_key, chat_key, payload, received_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, update_key) DO NOTHING RETURNING id`,
			platform, key, chatKey, payload, fmtTime(tx.now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store update %s/%s: %w", platform, key, err)
		}
		inserted = true
		tx.tell(NotifyInbox, platform)
		return nil
	})
	return id, inserted, err
}

// PendingInbox returns up to limit updates of a platform not yet applied,
// in the order received.
func (db *DB) PendingInbox(ctx context.Context, platform string, limit int) ([]cd.InboxItem, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, platform, update_key, chat_key, payload FROM inbox
		WHERE platform = ? AND processed_at IS NULL ORDER BY id LIMIT ?`, platform, limit)
	if err != nil {
		return nil, classify(fmt.Errorf("read pending updates of %s: %w", platform, err))
	}
	defer rows.Close()
	var out []cd.InboxItem
	for rows.Next() {
		var it cd.InboxItem
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

// InboxApplied is true when the update id has been applied (or set
// aside) already. Read in the write transaction, it sees every commit
// before it: an instance finding an update another applied skips it.
func (tx *Tx) InboxApplied(id int64) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM inbox WHERE id = ? AND processed_at IS NOT NULL`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read update %d: %w", id, err)
	}
	return n > 0, nil
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
	_, err := db.exec(ctx, `INSERT INTO kv (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return classify(fmt.Errorf("store setting %s: %w", key, err))
	}
	return nil
}

// InboxFailed sets aside an update the core failed on too often, so that
// it is not handed out again; the error is kept with it.
func (db *DB) InboxFailed(ctx context.Context, id int64, errText string) error {
	_, err := db.exec(ctx, `UPDATE inbox SET processed_at = ?, error = ? WHERE id = ? AND processed_at IS NULL`,
		fmtTime(db.Now()), errText, id)
	if err != nil {
		return classify(fmt.Errorf("set aside update %d: %w", id, err))
	}
	return nil
}

// PruneInbox deletes applied updates received before a time and returns
// how many. Platforms re-send an update for a day at most, and Telegram
// may reuse update ids after a week of silence, so old rows must go.
func (db *DB) PruneInbox(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.exec(ctx, `DELETE FROM inbox WHERE processed_at IS NOT NULL AND received_at < ?`, fmtTime(before))
	if err != nil {
		return 0, classify(fmt.Errorf("prune inbox: %w", err))
	}
	return res.RowsAffected()
}

// InboxCount is the number of updates of a platform stored, applied or not.
func (db *DB) InboxCount(ctx context.Context, platform string) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE platform = ?`, platform).Scan(&n); err != nil {
		return 0, fmt.Errorf("count updates of %s: %w", platform, err)
	}
	return n, nil
}

// PutInboxBatch stores a batch of received updates and, in the same
// transaction, a setting (the polling offset that will confirm the batch
// to the platform). Updates stored before are skipped. It returns how many
// were new.
func (db *DB) PutInboxBatch(ctx context.Context, platform string, entries []cd.InboxEntry, key, value string) (int, error) {
	inserted := 0
	err := db.Update(ctx, func(tx *Tx) error {
		stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO inbox (platform, update_key, chat_key, payload, received_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, update_key) DO NOTHING`)
		if err != nil {
			return fmt.Errorf("store updates of %s: %w", platform, err)
		}
		defer stmt.Close()
		for _, e := range entries {
			res, err := stmt.ExecContext(ctx, platform, e.Key, e.ChatKey, e.Payload, fmtTime(tx.now))
			if err != nil {
				return fmt.Errorf("store update %s/%s: %w", platform, e.Key, err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				inserted++
			}
		}
		if inserted > 0 {
			tx.tell(NotifyInbox, platform)
		}
		if key == "" {
			return nil
		}
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO kv (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return fmt.Errorf("store setting %s: %w", key, err)
		}
		return nil
	})
	if err != nil {
		inserted = 0
	}
	return inserted, err
}
