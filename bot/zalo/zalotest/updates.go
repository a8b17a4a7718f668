package zalotest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Event names sent by the server.
const (
	EventText        = "message.text.received"
	EventImage       = "message.image.received"
	EventUnsupported = "message.unsupported.received"
)

// User is a Zalo user talking to the bot. ID is 20 hex characters on Zalo;
// NewUser makes one.
type User struct {
	ID          string
	DisplayName string
}

// NewUser returns a user with a fresh 20-hex-character id (deterministic
// for a given Options.Seed and order of calls).
func (s *Server) NewUser(displayName string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return User{ID: s.hexIDLocked(), DisplayName: displayName}
}

// hexIDLocked is a 20-hex-character id, the form of Zalo's user and
// message ids.
func (s *Server) hexIDLocked() string {
	return fmt.Sprintf("%04x%016x", s.idRNG.Uint32()&0xffff, s.idRNG.Uint64())
}

type pendingUpdate struct {
	seq       int // unique, to find it again
	messageID string
	body      json.RawMessage // the update object, or InjectRaw's result
}

type webhookState struct {
	url, secret string
	updatedAt   int64
}

// message builds a message object as Zalo sends it.
func (s *Server) messageLocked(fromID, fromName string, isBot bool, chatID string) (map[string]any, string) {
	id := s.hexIDLocked()
	return map[string]any{
		"from":       map[string]any{"id": fromID, "display_name": fromName, "is_bot": isBot},
		"chat":       map[string]any{"id": chatID, "chat_type": "PRIVATE"},
		"message_id": id,
		"date":       s.now().UnixMilli(),
	}, id
}

// enqueueLocked queues an update, oldest first.
func (s *Server) enqueueLocked(event string, msg map[string]any, messageID string) string {
	body, err := json.Marshal(map[string]any{"event_name": event, "message": msg})
	if err != nil {
		panic("zalotest: " + err.Error())
	}
	s.pushLocked(pendingUpdate{messageID: messageID, body: body})
	return messageID
}

// SendText queues a text message from user in their private chat with the
// bot (event message.text.received) and returns its message_id.
func (s *Server) SendText(from User, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[from.ID] = true
	m, id := s.messageLocked(from.ID, from.DisplayName, false, from.ID)
	m["text"] = text
	return s.enqueueLocked(EventText, m, id)
}

// SendPhoto queues an image message (event message.image.received) whose
// URL is in the field named by Options.PhotoField, with an optional
// caption, and returns its message_id.
func (s *Server) SendPhoto(from User, photoURL, caption string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[from.ID] = true
	m, id := s.messageLocked(from.ID, from.DisplayName, false, from.ID)
	m[s.photoField] = photoURL
	if caption != "" {
		m["caption"] = caption
	}
	return s.enqueueLocked(EventImage, m, id)
}

// SendUnsupported queues what Zalo sends instead of the real content when
// the sender belongs to a legally protected group: event
// message.unsupported.received with no text (assumption: the docs do not
// show its message object; we keep from, chat, message_id and date).
func (s *Server) SendUnsupported(from User) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[from.ID] = true
	m, id := s.messageLocked(from.ID, from.DisplayName, false, from.ID)
	return s.enqueueLocked(EventUnsupported, m, id)
}

// EchoBotMessage queues the bot's own text message to chatID coming back as
// an update (from.id is the bot id, from.is_bot true), which the bot must
// drop. Options.EchoSends does this for every send.
func (s *Server) EchoBotMessage(chatID, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.echoLocked(chatID, "text", text)
}

func (s *Server) echoLocked(chatID, field, value string) string {
	m, id := s.messageLocked(s.botID, s.accountName, true, chatID)
	event := EventText
	if field != "text" {
		event = EventImage
		field = s.photoField
	}
	m[field] = value
	return s.enqueueLocked(event, m, id)
}

// InjectRaw queues result as the verbatim "result" of one getUpdates
// answer (or body of one webhook delivery): an update object with odd
// fields, an array, {} or anything else a client must survive.
func (s *Server) InjectRaw(result json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushLocked(pendingUpdate{body: bytes.Clone(result)})
}

func (s *Server) pushLocked(u pendingUpdate) {
	s.seq++
	u.seq = s.seq
	s.pending = append(s.pending, u)
	s.broadcastLocked()
}

// Pending is how many updates are queued and not yet handed out.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// WaitPolling blocks until a getUpdates call is waiting for updates (a long
// poll with nothing to return yet), ctx ends, or the server closes.
func (s *Server) WaitPolling(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.polling > 0 })
}

// ExpirePolls ends every waiting getUpdates at once with 408, as if its
// timeout had run out; tests use it instead of waiting.
func (s *Server) ExpirePolls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireGen++
	s.broadcastLocked()
}

// Assumption: the wording of the 400 that goclaw reports for getUpdates
// under a webhook.
const errWebhookActive = "Bad Request: webhook is set; call deleteWebhook before getUpdates"

