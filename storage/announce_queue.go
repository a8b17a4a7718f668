package storage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// Last errors of an announcement's message that waited for a platform the
// bot does not run: sent on to the member's account elsewhere, or not (the
// member counts as offline, not reached).
const (
	reasonPlatformOff = "platform not running; no other account"
	reasonRerouted    = "platform not running; sent to another account"
)

// CountRecipients is how many members Recipients lists, without loading
// them.
func (tx *Tx) CountRecipients(aud cd.Audience, unitIDs []int64, except int64) (int, error) {
	where, args, err := recipientsWhere(aud, unitIDs, except)
	if err != nil || where == "" {
		return 0, err
	}
	var n int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM members m `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recipients: %w", err)
	}
	return n, nil
}

// EnqueueAnnouncementChunk queues msg, as bulk, to the next recipients of
// a: at most limit members after member a.QueuedUpto, in id order. Each
// member gets it on one account: one on a platform in prefer when they
// have one (any platform when prefer is empty), else any; one the platform
// has not refused when possible; the one used last. The dedup key
// "ann:<announcement>:<member>" keeps a member from being queued twice for
// one announcement, whatever happens to the cursor. It returns the
// messages inserted, the last member of the chunk (a.QueuedUpto when
// none), and whether the audience is exhausted.
func (tx *Tx) EnqueueAnnouncementChunk(a *cd.Announcement, msg cd.Message, limit int, prefer []cd.Platform) (inserted int, upto int64, done bool, err error) {
	where, args, err := recipientsWhere(a.Audience, a.UnitIDs, a.CreatedBy)
	if err != nil || where == "" {
		return 0, a.QueuedUpto, true, err
	}
	var n int
	err = tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM (SELECT m.id FROM members m `+where+
		` AND m.id > ? ORDER BY m.id LIMIT ?) AS chunk`, append(args, a.QueuedUpto, limit)...).Scan(&n, &upto)
	if err != nil {
		return 0, 0, false, fmt.Errorf("next recipients of announcement %d: %w", a.ID, err)
	}
	if n == 0 {
		return 0, a.QueuedUpto, true, nil
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return 0, 0, false, fmt.Errorf("encode announcement %d: %w", a.ID, err)
	}
	order, orderArgs := preferOrder(prefer)
	ins := []any{strconv.FormatInt(a.ID, 10), string(body), fmtTime(tx.now), fmtTime(tx.now), a.ID}
	ins = append(append(append(ins, orderArgs...), args...), a.QueuedUpto, upto)
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO outbox (platform, chat_id, member_id, kind, dedup_key, body, not_before,
			created_at, announcement_id, lane)
		SELECT i.platform, i.chat_id, m.id, 'notify', 'ann:' || CAST(? AS TEXT) || ':' || CAST(m.id AS TEXT), CAST(? AS TEXT),
			CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), 'bulk'
		FROM members m JOIN identities i ON i.id = (SELECT j.id FROM identities j WHERE j.member_id = m.id
			ORDER BY `+order+` j.unreachable_at IS NULL DESC, j.last_seen_at DESC, j.id DESC LIMIT 1)
		`+where+` AND m.id > ? AND m.id <= ? ORDER BY m.id
		ON CONFLICT (dedup_key) DO NOTHING`, ins...)
	if err != nil {
		return 0, 0, false, fmt.Errorf("queue announcement %d: %w", a.ID, err)
	}
	rows, _ := res.RowsAffected()
	if rows > 0 {
		tx.tell(NotifyOutbox, "")
	}
	return int(rows), upto, n < limit, nil
}

// preferOrder is the ORDER BY term, over identities j, that puts accounts
// on the given platforms first; "" for none.
func preferOrder(prefer []cd.Platform) (string, []any) {
	if len(prefer) == 0 {
		return "", nil
	}
	args := make([]any, len(prefer))
	for i, p := range prefer {
		args[i] = p
	}
	return `j.platform IN (?` + strings.Repeat(", ?", len(prefer)-1) + `) DESC,`, args
}

// RerouteOffline settles the messages of an announcement still waiting on
// platforms that are not running (running lists those that are): each
// goes to the member's account on a running platform, one the platform has
// not refused, if they have one; otherwise the member is not reached (the
// delivery report counts them as offline). It returns how many messages
// were sent on and how many members were given up.
func (tx *Tx) RerouteOffline(announcementID int64, running []cd.Platform) (rerouted, offline int, err error) {
	if len(running) == 0 {
		return 0, 0, nil
	}
	off, err := tx.outboxPlatforms(running)
	if err != nil {
		return 0, 0, err
	}
	for _, p := range off {
		items, err := queryOutbox(tx.ctx, tx.tx, `SELECT `+outboxColumns+` FROM outbox
			WHERE platform = ? AND status = 'pending' AND announcement_id = ?`, p, announcementID)
		if err != nil {
			return rerouted, offline, fmt.Errorf("messages of announcement %d waiting on %s: %w", announcementID, p, err)
		}
		for _, it := range items {
			ok, err := tx.rerouteTo(it, running)
			if err != nil {
				return rerouted, offline, err
			}
			if ok {
				rerouted++
			} else {
				offline++
			}
		}
	}
	return rerouted, offline, nil
}

// outboxPlatforms lists the platforms of the outbox's messages, except
// those given (an index skip-scan: one lookup per platform).
func (tx *Tx) outboxPlatforms(except []cd.Platform) ([]cd.Platform, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `WITH RECURSIVE ps(p) AS (
			SELECT (SELECT MIN(platform) FROM outbox)
			UNION ALL
			SELECT (SELECT MIN(platform) FROM outbox WHERE platform > ps.p) FROM ps WHERE ps.p IS NOT NULL)
		SELECT p FROM ps WHERE p IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("platforms of the outbox: %w", err)
	}
	defer rows.Close()
	var out []cd.Platform
	for rows.Next() {
		var p cd.Platform
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("platforms of the outbox: %w", err)
		}
		if !containsPlatform(except, p) {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

func containsPlatform(ps []cd.Platform, p cd.Platform) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// rerouteTo gives up a message waiting on a platform that is not running,
// queueing it instead on the member's best account on a running platform;
// false when there is none.
func (tx *Tx) rerouteTo(it cd.OutboxItem, running []cd.Platform) (bool, error) {
	var to *cd.Identity
	if it.MemberID != 0 {
		ids, err := identitiesOf(tx.ctx, tx.tx, it.MemberID)
		if err != nil {
			return false, err
		}
		for i := range ids {
			if containsPlatform(running, ids[i].Platform) && !ids[i].Unreachable {
				to = &ids[i]
				break
			}
		}
	}
	reason := reasonPlatformOff
	if to != nil {
		reason = reasonRerouted
		next := cd.OutboxItem{To: cd.Address{Platform: to.Platform, ChatID: to.ChatID}, MemberID: it.MemberID, Kind: it.Kind,
			AnnouncementID: it.AnnouncementID, Lane: it.Lane, Message: it.Message}
		if it.DedupKey != "" {
			next.DedupKey = it.DedupKey + "/" + string(to.Platform)
		}
		if _, err := tx.Enqueue(&next); err != nil {
			return false, err
		}
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status = 'pending'`,
		reason, it.ID)
	if err != nil {
		return false, fmt.Errorf("settle outbox message %d: %w", it.ID, err)
	}
	return to != nil, nil
}
