package storage

import (
	"context"
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// blockedBy is true for an outbox row o when an earlier message of its
// chat is still pending and due (or failed and waiting to be tried again):
// that one must go first. A message queued for a later time does not hold
// back the chat's messages until its time comes.
//
// LIMIT 1 OFFSET 0 keeps PostgreSQL from turning the EXISTS into a join:
// it stays a lookup in outbox_chat_pending per row met. As a join, with
// statistics taken while few messages were pending (the usual state
// before a flood, until autovacuum analyzes again), the planner scans
// every pending row of the platform for each row met: the two reads of
// the interactive lane took 1.9 s and 11 ms instead of 1.8 and 0.1 ms
// with 2,000 replies to 1,000 chats pending (EXPLAIN ANALYZE, PostgreSQL
// 15), and ClaimHeads holds the write lock while it reads.
const blockedBy = `EXISTS (SELECT 1 FROM outbox e WHERE e.platform = o.platform AND e.chat_id = o.chat_id
	AND e.status = 'pending' AND e.id < o.id AND (e.not_before <= ?1 OR e.last_error <> '') LIMIT 1 OFFSET 0)`

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
	queries, err := dueHeadsQueries(lane, "")
	if err != nil {
		return nil, fmt.Errorf("read due outbox of %s: %w", p, err)
	}
	var out []cd.OutboxItem
	err = db.view(ctx, func(t *dbTx) error {
		for _, q := range queries {
			args := []any{fmtTime(db.Now()), p, limit}
			if strings.Contains(q, "?4") {
				args = append(args, lane)
			}
			items, err := queryOutbox(ctx, t, q, args...)
			if err != nil {
				return fmt.Errorf("read due %s outbox of %s: %w", lane, p, err)
			}
			out = append(out, items...)
		}
		return nil
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// firstInLane is true for an outbox row o that is its chat's first pending
// message of its lane: the interactive lane's first read counts chats,
// not messages, so a chat with five replies behind an announcement takes
// one of the read's slots, not five.
const firstInLane = `NOT EXISTS (SELECT 1 FROM outbox i WHERE i.platform = o.platform AND i.chat_id = o.chat_id
	AND i.status = 'pending' AND i.lane = o.lane AND i.id < o.id LIMIT 1 OFFSET 0)`

// dueHeadsQueries are the queries of DueHeads for a lane, their results in
// this order; parameters ?1 now, ?2 platform, ?3 limit, ?4 lane.
func dueHeadsQueries(lane cd.Lane, chatFree string) ([]string, error) {
	const heads = `SELECT ` + outboxColumns + ` FROM outbox o WHERE o.platform = ?2 AND o.status = 'pending'
		AND o.not_before <= ?1 AND NOT ` + blockedBy
	switch lane {
	case "":
		return []string{heads + ` ORDER BY o.not_before, o.id LIMIT ?3`}, nil
	case cd.LaneBulk:
		return []string{heads + ` AND o.lane = ?4 ORDER BY o.not_before, o.id LIMIT ?3`}, nil
	case cd.LaneInteractive:
		// First the chats whose interactive message waits behind an
		// earlier one of theirs (bulk, or being retried): their first
		// waiting message, when due.
		return []string{`SELECT ` + outboxColumns + ` FROM outbox WHERE id IN (
				SELECT (SELECT MIN(e.id) FROM outbox e WHERE e.platform = o.platform AND e.chat_id = o.chat_id
					AND e.status = 'pending' AND e.id < o.id AND (e.not_before <= ?1 OR e.last_error <> ''))
				FROM outbox o WHERE o.platform = ?2 AND o.status = 'pending' AND o.lane = ?4
					AND o.not_before <= ?1 AND ` + blockedBy + ` AND ` + firstInLane + chatFree + `
					ORDER BY o.not_before, o.id LIMIT ?3)
			AND not_before <= ?1 ORDER BY id`,
			heads + ` AND o.lane = ?4 ORDER BY o.not_before, o.id LIMIT ?3`}, nil
	}
	return nil, fmt.Errorf("unknown lane %q", lane)
}
