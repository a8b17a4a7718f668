package zalo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// Event names of the Zalo Bot Platform. Unknown names may appear; callers
// should ignore what they do not handle.
const (
	EventText    = "message.text.received"
	EventImage   = "message.image.received"
	EventSticker = "message.sticker.received"
	EventVoice   = "message.voice.received" // newer docs only
	// EventUnsupported replaces the real content when the sender belongs to
	// a legally protected group: answer with a generic message.
	EventUnsupported = "message.unsupported.received"
)

// Chat types. GROUP is in beta on Zalo.
const (
	ChatPrivate = "PRIVATE"
	ChatGroup   = "GROUP"
)

// Me is the bot, as getMe describes it. ID is a 19-digit number kept as a
// string (it does not fit a float64).
type Me struct {
	ID            string
	AccountName   string
	AccountType   string // "BASIC" on the free plan
	DisplayName   string // not in the documented answer; filled when present
	CanJoinGroups bool
}

// User is the sender of a message. Users' ids are 20 hex characters.
type User struct {
	ID          string
	DisplayName string // "display_name"; "name" and "username" are accepted too
	IsBot       bool
}

// Chat is where a message was posted. For a private chat ID equals the
// sender's id; for a group it is the group's id.
type Chat struct {
	ID       string
	ChatType string // ChatPrivate or ChatGroup
}

// Message is the message of an update. Decoding is lenient: ids given as
// JSON numbers are kept as their digits, "photo" and "photo_url" both fill
// Photo, and a missing chat defaults to the sender's private chat.
type Message struct {
	MessageID string
	Text      string
	// Date is epoch milliseconds; a value below 1e12 on the wire is taken
	// as seconds and converted.
	Date     int64
	From     User
	Chat     Chat
	Photo    string // image URL (temporary on Zalo: download it right away)
	Caption  string
	Sticker  string
	VoiceURL string
}

// Time is Date as a time.Time (the zero Time when Date is 0).
func (m Message) Time() time.Time {
	if m.Date == 0 {
		return time.Time{}
	}
	return time.UnixMilli(m.Date)
}

// Update is one event from getUpdates or a webhook.
type Update struct {
	EventName string
	Message   Message
	// Raw is the update object as received, for the inbox and debugging.
	Raw json.RawMessage
}

// IsEcho reports whether the update is the bot's own message coming back
// (Zalo re-sends them): from.is_bot is set or from.id is botID (Me.ID).
// Such updates must be dropped.
func (u Update) IsEcho(botID string) bool {
	return u.Message.From.IsBot || botID != "" && u.Message.From.ID == botID
}

// MarshalJSON writes Raw when the update was decoded from the wire, else
// the wire form of its fields, so that an update stored as JSON (in the
// inbox, say) decodes again to the same Update.
func (u Update) MarshalJSON() ([]byte, error) {
	if len(u.Raw) > 0 {
		return u.Raw, nil
	}
	m := u.Message
	msg := map[string]any{
		"from":       map[string]any{"id": m.From.ID, "display_name": m.From.DisplayName, "is_bot": m.From.IsBot},
		"chat":       map[string]any{"id": m.Chat.ID, "chat_type": m.Chat.ChatType},
		"message_id": m.MessageID, "date": m.Date,
	}
	for k, v := range map[string]string{"text": m.Text, "photo": m.Photo, "caption": m.Caption,
		"sticker": m.Sticker, "voice_url": m.VoiceURL} {
		if v != "" {
			msg[k] = v
		}
	}
	return json.Marshal(map[string]any{"event_name": u.EventName, "message": msg})
}

func (u Update) empty() bool {
	m := u.Message
	return u.EventName == "" && m.MessageID == "" && m.Text == "" && m.Photo == "" &&
		m.From.ID == "" && m.Chat.ID == ""
}

// UnmarshalJSON decodes one update object leniently (see Message).
func (u *Update) UnmarshalJSON(b []byte) error {
	f, err := decodeFields(b)
	if err != nil {
		return fmt.Errorf("zalo: update: %w", err)
	}
	*u = Update{Raw: bytes.Clone(b), EventName: f.str("event_name")}
	if mf, err := decodeFields(f["message"]); err == nil {
		u.Message = decodeMessage(mf)
	}
	if u.EventName == "" { // infer it rather than drop the update
		switch m := u.Message; {
		case m.Photo != "":
			u.EventName = EventImage
		case m.Sticker != "":
			u.EventName = EventSticker
		case m.VoiceURL != "":
			u.EventName = EventVoice
		case m.Text != "":
			u.EventName = EventText
		}
	}
	return nil
}

