package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Several instances on one PostgreSQL database share the work through
// leases and claims, both rows written under the write lock (see Update),
// so that taking one is atomic with checking that no one else holds it.

// InstancePrefix starts the lease name of a live instance; the rest is
// its id. LiveInstances counts them.
const InstancePrefix = "instance/"

// AcquireLease takes the lease name for holder, or renews it when holder
// has it, until now+ttl on the database's clock. ok is false while
// another holder's lease lasts.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (ok bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		var h string
		err := tx.tx.QueryRowContext(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE leases.holder = excluded.holder OR leases.expires_at <= ? RETURNING holder`,
			name, holder, fmtTime(tx.now.Add(ttl)), fmtTime(tx.now)).Scan(&h)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("take lease %s: %w", name, err)
		}
		ok = true
		return nil
	})
	return ok, err
}

// ReleaseLease gives up holder's lease name at once (a clean stop), so
// that another instance takes it without waiting for it to expire.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.exec(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return classify(fmt.Errorf("release lease %s: %w", name, err))
	}
	return nil
}

// LeaseHolder returns who holds the lease name now, or "" when no one
// does (never taken, released, or expired).
func (db *DB) LeaseHolder(ctx context.Context, name string) (string, error) {
	var h string
	err := db.read.QueryRowContext(ctx, `SELECT holder FROM leases WHERE name = ? AND expires_at > ?`,
		name, fmtTime(db.Now())).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read lease %s: %w", name, err)
	}
	return h, nil
}

// LiveInstances counts the instances whose lease (InstancePrefix + id)
// has not expired.
func (db *DB) LiveInstances(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM leases WHERE name LIKE ? AND expires_at > ?`,
		InstancePrefix+"%", fmtTime(db.Now())).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count live instances: %w", err)
	}
	return n, nil
}

// ClaimHeads is DueHeads for one of several instances sending from one
// outbox: it returns the messages DueHeads would that no other instance
// holds (see claimable), and claims them for holder until now+ttl in the
// same transaction. A message claimed by another instance holds its
// chat's later messages back as a pending one does, so a chat's messages
// still go out in order, one at a time, whichever instance sends them.
// The outcome (MarkSent, MarkRetry, ...) clears the claim. On SQLite (one
// instance) it is DueHeads.
//
// holder must be the instance id its heartbeat keeps alive (the lease
// InstancePrefix + holder): a claim ends at claim_until or as soon as that
// lease has expired or is gone, whichever comes first, so a dead
// instance's messages wait for its heartbeat to expire (lease_ttl), not
// for the claim.
func (db *DB) ClaimHeads(ctx context.Context, p cd.Platform, lane cd.Lane, limit int, holder string,
	ttl time.Duration) ([]cd.OutboxItem, error) {
	if db.engine != Postgres {
		return db.DueHeads(ctx, p, lane, limit)
	}
	queries, err := claimHeadsQueries(lane)
	if err != nil {
		return nil, fmt.Errorf("claim due outbox of %s: %w", p, err)
	}
	var out []cd.OutboxItem
	err = db.Update(ctx, func(tx *Tx) error {
		out = out[:0]
		for _, q := range queries {
			items, err := queryOutbox(ctx, tx.tx, q, claimHeadsArgs(q, tx.now, p, lane, limit, holder)...)
			if err != nil {
				return fmt.Errorf("claim due %s outbox of %s: %w", lane, p, err)
			}
			out = append(out, items[:min(len(items), limit-len(out))]...)
		}
		return claimRows(tx, out, holder, tx.now.Add(ttl))
	})
	return out, err
}

// claimable is the condition on an outbox row that no other instance holds
// it, parameter ?1 the time and ?H the holder: not claimed, claimed by
// holder, or its claim ended: claim_until passed, or the claimant's
// heartbeat lease expired or is gone. The lease is read by its primary
// key, once per row the index scan meets.
const claimable = ` AND (claimed_by IS NULL OR claimed_by = ?H OR claim_until <= ?1
	OR NOT EXISTS (SELECT 1 FROM leases l WHERE l.name = '` + InstancePrefix + `' || claimed_by AND l.expires_at > ?1))`

