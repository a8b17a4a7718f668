package zalo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// choiceHint ends a numbered list of choices: the core takes a typed
// number (or label) as the choice.
const choiceHint = bot.TextChoiceHint

// Deliver sends one outbox message to its chat: the text, its choices as
// a numbered list ("1. Đồng ý" lines and a hint to answer with the
// number), in messages of at most 2000 UTF-16 units. A phone request adds
// nothing (the core's text asks to type the number). A file cannot be
// sent (Zalo takes photos by public URL only, and no documents): the text,
// which carries the content, goes alone. If a message of several parts
// fails halfway, a retry of the same row resumes after the parts sent (in
// memory: a restart sends them again).
//
// Errors are *outbox.DeliveryError where Zalo says more than "try again"
// (see classify); their texts never hold the token.
func (a *Adapter) Deliver(ctx context.Context, item cd.OutboxItem) error {
	if p := item.To.Platform; p != "" && p != cd.PlatformZalo {
		return permanent(fmt.Errorf("zalo: message %d is for %s", item.ID, p))
	}
	chatID := item.To.ChatID
	if chatID == "" || strings.ContainsFunc(chatID, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return permanent(fmt.Errorf("zalo: chat id %q is not a Zalo chat id", chatID))
	}
	parts, err := render(item.Message)
	if err != nil {
		return permanent(fmt.Errorf("zalo: message %d: %w", item.ID, err))
	}
	if f := item.Message.File; f != nil {
		a.log.Debug("Zalo cannot send files; sending the text only", "outbox", item.ID, "file", f.Name)
	}
	return a.parts.Send(item.ID, len(parts), func(i int) error {
		if _, err := a.client.SendMessage(ctx, chatID, parts[i]); err != nil {
			return a.classify(fmt.Errorf("zalo: send to chat %s (part %d of %d): %w", chatID, i+1, len(parts), err))
		}
		return nil
	})
}

// RenderText is the text of a message with its choices as a numbered
// list ("1. Đồng ý" lines and a hint to answer with the number), cut into
// texts of at most limit UTF-16 units (see SplitText); none for a message
// without text or choices. The Zalo bot and the Zalo OA both send this.
func RenderText(m cd.Message, limit int) []string {
	text := strings.TrimRight(strings.ToValidUTF8(m.Text, "\uFFFD"), " \t\r\n")
	if len(m.Choices) > 0 {
		var b strings.Builder
		b.WriteString(text)
		if text != "" {
			b.WriteString("\n\n")
		}
		for i, c := range m.Choices {
			label := strings.TrimSpace(c.Label)
			if label == "" {
				label = c.ID
			}
			b.WriteString(strconv.Itoa(i+1) + ". " + strings.ToValidUTF8(label, "\uFFFD") + "\n")
		}
		b.WriteString(choiceHint)
		text = b.String()
	}
	return SplitText(text, limit)
}

// render is the text of a message, choices included, cut into the texts
// of the messages to send.
func render(m cd.Message) ([]string, error) {
	parts := RenderText(m, MaxTextLength)
	if len(parts) == 0 {
		if m.File != nil {
			return nil, fmt.Errorf("a file (%q) without text: Zalo cannot send files", m.File.Name)
		}
		return nil, errors.New("the message has no text")
	}
	return parts, nil
}

// classify turns a failed send into what the sender needs (err is
// redacted already, as every error of the client):
//   - 429 (Zalo's quota): a DeliveryError with RetryAfter (Zalo gives no
//     retry_after: a.retryAfter, 30 s);
//   - 401 (the token was reset in Bot Creator): Halt, the sender stops;
//   - 400 that says the user cannot be reached ("not found", "blocked"):
//     Unreachable; other 400s, and texts the client refuses to send:
//     Permanent;
//   - 403 (Zalo's code for its internal errors), 5xx, an HTML page from a
//     gateway, a dropped connection, a timeout, anything else: err itself,
//     a transient failure. No send has an idempotency key: a retried
//     send that timed out may arrive twice.
func (a *Adapter) classify(err error) error {
	if errors.Is(err, ErrTextLength) {
		return permanent(err)
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch {
	case ae.status() == 429:
		return &outbox.DeliveryError{Err: err, RetryAfter: a.retryAfter}
	case ae.IsUnauthorized():
		return &outbox.DeliveryError{Err: fmt.Errorf("%w (the bot token was refused: reset in Zalo Bot Creator? check zalo.token)", err), Halt: true}
	case ae.IsBadRequest() && unreachable(ae.Description):
		return &outbox.DeliveryError{Err: err, Unreachable: true}
	case ae.IsBadRequest():
		return permanent(err)
	}
	return err
}

// unreachable reports a 400 that means the person cannot be reached
// rather than the message being wrong. Zalo does not document it; these
// are the words seen in clients and in our fake.
func unreachable(desc string) bool {
	d := strings.ToLower(desc)
	for _, s := range []string{"not found", "blocked", "not exist", "unfollow"} {
		if strings.Contains(d, s) {
			return true
		}
	}
	return false
}

// permanent returns a DeliveryError for a message that cannot be sent as
// it is.
func permanent(err error) error { return &outbox.DeliveryError{Err: err, Permanent: true} }