func decodeMessage(f fields) Message {
	m := Message{
		MessageID: f.str("message_id", "msg_id"),
		Text:      f.str("text"),
		Date:      normalizeDate(f.int("date", "timestamp")),
		Photo:     f.str("photo", "photo_url"),
		Caption:   f.str("caption"),
		Sticker:   f.str("sticker"),
		VoiceURL:  f.str("voice_url"),
	}
	if from, err := decodeFields(f["from"]); err == nil {
		m.From = User{ID: from.str("id"), DisplayName: from.str("display_name", "name", "username"),
			IsBot: from.bool("is_bot")}
	}
	if chat, err := decodeFields(f["chat"]); err == nil {
		m.Chat = Chat{ID: chat.str("id"), ChatType: chat.str("chat_type", "type")}
	}
	if m.Chat.ID == "" && m.From.ID != "" {
		m.Chat.ID = m.From.ID
		if m.Chat.ChatType == "" {
			m.Chat.ChatType = ChatPrivate
		}
	}
	return m
}

// normalizeDate turns epoch seconds into milliseconds; milliseconds pass.
func normalizeDate(v int64) int64 {
	if v > 0 && v < 1e12 {
		return v * 1000
	}
	return v
}

// SecretHeader carries the webhook's secret_token on Zalo's POSTs.
const SecretHeader = "X-Bot-Api-Secret-Token"

// CheckSecret reports whether got (the SecretHeader value of a webhook
// request) is secret, in constant time. An empty secret never matches.
func CheckSecret(got, secret string) bool { return inbox.CheckSecret(got, secret) }

// ErrNoUpdate is returned by ParseWebhook for a body that holds no update
// (an empty object, as a probe might send). Answer such a request 200.
var ErrNoUpdate = errors.New("zalo: body holds no update")

// ParseWebhook decodes a webhook body, wrapped as the docs show
// ({"ok":true,"result":{...}}) or unwrapped ({"event_name":...,"message":...})
// as live traffic has been reported to be. Check the secret header before
// calling it.
func ParseWebhook(body []byte) (Update, error) {
	f, err := decodeFields(body)
	if err != nil {
		return Update{}, fmt.Errorf("zalo: webhook body: %w", err)
	}
	inner := body
	if res, wrapped := f["result"]; wrapped || f["ok"] != nil {
		if ok, present := f.boolOK("ok"); present && !ok {
			return Update{}, fmt.Errorf("zalo: webhook body has ok:false (error_code %d)", f.int("error_code"))
		}
		inner = res
	}
	var u Update
	if err := u.UnmarshalJSON(inner); err != nil {
		if len(bytes.TrimSpace(inner)) == 0 || string(bytes.TrimSpace(inner)) == "null" {
			return Update{}, ErrNoUpdate
		}
		return Update{}, err
	}
	if u.empty() {
		return Update{}, ErrNoUpdate
	}
	return u, nil
}

// decodeUpdates decodes getUpdates' result: one update object, an array of
// them, an empty object or null. Empty objects are skipped.
func decodeUpdates(raw json.RawMessage) ([]Update, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []json.RawMessage
	switch raw[0] {
	case '[':
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("zalo: getUpdates: result: %w", err)
		}
	case '{':
		items = []json.RawMessage{raw}
	default:
		return nil, fmt.Errorf("zalo: getUpdates: result is neither an object nor an array")
	}
	var out []Update
	for _, item := range items {
		var u Update
		if err := u.UnmarshalJSON(item); err != nil || u.empty() {
			continue // null or a non-object inside an array: nothing to deliver
		}
		out = append(out, u)
	}
	return out, nil
}

// MessageResult is what sendMessage and sendPhoto return.
type MessageResult struct {
	MessageID string
	Date      int64 // epoch milliseconds
}

// WebhookInfo is what getWebhookInfo returns. URL is "" when no webhook is
// set.
type WebhookInfo struct {
	URL                  string
	UpdatedAt            int64 // epoch milliseconds
	HasCustomCertificate bool
}

// fields is a JSON object with its values left raw, read leniently: a
// string field may come as a JSON number (kept as its digits, never a
// float64) and a number may come as a string.
type fields map[string]json.RawMessage

func decodeFields(b []byte) (fields, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	var f fields
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	return f, nil
}

// str returns the first non-empty string or number among keys.
func (f fields) str(keys ...string) string {
	for _, k := range keys {
		v := bytes.TrimSpace(f[k])
		if len(v) == 0 {
			continue
		}
		switch c := v[0]; {
		case c == '"':
			var s string
			if json.Unmarshal(v, &s) == nil && s != "" {
				return s
			}
		case c == '-' || c >= '0' && c <= '9':
			return string(v)
		}
	}
	return ""
}

// int returns the first of keys that holds an integer (or a numeric
// string), 0 if none.
func (f fields) int(keys ...string) int64 {
	for _, k := range keys {
		s := f.str(k)
		if s == "" {
			continue
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		if x, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) &&
			math.Abs(x) < 9e18 {
			return int64(x)
		}
	}
	return 0
}

func (f fields) bool(key string) bool {
	b, _ := f.boolOK(key)
	return b
}

// boolOK reads true/false, "true"/"false", 1/0; present is false when the
// key is absent or holds something else.
func (f fields) boolOK(key string) (value, present bool) {
	v := strings.Trim(string(bytes.TrimSpace(f[key])), `"`)
	switch strings.ToLower(v) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}
