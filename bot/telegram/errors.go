package telegram

import (
	"errors"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// redactor removes secrets (the bot token, the webhook secret) from
// error texts. tgbotapi's transport errors are *url.Error whose text holds
// the whole request URL, token included.
type redactor struct{ secrets []string }

func newRedactor(secrets ...string) redactor {
	var r redactor
	seen := map[string]bool{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, url.PathEscape(s), url.QueryEscape(s)} {
			if !seen[form] {
				seen[form] = true
				r.secrets = append(r.secrets, form)
			}
		}
	}
	return r
}

// string returns s with every secret replaced by "<token>".
func (r redactor) string(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "<token>")
	}
	return s
}

// err returns err with the secrets removed from its text. The result
// unwraps to err, so errors.As still finds *tgbotapi.Error, *url.Error or
// *outbox.DeliveryError in the chain. (Also scrub *url.Error.URL at the
// source: see ctxDoer.)
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*redactedError); ok {
		return err
	}
	return &redactedError{err: err, msg: r.string(err.Error())}
}

// redactedError is an error whose text had secrets removed.
type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// apiError returns the Bot API error in err's chain with its HTTP code
// filled in: tgbotapi leaves Code at 0 for uploads (multipart), so the code
// is inferred from the description then.
func apiError(err error) (*tgbotapi.Error, int, bool) {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return nil, 0, false
	}
	code := te.Code
	if code == 0 {
		switch d := te.Message; {
		case te.RetryAfter > 0 || strings.HasPrefix(d, "Too Many Requests"):
			code = 429
		case strings.HasPrefix(d, "Forbidden"):
			code = 403
		case strings.HasPrefix(d, "Bad Request"):
			code = 400
		case strings.HasPrefix(d, "Unauthorized"):
			code = 401
		case strings.HasPrefix(d, "Not Found"):
			code = 404
		case strings.HasPrefix(d, "Conflict"):
			code = 409
		default:
			code = 500
		}
	}
	return te, code, true
}

// unreachable400 are the 400 answers that mean the chat is gone rather
// than the message being wrong.
var unreachable400 = []string{
	"chat not found", "user not found", "PEER_ID_INVALID", "group chat was upgraded",
	"have no rights to send", "not enough rights to send", "CHAT_WRITE_FORBIDDEN",
}

// classify turns a failed call into what the sender needs (err must be
// redacted already):
//   - 429 (or any retry_after): a DeliveryError with RetryAfter;
//   - 403 (blocked, deactivated, can't initiate, kicked) and 400 "chat not
//     found" and the like: Unreachable;
//   - other 400s: Permanent;
//   - 5xx, 401/404/409, an HTML page from a gateway (a JSON decoding
//     error), a dropped connection, a timeout: err itself, a transient
//     failure.
func classify(err error) error {
	te, code, ok := apiError(err)
	if !ok {
		return err
	}
	switch {
	case te.RetryAfter > 0 || code == 429:
		return &outbox.DeliveryError{Err: err, RetryAfter: time.Duration(max(te.RetryAfter, 1)) * time.Second}
	case code == 403:
		return &outbox.DeliveryError{Err: err, Unreachable: true}
	case code == 400 && (te.MigrateToChatID != 0 || containsAny(te.Message, unreachable400)):
		return &outbox.DeliveryError{Err: err, Unreachable: true}
	case code == 400:
		return &outbox.DeliveryError{Err: err, Permanent: true}
	}
	return err
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// notModified reports Telegram's answer to an edit that changes nothing:
// for our best-effort edits, it means the edit was made before.
func notModified(err error) bool {
	te, code, ok := apiError(err)
	return ok && code == 400 && strings.Contains(te.Message, "message is not modified")
}

// permanent returns a DeliveryError for a message this adapter refuses to
// send (a malformed chat id, callback data too long).
func permanent(err error) error { return &outbox.DeliveryError{Err: err, Permanent: true} }
