package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// User is a Telegram user (a member talking to the bot, or the bot itself).
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a Telegram chat. Type is "private", "group", "supergroup" or
// "channel"; when empty it is "private" for positive ids and "group" otherwise.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

// PrivateChat is the private chat between the bot and u (chat id = user id).
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}
}

// CallbackAnswer is what the bot answered to a callback query.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
}

type callbackState struct {
	updateID int
	answered bool
	answer   CallbackAnswer
}

type pendingUpdate struct {
	id   int
	body json.RawMessage
}

type webhookState struct {
	url, secret    string
	maxConnections int
	allowed        []string
	lastError      string
	lastErrorDate  int64
}

type wireMessage struct {
	MessageID   int             `json:"message_id"`
	From        *User           `json:"from,omitempty"`
	Chat        Chat            `json:"chat"`
	Date        int64           `json:"date"`
	EditDate    int64           `json:"edit_date,omitempty"`
	Text        string          `json:"text,omitempty"`
	Entities    []entity        `json:"entities,omitempty"`
	Caption     string          `json:"caption,omitempty"`
	Photo       []photoSize     `json:"photo,omitempty"`
	Document    *document       `json:"document,omitempty"`
	Contact     *contact        `json:"contact,omitempty"`
	ReplyMarkup json.RawMessage `json:"reply_markup,omitempty"`
}

type entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type photoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size,omitempty"`
}

type document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

type contact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name,omitempty"`
	UserID      int64  `json:"user_id,omitempty"`
}

// chatLocked returns the chat as known from injected updates, or a
// synthesized one.
func (s *Server) chatLocked(id int64) Chat {
	if c, ok := s.chats[id]; ok {
		return c
	}
	return normalizeChat(Chat{ID: id})
}

func normalizeChat(c Chat) Chat {
	if c.Type == "" {
		c.Type = "group"
		if c.ID > 0 {
			c.Type = "private"
		}
	}
	return c
}

// userMessageLocked starts a message from a user, giving it the next
// message id of the chat (shared with the bot's messages, as on Telegram).
func (s *Server) userMessageLocked(from User, chat Chat) *wireMessage {
	chat = normalizeChat(chat)
	s.chats[chat.ID] = chat
	s.lastMsg[chat.ID]++
	return &wireMessage{MessageID: s.lastMsg[chat.ID], From: &from, Chat: chat, Date: s.now().Unix()}
}

// SendText injects a text message from user in their private chat with the
// bot and returns its update_id. A leading "/command" gets its bot_command
// entity, so tgbotapi's Message.IsCommand and Command work.
func (s *Server) SendText(from User, text string) int {
	return s.SendTextInChat(from, PrivateChat(from), text)
}

// SendTextInChat injects a text message from user in chat.
func (s *Server) SendTextInChat(from User, chat Chat, text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(from, chat)
	m.Text = text
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		cmd, _, _ = strings.Cut(cmd, "\n")
		m.Entities = []entity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
	}
	return s.enqueueLocked("message", m)
}

// ShareContact injects a contact message in user's private chat, as sent by
// a request_contact button (contactUserID == user.ID) or by sharing someone
// else's card (any other id; 0 for a contact without a Telegram account).
func (s *Server) ShareContact(from User, phone string, contactUserID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(from, PrivateChat(from))
	m.Contact = &contact{PhoneNumber: phone, FirstName: from.FirstName, LastName: from.LastName, UserID: contactUserID}
	return s.enqueueLocked("message", m)
}

// SendPhoto injects a photo message in user's private chat, with three sizes
// (90x67, 320x240, 1280x960; largest last, as on Telegram) and distinct
// file_ids "photo-<update_id>-<width>".
func (s *Server) SendPhoto(from User, caption string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.userMessageLocked(from, PrivateChat(from))
	m.Caption = caption
	for i, wh := range [][2]int{{90, 67}, {320, 240}, {1280, 960}} {
		id := fmt.Sprintf("photo-%d-%d", s.nextUpdate, wh[0])
		m.Photo = append(m.Photo, photoSize{FileID: id, FileUniqueID: "u" + id, Width: wh[0], Height: wh[1],
			FileSize: int64(2000 * (i*i*8 + 1))})
	}
	return s.enqueueLocked("message", m)
}

