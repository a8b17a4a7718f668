package zalo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// maxWebhookBody caps a webhook delivery; updates are a few hundred bytes.
const maxWebhookBody = 1 << 20

// storeTimeout bounds storing one received update, which goes on after Run
// is cancelled: Zalo has forgotten an update once it handed it over.
const storeTimeout = 10 * time.Second

// stored is the inbox payload of an update: the update as Zalo sent it and
// the reference of its photo, downloaded before the update was stored.
type stored struct {
	Update json.RawMessage `json:"update"`
	Photo  string          `json:"photo,omitempty"` // cd.MediaRef of the photo
}

// entry is a received update ready for the inbox.
type entry struct {
	key, chatKey string
	payload      []byte
	mediaID      int64 // the photo stored for it, 0 if none
}

// inboxKey identifies an update for the inbox's dedup: event name and
// message id; an update without a message id (never seen) is keyed by its
// content.
func inboxKey(u Update) string {
	if id := u.Message.MessageID; id != "" {
		return u.EventName + ":" + id
	}
	sum := sha256.Sum256(u.Raw)
	return u.EventName + ":sha256:" + hex.EncodeToString(sum[:12])
}

// prepare turns a received update into an inbox entry, downloading its
// photo; ok is false for an update the bot ignores (see convert). A photo
// that cannot be downloaded is logged and left out: the update keeps its
// caption.
func (a *Adapter) prepare(ctx context.Context, u Update) (e entry, ok bool) {
	bu, ok := a.convert(u, "")
	if !ok {
		a.log.Debug("ignoring update", "event", u.EventName, "message_id", u.Message.MessageID,
			"echo", u.IsEcho(a.me.ID))
		return entry{}, false
	}
	s := stored{Update: u.Raw}
	if len(s.Update) == 0 {
		raw, err := json.Marshal(u)
		if err != nil {
			a.log.Error("dropping an update that cannot be encoded", "message_id", u.Message.MessageID, "err", err)
			return entry{}, false
		}
		s.Update = raw
	}
	if u.EventName == EventImage && u.Message.Photo != "" {
		id, err := a.fetchPhoto(ctx, u.Message.Photo)
		if err != nil {
			a.log.Warn("the photo of an update could not be stored; keeping its caption only",
				"message_id", u.Message.MessageID, "err", err)
		} else {
			s.Photo, e.mediaID = cd.MediaRef(id), id
		}
	}
	payload, err := json.Marshal(s)
	if err != nil { // cannot happen: s.Update is valid JSON
		a.log.Error("dropping an update that cannot be encoded", "message_id", u.Message.MessageID, "err", err)
		a.dropMedia(e.mediaID)
		return entry{}, false
	}
	e.key, e.chatKey, e.payload = inboxKey(u), bu.ChatID, payload
	return e, true
}

// store puts an entry in the inbox; a duplicate is ignored (and its photo,
// downloaded again, deleted).
func (a *Adapter) store(ctx context.Context, e entry) error {
	_, inserted, err := a.inbox.PutInbox(ctx, platform, e.key, e.chatKey, e.payload)
	if err != nil {
		return err
	}
	if !inserted {
		a.log.Debug("update received again; stored once", "key", e.key)
		a.dropMedia(e.mediaID)
		return nil
	}
	a.proc.Wake()
	return nil
}

// dropMedia deletes a photo stored for an update that was not stored.
func (a *Adapter) dropMedia(id int64) {
	if id == 0 || a.media == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := a.media.DeleteMedia(ctx, id); err != nil {
		a.log.Warn("delete an unused photo", "media", id, "err", err)
	}
}

// fetchPhoto downloads a received photo with inbox.FetchPhoto (at most
// maxPhoto bytes, within photoTimeout) and stores it. Its errors never
// quote the URL (a signed link): only its host.
func (a *Adapter) fetchPhoto(ctx context.Context, rawURL string) (int64, error) {
	if a.media == nil {
		return 0, errors.New("no media store")
	}
	dctx, cancel := context.WithTimeout(ctx, a.photoTimeout)
	defer cancel()
	typ, data, err := inbox.FetchPhoto(dctx, a.http, rawURL, a.maxPhoto)
	if err != nil {
		return 0, err
	}
	id, err := a.media.PutMedia(ctx, platform, typ, data)
	if err != nil {
		return 0, fmt.Errorf("store photo: %w", err)
	}
	return id, nil
}

