package zalooa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// maxWebhookBody caps a webhook delivery; events are a few hundred bytes.
const maxWebhookBody = 1 << 20

// storeTimeout bounds storing one event, which goes on if Zalo hangs up.
const storeTimeout = 10 * time.Second

// maxFuture is how far ahead of the bot's clock a signed timestamp may be
// (clocks differ a little).
const maxFuture = 5 * time.Minute

// stored is the inbox payload of an event: the event as Zalo sent it, and
// its photo, downloaded before the event was stored (Photo) or to be
// downloaded before it is applied (PhotoLater).
type stored struct {
	Event      json.RawMessage `json:"event"`
	Photo      string          `json:"photo,omitempty"` // cd.MediaRef
	PhotoLater bool            `json:"photo_later,omitempty"`
}

// kind is what the bot makes of an event.
type kind int

const (
	kindDrop        kind = iota // echoes of the OA's sends, receipts, unknown events
	kindInteraction             // no update, but the person interacted (the window opens)
	kindMessage                 // a message for the core
	kindFollow
	kindUnfollow
)

// kindOf classifies an event.
func (a *Adapter) kindOf(e Event) kind {
	switch {
	case e.UserID == "" || e.UserID == a.cfg.OAID || strings.HasPrefix(e.Name, "oa_send_"):
		return kindDrop
	case e.Name == EventFollow:
		return kindFollow
	case e.Name == EventUnfollow:
		return kindUnfollow
	case strings.HasPrefix(e.Name, "user_send_"):
		return kindMessage
	case e.Name == "user_reacted_message" || e.Name == "user_submit_info":
		return kindInteraction
	}
	return kindDrop
}

// inboxKey identifies an event for the inbox's dedup: a message by its
// msg_id; a follow or unfollow (which have none) by person and time.
func inboxKey(e Event) string {
	if e.MsgID != "" {
		return e.Name + ":" + e.MsgID
	}
	return e.Name + ":" + e.UserID + ":" + e.Timestamp
}

// serveWebhook runs the webhook server until ctx ends. The URL is set in
// the OA's webhook settings on developers.zalo.me; there is no call for it.
func (a *Adapter) serveWebhook(ctx context.Context) error {
	ln := a.cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", a.cfg.WebhookListen); err != nil {
			return fmt.Errorf("zalo_oa: webhook: %w", err)
		}
	}
	a.mu.Lock()
	a.addr = ln.Addr()
	a.mu.Unlock()
	srv := &inbox.Server{Name: "zalo_oa", Listener: ln, Handler: a.webhookHandler(), WriteTimeout: a.photoRetry + storeTimeout,
		Log: a.log, Register: func(context.Context) error {
			a.log.Info("webhook listening; its public URL is set in the app's webhook settings on developers.zalo.me",
				"addr", ln.Addr().String(), "path", a.cfg.WebhookPath)
			return nil
		}}
	return srv.Serve(ctx)
}

// webhookHandler serves POST WebhookPath (events from Zalo) and
// GET /healthz.
func (a *Adapter) webhookHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", inbox.Healthz(a.store, a.log))
	mux.HandleFunc("POST "+a.cfg.WebhookPath, a.serveEvent)
	return mux
}

// serveEvent checks the signature of the raw body (in constant time) and
// its timestamp before anything else, stores the event and answers 200;
// the processor applies it later. A wrong signature is answered 401 and a
// delivery without one (Zalo's check of the URL, it seems) 200; neither
// is stored. A signed delivery too old (or from the future), or holding
// nothing the bot uses, is answered 200 and dropped; a failure to store,
// 500, so that Zalo delivers again.
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusRequestEntityTooLarge)
		return
	}
	sig := r.Header.Get(SignatureHeader)
	if sig == "" {
		a.log.Warn("webhook delivery without a signature: ignored", "remote", r.RemoteAddr, "bytes", len(body))
		w.WriteHeader(http.StatusOK)
		return
	}
	ts, err := RawTimestamp(body)
	if err != nil || !CheckSignature(sig, a.cfg.AppID, body, ts, a.cfg.SecretKey) {
		a.log.Warn("webhook delivery with a wrong signature: refused", "remote", r.RemoteAddr, "bytes", len(body))
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	e, err := ParseEvent(body)
	if err != nil {
		a.log.Error("dropping a signed webhook delivery that is not an event", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if age := a.now().Sub(e.Time); age > a.cfg.WebhookMaxAge || age < -maxFuture {
		a.log.Warn("dropping a webhook delivery signed too long ago (or ahead)", "event", e.Name, "age", age.Round(time.Second))
		w.WriteHeader(http.StatusOK)
		return
	}
	if e.AppID != "" && e.AppID != a.cfg.AppID {
		a.log.Warn("dropping an event of another app", "event", e.Name)
		w.WriteHeader(http.StatusOK)
		return
	}
	// Once the body is checked, storing it goes on even if Zalo hangs up.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), a.cfg.PhotoTimeout+storeTimeout)
	defer cancel()
	if err := a.take(ctx, e); err != nil {
		a.log.Error("store a webhook event", "event", e.Name, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// take records an event: the person's last interaction and, for what the
// core handles, the event in the inbox (its photo first, if it can be
// downloaded in time).
func (a *Adapter) take(ctx context.Context, e Event) error {
	k := a.kindOf(e)
	if k == kindDrop {
		a.log.Debug("ignoring event", "event", e.Name, "msg_id", e.MsgID)
		return nil
	}
	rec := cd.OAEvent{UserID: e.UserID, At: e.Time, Interaction: k != kindUnfollow}
	switch k {
	case kindFollow:
		rec.Follow = 1
	case kindUnfollow:
		rec.Follow = -1
	}
	var mediaID int64
	if k != kindInteraction {
		s := stored{Event: e.Raw}
		if e.Name == EventImage && e.ImageURL != "" {
			pctx, cancel := context.WithTimeout(ctx, a.cfg.PhotoTimeout)
			id, err := a.fetchPhoto(pctx, e.ImageURL)
			cancel()
			if err != nil {
				a.log.Info("the photo of an event will be downloaded before it is applied", "msg_id", e.MsgID, "err", err)
				s.PhotoLater = true
			} else {
				s.Photo, mediaID = cd.MediaRef(id), id
			}
		}
		payload, err := json.Marshal(s)
		if err != nil {
			return err
		}
		rec.Key, rec.ChatKey, rec.Payload = inboxKey(e), e.UserID, payload
	}
	_, inserted, err := a.store.PutOAEvent(ctx, platform, rec)
	if err != nil || (!inserted && rec.Key != "") {
		if err == nil {
			a.log.Debug("event received again; stored once", "key", rec.Key)
		}
		a.dropMedia(mediaID)
		return err
	}
	if rec.Key != "" && a.proc != nil {
		a.proc.Wake()
	}
	return nil
}

// fetchPhoto downloads a received photo and stores it.
func (a *Adapter) fetchPhoto(ctx context.Context, rawURL string) (int64, error) {
	if a.media == nil {
		return 0, errors.New("no media store")
	}
	typ, data, err := inbox.FetchPhoto(ctx, a.http, rawURL, a.maxPhoto)
	if err != nil {
		return 0, err
	}
	id, err := a.media.PutMedia(ctx, platform, typ, data)
	if err != nil {
		return 0, fmt.Errorf("store photo: %w", err)
	}
	return id, nil
}

// dropMedia deletes a photo stored for an event that was not stored.
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
