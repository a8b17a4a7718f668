package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Enqueue adds a message to the outbox. With a DedupKey that is already
// there, nothing is added and inserted is false. The item's ID is set when
// it is inserted.
func (tx *Tx) Enqueue(item *cd.OutboxItem) (inserted bool, err error) {
	body, err := json.Marshal(item.Message)
	if err != nil {
		return false, fmt.Errorf("encode outbox message: %w", err)
	}
	if item.Kind == "" {
		item.Kind = cd.OutboxNotify
	}
	if item.Lane == "" {
		item.Lane = cd.LaneBulk
		if item.Kind == cd.OutboxReply {
			item.Lane = cd.LaneInteractive
		}
	}
	notBefore := item.NotBefore
	if notBefore.IsZero() {
		notBefore = tx.now
	}
	err = tx.tx.QueryRowContext(tx.ctx, `INSERT INTO outbox (platform, chat_id, member_id, kind, dedup_key, body,
		not_before, created_at, announcement_id, lane) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING
		RETURNING id`,
		item.To.Platform, item.To.ChatID, nullInt(item.MemberID), item.Kind, nullString(item.DedupKey), string(body),
		fmtTime(notBefore), fmtTime(tx.now), nullInt(item.AnnouncementID), item.Lane).Scan(&item.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue message to %s: %w", cd.Key(item.To.Platform, item.To.ChatID), err)
	}
	item.Status, item.CreatedAt, item.NotBefore = cd.OutboxPending, tx.now, notBefore
	tx.tell(NotifyOutbox, string(item.To.Platform))
	return true, nil
}

// AddressOf returns where to reach a member: the most recently used chat
// account that the platform has not refused, else the most recent one.
// ok is false when the member has no chat account at all.
func (tx *Tx) AddressOf(memberID int64) (addr cd.Address, ok bool, err error) {
	ids, err := identitiesOf(tx.ctx, tx.tx, memberID)
	if err != nil || len(ids) == 0 {
		return cd.Address{}, false, err
	}
	for _, id := range ids {
		if !id.Unreachable {
			return cd.Address{Platform: id.Platform, ChatID: id.ChatID}, true, nil
		}
	}
	return cd.Address{Platform: ids[0].Platform, ChatID: ids[0].ChatID}, true, nil
}

// DueOutbox returns up to limit pending messages for a platform whose time
// has come, in the order they fell due (oldest first), whatever their lane
// and chat: a listing. The sender reads with DueHeads.
func (db *DB) DueOutbox(ctx context.Context, p cd.Platform, limit int) ([]cd.OutboxItem, error) {
	var out []cd.OutboxItem
	err := db.view(ctx, func(t *dbTx) error {
		var err error
		out, err = queryOutbox(ctx, t, `SELECT `+outboxColumns+` FROM outbox
			WHERE platform = ? AND status = 'pending' AND not_before <= ? ORDER BY not_before, id LIMIT ?`,
			p, fmtTime(db.Now()), limit)
		if err != nil {
			return fmt.Errorf("read due outbox of %s: %w", p, err)
		}
		return nil
	})
	return out, err
}

const outboxColumns = `id, platform, chat_id, COALESCE(member_id, 0), kind, COALESCE(dedup_key, ''), body, status, attempts,
	last_error, not_before, created_at, COALESCE(announcement_id, 0), lane`

func queryOutbox(ctx context.Context, q querier, query string, args ...any) ([]cd.OutboxItem, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cd.OutboxItem
	for rows.Next() {
		var it cd.OutboxItem
		var body string
		var notBefore, created sql.NullString
		if err := rows.Scan(&it.ID, &it.To.Platform, &it.To.ChatID, &it.MemberID, &it.Kind, &it.DedupKey, &body,
			&it.Status, &it.Attempts, &it.LastError, &notBefore, &created, &it.AnnouncementID, &it.Lane); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &it.Message); err != nil {
			return nil, fmt.Errorf("decode outbox message %d: %w", it.ID, err)
		}
		it.NotBefore, it.CreatedAt = parseTime(notBefore), parseTime(created)
		out = append(out, it)
	}
	return out, rows.Err()
}

