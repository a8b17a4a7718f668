package zalooa

import (
	"context"
	"encoding/json"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// unfollowReason is kept with an OA account whose person unfollowed.
const unfollowReason = "unfollowed the Zalo OA"

// handleItem applies one stored event.
func (a *Adapter) handleItem(ctx context.Context, it cd.InboxItem) error {
	var s stored
	if err := json.Unmarshal(it.Payload, &s); err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrBad, err)
	}
	e, err := ParseEvent(s.Event)
	if err != nil {
		return fmt.Errorf("%w: %v", inbox.ErrBad, err)
	}
	u := bot.Update{Platform: cd.PlatformZaloOA, UserID: e.UserID, ChatID: e.UserID, InboxID: it.ID}
	switch a.kindOf(e) {
	case kindFollow:
		return a.h.Greet(ctx, u)
	case kindUnfollow:
		_, err := a.store.OAUnfollowed(ctx, it.ID, e.UserID, unfollowReason)
		return err
	case kindMessage:
	default:
		return fmt.Errorf("%w: event %s is of no kind the bot handles", inbox.ErrBad, it.UpdateKey)
	}
	var fetched int64
	if s.PhotoLater && s.Photo == "" && e.ImageURL != "" {
		pctx, cancel := context.WithTimeout(ctx, a.photoRetry)
		id, err := a.fetchPhoto(pctx, e.ImageURL)
		cancel()
		if err != nil {
			a.log.Warn("the photo of an event could not be stored; keeping its text only", "msg_id", e.MsgID, "err", err)
		} else {
			s.Photo, fetched = cd.MediaRef(id), id
		}
	}
	convert(e, s.Photo, &u)
	if _, err := a.h.HandleResult(ctx, u); err != nil {
		a.dropMedia(fetched) // downloaded again at the next try
		return err
	}
	return nil
}

// convert fills u with a message event's content: a text as it is; an
// image as its photo with the text sent with it; a sticker or a GIF as an
// empty message (the core answers its generic hint); anything else
// (files, voice, video, locations, links, contact cards) as Unsupported.
func convert(e Event, photo string, u *bot.Update) {
	switch e.Name {
	case EventText:
		u.Text = e.Text
	case EventImage:
		u.Text, u.Photo = e.Text, photo
	case EventSticker, EventGIF:
	default:
		u.Unsupported = true
	}
}
