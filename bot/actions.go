package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// The actions of the web dashboard. Each runs in one store transaction
// through the same functions as the chat flow it mirrors: the actor's
// permission and unit are checked again as the chat checks them, the
// same audit entries are written, the same notices are queued (the
// member is told in chat), and the text the chat would have replied is
// returned, for the page to show.

// platformWeb is the platform named in the audit trail of an action taken
// on the web dashboard: "web:<member id>".
const platformWeb cd.Platform = "web"

// RefusedError is an action the actor may not take. The refusal was
// audited, as in chat; Text is what the chat would have answered.
type RefusedError struct{ Text string }

func (e *RefusedError) Error() string { return "refused: " + e.Text }

// act runs fn as member actorID, who must have permission p, in one
// transaction, and returns the replies fn made. A refusal (refuse) commits
// its audit entry and is returned as a *RefusedError.
func (b *Bot) act(ctx context.Context, actorID int64, p perm, what string, fn func(r *request) error) (string, error) {
	var notices []cd.OutboxItem
	var wakeAll bool
	var replies []string
	var refused *RefusedError
	err := b.store.Update(ctx, func(tx Tx) error {
		me, err := tx.MemberByID(actorID)
		if err != nil {
			return err
		}
		id := strconv.FormatInt(actorID, 10)
		r := &request{ctx: ctx, b: b, tx: tx, me: me, u: Update{Platform: platformWeb, UserID: id, ChatID: id}}
		if !allowed(me, p) {
			err = r.refuse(what)
		} else {
			err = fn(r)
		}
		if errors.As(err, &refused) {
			return nil // keep the refusal's audit entry
		}
		if err != nil {
			return err
		}
		for i := range r.notices {
			if _, err := tx.Enqueue(&r.notices[i]); err != nil {
				return err
			}
		}
		for _, m := range r.replies {
			replies = append(replies, m.Text)
		}
		notices, wakeAll = r.notices, r.wakeAll
		return nil
	})
	if err != nil {
		return "", err
	}
	if refused != nil {
		return "", refused
	}
	b.wakeFor(notices, wakeAll)
	return strings.Join(replies, "\n\n"), nil
}

// wakeFor wakes the senders of the platforms messages were queued for.
func (b *Bot) wakeFor(notices []cd.OutboxItem, all bool) {
	seen := map[cd.Platform]bool{}
	for _, n := range notices {
		if !seen[n.To.Platform] {
			seen[n.To.Platform] = true
			b.cfg.Wake(n.To.Platform)
		}
	}
	if all {
		for _, p := range []cd.Platform{cd.PlatformTelegram, cd.PlatformZalo, cd.PlatformConsole} {
			b.cfg.Wake(p)
		}
	}
}

// refuse denies an action as the chat does (audited) and returns the
// refusal, with the text the chat would have answered.
func (r *request) refuse(what string) error {
	if err := r.deny(what); err != nil {
		return err
	}
	return r.refusal()
}

// refusal is the last reply, which explained a refusal, as an error.
func (r *request) refusal() error {
	text := txtDenied
	if n := len(r.replies); n > 0 {
		text = r.replies[n-1].Text
	}
	return &RefusedError{Text: text}
}

// Approve approves applicant memberID, as /duyet does.
func (b *Bot) Approve(ctx context.Context, actorID, memberID int64) (string, error) {
	return b.decideAction(ctx, actorID, memberID, true, "")
}

// Reject rejects applicant memberID with a reason, as /duyet does.
func (b *Bot) Reject(ctx context.Context, actorID, memberID int64, reason string) (string, error) {
	reason, err := rejectReason(reason)
	if err != nil {
		return "", err
	}
	if reason == "" {
		return "", cd.Invalid(cd.ReasonText)
	}
	return b.decideAction(ctx, actorID, memberID, false, reason)
}

func (b *Bot) decideAction(ctx context.Context, actorID, memberID int64, approve bool, reason string) (string, error) {
	what := "approve member " + strconv.FormatInt(memberID, 10)
	return b.act(ctx, actorID, permChair, what, func(r *request) error {
		m, err := r.tx.MemberByID(memberID)
		if err != nil {
			return err
		}
		if !r.me.CanManageUnit(m.UnitID) {
			return r.refuse(what)
		}
		return applyDecision(r, m, approve, reason)
	})
}

// SetRole gives member memberID a role, as /phanquyen does (province
// admins only).
func (b *Bot) SetRole(ctx context.Context, actorID, memberID int64, role cd.Role) (string, error) {
	return b.act(ctx, actorID, permAdmin, "phanquyen", func(r *request) error {
		if _, ok := cd.ParseRole(string(role)); !ok {
			return cd.Invalid(cd.ReasonRole)
		}
		m, err := r.tx.MemberByID(memberID)
		if err != nil {
			return err
		}
		if !m.IsActive() {
			return cd.Invalid(cd.ReasonMemberState)
		}
		if m.Role == role {
			r.reply(txtRoleSame)
			return nil
		}
		updated, replaced, err := applyRole(r, m, role)
		if err != nil {
			return err
		}
		r.reply(txtRoleSet(updated, role, replaced))
		return nil
	})
}

