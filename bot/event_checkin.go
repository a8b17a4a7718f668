package bot

import (
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// checkInStart is the payload of a check-in link: /start dd_CODE.
const checkInStart = "dd_"

// SetTelegramBot tells the core the bot's Telegram username (from
// getMe), so that the organiser's check-in code comes with a link, and a
// QR code of it, that checks in at one tap.
func (b *Bot) SetTelegramBot(username string) {
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	b.telegramBot.Store(&username)
}

// checkInLink is the Telegram link that checks in with code, or "" when
// the bot is not on Telegram.
func (b *Bot) checkInLink(code string) string {
	name := b.telegramBot.Load()
	if name == nil || *name == "" {
		return ""
	}
	return "https://t.me/" + *name + "?start=" + checkInStart + code
}

// checkInGuardKey keeps wrong check-in codes apart from wrong linking
// codes in the guard they share.
func checkInGuardKey(r *request) string { return "checkin:" + cd.Key(r.u.Platform, r.u.UserID) }

// cmdCheckIn is /diemdanh CODE (and Telegram's /start dd_CODE): a member
// checks in at an event. A wrong code, a code outside its window (from an
// hour before the start to the end) or of an event the member is not
// invited to is refused, saying why; after five wrong codes the account
// waits, so that codes cannot be guessed.
func cmdCheckIn(r *request, args string) error {
	if !allowed(r.me, permActive) {
		return r.deny("diemdanh")
	}
	code := strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(args), checkInStart)), "")
	if code == "" {
		r.reply(txtCheckInUsage)
		return nil
	}
	key, now := checkInGuardKey(r), r.tx.Now()
	if r.b.links.blocked(key, now) {
		return cd.Invalid(cd.ReasonCheckInTooMany)
	}
	e, err := r.tx.EventByCode(code)
	if cd.ErrorCode(err) == cd.ENOTFOUND {
		r.b.links.miss(key, now)
	}
	if err != nil {
		return err
	}
	invited, err := reaches(r, e.Audience, e.UnitIDs)
	if err != nil {
		return err
	}
	a, err := r.tx.Attendee(e.ID, r.me.ID)
	if err != nil {
		return err
	}
	if !invited && (a == nil || a.RSVP == cd.RSVPNone) {
		r.reply(txtCheckInNotForYou(e))
		return nil
	}
	if err := e.CheckInAllowed(now); err != nil {
		r.reply(txtCheckInWindow(e, r.b.loc, err))
		return nil
	}
	if a != nil && a.CheckedIn() {
		r.reply(txtCheckedInAlready(e, r.b.loc, a))
		return nil
	}
	if err := r.tx.SetCheckIn(e.ID, r.me.ID, now, 0); err != nil {
		return err
	}
	r.reply(txtCheckedIn(e, r.b.loc))
	return nil
}
