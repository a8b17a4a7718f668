package zalo

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// handleItem applies one stored update.
func (a *Adapter) handleItem(ctx context.Context, it cd.InboxItem) error {
	var s stored
	if err := json.Unmarshal(it.Payload, &s); err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrBad, err)
	}
	var u Update
	if err := u.UnmarshalJSON(s.Update); err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrBad, err)
	}
	bu, ok := a.convert(u, s.Photo)
	if !ok {
		return fmt.Errorf("%w: update %s is of no kind the bot handles", inbox.ErrBad, it.UpdateKey)
	}
	bu.InboxID = it.ID
	_, err := a.h.HandleResult(ctx, bu)
	return err
}

// convert turns a Zalo update into the core's terms, with photo the
// reference of its downloaded photo ("" if none); ok is false for updates
// the bot ignores:
//   - echoes of the bot's own messages (from.id is the bot, or is_bot);
//   - events the bot does not know, and updates without a sender;
//   - every group message. Zalo lets a bot write to a person only in a
//     chat that person opened, so a command from a group would have to be
//     answered in the group, where a member's data (a profile, a phone
//     number, a rejection reason) must never go; and the core would take
//     the group as where to reach the member. Members talk to the bot in
//     their private chat. (BASIC bots cannot join groups anyway.)
//
// Texts come as they are; an image gives its caption as Text and photo as
// Photo; a sticker is an empty message (the core answers its generic
// hint); an unsupported message (Zalo withholds what protected users
// send) and a voice message (the bot cannot listen) are Unsupported.
func (a *Adapter) convert(u Update, photo string) (bot.Update, bool) {
	m := u.Message
	if u.IsEcho(a.me.ID) || m.From.ID == "" || m.Chat.ID == "" {
		return bot.Update{}, false
	}
	bu := bot.Update{Platform: cd.PlatformZalo, UserID: m.From.ID, ChatID: m.Chat.ID,
		DisplayName: strings.TrimSpace(m.From.DisplayName)}
	switch u.EventName {
	case EventText:
		bu.Text = m.Text
	case EventImage:
		bu.Text, bu.Photo = m.Caption, photo
		if bu.Text == "" {
			bu.Text = m.Text
		}
	case EventSticker:
	case EventUnsupported, EventVoice:
		bu.Unsupported = true
	default:
		return bot.Update{}, false
	}
	switch strings.ToUpper(m.Chat.ChatType) {
	case ChatPrivate, "":
	default: // groups: see above
		return bot.Update{}, false
	}
	return bu, true
}