// AddUnit adds a unit under parentID (a grassroots union under the
// province, a sub-unit under a grassroots union), as /donvi does
// (province admins only).
func (b *Bot) AddUnit(ctx context.Context, actorID int64, name, code string, parentID int64) (string, error) {
	return b.act(ctx, actorID, permAdmin, "donvi", func(r *request) error {
		parent, err := r.tx.UnitByID(parentID)
		if err != nil {
			return err
		}
		if parent.Kind == cd.UnitSub {
			return cd.Invalid(cd.ReasonUnitParent)
		}
		_, err = createUnit(r, unitUnder(name, code, parent))
		return err
	})
}

// ConfirmPayment records a payment on pledge pledgeID made on paidOn, as
// /xacnhan does: amount as people type it ("500k", "1tr2"), or "" for
// all that is left.
func (b *Bot) ConfirmPayment(ctx context.Context, actorID, pledgeID int64, amount string, paidOn cd.Date) (string, error) {
	return b.act(ctx, actorID, permChair, "xacnhan", func(r *request) error {
		p, err := r.tx.PledgeByID(pledgeID)
		if err != nil {
			return err
		}
		if ok, err := canConfirm(r, p); !ok {
			if err != nil {
				return err
			}
			return r.refusal()
		}
		n := p.Remaining()
		if strings.TrimSpace(amount) != "" {
			if n, err = cd.ParseVND(amount, r.b.limits()); err != nil {
				return err
			}
		}
		return recordPayment(r, p, n, paidOn)
	})
}

// AnnouncementDraft is an announcement composed on the web dashboard.
type AnnouncementDraft struct {
	Text     string
	Audience cd.Audience
	UnitIDs  []int64   // for cd.AudienceUnits
	At       time.Time // zero to send now
}

// AnnouncementPreview is what an announcement would do: how many members
// it reaches and about how long delivering it takes.
type AnnouncementPreview struct {
	Recipients int
	Delivery   time.Duration
}

// PreviewAnnouncement counts the recipients of a draft, as /thongbao does
// before asking to send (province admins only). Nothing is stored.
func (b *Bot) PreviewAnnouncement(ctx context.Context, actorID int64, d AnnouncementDraft) (AnnouncementPreview, error) {
	var pv AnnouncementPreview
	_, err := b.act(ctx, actorID, permAdmin, "thongbao", func(r *request) error {
		a, err := draftFromWeb(r, d)
		if err != nil {
			return err
		}
		n, err := countRecipients(r, a)
		pv = AnnouncementPreview{Recipients: n, Delivery: r.b.estimate(n)}
		return err
	})
	return pv, err
}

// Announce sends a draft now or schedules it, as /thongbao does (province
// admins only); progress and the delivery report go to the actor's chat.
func (b *Bot) Announce(ctx context.Context, actorID int64, d AnnouncementDraft) (string, error) {
	return b.act(ctx, actorID, permAdmin, "thongbao", func(r *request) error {
		a, err := draftFromWeb(r, d)
		if err != nil {
			return err
		}
		if _, err := countRecipients(r, a); err != nil {
			return err
		}
		return publishAnnouncement(r, a)
	})
}

// draftFromWeb checks a draft by the chat's rules and builds the
// announcement.
func draftFromWeb(r *request, d AnnouncementDraft) (*cd.Announcement, error) {
	text, err := cd.ValidateAnnouncementText(d.Text)
	if err != nil {
		return nil, err
	}
	a := &cd.Announcement{CreatedBy: r.me.ID, Text: text, Audience: d.Audience, SendAt: r.tx.Now(), Status: cd.AnnouncementScheduled}
	switch d.Audience {
	case cd.AudienceAll, cd.AudienceChairs:
	case cd.AudienceUnits:
		for _, id := range d.UnitIDs {
			if _, err := r.tx.UnitByID(id); err != nil {
				return nil, cd.Errorf(cd.EINVALID, cd.ReasonAnnouncementUnits, "unit %d", id)
			}
			a.UnitIDs = append(a.UnitIDs, id)
		}
		if len(a.UnitIDs) == 0 {
			return nil, cd.Invalid(cd.ReasonAnnouncementUnits)
		}
	default:
		return nil, cd.Invalid(cd.ReasonAnnouncementUnits)
	}
	if !d.At.IsZero() {
		if err := checkSendAt(r, d.At); err != nil {
			return nil, err
		}
		a.SendAt = d.At
	}
	addr, ok, err := r.tx.AddressOf(r.me.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("member %d has no chat account for the delivery report", r.me.ID)
	}
	a.ReportTo = addr
	return a, nil
}

// CancelAnnouncement stops what is not yet sent of announcement id, as
// /huythongbao does (province admins only).
func (b *Bot) CancelAnnouncement(ctx context.Context, actorID, id int64) (string, error) {
	return b.act(ctx, actorID, permAdmin, "huythongbao", func(r *request) error {
		return cmdCancelAnnouncement(r, strconv.FormatInt(id, 10))
	})
}