// NextDue returns when the next pending message of a platform falls due
// after now, or false when none is waiting for its time. (Messages due now
// that wait behind an earlier message of their chat become sendable when
// that one is sent or falls due.)
func (db *DB) NextDue(ctx context.Context, p cd.Platform) (time.Time, bool, error) {
	var s sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT MIN(not_before) FROM outbox WHERE platform = ? AND status = 'pending'
		AND not_before > ?`, p, fmtTime(db.Now())).Scan(&s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox of %s: %w", p, err)
	}
	return parseTime(s), s.Valid, nil
}

// MarkSent records a delivered message.
func (db *DB) MarkSent(ctx context.Context, id int64) error {
	return db.setOutbox(ctx, id, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, claimed_by = NULL, claim_until = NULL WHERE id = ?`,
		fmtTime(db.Now()), id)
}

// MarkRetry records a failed attempt and when to try again. counted is
// false for a pause the platform asked for (a rate limit), which is not a
// failure of the message.
func (db *DB) MarkRetry(ctx context.Context, id int64, reason string, at time.Time, counted bool) error {
	inc := 0
	if counted {
		inc = 1
	}
	return db.setOutbox(ctx, id, `UPDATE outbox SET attempts = attempts + ?, last_error = ?, not_before = ?, claimed_by = NULL, claim_until = NULL WHERE id = ?`,
		inc, reason, fmtTime(at), id)
}

// MarkUndeliverable records that a platform refused a chat (the person
// blocked the bot, or the chat is gone): the chat account is marked
// unreachable and the message failed as such. A message the bot sent on
// its own to a member (not a reply) then goes to the member's next
// reachable account, on another platform if they linked one, in the same
// transaction.
func (db *DB) MarkUndeliverable(ctx context.Context, id int64, p cd.Platform, chatID, reason string) error {
	return db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE identities SET unreachable_at = ?, unreachable_reason = ?
			WHERE platform = ? AND chat_id = ?`, fmtTime(tx.now), reason, p, chatID); err != nil {
			return fmt.Errorf("mark %s unreachable: %w", cd.Key(p, chatID), err)
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', unreachable = 1, attempts = attempts + 1,
			last_error = ?, claimed_by = NULL, claim_until = NULL WHERE id = ?`, reason, id); err != nil {
			return fmt.Errorf("fail outbox message %d: %w", id, err)
		}
		var member, announcement int64
		var kind, body, dedup, lane string
		err := tx.tx.QueryRowContext(ctx, `SELECT COALESCE(member_id, 0), kind, body, COALESCE(dedup_key, ''),
			COALESCE(announcement_id, 0), lane FROM outbox WHERE id = ?`, id).Scan(&member, &kind, &body, &dedup, &announcement, &lane)
		if err != nil {
			return fmt.Errorf("read outbox message %d: %w", id, err)
		}
		if member == 0 || kind != cd.OutboxNotify {
			return nil
		}
		addr, ok, err := tx.AddressOf(member)
		if err != nil || !ok {
			return err
		}
		if ids, err := identitiesOf(ctx, tx.tx, member); err != nil {
			return err
		} else if allUnreachable(ids) {
			return nil
		}
		if dedup != "" {
			dedup += "/" + string(addr.Platform)
		}
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO outbox (platform, chat_id, member_id, kind, dedup_key, body, not_before,
			created_at, announcement_id, lane) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING`,
			addr.Platform, addr.ChatID, member, kind, nullString(dedup), body, fmtTime(tx.now), fmtTime(tx.now), nullInt(announcement), lane)
		if err != nil {
			return fmt.Errorf("reroute outbox message %d: %w", id, err)
		}
		tx.tell(NotifyOutbox, string(addr.Platform))
		return nil
	})
}

func allUnreachable(ids []cd.Identity) bool {
	for _, id := range ids {
		if !id.Unreachable {
			return false
		}
	}
	return true
}

// MarkFailed gives up on a message, keeping the reason.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	return db.setOutbox(ctx, id, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, claimed_by = NULL, claim_until = NULL
		WHERE id = ?`,
		reason, id)
}

func (db *DB) setOutbox(ctx context.Context, id int64, query string, args ...any) error {
	if _, err := db.exec(ctx, query, args...); err != nil {
		return fmt.Errorf("update outbox message %d: %w", id, err)
	}
	return nil
}

// OutboxCounts returns how many messages are in each status.
func (db *DB) OutboxCounts(ctx context.Context) (map[cd.OutboxStatus]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT status, COUNT(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	defer rows.Close()
	out := map[cd.OutboxStatus]int{}
	for rows.Next() {
		var s cd.OutboxStatus
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count outbox: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}
