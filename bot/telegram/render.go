package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
)

// Telegram's limits on what one message carries.
const (
	maxText         = 4096 // UTF-16 units of a message text
	maxCaption      = 1024 // UTF-16 units of a photo or document caption
	maxCallbackData = 64   // bytes
)

// Texts of the keyboards.
const (
	phoneButtonText  = bot.TextSharePhone
	phonePlaceholder = bot.TextPhonePlaceholder
)

// shortLabel is the longest label (in characters) that still goes two
// buttons to a row; with any longer label every button has its own row.
const shortLabel = 16

// part is one message of a rendered outbox row.
type part struct {
	text    string   // the text, or the file's caption
	file    *cd.File // nil for a text message
	photoID string   // a Telegram photo to send again by its file_id
	markup  any      // reply_markup, or nil
	inline  bool     // markup is the inline keyboard of the choices
	kb      int      // +1: markup shows a reply keyboard; -1: it removes one
}

// Deliver sends one outbox message to its chat: the text in messages of
// at most 4096 UTF-16 units (split on line ends), the choices as inline
// buttons under the last one, a file as a photo (PNG, JPEG) or a document
// with the text as caption when it fits. A phone request shows a one-time
// reply keyboard with a contact button and the choices as plain buttons
// (Telegram cannot put inline and reply keyboards on one message); the
// next message without one removes it. If a message of several parts
// fails halfway, a retry of the same row resumes after the parts sent
// (in memory: a restart sends them again).
//
// Errors are *outbox.DeliveryError where Telegram says more than "try again"
// (see classify); their texts never hold the token.
func (a *Adapter) Deliver(ctx context.Context, item cd.OutboxItem) error {
	if p := item.To.Platform; p != "" && p != cd.PlatformTelegram {
		return permanent(fmt.Errorf("telegram: message %d is for %s", item.ID, p))
	}
	chatID, err := strconv.ParseInt(item.To.ChatID, 10, 64)
	if err != nil || chatID == 0 {
		return permanent(fmt.Errorf("telegram: chat id %q is not a Telegram chat id", item.To.ChatID))
	}
	parts, err := a.render(chatID, item.Message)
	if err != nil {
		return permanent(err)
	}
	return a.parts.Send(item.ID, len(parts), func(i int) error {
		if _, err := a.send(ctx, chatID, parts[i]); err != nil {
			return classify(fmt.Errorf("telegram: send to chat %d: %w", chatID, err))
		}
		a.sent(chatID, parts[i])
		return nil
	})
}

// send makes one send call within HTTPTimeout; the error is redacted.
func (a *Adapter) send(ctx context.Context, chatID int64, p part) (tgbotapi.Message, error) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.HTTPTimeout)
	defer cancel()
	msg, err := a.call(ctx).Send(p.chattable(chatID))
	return msg, a.red.err(err)
}

// sent records what a delivered part changed in its chat.
func (a *Adapter) sent(chatID int64, p part) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.chatLocked(chatID)
	switch p.kb {
	case +1:
		s.replyKeyboard = true
	case -1:
		s.replyKeyboard = false
	}
}

// render splits a message into the parts to send.
func (a *Adapter) render(chatID int64, m cd.Message) ([]part, error) {
	text := strings.ToValidUTF8(m.Text, "\uFFFD")
	var markup any
	switch {
	case m.RequestPhone:
		markup = phoneKeyboard(m.Choices)
	case len(m.Choices) > 0:
		kb, err := inlineKeyboard(m.Choices)
		if err != nil {
			return nil, err
		}
		markup = kb
	}
	var parts []part
	f := m.File
	if f != nil && len(f.Data) == 0 {
		return nil, fmt.Errorf("telegram: file %q is empty", f.Name)
	}
	// A photo a person sent on Telegram (an announcement's) goes again by
	// its file_id; a photo from another platform is not Telegram's to show.
	photoID, _ := strings.CutPrefix(m.Photo, string(cd.PlatformTelegram)+":")
	if photoID == m.Photo {
		photoID = ""
	}
	attached := f != nil || photoID != ""
	caption := ""
	if attached && utf16Len(text) <= maxCaption {
		caption = text
	} else {
		for _, chunk := range splitText(text, maxText) {
			parts = append(parts, part{text: chunk})
		}
	}
	if attached {
		parts = append(parts, part{text: caption, file: f, photoID: photoID})
	}
	if len(parts) == 0 {
		return nil, errors.New("telegram: the message has neither text nor a file")
	}
	if markup != nil {
		last := &parts[len(parts)-1]
		last.markup, last.inline = markup, !m.RequestPhone
		if m.RequestPhone {
			last.kb = +1
		}
	}
	a.mu.Lock()
	up := a.chats[chatID] != nil && a.chats[chatID].replyKeyboard
	a.mu.Unlock()
	if up && !m.RequestPhone && parts[0].markup == nil {
		// The first part free of markup takes the reply keyboard away. A
		// single message with choices has no such part: the keyboard
		// stays until a later message can remove it.
		parts[0].markup, parts[0].kb = tgbotapi.NewRemoveKeyboard(false), -1
	}
	return parts, nil
}