// PressButton injects a callback_query from user pressing the inline button
// with callbackData under message messageID that the bot sent to user's
// private chat. If no such message or button exists, it reports a test
// error (a real user cannot press it) and injects the query anyway; use
// ForgeCallback for deliberately stale or forged presses.
func (s *Server) PressButton(from User, messageID int, callbackData string) int {
	return s.PressButtonInChat(from, from.ID, messageID, callbackData)
}

// PressButtonInChat is PressButton for a message in any chat.
func (s *Server) PressButtonInChat(from User, chatID int64, messageID int, callbackData string) int {
	s.mu.Lock()
	m := s.msgs[msgKey{chatID, messageID}]
	found := m != nil && slices.ContainsFunc(SentMessage{InlineKeyboard: m.inline}.Buttons(),
		func(b InlineButton) bool { return b.CallbackData == callbackData })
	s.mu.Unlock()
	if !found {
		s.t.Errorf("telegramtest: PressButton: message %d in chat %d has no button with callback_data %q",
			messageID, chatID, callbackData)
	}
	return s.ForgeCallback(from, chatID, messageID, callbackData)
}

// ForgeCallback injects a callback_query without checking that the button
// exists. The message is included when the bot sent it.
func (s *Server) ForgeCallback(from User, chatID int64, messageID int, data string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpdate
	q := struct {
		ID           string       `json:"id"`
		From         User         `json:"from"`
		Message      *wireMessage `json:"message,omitempty"`
		ChatInstance string       `json:"chat_instance"`
		Data         string       `json:"data"`
	}{ID: "cbq-" + strconv.Itoa(id), From: from, ChatInstance: "ci" + strconv.FormatInt(chatID, 10), Data: data}
	if m := s.msgs[msgKey{chatID, messageID}]; m != nil {
		q.Message = s.wireLocked(m)
	}
	s.callbacks[q.ID] = &callbackState{updateID: id}
	return s.enqueueLocked("callback_query", q)
}

// CallbackAnswer reports how the bot answered the callback query injected
// as update updateID (ok is false while unanswered).
func (s *Server) CallbackAnswer(updateID int) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks["cbq-"+strconv.Itoa(updateID)]
	if cb == nil || !cb.answered {
		return CallbackAnswer{}, false
	}
	return cb.answer, true
}

// InjectUpdate injects any update: kind is the update field
// ("my_chat_member", "edited_message", ...) and payload its JSON-encodable
// value. It returns the update_id.
func (s *Server) InjectUpdate(kind string, payload any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueueLocked(kind, payload)
}

// enqueueLocked assigns the next update_id and queues the update, unless
// allowed_updates excludes its kind (then it is dropped, as on Telegram).
func (s *Server) enqueueLocked(kind string, payload any) int {
	id := s.nextUpdate
	s.nextUpdate++
	allowed := s.allowed
	if s.hook.url != "" {
		allowed = s.hook.allowed
	}
	if len(allowed) > 0 && !slices.Contains(allowed, kind) {
		return id
	}
	p, err := json.Marshal(payload)
	if err != nil {
		panic("telegramtest: " + err.Error())
	}
	body := fmt.Appendf(nil, `{"update_id":%d,%q:%s}`, id, kind, p)
	s.pending = append(s.pending, pendingUpdate{id: id, body: body})
	s.broadcastLocked()
	return id
}

// PendingUpdates is how many updates are queued and not yet confirmed.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// AllowedUpdates is the allowed_updates list last given to getUpdates.
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.allowed)
}

// WaitPolling blocks until a getUpdates call is waiting for updates (a long
// poll with nothing to return yet), ctx ends, or the server closes.
func (s *Server) WaitPolling(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.polling > 0 })
}

