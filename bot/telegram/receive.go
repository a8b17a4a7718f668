package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// OffsetKey is the settings key of the polling offset: the update_id after
// the last one stored in the inbox.
const OffsetKey = "telegram.offset"

// SecretHeader carries the webhook secret on every delivery.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxWebhookBody caps a webhook delivery; updates are a few kilobytes.
const maxWebhookBody = 1 << 20

// allowedUpdates are the kinds of updates the bot asks for.
var allowedUpdates = []string{"message", "callback_query"}

// poll is the long-polling loop. For each batch it stores every update in
// the inbox, then the new offset, and only then asks for more: that next
// getUpdates carries the offset and so confirms the batch to Telegram. A
// crash anywhere before that makes Telegram send the batch again, and the
// inbox ignores update_ids it holds already.
func (a *Adapter) poll(ctx context.Context) error {
	bo := a.proc.NewBackoff()
	offset, hooked := -1, true
	for ctx.Err() == nil {
		if offset < 0 {
			v, err := a.inbox.KV(ctx, OffsetKey)
			if err != nil {
				a.log.Warn("read the polling offset", "err", a.red.err(err))
				bo.Wait(ctx, 0)
				continue
			}
			if offset, err = parseOffset(v); err != nil {
				// Safe: every unconfirmed update comes again, and the inbox
				// knows those it holds.
				a.log.Error("ignoring the stored polling offset", "err", err)
				offset = 0
			}
		}
		if hooked { // once at start, and after a 409 "webhook is active"
			if err := a.request(ctx, tgbotapi.DeleteWebhookConfig{}); err != nil {
				if fatal := a.pollError(ctx, "deleteWebhook", err, bo); fatal != nil {
					return fatal
				}
				continue
			}
			hooked = false
		}
		raws, err := a.getUpdates(ctx, offset)
		if err != nil {
			if _, code, ok := apiError(err); ok && code == http.StatusConflict && strings.Contains(err.Error(), "webhook") {
				hooked = true
			}
			if fatal := a.pollError(ctx, "getUpdates", err, bo); fatal != nil {
				return fatal
			}
			continue
		}
		next, err := a.storeBatch(ctx, raws, offset)
		if err != nil {
			// The offset stays: the batch comes again, and what was stored
			// of it is recognised.
			switch {
			case ctx.Err() != nil:
			case errors.Is(err, cd.ErrDiskFull):
				a.log.Error("database disk is full: received updates stay unconfirmed at Telegram until space is freed", "err", a.red.err(err))
				bo.Wait(ctx, 0)
			default:
				a.log.Warn("store received updates; retrying", "err", a.red.err(err))
				bo.Wait(ctx, 0)
			}
			continue
		}
		offset = next
		bo.Reset()
	}
	return nil
}

func parseOffset(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("setting %s is %q, not an update id", OffsetKey, v)
	}
	return n, nil
}

// pollError logs a failed call and waits before the next try; it returns
// an error only when polling cannot go on (the token was revoked).
func (a *Adapter) pollError(ctx context.Context, method string, err error, bo *inbox.Backoff) error {
	if ctx.Err() != nil {
		return nil
	}
	te, code, ok := apiError(err)
	if ok && code == http.StatusUnauthorized {
		return fmt.Errorf("telegram: %s: the bot token was refused: %w", method, err)
	}
	var retryAfter time.Duration
	if ok && te.RetryAfter > 0 {
		retryAfter = min(time.Duration(te.RetryAfter)*time.Second, 5*time.Minute)
	}
	attrs := []any{"method", method, "err", err}
	if ok {
		attrs = append(attrs, "code", code)
	}
	a.log.Warn("call failed; retrying", attrs...)
	bo.Wait(ctx, retryAfter)
	return nil
}

// getUpdates makes one long poll. It asks for the updates as raw JSON
// (Request, not GetUpdates) so that one update tgbotapi cannot decode does
// not fail the whole batch forever: the offset could never pass it.
func (a *Adapter) getUpdates(ctx context.Context, offset int) ([]json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.PollTimeout+a.cfg.HTTPTimeout)
	defer cancel()
	resp, err := a.call(ctx).Request(tgbotapi.UpdateConfig{Offset: offset, Limit: 100,
		Timeout: int(a.cfg.PollTimeout / time.Second), AllowedUpdates: allowedUpdates})
	if err != nil {
		return nil, a.red.err(err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, fmt.Errorf("decode getUpdates result: %w", err)
	}
	return raws, nil
}

