package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

func TestDeliverErrors(t *testing.T) {
	e := newEnv(t, withoutRun)
	text := cd.Message{Text: "Thông báo"}
	photo := cd.Message{Text: "QR", File: &cd.File{Name: "qr.png", MIME: "image/png", Data: []byte("png")}}
	type want struct {
		retryAfter                 time.Duration
		unreachable, permanent, de bool
	}
	for _, tc := range []struct {
		name   string
		method string
		fault  telegramtest.Fault
		msg    cd.Message
		want   want
	}{
		{"429", "sendMessage", telegramtest.TooManyRequests(7), text, want{de: true, retryAfter: 7 * time.Second}},
		{"429 upload", "sendPhoto", telegramtest.TooManyRequests(3), photo, want{de: true, retryAfter: 3 * time.Second}},
		{"blocked", "sendMessage", telegramtest.Blocked(), text, want{de: true, unreachable: true}},
		{"blocked upload", "sendPhoto", telegramtest.Blocked(), photo, want{de: true, unreachable: true}},
		{"chat not found", "sendMessage", telegramtest.ChatNotFound(), text, want{de: true, unreachable: true}},
		{"500", "sendMessage", telegramtest.InternalError(), text, want{}},
		{"502 HTML", "sendMessage", telegramtest.BadGateway(), text, want{}},
		{"502 HTML upload", "sendPhoto", telegramtest.BadGateway(), photo, want{}},
		{"dropped", "sendMessage", telegramtest.DropConnection(), text, want{}},
		{"dropped upload", "sendPhoto", telegramtest.DropConnection(), photo, want{}},
	} {
		e.srv.FailNext(tc.method, 1, tc.fault)
		err := e.deliver(1, an.ID, tc.msg)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if strings.Contains(err.Error(), tokenSecret) {
			t.Errorf("%s: token in %q", tc.name, err)
		}
		var de *outbox.DeliveryError
		got := want{de: errors.As(err, &de)}
		if got.de {
			got.retryAfter, got.unreachable, got.permanent = de.RetryAfter, de.Unreachable, de.Permanent
		}
		if got != tc.want {
			t.Errorf("%s: %v classified as %+v, want %+v", tc.name, err, got, tc.want)
		}
	}
	// Cancelling the context aborts a slow send.
	e.srv.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := e.a.Deliver(ctx, cd.OutboxItem{To: to(an.ID), Message: text})
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), tokenSecret) {
		t.Errorf("slow send: %v", err)
	}
	e.srv.SetLatency(0)
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, tokenSecret) {
		t.Errorf("url.Error %v keeps the token", ue)
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err                    *tgbotapi.Error
		unreachable, permanent bool
		retryAfter             time.Duration
	}{
		{err: &tgbotapi.Error{Code: 400, Message: "Bad Request: message is too long"}, permanent: true},
		{err: &tgbotapi.Error{Message: "Bad Request: can't parse entities"}, permanent: true},
		{err: &tgbotapi.Error{Code: 403, Message: "Forbidden: user is deactivated"}, unreachable: true},
		{err: &tgbotapi.Error{Code: 403, Message: "Forbidden: bot can't initiate conversation with a user"}, unreachable: true},
		{err: &tgbotapi.Error{Code: 400, Message: "Bad Request: group chat was upgraded to a supergroup chat",
			ResponseParameters: tgbotapi.ResponseParameters{MigrateToChatID: -1001}}, unreachable: true},
		{err: &tgbotapi.Error{Code: 429, Message: "Too Many Requests"}, retryAfter: time.Second},
		{err: &tgbotapi.Error{Code: 429, Message: "Too Many Requests: retry after 35000",
			ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 35000}}, retryAfter: 35000 * time.Second},
		{err: &tgbotapi.Error{Code: 502, Message: "Bad Gateway"}},
		{err: &tgbotapi.Error{Code: 401, Message: "Unauthorized"}},
	} {
		err := classify(fmt.Errorf("send: %w", tc.err))
		var de *outbox.DeliveryError
		if !errors.As(err, &de) {
			de = &outbox.DeliveryError{}
		}
		if de.Unreachable != tc.unreachable || de.Permanent != tc.permanent || de.RetryAfter != tc.retryAfter {
			t.Errorf("%q (code %d): %+v", tc.err.Message, tc.err.Code, de)
		}
		var te *tgbotapi.Error
		if !errors.As(err, &te) || te != tc.err {
			t.Errorf("%q: the Bot API error is lost", tc.err.Message)
		}
	}
}