// take stores an update that getUpdates handed over, retrying until it is
// stored: Zalo will not send it again. It goes on briefly after ctx ends;
// while the disk is full it waits for room as long as ctx lasts.
func (a *Adapter) take(ctx context.Context, u Update) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.photoTimeout+storeTimeout)
	defer cancel()
	e, ok := a.prepare(sctx, u)
	if !ok {
		return
	}
	bo := a.proc.NewBackoff()
	for {
		actx, acancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		err := a.store(actx, e)
		acancel()
		if err == nil {
			return
		}
		// A full disk holds polling until there is room: Zalo will not
		// send the update again.
		full := errors.Is(err, cd.ErrDiskFull)
		if ctx.Err() != nil || sctx.Err() != nil && !full {
			a.log.Error("an update was lost: it could not be stored before shutdown", "key", e.key, "err", err)
			a.dropMedia(e.mediaID)
			return
		}
		if full {
			a.log.Error("database disk is full: a received update waits in memory until space is freed", "key", e.key, "err", err)
		} else {
			a.log.Warn("store a received update; retrying", "key", e.key, "err", err)
		}
		bo.Wait(ctx, 0)
	}
}

// poll is the long-polling loop: deleteWebhook once (and again if Zalo
// says a webhook is set), then getUpdates after getUpdates, each update
// stored before the next call. Zalo's 408 (nothing new) loops at once;
// other failures wait 1 s, doubling up to 30 s; a 401 ends Run.
func (a *Adapter) poll(ctx context.Context) error {
	bo := a.proc.NewBackoff()
	hooked := true
	for ctx.Err() == nil {
		if hooked {
			if err := a.client.DeleteWebhook(ctx); err != nil {
				if fatal := a.callFailed(ctx, "deleteWebhook", err, bo); fatal != nil {
					return fatal
				}
				continue
			}
			hooked = false
		}
		updates, err := a.client.GetUpdates(ctx, a.cfg.PollTimeout)
		if err != nil {
			if ae := (*APIError)(nil); errors.As(err, &ae) && ae.IsBadRequest() &&
				strings.Contains(strings.ToLower(ae.Description), "webhook") {
				hooked = true
			}
			if fatal := a.callFailed(ctx, "getUpdates", err, bo); fatal != nil {
				return fatal
			}
			continue
		}
		bo.Reset()
		for _, u := range updates {
			a.take(ctx, u)
		}
	}
	return nil
}

// callFailed logs a failed call and waits before the next try; it returns
// an error only when receiving cannot go on (the token was refused).
func (a *Adapter) callFailed(ctx context.Context, method string, err error, bo *inbox.Backoff) error {
	if ctx.Err() != nil {
		return nil
	}
	if ae := (*APIError)(nil); errors.As(err, &ae) && ae.IsUnauthorized() {
		return fmt.Errorf("zalo: %s: the bot token was refused (reset in Zalo Bot Creator?); check zalo.token: %w", method, err)
	}
	a.log.Warn("call failed; retrying", "method", method, "err", err)
	bo.Wait(ctx, 0)
	return nil
}

// setWebhook registers the webhook URL with its secret, retrying failures
// other than Zalo refusing the URL (400) or the token (401).
func (a *Adapter) setWebhook(ctx context.Context) error {
	bo := a.proc.NewBackoff()
	for ctx.Err() == nil {
		err := a.client.SetWebhook(ctx, a.cfg.WebhookURL, a.cfg.WebhookSecret)
		if err == nil {
			a.log.Info("webhook set", "url", a.cfg.WebhookURL)
			return nil
		}
		if ae := (*APIError)(nil); errors.As(err, &ae) && ae.IsBadRequest() {
			return fmt.Errorf("zalo: setWebhook refused %s: %w", a.cfg.WebhookURL, err)
		}
		if fatal := a.callFailed(ctx, "setWebhook", err, bo); fatal != nil {
			return fatal
		}
	}
	return nil
}

// serveUpdate takes one delivery whose secret and size the webhook
// checked: it downloads the photo if any, stores the update and answers
// 200; the processor applies it later. Bodies from Zalo that hold no
// update the bot handles (a probe, an unknown event, an echo of the bot's
// own message) are answered 200 and dropped; a body that is not JSON at
// all, 400; a failure to store, 500, so that Zalo delivers again.
func (a *Adapter) serveUpdate(w http.ResponseWriter, r *http.Request, body []byte) {
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' || !json.Valid(t) {
		a.log.Warn("webhook delivery is not a JSON object", "bytes", len(body))
		http.Error(w, "not a JSON object", http.StatusBadRequest)
		return
	}
	u, err := ParseWebhook(body)
	switch {
	case errors.Is(err, ErrNoUpdate):
		a.log.Debug("webhook delivery without an update")
		w.WriteHeader(http.StatusOK)
		return
	case err != nil:
		// Delivering it again would not help.
		a.log.Error("dropping a webhook delivery that is not an update", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	// Once the body is read, storing it goes on even if Zalo hangs up.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), a.photoTimeout+storeTimeout)
	defer cancel()
	e, ok := a.prepare(ctx, u)
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := a.store(ctx, e); err != nil {
		a.log.Error("store a webhook update", "key", e.key, "err", err)
		a.dropMedia(e.mediaID)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