// getUpdates is long polling as on Telegram: offset confirms (drops) all
// earlier updates, a negative offset keeps only the last -offset; the call
// returns at once when updates are pending, else waits up to timeout
// seconds. A newer getUpdates ends an older waiting one with 409.
func (s *Server) getUpdates(c *call) {
	offset, ok1 := c.intParam("offset", 0)
	limit, ok2 := c.intParam("limit", 100)
	timeout, ok3 := c.intParam("timeout", 0)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	limit = min(max(limit, 1), 100)
	var allowed []string
	// tgbotapi sends allowed_updates=null when none are set: same as absent.
	setAllowed := c.p["allowed_updates"] != "" && c.p["allowed_updates"] != "null"
	if setAllowed {
		if json.Unmarshal([]byte(c.p["allowed_updates"]), &allowed) != nil {
			c.fail(http.StatusBadRequest, "Bad Request: can't parse allowed_updates")
			return
		}
	}
	s.mu.Lock()
	if s.hook.url != "" {
		s.mu.Unlock()
		c.fail(http.StatusConflict, errWebhookActive)
		return
	}
	if setAllowed {
		s.allowed = allowed
	}
	switch {
	case offset > 0:
		s.pending = slices.DeleteFunc(s.pending, func(u pendingUpdate) bool { return int64(u.id) < offset })
	case offset < 0 && int64(len(s.pending)) > -offset:
		s.pending = slices.Delete(s.pending, 0, len(s.pending)-int(-offset))
	}
	s.pollGen++
	gen := s.pollGen
	s.broadcastLocked()
	s.waitPendingLocked(c, gen, timeout)
	superseded, hooked := s.pollGen != gen, s.hook.url != ""
	out := make([]json.RawMessage, 0, limit)
	for _, u := range s.pending {
		if len(out) == int(limit) {
			break
		}
		out = append(out, u.body)
	}
	s.mu.Unlock()
	if superseded && hooked {
		c.fail(http.StatusConflict, errWebhookActive)
		return
	}
	if superseded {
		c.fail(http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
		return
	}
	c.ok(out)
}

// waitPendingLocked is the long poll of poll gen: it waits, with s.mu held
// except while waiting, until an update is pending, the timeout (seconds)
// passes, the client hangs up, the server closes, or a newer poll
// supersedes this one.
func (s *Server) waitPendingLocked(c *call, gen int, timeout int64) {
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	waiting, expired := false, timeout <= 0
	for len(s.pending) == 0 && !expired {
		if s.pollGen != gen {
			break
		}
		if !waiting {
			waiting = true
			s.polling++
			s.broadcastLocked()
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			expired = true
		case <-c.r.Context().Done():
			expired = true
		case <-s.closed:
			expired = true
		}
		s.mu.Lock()
	}
	if waiting {
		s.polling--
		s.broadcastLocked()
	}
}

func (s *Server) answerCallbackQuery(c *call) {
	s.mu.Lock()
	cb := s.callbacks[c.p["callback_query_id"]]
	fresh := cb != nil && !cb.answered
	if fresh {
		cb.answered = true
		cb.answer = CallbackAnswer{Text: c.p["text"], ShowAlert: c.p["show_alert"] == "true", URL: c.p["url"]}
		s.broadcastLocked()
	}
	s.mu.Unlock()
	if !fresh {
		c.fail(http.StatusBadRequest, "Bad Request: query is too old and response timeout expired or query ID is invalid")
		return
	}
	c.ok(true)
}

const errWebhookActive = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// setWebhook stores url and secret_token (an empty url removes the
// webhook, as on Telegram). http:// URLs are accepted so that httptest
// servers can be used; Telegram requires https.
func (s *Server) setWebhook(c *call) {
	u, secret := c.p["url"], c.p["secret_token"]
	if u == "" {
		s.deleteWebhook(c)
		return
	}
	if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
		c.fail(http.StatusBadRequest, "Bad Request: bad webhook: invalid webhook URL specified")
		return
	}
	if secret != "" && !secretRE.MatchString(secret) {
		c.fail(http.StatusBadRequest, "Bad Request: secret token contains unallowed characters")
		return
	}
	maxConn, ok := c.intParam("max_connections", 40)
	if !ok {
		return
	}
	var allowed []string
	_ = json.Unmarshal([]byte(c.p["allowed_updates"]), &allowed)
	drop := c.p["drop_pending_updates"] == "true"
	s.mu.Lock()
	// As on Telegram: one setWebhook a second, and the same one again
	// changes nothing (several instances of a bot all set it at start).
	now := s.now()
	if now.Before(s.hookSetAt.Add(time.Second)) {
		s.mu.Unlock()
		c.failRetry(http.StatusTooManyRequests, "Too Many Requests: retry after 1", 1)
		return
	}
	s.hookSetAt = now
	h := s.hook
	if h.url == u && h.secret == secret && h.maxConnections == int(maxConn) && !drop {
		s.hook.allowed = allowed
		s.mu.Unlock()
		c.ok(true, "Webhook is already set")
		return
	}
	s.hook = webhookState{url: u, secret: secret, maxConnections: int(maxConn), allowed: allowed}
	if drop {
		s.pending = nil
	}
	s.pollGen++ // a waiting getUpdates ends, as on Telegram
	s.broadcastLocked()
	s.mu.Unlock()
	c.ok(true, "Webhook was set")
}