func TestRedact(t *testing.T) {
	r := newRedactor(testToken, hookSecret)
	inner := &tgbotapi.Error{Code: 403, Message: "Forbidden"}
	ue := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + url.PathEscape(testToken) + "/sendMessage", Err: errors.New("EOF")}
	for _, err := range []error{
		fmt.Errorf("call https://api.telegram.org/bot%s/getMe: %w", testToken, inner),
		&outbox.DeliveryError{Err: fmt.Errorf("token %s: %w", url.QueryEscape(testToken), inner), Unreachable: true},
		ue,
	} {
		red := r.err(err)
		if strings.Contains(red.Error(), tokenSecret) || !strings.Contains(red.Error(), "<token>") {
			t.Errorf("redacted to %q", red)
		}
		var te *tgbotapi.Error
		var de *outbox.DeliveryError
		var u *url.Error
		if !errors.As(red, &te) && !errors.As(red, &u) {
			t.Errorf("%q: errors.As lost the chain", red)
		}
		if _, ok := err.(*outbox.DeliveryError); ok && (!errors.As(red, &de) || !de.Unreachable) {
			t.Errorf("%q: the DeliveryError is lost", red)
		}
	}
	if r.err(nil) != nil {
		t.Error("nil is not nil")
	}
	if got := newRedactor("").string("abc"); got != "abc" {
		t.Errorf("empty secret: %q", got)
	}
}

// A bot run with faults on every call (dropped connections, 5xx, HTML
// gateway pages, 429s), plus a wrong endpoint and a dead server: the token
// appears in no log line and no returned error.
func TestTokenNeverLeaks(t *testing.T) {
	e := newEnv(t, withoutRun)
	e.srv.SetFaultRates(telegramtest.FaultRates{Drop: 0.1, InternalError: 0.05, BadGateway: 0.05, TooManyRequests: 0.05, RetryAfter: 1})
	for _, f := range []telegramtest.Fault{telegramtest.DropConnection(), telegramtest.BadGateway(),
		telegramtest.InternalError(), telegramtest.TooManyRequests(1)} {
		e.srv.FailNext("getUpdates", 1, f)
		e.srv.FailNext("answerCallbackQuery", 1, f)
	}
	e.run()
	e.user(e.srv.SendText(an, "/dangky"))
	m := e.await("consent", msg(an.ID, "có đồng ý không"))
	e.user(e.srv.PressButton(an, m.MessageID, "c:y"))
	e.await("name question", msg(an.ID, "Họ và tên"))

	var errs []error
	for _, f := range []telegramtest.Fault{telegramtest.DropConnection(), telegramtest.BadGateway(), telegramtest.InternalError(),
		telegramtest.TooManyRequests(2), telegramtest.Blocked()} {
		e.srv.FailNext("sendMessage", 1, f)
		e.srv.FailNext("sendDocument", 1, f)
		errs = append(errs, e.deliver(0, an.ID, cd.Message{Text: "x"}),
			e.deliver(0, an.ID, cd.Message{Text: "x", File: &cd.File{Name: "a.csv", Data: []byte("a")}}))
		e.srv.FailNext("setMyCommands", 1, f)
		errs = append(errs, e.a.SetCommands(context.Background(), e.core.Commands()))
	}
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	cfg := Config{Token: testToken, APIEndpoint: "http://127.0.0.1:1/bot%s/%s", HTTPTimeout: time.Second}
	_, err := New(cfg, nil, nil, log, nil) // connection refused
	errs = append(errs, err)
	e.srv.FailNext("getMe", 1, telegramtest.DropConnection())
	cfg.APIEndpoint = e.srv.Endpoint()
	_, err = New(cfg, nil, nil, log, nil)
	errs = append(errs, err)
	cfg.Token = "424242:wrong-" + tokenSecret
	_, err = New(cfg, nil, nil, log, nil)
	errs = append(errs, err)

	for i, err := range errs {
		if err == nil {
			t.Errorf("error %d: nil", i)
		} else if strings.Contains(err.Error(), tokenSecret) {
			t.Errorf("error %d holds the token: %v", i, err)
		}
	}
	if e.srv.Count429() == 0 {
		t.Error("no 429 was injected")
	}
	logs := e.logs.String()
	if strings.Contains(logs, tokenSecret) {
		t.Errorf("the logs hold the token:\n%s", logs)
	}
	if !strings.Contains(logs, "<token>") {
		t.Errorf("no transport error was logged (the test proves nothing):\n%s", logs)
	}
}

