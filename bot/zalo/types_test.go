package zalo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"
)

const docSample = `{"ok":true,"result":{"event_name":"message.text.received","message":{
  "from":{"id":"6ede9afa66b88fe6d6a9","display_name":"Ted","is_bot":false},
  "chat":{"id":"6ede9afa66b88fe6d6a9","chat_type":"PRIVATE"},
  "text":"Xin chào","message_id":"2d758cb5e222177a4e35","date":1750316131602}}}`

func TestParseWebhook(t *testing.T) {
	ted := Message{MessageID: "2d758cb5e222177a4e35", Text: "Xin chào", Date: 1750316131602,
		From: User{ID: "6ede9afa66b88fe6d6a9", DisplayName: "Ted"},
		Chat: Chat{ID: "6ede9afa66b88fe6d6a9", ChatType: ChatPrivate}}
	unwrapped := docSample[strings.Index(docSample, `"result":`)+len(`"result":`) : len(docSample)-1]
	for _, tc := range []struct {
		name    string
		body    string
		event   string
		want    Message
		wantErr error // nil: no error; errAny: some error
	}{
		{name: "wrapped, as documented", body: docSample, event: EventText, want: ted},
		{name: "unwrapped, as seen live", body: unwrapped, event: EventText, want: ted},
		{name: "ids as numbers, name, seconds, photo_url", body: `{"event_name":"message.image.received","message":{
			"from":{"id":1459232241454765289,"name":"Bot","is_bot":"true"},"chat":{"id":1459232241454765289},
			"photo_url":"https://f.zdn.vn/x.jpg","caption":"ảnh","message_id":12345678901234567890,"date":1750316131}}`,
			event: EventImage, want: Message{MessageID: "12345678901234567890", Date: 1750316131000,
				From: User{ID: "1459232241454765289", DisplayName: "Bot", IsBot: true},
				Chat: Chat{ID: "1459232241454765289"}, Photo: "https://f.zdn.vn/x.jpg", Caption: "ảnh"}},
		{name: "photo field, no chat, date as string", body: `{"event_name":"message.image.received","message":{
			"from":{"id":"abc","display_name":"An"},"photo":"https://p/1.jpg","date":"1750316131602","extra":[1,2]}}`,
			event: EventImage, want: Message{Date: 1750316131602, From: User{ID: "abc", DisplayName: "An"},
				Chat: Chat{ID: "abc", ChatType: ChatPrivate}, Photo: "https://p/1.jpg"}},
		{name: "unknown event kept", body: `{"event_name":"message.location.received","message":{"message_id":"m"}}`,
			event: "message.location.received", want: Message{MessageID: "m"}},
		{name: "missing event inferred", body: `{"message":{"message_id":"m","text":"hi"}}`,
			event: EventText, want: Message{MessageID: "m", Text: "hi"}},
		{name: "empty object", body: `{}`, wantErr: ErrNoUpdate},
		{name: "wrapped empty", body: `{"ok":true,"result":{}}`, wantErr: ErrNoUpdate},
		{name: "wrapped without result", body: `{"ok":true}`, wantErr: ErrNoUpdate},
		{name: "ok false", body: `{"ok":false,"error_code":400}`, wantErr: errAny},
		{name: "not JSON", body: `<html>`, wantErr: errAny},
		{name: "array", body: `[{"event_name":"x"}]`, wantErr: errAny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ParseWebhook([]byte(tc.body))
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantErr == errAny && err == nil, tc.wantErr != nil && tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			case tc.wantErr != nil:
				return
			}
			if u.EventName != tc.event || u.Message != tc.want {
				t.Errorf("got %q %+v\nwant %q %+v", u.EventName, u.Message, tc.event, tc.want)
			}
			if len(u.Raw) == 0 || strings.Contains(string(u.Raw), `"ok"`) {
				t.Errorf("Raw = %s", u.Raw)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestUpdateJSONRoundTrip(t *testing.T) {
	built := Update{EventName: EventImage, Message: Message{MessageID: "m", Date: 1750316131602,
		From: User{ID: "1459232241454765289", DisplayName: "Bot", IsBot: true},
		Chat: Chat{ID: "c", ChatType: ChatGroup}, Photo: "https://p/x.jpg", Caption: "ảnh"}}
	wire, err := ParseWebhook([]byte(docSample))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []Update{built, wire} {
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var back Update
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.EventName != u.EventName || back.Message != u.Message {
			t.Errorf("round trip of %+v gave %+v (%s)", u, back, b)
		}
	}
}

func TestDecodeUpdates(t *testing.T) {
	one := `{"event_name":"message.text.received","message":{"message_id":"a","text":"1"}}`
	two := `{"event_name":"message.text.received","message":{"message_id":"b","text":"2"}}`
	for _, tc := range []struct {
		result string
		ids    string
		bad    bool
	}{
		{result: one, ids: "a"},
		{result: "[" + one + "," + two + "]", ids: "a,b"},
		{result: "[" + one + ",{},null,7," + two + "]", ids: "a,b"},
		{result: `{}`, ids: ""},
		{result: `[]`, ids: ""},
		{result: `null`, ids: ""},
		{result: ``, ids: ""},
		{result: `"x"`, bad: true},
	} {
		ups, err := decodeUpdates([]byte(tc.result))
		if (err != nil) != tc.bad {
			t.Errorf("%s: err = %v", tc.result, err)
			continue
		}
		var ids []string
		for _, u := range ups {
			ids = append(ids, u.Message.MessageID)
		}
		if strings.Join(ids, ",") != tc.ids {
			t.Errorf("%s: ids %v, want %s", tc.result, ids, tc.ids)
		}
	}
}

func TestMessageTimeAndEcho(t *testing.T) {
	m := Message{Date: 1750316131602}
	if got := m.Time(); !got.Equal(time.UnixMilli(1750316131602)) {
		t.Errorf("Time = %v", got)
	}
	if !(Message{}).Time().IsZero() {
		t.Error("zero date is not the zero time")
	}
	bot := "1459232241454765289"
	for _, tc := range []struct {
		from User
		echo bool
	}{
		{User{ID: "6ede9afa66b88fe6d6a9"}, false},
		{User{ID: bot}, true},
		{User{ID: "x", IsBot: true}, true},
	} {
		if got := (Update{Message: Message{From: tc.from}}).IsEcho(bot); got != tc.echo {
			t.Errorf("IsEcho(%+v) = %v", tc.from, got)
		}
	}
}

func TestAPIError(t *testing.T) {
	for _, tc := range []struct {
		e                     APIError
		text                  string
		retry, unauth, badReq bool
	}{
		{APIError{Method: "getMe", HTTPStatus: 200, Code: 401, Description: "Unauthorized"},
			"zalo: getMe: error 401: Unauthorized (HTTP 200)", false, true, false},
		{APIError{Method: "sendMessage", HTTPStatus: 429, Code: 429, Description: "Quota exceeded"},
			"zalo: sendMessage: error 429: Quota exceeded", true, false, false},
		{APIError{Method: "sendMessage", HTTPStatus: 200, Code: 403, Description: "Internal server error"},
			"zalo: sendMessage: error 403: Internal server error (HTTP 200)", true, false, false},
		{APIError{Method: "sendMessage", HTTPStatus: 200, Code: 408}, "zalo: sendMessage: error 408 (HTTP 200)",
			true, false, false},
		{APIError{Method: "getUpdates", HTTPStatus: 502, Description: "non-JSON answer: text/html, 166 bytes"},
			"zalo: getUpdates: HTTP 502: non-JSON answer: text/html, 166 bytes", true, false, false},
		{APIError{Method: "sendMessage", HTTPStatus: 200, Code: 400, Description: "user not found or blocked"},
			"zalo: sendMessage: error 400: user not found or blocked (HTTP 200)", false, false, true},
		{APIError{Method: "sendMessage", HTTPStatus: 404, Code: 404}, "zalo: sendMessage: error 404", false, false, false},
	} {
		e := tc.e
		if e.Error() != tc.text || e.IsRetryable() != tc.retry || e.IsUnauthorized() != tc.unauth ||
			e.IsBadRequest() != tc.badReq {
			t.Errorf("%+v: %q retry %v unauth %v bad %v", e, e.Error(), e.IsRetryable(), e.IsUnauthorized(), e.IsBadRequest())
		}
		if IsRetryable(fmt.Errorf("outbox: %w", &e)) != tc.retry {
			t.Errorf("IsRetryable(wrapped %+v) wrong", e)
		}
	}
	if IsRetryable(nil) || IsRetryable(errors.New("plain")) || IsRetryable(fmt.Errorf("x: %w", ErrTextLength)) {
		t.Error("IsRetryable true for a non-retryable error")
	}
}

func TestRedactor(t *testing.T) {
	token := "123456789:a/b c?d-SECRET"
	r := newRedactor(token)
	u := "https://h/bot" + url.PathEscape(token) + "/getMe"
	inner := fmt.Errorf("dial %s: %w", token, io.ErrUnexpectedEOF)
	err := r.redactErr(&url.Error{Op: "Post", URL: u, Err: inner})
	msg := err.Error()
	if strings.Contains(msg, "SECRET") || strings.Count(msg, "<token>") != 2 {
		t.Errorf("redacted = %q", msg)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || ue.URL != "https://h/bot<token>/getMe" {
		t.Errorf("url.Error lost or not redacted: %v", ue)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("chain lost")
	}
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), "SECRET") {
			t.Errorf("an error in the chain leaks: %q", e)
		}
	}
	plain := errors.New("no token here")
	if r.redactErr(plain) != plain {
		t.Error("an error without the token was rewrapped")
	}
	if got := newRedactor("").replace("abc"); got != "abc" {
		t.Errorf("empty token redactor = %q", got)
	}
	if got := r.replace("x a%2Fb%20c%3Fd-SECRET y"); got != "x <token> y" {
		t.Errorf("escaped form = %q", got)
	}
}

func TestCheckSecret(t *testing.T) {
	for _, tc := range []struct {
		got, secret string
		ok          bool
	}{
		{"s3cret-token", "s3cret-token", true},
		{"s3cret-tokem", "s3cret-token", false},
		{"s3cret", "s3cret-token", false},
		{"", "", false},
		{"x", "", false},
	} {
		if CheckSecret(tc.got, tc.secret) != tc.ok {
			t.Errorf("CheckSecret(%q, %q) != %v", tc.got, tc.secret, tc.ok)
		}
	}
}