// getUpdates hands out ONE pending update per call, oldest first, and
// forgets it (no offset: at most once). With nothing pending it waits up
// to timeout seconds (a string or a number; default 30), then answers
// ok:false, error_code 408. It answers 400 while a webhook is set, also to
// a poll waiting when setWebhook is called.
func (s *Server) getUpdates(c *call) {
	timeout := 30 * time.Second
	if v := c.p["timeout"]; v != "" {
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || secs < 0 || secs > 3600 {
			c.fail(http.StatusBadRequest, "Bad Request: invalid timeout")
			return
		}
		timeout = time.Duration(secs * float64(time.Second))
	}
	ctx := c.r.Context()
	s.mu.Lock()
	if s.hook.url != "" {
		s.mu.Unlock()
		c.fail(http.StatusBadRequest, errWebhookActive)
		return
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	gen, waiting, gone := s.expireGen, false, false
	for len(s.pending) == 0 && s.hook.url == "" && s.expireGen == gen {
		if !waiting {
			waiting = true
			s.polling++
			s.broadcastLocked()
		}
		ch := s.changed
		s.mu.Unlock()
		expired := false
		select {
		case <-ch:
		case <-deadline.C:
			expired = true
		case <-ctx.Done():
			gone = true
		case <-s.closed:
			gone = true
		}
		s.mu.Lock()
		if expired || gone {
			break
		}
	}
	if waiting {
		s.polling--
		s.broadcastLocked()
	}
	if ctx.Err() != nil {
		gone = true
	}
	if gone { // nobody to answer: keep the update for the next poll
		s.mu.Unlock()
		return
	}
	if s.hook.url != "" {
		s.mu.Unlock()
		c.fail(http.StatusBadRequest, errWebhookActive)
		return
	}
	if len(s.pending) == 0 {
		s.mu.Unlock()
		c.fail(http.StatusRequestTimeout, "Request timeout") // assumption: wording undocumented
		return
	}
	u := s.pending[0]
	s.pending = s.pending[1:]
	s.broadcastLocked()
	s.mu.Unlock()
	c.okRaw(u.body)
}

// setWebhook stores url and secret_token (8 to 256 characters). http://
// URLs are accepted so that httptest servers can be used; Zalo requires
// https and probes the URL, which the fake does not (assumption: the probe
// request is undocumented).
func (s *Server) setWebhook(c *call) {
	u, secret := c.p["url"], c.p["secret_token"]
	if pu, err := url.Parse(u); u == "" || err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
		c.fail(http.StatusBadRequest, "Bad Request: invalid webhook url")
		return
	}
	if n := utf8.RuneCountInString(secret); n < 8 || n > 256 {
		c.fail(http.StatusBadRequest, "Bad Request: secret_token must be 8 to 256 characters")
		return
	}
	s.mu.Lock()
	s.hook = webhookState{url: u, secret: secret, updatedAt: s.now().UnixMilli()}
	h := s.hook
	s.broadcastLocked() // a waiting getUpdates ends with 400
	s.mu.Unlock()
	c.ok(map[string]any{"url": h.url, "updated_at": h.updatedAt})
}

func (s *Server) deleteWebhook(c *call) {
	s.mu.Lock()
	s.hook = webhookState{updatedAt: s.now().UnixMilli()}
	h := s.hook
	s.mu.Unlock()
	c.ok(map[string]any{"url": "", "updated_at": h.updatedAt})
}

func (s *Server) getWebhookInfo(c *call) {
	s.mu.Lock()
	h := s.hook
	s.mu.Unlock()
	c.ok(map[string]any{"url": h.url, "updated_at": h.updatedAt})
}

// Webhook returns the url and secret_token registered by setWebhook ("" when
// none is set).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.url, s.hook.secret
}

// DeliverOption changes how DeliverWebhook sends an update.
type DeliverOption func(*deliverConfig)

type deliverConfig struct {
	secret     string
	omitSecret bool
	unwrapped  bool
}

// WithSecret sends secret in X-Bot-Api-Secret-Token instead of the
// registered one (to test that the bot rejects a wrong secret).
func WithSecret(secret string) DeliverOption {
	return func(d *deliverConfig) { d.secret, d.omitSecret = secret, false }
}

// WithoutSecret omits the X-Bot-Api-Secret-Token header.
func WithoutSecret() DeliverOption { return func(d *deliverConfig) { d.omitSecret = true } }

// Unwrapped sends the bare update {"event_name":...,"message":...}, as
// live traffic has been reported to look, instead of the documented
// {"ok":true,"result":{...}}.
func Unwrapped() DeliverOption { return func(d *deliverConfig) { d.unwrapped = true } }

// SecretHeader is the header carrying the webhook's secret token.
const SecretHeader = "X-Bot-Api-Secret-Token"

// DeliverWebhook POSTs the pending update with messageID ("" for the
// oldest pending one) to the registered webhook, wrapped in
// {"ok":true,"result":...} unless Unwrapped(), with the registered secret in
// X-Bot-Api-Secret-Token, and returns the HTTP status the bot answered. On
// a 2xx answer the update is removed from the queue; otherwise it stays
// (assumption: Zalo's retry policy is undocumented, so tests redeliver by
// hand).
func (s *Server) DeliverWebhook(ctx context.Context, messageID string, opts ...DeliverOption) (int, error) {
	s.mu.Lock()
	hook := s.hook
	i := 0
	if messageID != "" {
		i = slices.IndexFunc(s.pending, func(u pendingUpdate) bool { return u.messageID == messageID })
	}
	var body []byte
	seq := 0
	if i >= 0 && i < len(s.pending) {
		body, seq = s.pending[i].body, s.pending[i].seq
	}
	s.mu.Unlock()
	if hook.url == "" {
		return 0, errors.New("zalotest: DeliverWebhook: no webhook is set")
	}
	if body == nil {
		return 0, fmt.Errorf("zalotest: DeliverWebhook: update %q is not pending", messageID)
	}
	d := deliverConfig{secret: hook.secret}
	for _, o := range opts {
		o(&d)
	}
	if !d.unwrapped {
		body = fmt.Appendf(nil, `{"ok":true,"result":%s}`, body)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if !d.omitSecret {
		req.Header.Set(SecretHeader, d.secret)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		s.mu.Lock()
		if j := slices.IndexFunc(s.pending, func(u pendingUpdate) bool { return u.seq == seq }); j >= 0 {
			s.pending = slices.Delete(s.pending, j, j+1)
			s.broadcastLocked()
		}
		s.mu.Unlock()
	}
	return resp.StatusCode, nil
}
