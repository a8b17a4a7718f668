package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// PutOAEvent records an event of the Zalo OA in one transaction: the
// person's last interaction and following, then the update in the inbox
// (like PutInbox: the same key twice is stored once, inserted false).
func (db *DB) PutOAEvent(ctx context.Context, platform string, e cd.OAEvent) (id int64, inserted bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		if err := tx.touchOAContact(e); err != nil {
			return err
		}
		if e.Key == "" {
			return nil
		}
		err := tx.tx.QueryRowContext(ctx, `INSERT INTO inbox (platform, update_key, chat_key, payload, received_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, update_key) DO NOTHING RETURNING id`,
			platform, e.Key, e.ChatKey, e.Payload, fmtTime(tx.now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store update %s/%s: %w", platform, e.Key, err)
		}
		inserted = true
		tx.tell(NotifyInbox, platform)
		return nil
	})
	return id, inserted, err
}

// touchOAContact moves a contact's last interaction and following forward
// (an older event delivered late changes neither).
func (tx *Tx) touchOAContact(e cd.OAEvent) error {
	if e.UserID == "" || (!e.Interaction && e.Follow == 0) {
		return nil
	}
	at := e.At
	if at.IsZero() || at.After(tx.now) {
		at = tx.now
	}
	interaction := sql.NullString{}
	if e.Interaction {
		interaction = sql.NullString{String: fmtTime(at), Valid: true}
	}
	followed := sql.NullInt64{}
	if e.Follow != 0 {
		followed = sql.NullInt64{Int64: int64(max(e.Follow, 0)), Valid: true}
	}
	// A new contact that only unfollowed never interacted: the epoch.
	first := interaction
	if !first.Valid {
		first = sql.NullString{String: fmtTime(time.Unix(0, 0)), Valid: true}
	}
	_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO zalo_oa_contacts (user_id, last_interaction_at, followed, follow_changed_at)
		VALUES (?, ?, COALESCE(CAST(? AS INTEGER), 1), ?)
		ON CONFLICT (user_id) DO UPDATE SET
			last_interaction_at = CASE WHEN CAST(? AS TEXT) > zalo_oa_contacts.last_interaction_at
				THEN excluded.last_interaction_at ELSE zalo_oa_contacts.last_interaction_at END,
			followed = CASE WHEN CAST(? AS INTEGER) IS NOT NULL AND excluded.follow_changed_at >= zalo_oa_contacts.follow_changed_at
				THEN excluded.followed ELSE zalo_oa_contacts.followed END,
			follow_changed_at = CASE WHEN CAST(? AS INTEGER) IS NOT NULL AND excluded.follow_changed_at > zalo_oa_contacts.follow_changed_at
				THEN excluded.follow_changed_at ELSE zalo_oa_contacts.follow_changed_at END`,
		e.UserID, first, followed, fmtTime(at), interaction, followed, followed)
	if err != nil {
		return fmt.Errorf("record interaction of %s: %w", cd.Key(cd.PlatformZaloOA, e.UserID), err)
	}
	return nil
}

// OAContact returns what is known of an OA user's reply window (Known is
// false for someone never heard of).
func (db *DB) OAContact(ctx context.Context, userID string) (cd.OAContact, error) {
	c := cd.OAContact{UserID: userID}
	var last string
	err := db.read.QueryRowContext(ctx, `SELECT last_interaction_at, followed FROM zalo_oa_contacts WHERE user_id = ?`, userID).
		Scan(&last, &c.Followed)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read OA contact %s: %w", userID, err)
	}
	c.Known, c.LastInteraction = true, parseTime(sql.NullString{String: last, Valid: true})
	return c, nil
}

// OAUnfollowed applies an unfollow taken from the inbox, in one
// transaction: the OA account is marked unreachable (so that messages go
// to the member's other account, or the chair's list of members the bot
// cannot reach shows them) and the inbox row applied. It reports false if
// the row had been applied already (nothing is changed then).
func (db *DB) OAUnfollowed(ctx context.Context, inboxID int64, userID, reason string) (bool, error) {
	applied := false
	err := db.Update(ctx, func(tx *Tx) error {
		if inboxID != 0 {
			if done, err := tx.InboxTake(inboxID); err != nil || done {
				return err
			}
			ok, err := tx.InboxDone(inboxID, "")
			if err != nil || !ok {
				return err
			}
		}
		_, err := tx.tx.ExecContext(ctx, `UPDATE identities SET unreachable_at = ?, unreachable_reason = ?
			WHERE platform = ? AND user_id = ?`, fmtTime(tx.now), reason, cd.PlatformZaloOA, userID)
		if err != nil {
			return fmt.Errorf("mark %s unreachable: %w", cd.Key(cd.PlatformZaloOA, userID), err)
		}
		applied = true
		return nil
	})
	return applied, err
}

// OAReach counts, among the recipients of an audience (as Recipients
// lists them), those whom the bot would write to on the Zalo OA (their
// reachable account used last is the OA one) and, of them, those outside
// the reply window (their last interaction before windowStart, or they
// unfollowed): Rerouted when another account of theirs is reachable, else
// NotReached. Only members with an OA account are read.
func (tx *Tx) OAReach(aud cd.Audience, unitIDs []int64, except int64, windowStart time.Time) (cd.OAReach, error) {
	where, args, err := recipientsWhere(aud, unitIDs, except)
	if err != nil || where == "" {
		return cd.OAReach{}, err
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT i.member_id, i.platform, i.unreachable_at IS NOT NULL,
			CASE WHEN c.followed = 1 AND c.last_interaction_at >= ? THEN 1 ELSE 0 END
		FROM identities i LEFT JOIN zalo_oa_contacts c ON i.platform = 'zalo_oa' AND c.user_id = i.user_id
		WHERE i.member_id IN (SELECT member_id FROM identities WHERE platform = 'zalo_oa')
			AND i.member_id IN (SELECT m.id FROM members m `+where+`)
		ORDER BY i.member_id, i.last_seen_at DESC, i.id DESC`, append([]any{fmtTime(windowStart)}, args...)...)
	if err != nil {
		return cd.OAReach{}, fmt.Errorf("count members on the Zalo OA: %w", err)
	}
	defer rows.Close()
	type account struct {
		platform           cd.Platform
		unreachable, inWin bool
	}
	byMember := map[int64][]account{}
	for rows.Next() {
		var id int64
		var a account
		if err := rows.Scan(&id, &a.platform, &a.unreachable, &a.inWin); err != nil {
			return cd.OAReach{}, fmt.Errorf("count members on the Zalo OA: %w", err)
		}
		byMember[id] = append(byMember[id], a)
	}
	if err := rows.Err(); err != nil {
		return cd.OAReach{}, fmt.Errorf("count members on the Zalo OA: %w", err)
	}
	var r cd.OAReach
	for _, accounts := range byMember {
		// The account AddressOf picks: the first reachable, else the first.
		pick := accounts[0]
		for _, a := range accounts {
			if !a.unreachable {
				pick = a
				break
			}
		}
		if pick.platform != cd.PlatformZaloOA {
			continue
		}
		r.OnOA++
		if pick.inWin && !pick.unreachable {
			continue
		}
		r.Outside++
		other := false
		for _, a := range accounts {
			other = other || (a.platform != cd.PlatformZaloOA && !a.unreachable)
		}
		if other {
			r.Rerouted++
		} else {
			r.NotReached++
		}
	}
	return r, nil
}
