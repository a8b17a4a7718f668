package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// What the core does for the union's Zalo Official Account (the adapter is
// bot/zalooa): greeting a new follower, saying in an announcement's
// preview how many recipients are on the OA and outside its reply window,
// and alerting the province admins when the OA's tokens need an operator.

// DefaultOAWindow is how long after a person's last interaction the Zalo
// OA may write to them: Zalo's hard limit, 7 days (consultation messages
// are free during the first 48 hours of it).
const DefaultOAWindow = 7 * 24 * time.Hour

// oaWindow is the configured reply window of the Zalo OA.
func (b *Bot) oaWindow() time.Duration {
	if b.cfg.OAWindow > 0 {
		return b.cfg.OAWindow
	}
	return DefaultOAWindow
}

// Greet answers a follow of the Zalo OA (u carries no text): a registered
// member is welcomed back, and their OA account is reachable again;
// anyone else is told how to register. The inbox row is marked applied in
// the same transaction.
func (b *Bot) Greet(ctx context.Context, u Update) error {
	err := b.store.Update(ctx, func(tx Tx) error {
		if u.InboxID != 0 {
			if applied, err := inboxTake(tx, u.InboxID); err != nil || applied {
				return cmp.Or(err, errDuplicate)
			}
			ok, err := tx.InboxDone(u.InboxID, "")
			if err != nil {
				return err
			}
			if !ok {
				return errDuplicate
			}
		}
		me, err := tx.MemberByIdentity(u.Platform, u.UserID)
		if err != nil {
			return err
		}
		text, memberID := txtOAFollowGuest(b.cfg.ProvinceName), int64(0)
		if me != nil {
			if err := tx.TouchIdentity(u.Platform, u.UserID, u.ChatID, u.DisplayName); err != nil {
				return err
			}
			text, memberID = txtOAFollowMember(me), me.ID
		}
		_, err = tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: u.Platform, ChatID: u.ChatID}, MemberID: memberID,
			Kind: cd.OutboxReply, Message: cd.Message{Text: text}})
		return err
	})
	switch {
	case errors.Is(err, errDuplicate):
		return nil
	case err != nil:
		return fmt.Errorf("greet %s: %w", cd.Key(u.Platform, u.UserID), err)
	}
	b.cfg.Wake(u.Platform)
	return nil
}

// oaReacher is the storage's count of recipients on the Zalo OA
// (*storage.Tx implements it); without it previews say nothing of the OA.
type oaReacher interface {
	OAReach(aud cd.Audience, unitIDs []int64, except int64, windowStart time.Time) (cd.OAReach, error)
}

// oaPreviewNote is what an announcement's preview says of its recipients
// on the Zalo OA, "" when none is.
func (r *request) oaPreviewNote(a *cd.Announcement) (string, error) {
	rc, ok := r.tx.(oaReacher)
	if !ok {
		return "", nil
	}
	reach, err := rc.OAReach(a.Audience, a.UnitIDs, r.me.ID, r.tx.Now().Add(-r.b.oaWindow()))
	if err != nil || reach.OnOA == 0 {
		return "", err
	}
	return txtAnnOAReach(reach, r.b.oaWindow()), nil
}

// OAAlert is why the province admins are alerted about the Zalo OA.
type OAAlert string

// Alerts about the Zalo OA's tokens.
const (
	// OAAlertRefreshFailed: renewing the access token failed (Zalo or the
	// network); the bot keeps trying.
	OAAlertRefreshFailed OAAlert = "refresh_failed"
	// OAAlertReauthorize: no valid refresh token is left (Zalo refused
	// it, or the OA was never authorized); an operator must run
	// `congdoanbot zalo-oa authorize`.
	OAAlertReauthorize OAAlert = "reauthorize"
	// OAAlertExpiring: the refresh token expires soon.
	OAAlertExpiring OAAlert = "expiring"
)

// QueueOAAlert tells the province admins, on their accounts of other
// platforms than the OA, that the Zalo OA's tokens need an operator; until
// is when the refresh token expires (for OAAlertExpiring). Each admin gets
// each kind of alert once a day (in the union's zone) at most. It returns
// the messages queued.
func (b *Bot) QueueOAAlert(tx Tx, kind OAAlert, until time.Time) (int, error) {
	admins, err := tx.ProvinceAdmins()
	if err != nil {
		return 0, err
	}
	now := tx.Now()
	day := cd.DateOf(now, b.cfg.Location).String()
	text := txtOAAlert(kind, b.loc.datetime(until), max(int(until.Sub(now).Hours()/24), 0))
	queued := 0
	for _, a := range admins {
		ids, err := tx.Identities(a.ID)
		if err != nil {
			return queued, err
		}
		for _, id := range ids {
			if id.Platform == cd.PlatformZaloOA || id.Unreachable {
				continue
			}
			ok, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: id.Platform, ChatID: id.ChatID}, MemberID: a.ID,
				Kind: cd.OutboxNotify, DedupKey: fmt.Sprintf("oa-alert:%s:%s:%d", kind, day, a.ID), Message: cd.Message{Text: text}})
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
			break
		}
	}
	return queued, nil
}
