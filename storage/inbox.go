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
//
// It takes no write lock (updateNoLock): one INSERT ... ON CONFLICT DO
// NOTHING is atomic on its own (a second insert of the key waits for the
// first to commit or roll back), and no serialized transaction reads
// other rows of the inbox than the one it applies, which it has locked
// (InboxTake). Ids are then drawn in the order the inserts begin, not the
// order they commit; a chat's order still holds: a platform sends a chat's
// next update only after the previous one was answered (Telegram's Bot
// API keeps one update per chat in flight to a webhook; polling stores a
// batch in one transaction, one poller at a time), and the answer comes
// after the commit, so a chat's next row is inserted, with a higher id,
// after the previous row is visible. The processor applies each chat's
// rows in id order and never one whose earlier row is pending before it.
func (db *DB) PutInbox(ctx context.Context, platform, key, chatKey string, payload []byte) (id int64, inserted bool, err error) {
	err = db.updateNoLock(ctx, func(tx *Tx) error {
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
// the update had been applied already: the caller must then roll back. On
// PostgreSQL the transaction must have taken the update with InboxTake
// first.
func (tx *Tx) InboxDone(id int64, errText string) (bool, error) {
	if tx.tx.pg && tx.took != id {
		return false, fmt.Errorf("mark update %d applied: not taken with InboxTake in this transaction", id)
	}
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE inbox SET processed_at = ?, error = ? WHERE id = ? AND processed_at IS NULL`,
		fmtTime(tx.now), errText, id)
	if err != nil {
		return false, fmt.Errorf("mark update %d applied: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// InboxTake takes the update id for this transaction, which will apply it
// (and mark it done with InboxDone); it must be the transaction's first
// statement. applied is true when the update was applied (or set aside)
// already: the caller does nothing. On PostgreSQL, where every instance's
// processor reads the same pending rows, it locks the update's row
// (SELECT ... FOR UPDATE SKIP LOCKED) before the write lock, and returns
// an error wrapping cd.ErrInboxBusy when another transaction holds it: the
// processor then leaves that chat to the other instance for now, having
// taken no write lock, instead of waiting for the lock only to find the
// update applied. The row lock ends with the transaction, also when its
// instance dies (its connection closes), so another instance takes the
// update over at its next look.
//
// Row lock first, write lock second, and never the other way round: a
// transaction holding the write lock never waits for the row of another's
// pending update, since only InboxTake locks pending rows (InboxFailed,
// which may wait for one, takes no write lock; PruneInbox deletes applied
// rows only), so the two locks cannot deadlock.
func (tx *Tx) InboxTake(id int64) (applied bool, err error) {
	if !tx.tx.pg { // one writer: the update is this transaction's
		var n int
		err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM inbox WHERE id = ? AND processed_at IS NULL`, id).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("take update %d: %w", id, err)
		}
		return n == 0, nil
	}
	if tx.tx.locked {
		return false, fmt.Errorf("take update %d: after the write lock (InboxTake must come first)", id)
	}
	var got int64
	err = tx.tx.QueryRowBeforeLock(tx.ctx, `SELECT id FROM inbox WHERE id = ? AND processed_at IS NULL FOR UPDATE SKIP LOCKED`, id).Scan(&got)
	if err == nil {
		tx.took = id
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("take update %d: %w", id, err)
	}
	var n int
	err = tx.tx.QueryRowBeforeLock(tx.ctx, `SELECT COUNT(*) FROM inbox WHERE id = ? AND processed_at IS NULL`, id).Scan(&n)
	switch {
	case err != nil:
		return false, fmt.Errorf("take update %d: %w", id, err)
	case n == 0: // applied, set aside, or pruned since
		return true, nil
	}
	return false, fmt.Errorf("take update %d: %w", id, cd.ErrInboxBusy)
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
//
// It takes no write lock (execNoLock): one conditional UPDATE of one row,
// atomic on its own. If another instance is applying the update (its row
// locked by InboxTake), it waits for that transaction and then finds the
// update applied, or sets it aside after a rollback. Holding the write
// lock while waiting for that row could deadlock with the applying
// transaction, which waits for the write lock while holding the row.
func (db *DB) InboxFailed(ctx context.Context, id int64, errText string) error {
	_, err := db.execNoLock(ctx, `UPDATE inbox SET processed_at = ?, error = ? WHERE id = ? AND processed_at IS NULL`,
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
//
// It takes no write lock (updateNoLock), as PutInbox: the inserts as
// there; the offset is one upsert of one key, written only by the poller
// (one at a time, under its lease) and read only outside write
// transactions (by the poller when it starts).
func (db *DB) PutInboxBatch(ctx context.Context, platform string, entries []cd.InboxEntry, key, value string) (int, error) {
	inserted := 0
	err := db.updateNoLock(ctx, func(tx *Tx) error {
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
