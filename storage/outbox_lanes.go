package storage

import (
	"context"
	"database/sql"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// blockedBy is true for an outbox row o when an earlier message of its
// chat is still pending and due (or failed and waiting to be tried again):
// that one must go first. A message queued for a later time does not hold
// back the chat's messages until its time comes.
const blockedBy = `EXISTS (SELECT 1 FROM outbox e WHERE e.platform = o.platform AND e.chat_id = o.chat_id
	AND e.status = 'pending' AND e.id < o.id AND (e.not_before <= ?1 OR e.last_error <> ''))`

// DueHeads returns up to limit messages of a platform that may be sent
// now: each is due, and no earlier message of its chat is waiting. With
// LaneBulk: bulk messages, oldest due first. With LaneInteractive: for
// each chat with a due interactive message, the chat's first waiting
// message, which may be a bulk one queued before it (it goes first, at the
// interactive message's priority, so that the chat reads in order). With
// the empty lane: every lane, oldest due first, as one queue.
//
// Each lane is read through an index in the order it is served and stops
// at limit rows: 100,000 pending bulk messages cost no more to read than
// ten.
func (db *DB) DueHeads(ctx context.Context, p cd.Platform, lane cd.Lane, limit int) ([]cd.OutboxItem, error) {
	now := fmtTime(db.Now())
	var query string
	args := []any{now, p, limit}
	switch lane {
	case "":
		query = `SELECT ` + outboxColumns + ` FROM outbox o WHERE o.platform = ?2 AND o.status = 'pending'
			AND o.not_before <= ?1 AND NOT ` + blockedBy + ` ORDER BY o.not_before, o.id LIMIT ?3`
	case cd.LaneBulk, cd.LaneInteractive:
		query = `SELECT ` + outboxColumns + ` FROM outbox o WHERE o.platform = ?2 AND o.status = 'pending'
			AND o.lane = ?4 AND o.not_before <= ?1 AND NOT ` + blockedBy + ` ORDER BY o.not_before, o.id LIMIT ?3`
		args = append(args, lane)
	default:
		return nil, fmt.Errorf("read due outbox of %s: unknown lane %q", p, lane)
	}
	var out []cd.OutboxItem
	err := db.view(ctx, func(t *sql.Tx) error {
		var err error
		if out, err = queryOutbox(ctx, t, query, args...); err != nil {
			return fmt.Errorf("read due %s outbox of %s: %w", lane, p, err)
		}
		if lane != cd.LaneInteractive {
			return nil
		}
		// The chats with an interactive message held back by an earlier
		// message of theirs (bulk, or an interactive one being retried):
		// their first waiting message, when it is due, goes now.
		heads, err := queryOutbox(ctx, t, `SELECT `+outboxColumns+` FROM outbox WHERE id IN (
				SELECT (SELECT MIN(e.id) FROM outbox e WHERE e.platform = o.platform AND e.chat_id = o.chat_id
					AND e.status = 'pending' AND e.id < o.id AND (e.not_before <= ?1 OR e.last_error <> ''))
				FROM outbox o WHERE o.platform = ?2 AND o.status = 'pending' AND o.lane = 'interactive'
					AND o.not_before <= ?1 AND `+blockedBy+` ORDER BY o.not_before, o.id LIMIT ?3)
			AND not_before <= ?1 ORDER BY id`, now, p, limit)
		if err != nil {
			return fmt.Errorf("read held-back chats of %s: %w", p, err)
		}
		out = append(heads, out...)
		if len(out) > limit {
			out = out[:limit]
		}
		return nil
	})
	return out, err
}
