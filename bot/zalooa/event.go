package zalooa

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the signature of a webhook delivery.
const SignatureHeader = "X-ZEvent-Signature"

// Event names the bot acts on. Every "user_send_*" event is a message; the
// OA's own sends come back as "oa_send_*" and are dropped.
const (
	EventText     = "user_send_text"
	EventImage    = "user_send_image"
	EventSticker  = "user_send_sticker"
	EventGIF      = "user_send_gif"
	EventFollow   = "follow"
	EventUnfollow = "unfollow"
)

// Event is a webhook delivery of the OA, decoded leniently: ids are
// strings, the message id is msg_id or message_id, the person is sender.id
// or (follow, unfollow) follower.id.
type Event struct {
	Name      string
	AppID     string
	OAID      string // oa_id, or recipient.id of a user's message
	UserID    string // the person, scoped to the OA
	MsgID     string
	Text      string
	ImageURL  string // the first image attached, if any
	Timestamp string // as in the body, for the signature
	Time      time.Time
	Raw       json.RawMessage
}

type eventJSON struct {
	EventName string `json:"event_name"`
	AppID     string `json:"app_id"`
	OAID      string `json:"oa_id"`
	Sender    struct {
		ID string `json:"id"`
	} `json:"sender"`
	Follower struct {
		ID string `json:"id"`
	} `json:"follower"`
	Recipient struct {
		ID string `json:"id"`
	} `json:"recipient"`
	Message struct {
		MsgID       string `json:"msg_id"`
		MessageID   string `json:"message_id"`
		Text        string `json:"text"`
		Attachments []struct {
			Type    string `json:"type"`
			Payload struct {
				URL string `json:"url"`
			} `json:"payload"`
		} `json:"attachments"`
	} `json:"message"`
}

// ParseEvent decodes a webhook body.
func ParseEvent(body []byte) (Event, error) {
	var j eventJSON
	if err := json.Unmarshal(body, &j); err != nil {
		return Event{}, fmt.Errorf("zalo_oa: event: %w", err)
	}
	ts, err := RawTimestamp(body)
	if err != nil {
		return Event{}, err
	}
	e := Event{Name: j.EventName, AppID: j.AppID, OAID: j.OAID, UserID: j.Sender.ID, MsgID: j.Message.MsgID,
		Text: j.Message.Text, Timestamp: ts, Raw: json.RawMessage(body)}
	if e.OAID == "" {
		e.OAID = j.Recipient.ID
	}
	if e.UserID == "" {
		e.UserID = j.Follower.ID
	}
	if e.MsgID == "" {
		e.MsgID = j.Message.MessageID
	}
	for _, a := range j.Message.Attachments {
		if (a.Type == "image" || a.Type == "") && a.Payload.URL != "" {
			e.ImageURL = a.Payload.URL
			break
		}
	}
	if e.Name == "" {
		return e, errors.New("zalo_oa: event: no event_name")
	}
	e.Time, err = parseMillis(ts)
	return e, err
}

// RawTimestamp is the "timestamp" of a webhook body as it appears there
// (milliseconds, a string or a number), which the signature covers.
func RawTimestamp(body []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return "", fmt.Errorf("zalo_oa: event: %w", err)
	}
	raw, ok := top["timestamp"]
	if !ok {
		return "", errors.New("zalo_oa: event: no timestamp")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	if v := string(raw); v != "" && strings.Trim(v, "0123456789") == "" {
		return v, nil
	}
	return "", errors.New("zalo_oa: event: the timestamp is not a number")
}

// parseMillis reads a timestamp in milliseconds (seconds below 1e12).
func parseMillis(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, fmt.Errorf("zalo_oa: event: timestamp %q is not a number of milliseconds", s)
	}
	if n < 1e12 {
		return time.Unix(n, 0), nil
	}
	return time.UnixMilli(n), nil
}

// Signature is the signature of a webhook body: the lowercase hex SHA-256
// of app id, body, timestamp and the OA secret key, concatenated.
func Signature(appID string, body []byte, timestamp, secretKey string) string {
	h := sha256.New()
	h.Write([]byte(appID))
	h.Write(body)
	h.Write([]byte(timestamp))
	h.Write([]byte(secretKey))
	return hex.EncodeToString(h.Sum(nil))
}

// CheckSignature reports whether header (optionally "mac=" before the
// hex) signs body, comparing in constant time. An empty secret key never
// matches.
func CheckSignature(header, appID string, body []byte, timestamp, secretKey string) bool {
	if secretKey == "" || appID == "" {
		return false
	}
	got, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(header), "mac="))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	want, _ := hex.DecodeString(Signature(appID, body, timestamp, secretKey))
	return subtle.ConstantTimeCompare(got, want) == 1
}