// chattable builds the tgbotapi request of a part.
func (p part) chattable(chatID int64) tgbotapi.Chattable {
	if p.photoID != "" {
		photo := tgbotapi.NewPhoto(chatID, tgbotapi.FileID(p.photoID))
		photo.Caption, photo.ReplyMarkup = p.text, p.markup
		return photo
	}
	if p.file == nil {
		msg := tgbotapi.NewMessage(chatID, p.text)
		msg.ReplyMarkup = p.markup
		return msg
	}
	name := p.file.Name
	if name == "" {
		name = "tep"
	}
	data := tgbotapi.FileBytes{Name: name, Bytes: p.file.Data}
	switch strings.ToLower(p.file.MIME) {
	case "image/png", "image/jpeg":
		photo := tgbotapi.NewPhoto(chatID, data)
		photo.Caption, photo.ReplyMarkup = p.text, p.markup
		return photo
	}
	doc := tgbotapi.NewDocument(chatID, data)
	doc.Caption, doc.ReplyMarkup = p.text, p.markup
	return doc
}

// inlineKeyboard renders choices as buttons with callback data "c:"+ID:
// two to a row when every label is short, else one to a row. Callback
// data longer than Telegram's 64 bytes is refused.
func inlineKeyboard(choices []cd.Choice) (tgbotapi.InlineKeyboardMarkup, error) {
	perRow := 2
	for _, c := range choices {
		if utf8.RuneCountInString(c.Label) > shortLabel {
			perRow = 1
		}
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, c := range choices {
		data := callbackPrefix + c.ID
		if c.ID == "" || len(data) > maxCallbackData {
			return tgbotapi.InlineKeyboardMarkup{}, fmt.Errorf("telegram: choice %q: callback data must be 1 to %d bytes, %q is %d",
				c.Label, maxCallbackData, cd.Truncate(data, 20), len(data))
		}
		if i%perRow == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], tgbotapi.NewInlineKeyboardButtonData(label(c), data))
	}
	return tgbotapi.NewInlineKeyboardMarkup(rows...), nil
}

// phoneKeyboard is the one-time reply keyboard of a phone request: the
// contact button, then the choices as plain buttons whose label, sent as
// text, the core matches.
func phoneKeyboard(choices []cd.Choice) tgbotapi.ReplyKeyboardMarkup {
	rows := [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonContact(phoneButtonText)}}
	for _, c := range choices {
		rows = append(rows, []tgbotapi.KeyboardButton{tgbotapi.NewKeyboardButton(label(c))})
	}
	kb := tgbotapi.NewOneTimeReplyKeyboard(rows...)
	kb.InputFieldPlaceholder = phonePlaceholder
	return kb
}

func label(c cd.Choice) string {
	if strings.TrimSpace(c.Label) == "" {
		return c.ID
	}
	return c.Label
}

// splitText cuts s into chunks of at most limit UTF-16 units, at line
// ends; a longer line is cut at a space in its second half, else between
// two characters. Chunks of only white space are dropped (Telegram refuses
// them).
func splitText(s string, limit int) []string {
	var chunks []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if c := strings.TrimRight(cur.String(), "\n"); strings.TrimSpace(c) != "" {
			chunks = append(chunks, c)
		}
		cur.Reset()
		n = 0
	}
	for i, line := range strings.Split(s, "\n") {
		for j, piece := range cutLine(line, limit) {
			sep := ""
			if i > 0 && j == 0 && cur.Len() > 0 {
				sep = "\n"
			}
			pn := utf16Len(piece)
			if n+len(sep)+pn > limit {
				flush()
				sep = ""
			}
			cur.WriteString(sep)
			cur.WriteString(piece)
			n += len(sep) + pn
		}
	}
	flush()
	return chunks
}

// cutLine cuts a line longer than limit UTF-16 units into pieces that fit.
func cutLine(s string, limit int) []string {
	var out []string
	for utf16Len(s) > limit {
		n, cut, space := 0, len(s), -1
		for i, r := range s {
			w := utf16.RuneLen(r)
			if n+w > limit {
				cut = i
				break
			}
			n += w
			if r == ' ' {
				space = i + 1
			}
		}
		if space >= cut/2 {
			cut = space
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return append(out, s)
}

// utf16Len counts UTF-16 code units, the unit of Telegram's text limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
