package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// callbackPrefix starts the callback data of the buttons this adapter
// makes: "c:" + the choice ID.
const callbackPrefix = "c:"

// checkMark is appended, with the pressed button's label, to a message
// whose choice was taken.
const checkMark = "✅ "

// handleItem applies one stored update, then finishes a pressed button
// (answer the callback query, take the keyboard off the message).
func (a *Adapter) handleItem(ctx context.Context, it cd.InboxItem) error {
	var up tgbotapi.Update
	if err := json.Unmarshal(it.Payload, &up); err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrBad, err)
	}
	u, ok := a.convert(up)
	if !ok {
		return fmt.Errorf("%w: update %s is of no kind the bot handles", inbox.ErrBad, it.UpdateKey)
	}
	u.InboxID = it.ID
	res, err := a.h.HandleResult(ctx, u)
	if err != nil {
		return err
	}
	if cq := up.CallbackQuery; cq != nil {
		a.finishCallback(ctx, cq, res)
	}
	return nil
}

// convert turns a Telegram update into the core's terms; ok is false for
// updates the bot ignores:
//   - messages from bots or channels, and edited messages (not asked for);
//   - in groups and supergroups, everything but commands ("/duyet",
//     "/duyet@thisbot"; a command for another bot is ignored). A command
//     from a group is answered in the sender's private chat (ChatID is
//     their user id): the core records the chat of an update as where to
//     reach the person, and personal notices (approval, rejection
//     reasons) must never go to a group. The flow it starts goes on in
//     the private chat;
//   - callback queries without our "c:" prefix, without a message, or
//     with an empty choice.
//
// A shared contact becomes Phone only when it is the sender's own
// (contact.user_id == from.id); someone else's card is marked
// ForeignContact, which the core refuses as a phone number.
func (a *Adapter) convert(up tgbotapi.Update) (bot.Update, bool) {
	switch {
	case up.Message != nil:
		return a.convertMessage(up.Message)
	case up.CallbackQuery != nil:
		return convertCallback(up.CallbackQuery)
	}
	return bot.Update{}, false
}

func (a *Adapter) convertMessage(m *tgbotapi.Message) (bot.Update, bool) {
	if m.From == nil || m.From.IsBot || m.Chat == nil {
		return bot.Update{}, false
	}
	switch m.Chat.Type {
	case "private":
	case "group", "supergroup":
		if !a.commandForUs(m.Text) {
			return bot.Update{}, false
		}
	default:
		return bot.Update{}, false
	}
	u := bot.Update{Platform: cd.PlatformTelegram, UserID: strconv.FormatInt(m.From.ID, 10),
		ChatID: strconv.FormatInt(m.Chat.ID, 10), DisplayName: displayName(m.From), Text: m.Text}
	if m.Chat.Type != "private" {
		u.ChatID = u.UserID
	}
	if u.Text == "" {
		u.Text = m.Caption
	}
	if len(m.Photo) > 0 {
		best := m.Photo[0]
		for _, p := range m.Photo[1:] {
			if p.Width*p.Height >= best.Width*best.Height {
				best = p
			}
		}
		u.Photo = best.FileID
	}
	if c := m.Contact; c != nil {
		if c.UserID == m.From.ID {
			u.Phone = c.PhoneNumber
		} else {
			u.ForeignContact = true
		}
	}
	return u, true
}

// commandForUs reports whether a group message is a command for this bot.
func (a *Adapter) commandForUs(text string) bool {
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return false
	}
	word, _, _ := strings.Cut(text[1:], " ")
	word, _, _ = strings.Cut(word, "\n")
	_, to, addressed := strings.Cut(word, "@")
	return !addressed || strings.EqualFold(to, a.api.Self.UserName)
}

func convertCallback(q *tgbotapi.CallbackQuery) (bot.Update, bool) {
	choice, ours := strings.CutPrefix(q.Data, callbackPrefix)
	if !ours || choice == "" || q.From == nil || q.Message == nil || q.Message.Chat == nil {
		return bot.Update{}, false
	}
	return bot.Update{Platform: cd.PlatformTelegram, UserID: strconv.FormatInt(q.From.ID, 10),
		ChatID: strconv.FormatInt(q.Message.Chat.ID, 10), DisplayName: displayName(q.From), Choice: choice}, true
}

func displayName(u *tgbotapi.User) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// finishCallback answers a callback query and takes the keyboard off the
// pressed message: a press the core accepted appends "✅ label" to its
// text, a stale one only loses the buttons. Both are best effort and idempotent: the new
// text derives from the message as it was when pressed, and a repeated
// edit is answered "message is not modified", which counts as done.
//
// A press the core answered with the choices as they now stand
// (bot.Result.Keyboard: an option ticked ✅ or unticked) keeps its
// buttons, redrawn.
func (a *Adapter) finishCallback(ctx context.Context, q *tgbotapi.CallbackQuery, res bot.Result) {
	if err := a.request(ctx, tgbotapi.NewCallback(q.ID, "")); err != nil && ctx.Err() == nil {
		a.log.Debug("answer callback query", "err", err)
	}
	m := q.Message
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) == 0 {
		return
	}
	var edit tgbotapi.Chattable = tgbotapi.NewEditMessageReplyMarkup(m.Chat.ID, m.MessageID,
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	if kb, err := inlineKeyboard(res.Keyboard); res.ChoiceAccepted && len(res.Keyboard) > 0 && err == nil {
		edit = tgbotapi.NewEditMessageReplyMarkup(m.Chat.ID, m.MessageID, kb)
	} else if label := buttonLabel(m.ReplyMarkup, q.Data); res.ChoiceAccepted && label != "" && m.Text != "" {
		if text := m.Text + "\n\n" + checkMark + label; utf16Len(text) <= maxText {
			// No reply_markup: the inline keyboard goes with the edit.
			edit = tgbotapi.NewEditMessageText(m.Chat.ID, m.MessageID, text)
		}
	}
	if err := a.request(ctx, edit); err != nil && !notModified(err) && ctx.Err() == nil {
		a.log.Warn("take the keyboard off a pressed message", "chat", m.Chat.ID, "message", m.MessageID, "err", err)
	}
}

// buttonLabel finds the label of the button with callback data data.
func buttonLabel(kb *tgbotapi.InlineKeyboardMarkup, data string) string {
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}
