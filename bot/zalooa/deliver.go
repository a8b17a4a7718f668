package zalooa

import (
	"context"
	"errors"
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo"
)

// MaxTextLength is the longest text of a consultation message; as for the
// Zalo bot, counted in UTF-16 units after NFC (never fewer than Zalo's
// characters).
const MaxTextLength = zalo.MaxTextLength

// errOutsideWindow is why a message to someone outside the reply window is
// not sent.
var errOutsideWindow = errors.New("zalo_oa: outside the OA's reply window (no interaction within it, or not a follower)")

// Deliver sends one outbox message to an OA user: the text, its choices as
// a numbered list, in consultation messages of at most 2000 characters. A
// file cannot be sent: the text, which carries the content, goes alone.
// Nothing is sent to someone outside the reply window: the
// DeliveryError is Unreachable, and the store reroutes the message to the
// member's other account or counts them as not reached; Zalo's own "not
// interacted" and "not a follower" refusals are treated alike. If a
// message of several parts fails halfway, a retry resumes after the parts
// sent.
func (a *Adapter) Deliver(ctx context.Context, item cd.OutboxItem) error {
	if p := item.To.Platform; p != "" && p != cd.PlatformZaloOA {
		return permanent(fmt.Errorf("zalo_oa: message %d is for %s", item.ID, p))
	}
	user := item.To.ChatID
	if user == "" || strings.ContainsFunc(user, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return permanent(fmt.Errorf("zalo_oa: %q is not an OA user id", user))
	}
	c, err := a.store.OAContact(ctx, user)
	if err != nil {
		return err
	}
	// A reply was queued by the message it answers: an erased account
	// (whose interactions are forgotten) still gets its last answer.
	erasedReply := !c.Known && item.Kind == cd.OutboxReply && a.now().Sub(item.CreatedAt) < a.cfg.Window
	if !c.InWindow(a.now(), a.cfg.Window) && !erasedReply {
		return &outbox.DeliveryError{Err: errOutsideWindow, Unreachable: true}
	}
	parts, err := render(item.Message)
	if err != nil {
		return permanent(fmt.Errorf("zalo_oa: message %d: %w", item.ID, err))
	}
	return a.parts.Send(item.ID, len(parts), func(i int) error {
		if err := a.send(ctx, user, parts[i]); err != nil {
			return a.classify(fmt.Errorf("zalo_oa: send to %s (part %d of %d): %w", user, i+1, len(parts), err))
		}
		return nil
	})
}

// send sends one text with the current access token; if Zalo refuses the
// token, it renews it and tries once more.
func (a *Adapter) send(ctx context.Context, user, text string) error {
	for try := 0; ; try++ {
		tok, err := a.tokens.Token(ctx)
		if err != nil {
			return err
		}
		_, err = a.client.SendText(ctx, tok, user, text)
		if err == nil || try > 0 || !tokenRefused(err) {
			return err
		}
		a.log.Info("Zalo refused the access token; renewing it", "err", err)
		a.tokens.Invalidate(tok)
	}
}

// classify turns a failed send into what the sender needs:
//   - outside the window or not a follower (-230, -232, -213): Unreachable;
//   - the app's rate limit (-32): a pause of a minute; a quota (-211,
//     -218): a pause of an hour (not counted as failures);
//   - the OA not authorized, or its refresh token refused: a pause of five
//     minutes, while the admins are alerted to authorize it again;
//   - a malformed message (-201, -210): Permanent;
//   - anything else (5xx, the network, a refused token after renewing
//     it): a transient failure. No send has an idempotency key: a retried
//     send that timed out may arrive twice.
func (a *Adapter) classify(err error) error {
	rate, quota := quotaOrRate(err)
	switch {
	case notReachable(err):
		return &outbox.DeliveryError{Err: err, Unreachable: true}
	case rate:
		return &outbox.DeliveryError{Err: err, RetryAfter: a.rateWait}
	case quota:
		return &outbox.DeliveryError{Err: err, RetryAfter: a.quotaWait}
	case errors.Is(err, ErrNotAuthorized), errors.Is(err, ErrReauthorize):
		return &outbox.DeliveryError{Err: err, RetryAfter: a.authWait}
	case badRequest(err):
		return permanent(err)
	}
	return err
}

// render is the text of a message, choices included, cut into the texts
// of the messages to send.
func render(m cd.Message) ([]string, error) {
	parts := zalo.RenderText(m, MaxTextLength)
	if len(parts) == 0 {
		if m.File != nil {
			return nil, fmt.Errorf("a file (%q) without text: the OA bot sends no files", m.File.Name)
		}
		return nil, errors.New("the message has no text")
	}
	return parts, nil
}

// permanent returns a DeliveryError for a message that cannot be sent as
// it is.
func permanent(err error) error { return &outbox.DeliveryError{Err: err, Permanent: true} }