func (s *Server) deleteWebhook(c *call) {
	s.mu.Lock()
	was := s.hook.url != ""
	s.hook = webhookState{}
	if c.p["drop_pending_updates"] == "true" {
		s.pending = nil
	}
	s.mu.Unlock()
	if was {
		c.ok(true, "Webhook was deleted")
	} else {
		c.ok(true, "Webhook is already deleted")
	}
}

func (s *Server) getWebhookInfo(c *call) {
	s.mu.Lock()
	h := s.hook
	info := map[string]any{"url": h.url, "has_custom_certificate": false, "pending_update_count": len(s.pending)}
	s.mu.Unlock()
	if h.url != "" {
		info["max_connections"] = h.maxConnections
	}
	if len(h.allowed) > 0 {
		info["allowed_updates"] = h.allowed
	}
	if h.lastError != "" {
		info["last_error_date"], info["last_error_message"] = h.lastErrorDate, h.lastError
	}
	c.ok(info)
}

// Webhook returns the url and secret_token registered by setWebhook
// ("" when no webhook is set).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hook.url, s.hook.secret
}

// WaitWebhook blocks until a webhook is set (setWebhook), ctx ends, or the
// server closes.
func (s *Server) WaitWebhook(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.hook.url != "" })
}

// DeliverOption changes how DeliverWebhook sends an update.
type DeliverOption func(*deliverConfig)

type deliverConfig struct {
	secret     string
	omitSecret bool
}

// WithSecret sends secret in X-Telegram-Bot-Api-Secret-Token instead of
// the registered one (to test that the bot rejects a wrong secret).
func WithSecret(secret string) DeliverOption {
	return func(d *deliverConfig) { d.secret, d.omitSecret = secret, false }
}

// WithoutSecret omits the X-Telegram-Bot-Api-Secret-Token header.
func WithoutSecret() DeliverOption { return func(d *deliverConfig) { d.omitSecret = true } }

// DeliverWebhook POSTs the pending update updateID (from SendText, etc.) as
// JSON to the registered webhook, with the registered secret in
// X-Telegram-Bot-Api-Secret-Token. On a 2xx answer the update is confirmed
// (removed); otherwise it stays pending and getWebhookInfo reports the
// error, as on Telegram. The caller closes the response body.
func (s *Server) DeliverWebhook(ctx context.Context, updateID int, opts ...DeliverOption) (*http.Response, error) {
	s.mu.Lock()
	hook := s.hook
	i := slices.IndexFunc(s.pending, func(u pendingUpdate) bool { return u.id == updateID })
	var body []byte
	if i >= 0 {
		body = s.pending[i].body
	}
	s.mu.Unlock()
	if hook.url == "" {
		return nil, errors.New("telegramtest: DeliverWebhook: no webhook is set")
	}
	if body == nil {
		return nil, fmt.Errorf("telegramtest: DeliverWebhook: update %d is not pending", updateID)
	}
	d := deliverConfig{secret: hook.secret}
	for _, o := range opts {
		o(&d)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if !d.omitSecret && d.secret != "" {
		req.Header.Set(secretHeader, d.secret)
	}
	resp, err := s.client.Do(req)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err != nil:
		s.hook.lastError = "Connection refused"
	case resp.StatusCode/100 != 2:
		s.hook.lastError = "Wrong response from the webhook: " + resp.Status
	default:
		s.pending = slices.DeleteFunc(s.pending, func(u pendingUpdate) bool { return u.id == updateID })
		s.broadcastLocked()
		return resp, nil
	}
	s.hook.lastErrorDate = s.now().Unix()
	return resp, err
}