// claimHeadsQueries are dueHeadsQueries for ClaimHeads: the same reads,
// limited to claimable rows; parameters as dueHeadsQueries, then the
// holder (?4 without a lane parameter, ?5 with one).
//
// The interactive lane's first read picks chats before it reads their
// heads: chatFree leaves out, before its limit, the chats whose head
// another live instance holds, so that those do not take its slots.
func claimHeadsQueries(lane cd.Lane) ([]string, error) {
	queries, err := dueHeadsQueries(lane, chatFree)
	if err != nil {
		return nil, err
	}
	for n, q := range queries {
		holderArg := "?4"
		if strings.Contains(q, "?4") {
			holderArg = "?5"
		}
		i := strings.LastIndex(q, " ORDER BY")
		queries[n] = strings.ReplaceAll(q[:i]+claimable+q[i:], "?H", holderArg)
	}
	return queries, nil
}

// chatFree is the condition on an outbox row o that no earlier pending
// message of its chat is claimed by another instance whose claim and
// heartbeat both still hold (the negation of claimable, for the chat's
// earlier rows); ?1 the time and ?H the holder.
const chatFree = ` AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.platform = o.platform AND c.chat_id = o.chat_id
	AND c.status = 'pending' AND c.id < o.id AND c.claimed_by <> ?H AND c.claim_until > ?1
	AND EXISTS (SELECT 1 FROM leases l WHERE l.name = '` + InstancePrefix + `' || c.claimed_by AND l.expires_at > ?1)
	LIMIT 1 OFFSET 0)`

// claimHeadsArgs are the parameters of a query of claimHeadsQueries.
func claimHeadsArgs(q string, now time.Time, p cd.Platform, lane cd.Lane, limit int, holder string) []any {
	args := []any{fmtTime(now), p, limit}
	if strings.Contains(q, "?5") {
		args = append(args, lane)
	}
	return append(args, holder)
}

// ReleaseClaims gives up holder's claims on messages not yet sent: a
// sender stopping cleanly, with nothing in flight, hands them to the other
// instances at once (and wakes them) rather than when the claims end.
func (db *DB) ReleaseClaims(ctx context.Context, holder string) error {
	if db.engine != Postgres {
		return nil
	}
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `UPDATE outbox SET claimed_by = NULL, claim_until = NULL WHERE status = 'pending' AND claimed_by = ?`, holder)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			tx.tell(NotifyOutbox, "")
		}
		return nil
	})
	if err != nil {
		return classify(fmt.Errorf("release outbox claims: %w", err))
	}
	return nil
}

// Claimed returns up to limit messages holder has claimed and not sent,
// in id order, whether or not the claims still hold: what waits for a dead
// or stuck instance. On SQLite, none.
func (db *DB) Claimed(ctx context.Context, holder string, limit int) ([]cd.OutboxItem, error) {
	if db.engine != Postgres {
		return nil, nil
	}
	items, err := queryOutbox(ctx, db.read, `SELECT `+outboxColumns+` FROM outbox
		WHERE status = 'pending' AND claimed_by = ? ORDER BY id LIMIT ?`, holder, limit)
	if err != nil {
		return nil, fmt.Errorf("read the outbox claims of %s: %w", holder, err)
	}
	return items, nil
}

// claimRows claims items for holder until a time.
func claimRows(tx *Tx, items []cd.OutboxItem, holder string, until time.Time) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = strconv.FormatInt(items[i].ID, 10)
		items[i].ClaimUntil = until
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE outbox SET claimed_by = ?, claim_until = ? WHERE id IN (`+
		strings.Join(ids, ",")+`)`, holder, fmtTime(until))
	if err != nil {
		return fmt.Errorf("claim outbox messages: %w", err)
	}
	return nil
}