// storeBatch stores a batch of updates, with the offset that confirms
// it, in one transaction, and returns that offset. Updates of no kind the
// bot handles (see convert) are not stored; those that cannot be decoded
// are logged and dropped.
func (a *Adapter) storeBatch(ctx context.Context, raws []json.RawMessage, offset int) (int, error) {
	next := offset
	entries := make([]cd.InboxEntry, 0, len(raws))
	for _, raw := range raws {
		id, e, ok, err := a.entry(raw)
		if err != nil {
			a.log.Error("dropping an update that cannot be decoded", "update_id", id, "err", err)
		} else if ok {
			entries = append(entries, e)
		}
		next = max(next, id+1)
	}
	if next == offset && len(entries) == 0 {
		return offset, nil
	}
	inserted, err := a.inbox.PutInboxBatch(ctx, platform, entries, OffsetKey, strconv.Itoa(next))
	if err != nil {
		return offset, err
	}
	if inserted > 0 {
		a.proc.Wake()
	}
	return next, nil
}

// entry reads one update: its update_id, and the inbox entry to store
// (raw JSON keyed by update_id) unless it is of no kind the bot handles.
func (a *Adapter) entry(raw []byte) (id int, e cd.InboxEntry, ok bool, err error) {
	var head struct {
		UpdateID *int `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.UpdateID == nil {
		return -1, e, false, fmt.Errorf("%w: no update_id", inbox.ErrBad)
	}
	id = *head.UpdateID
	var up tgbotapi.Update
	if err := json.Unmarshal(raw, &up); err != nil {
		return id, e, false, fmt.Errorf("%w: %v", inbox.ErrBad, err)
	}
	u, ok := a.convert(up)
	if !ok {
		a.log.Debug("ignoring update", "update_id", id)
		return id, e, false, nil
	}
	return id, cd.InboxEntry{Key: strconv.Itoa(id), ChatKey: u.ChatID, Payload: raw}, true, nil
}

// receive stores one update delivered by webhook; a duplicate is ignored.
func (a *Adapter) receive(ctx context.Context, raw []byte) (int, error) {
	id, e, ok, err := a.entry(raw)
	if err != nil || !ok {
		return id, err
	}
	_, inserted, err := a.inbox.PutInbox(ctx, platform, e.Key, e.ChatKey, e.Payload)
	if err != nil {
		return id, err
	}
	if inserted {
		a.proc.Wake()
	}
	return id, nil
}

// setWebhook registers the webhook URL with its secret, retrying failures
// other than Telegram refusing the URL. WebhookConfig has no secret_token,
// hence MakeRequest.
func (a *Adapter) setWebhook(ctx context.Context) error {
	params := tgbotapi.Params{"url": a.cfg.WebhookURL, "secret_token": a.cfg.WebhookSecret,
		"max_connections": strconv.Itoa(a.cfg.MaxConnections)}
	if err := params.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return err
	}
	bo := a.proc.NewBackoff()
	for ctx.Err() == nil {
		cctx, cancel := context.WithTimeout(ctx, a.cfg.HTTPTimeout)
		_, err := a.call(cctx).MakeRequest("setWebhook", params)
		cancel()
		if err == nil {
			a.log.Info("webhook set", "url", a.cfg.WebhookURL)
			return nil
		}
		err = a.red.err(err)
		te, code, ok := apiError(err)
		if ok && code == http.StatusBadRequest {
			return fmt.Errorf("telegram: setWebhook refused %s: %w", a.cfg.WebhookURL, err)
		}
		if ok && code == http.StatusTooManyRequests {
			// Telegram takes one setWebhook a second: several instances
			// starting together each set the same webhook, and the same
			// again changes nothing. Not worth a warning.
			a.log.Info("setWebhook: Telegram takes one a second (another instance may have just set it); trying again",
				"retry_after", te.RetryAfter)
			bo.Wait(ctx, time.Duration(max(te.RetryAfter, 1))*time.Second)
			continue
		}
		if fatal := a.pollError(ctx, "setWebhook", err, bo); fatal != nil {
			return fatal
		}
	}
	return nil
}

// serveUpdate stores one delivery whose secret and size the webhook
// checked, and answers 200 at once: the processor applies it later. A
// failure to store answers 500, so that Telegram delivers again.
func (a *Adapter) serveUpdate(w http.ResponseWriter, r *http.Request, body []byte) {
	if id, err := a.receive(r.Context(), body); err != nil {
		switch {
		case errors.Is(err, inbox.ErrBad) && id < 0:
			a.log.Warn("webhook delivery is not an update", "err", err)
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		case errors.Is(err, inbox.ErrBad):
			// As in polling: an error answer would only make Telegram
			// deliver it again and again.
			a.log.Error("dropping an update that cannot be decoded", "update_id", id, "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
		a.log.Error("store a webhook update", "err", a.red.err(err))
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
