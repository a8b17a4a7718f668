package zalo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// errBadUpdate marks a stored update that can never be applied.
var errBadUpdate = errors.New("malformed update")

// wakeProcessor tells the processor that the inbox has something new. It
// never blocks.
func (a *Adapter) wakeProcessor() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// processor is the state of the processor goroutine.
type processor struct {
	a     *Adapter
	fails map[int64]int  // inbox id -> failed attempts
	done  map[int64]bool // handled, in case a read still returns them
	aside map[int64]bool // given up on, without an InboxFailer
}

// process hands pending inbox rows to the handler in id order (so one
// chat's updates keep their order), until ctx ends. It sleeps until woken
// by a new row, with a slow tick as a fallback.
func (a *Adapter) process(ctx context.Context) {
	p := &processor{a: a, fails: map[int64]int{}, done: map[int64]bool{}, aside: map[int64]bool{}}
	tick := time.NewTicker(a.idle)
	defer tick.Stop()
	bo := a.newBackoff()
	for ctx.Err() == nil {
		more, err := p.pass(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			bo.wait(ctx)
			continue
		case more:
			bo.reset()
			continue
		}
		bo.reset()
		select {
		case <-ctx.Done():
		case <-a.wake:
		case <-tick.C:
		}
	}
}

// pass handles the pending rows, in order, until one fails. more reports
// that it handled some (a further read may find more).
func (p *processor) pass(ctx context.Context) (more bool, err error) {
	a := p.a
	items, err := a.inbox.PendingInbox(ctx, platform, 100)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("read pending updates", "err", err)
		}
		return false, err
	}
	pending := make(map[int64]bool, len(items))
	for _, it := range items {
		pending[it.ID] = true
	}
	gone := func(id int64, _ bool) bool { return !pending[id] }
	maps.DeleteFunc(p.done, gone)
	maps.DeleteFunc(p.aside, gone)
	maps.DeleteFunc(p.fails, func(id int64, _ int) bool { return !pending[id] })
	for _, it := range items {
		if p.done[it.ID] || p.aside[it.ID] {
			continue
		}
		err := a.handleItem(ctx, it)
		if err == nil {
			p.done[it.ID] = true
			delete(p.fails, it.ID)
			more = true
			continue
		}
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		p.fails[it.ID]++
		if errors.Is(err, errBadUpdate) || p.fails[it.ID] >= a.maxFailures {
			a.log.Error("giving up on an update", "inbox_id", it.ID, "key", it.UpdateKey,
				"attempts", p.fails[it.ID], "err", err)
			p.setAside(ctx, it, err)
			more = true
			continue
		}
		// Stop here: later rows may be of the same chat, and must wait.
		a.log.Warn("handling an update failed; will retry", "inbox_id", it.ID, "key", it.UpdateKey,
			"attempt", p.fails[it.ID], "err", err)
		return false, err
	}
	return more, nil
}

// setAside stops handing out an update: for good through InboxFailer, or
// in memory until restart.
func (p *processor) setAside(ctx context.Context, it storage.InboxItem, cause error) {
	if f, ok := p.a.inbox.(InboxFailer); ok {
		err := f.InboxFailed(ctx, it.ID, cause.Error())
		if err == nil {
			delete(p.fails, it.ID)
			return
		}
		p.a.log.Error("set aside an update", "inbox_id", it.ID, "err", err)
	}
	p.aside[it.ID] = true
}

// handleItem applies one stored update.
func (a *Adapter) handleItem(ctx context.Context, it storage.InboxItem) error {
	var s stored
	if err := json.Unmarshal(it.Payload, &s); err != nil {
		return fmt.Errorf("%w: %v", errBadUpdate, err)
	}
	var u Update
	if err := u.UnmarshalJSON(s.Update); err != nil {
		return fmt.Errorf("%w: %v", errBadUpdate, err)
	}
	bu, ok := a.convert(u, s.Photo)
	if !ok {
		return fmt.Errorf("%w: update %s is of no kind the bot handles", errBadUpdate, it.UpdateKey)
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