func TestSetCommands(t *testing.T) {
	e := newEnv(t, withoutRun)
	if err := e.a.SetCommands(context.Background(), e.core.Commands()); err != nil {
		t.Fatal(err)
	}
	got := e.srv.Commands()
	want := e.core.Commands()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("commands = %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i].Command != want[i].Name || got[i].Description != want[i].Description {
			t.Errorf("command %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got[0].Command != "dangky" || got[0].Description != "Đăng ký đoàn viên" {
		t.Errorf("first command %+v", got[0])
	}
	if err := e.a.SetCommands(context.Background(), []bot.CommandInfo{{Name: "Đăng-ký", Description: "x"}}); err == nil {
		t.Error("an invalid command name was accepted")
	}
}

func TestConfigValidate(t *testing.T) {
	hook := Config{Token: testToken, Mode: ModeWebhook, WebhookListen: ":8443", WebhookURL: "https://bot.example.vn/telegram",
		WebhookSecret: hookSecret}
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string // "" for valid; else a fragment of the error
	}{
		{"polling", func(c *Config) { *c = Config{Token: testToken} }, ""},
		{"webhook", func(*Config) {}, ""},
		{"no token", func(c *Config) { c.Token = "" }, `key "telegram.token"`},
		{"mode", func(c *Config) { c.Mode = "push" }, `key "telegram.mode"`},
		{"endpoint", func(c *Config) { c.APIEndpoint = "https://api.telegram.org/bot" }, `key "telegram.api_endpoint"`},
		{"short secret", func(c *Config) { c.WebhookSecret = "abc" }, `key "telegram.webhook_secret": must be 32 to 256`},
		{"secret chars", func(c *Config) { c.WebhookSecret = strings.Repeat("a", 40) + "!" }, `key "telegram.webhook_secret": may hold only`},
		{"no url", func(c *Config) { c.WebhookURL = "" }, `key "telegram.webhook_url"`},
		{"http url", func(c *Config) { c.WebhookURL = "http://bot.example.vn/telegram" }, `key "telegram.webhook_url": must be https`},
		{"http loopback", func(c *Config) { c.WebhookURL = "http://127.0.0.1:8443/telegram" }, ""},
		{"no listen", func(c *Config) { c.WebhookListen = "" }, `key "telegram.webhook_listen"`},
		{"bad listen", func(c *Config) { c.WebhookListen = "8443" }, `key "telegram.webhook_listen"`},
		{"path", func(c *Config) { c.WebhookPath = "telegram" }, `key "telegram.webhook_path"`},
		{"max connections", func(c *Config) { c.MaxConnections = 101 }, `key "telegram.max_connections"`},
	} {
		c := hook
		tc.mod(&c)
		err := c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		case err != nil && (strings.Contains(err.Error(), tokenSecret) || strings.Contains(err.Error(), c.WebhookSecret) && c.WebhookSecret != ""):
			t.Errorf("%s: a secret in %q", tc.name, err)
		case err != nil && strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: not one line: %q", tc.name, err)
		}
	}
}

func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		chat  string
		every time.Duration
		burst int
	}{
		{"1001", time.Second, 3},
		{"-100123", 3 * time.Second, 1},
	} {
		if every, burst := DefaultLimits().ChatLimit(tc.chat); every != tc.every || burst != tc.burst {
			t.Errorf("ChatLimit(%s) = %v, %d", tc.chat, every, burst)
		}
	}
	if every, burst := DefaultLimits().Global(); every != 40*time.Millisecond || burst != 25 {
		t.Errorf("Global = %v, %d", every, burst)
	}
	l := Limits{GroupEvery: time.Minute / 20, GroupBurst: 2}
	if every, burst := l.ChatLimit("-1"); every != 3*time.Second || burst != 2 {
		t.Errorf("custom group limit = %v, %d", every, burst)
	}
}
