package telegram

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

// recorder is a Handler that records updates without applying them (so
// their inbox rows stay pending), and fails the first failFirst calls.
type recorder struct {
	mu        sync.Mutex
	got       []bot.Update
	calls     int
	failFirst int
	ch        chan bot.Update
}

func newRecorder(failFirst int) *recorder {
	return &recorder{failFirst: failFirst, ch: make(chan bot.Update, 100)}
}

func (r *recorder) HandleResult(_ context.Context, u bot.Update) (bot.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls <= r.failFirst {
		return bot.Result{}, errors.New("database is locked")
	}
	r.got = append(r.got, u)
	r.ch <- u
	return bot.Result{}, nil
}

// next waits for the next update handled.
func (r *recorder) next(t *testing.T, e *env) bot.Update {
	t.Helper()
	select {
	case u := <-r.ch:
		return u
	case <-e.ctx().Done():
		t.Fatalf("no update handled\nlogs:\n%s", e.logs)
		return bot.Update{}
	}
}

func withHandler(h Handler) envOption {
	return func(c *envConfig) { c.handler = func(*env) Handler { return h } }
}

func TestWebhookSecretAndSize(t *testing.T) {
	rec := newRecorder(0)
	e := newEnv(t, webhookMode, withHandler(rec))
	ctx := e.ctx()
	id := e.srv.SendText(an, "xin chào")
	for _, tc := range []struct {
		name string
		opt  telegramtest.DeliverOption
	}{
		{"missing", telegramtest.WithoutSecret()},
		{"wrong", telegramtest.WithSecret(strings.Repeat("x", len(hookSecret)))},
		{"wrong length", telegramtest.WithSecret("hook_secret")},
	} {
		resp, err := e.srv.DeliverWebhook(ctx, id, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s secret: %s, want 401", tc.name, resp.Status)
		}
	}
	if n := e.pending(); n != 0 {
		t.Fatalf("%d updates stored from rejected deliveries", n)
	}

	// Too big: refused before decoding, nothing stored.
	big := `{"update_id":99,"message":{"message_id":1,"date":1,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"first_name":"An"},"text":"` +
		strings.Repeat("a", 1<<20) + `"}}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.a.cfg.WebhookURL, strings.NewReader(big))
	req.Header.Set(SecretHeader, hookSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %s, want 413", resp.Status)
	}

	// The right secret: stored and handled.
	e.user(id)
	if u := rec.next(t, e); u.Text != "xin chào" || u.UserID != "1001" || u.ChatID != "1001" || u.InboxID == 0 ||
		u.DisplayName != "An Nguyễn" {
		t.Errorf("handled %+v", u)
	}
	if n := e.pending(); n != 1 {
		t.Errorf("%d updates stored, want 1", n)
	}
	// Telegram delivering the same update again: 200, stored once.
	for range 2 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.a.cfg.WebhookURL,
			bytes.NewReader([]byte(`{"update_id":`+strconv.Itoa(id)+`,"message":{"message_id":1,"date":1,"chat":{"id":1001,"type":"private"},"from":{"id":1001,"first_name":"An"},"text":"xin chào"}}`)))
		req.Header.Set(SecretHeader, hookSecret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("redelivery: %s", resp.Status)
		}
	}
	if n := e.pending(); n != 1 {
		t.Errorf("%d updates stored after redelivery, want 1", n)
	}

	// Not an update: 400; an update tgbotapi cannot decode: 200 (else
	// Telegram would deliver it forever), and neither is stored.
	for body, status := range map[string]int{`{}`: 400, `{"update_id":77,"message":"oops"}`: 200} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.a.cfg.WebhookURL, strings.NewReader(body))
		req.Header.Set(SecretHeader, hookSecret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("%s: %s, want %d", body, resp.Status, status)
		}
	}
	if n := e.pending(); n != 1 {
		t.Errorf("%d updates stored after malformed ones, want 1", n)
	}

	// Health check, and no other method or path.
	base := strings.TrimSuffix(e.a.cfg.WebhookURL, DefaultWebhookPath)
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/healthz", 200, "ok"},
		{"GET", DefaultWebhookPath, 405, ""},
		{"POST", "/other", 404, ""},
	} {
		req, _ := http.NewRequestWithContext(ctx, tc.method, base+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || tc.body != "" && string(body) != tc.body {
			t.Errorf("%s %s: %s %q", tc.method, tc.path, resp.Status, body)
		}
	}
}

// The processor retries an update the handler failed on, keeps the
// order, and sets an update aside after maxFailures.
func TestProcessorRetries(t *testing.T) {
	rec := newRecorder(2)
	e := newEnv(t, withHandler(rec), withoutRun)
	e.a.proc.MaxFailures = 3
	e.run()
	e.srv.SendText(an, "một")
	e.srv.SendText(an, "hai")
	if u := rec.next(t, e); u.Text != "một" {
		t.Errorf("first handled: %q", u.Text)
	}
	if u := rec.next(t, e); u.Text != "hai" {
		t.Errorf("second handled: %q", u.Text)
	}
	rec.mu.Lock()
	calls := rec.calls
	rec.mu.Unlock()
	if calls != 4 {
		t.Errorf("Handle called %d times, want 4 (2 failures, 2 successes)", calls)
	}
	if !strings.Contains(e.logs.String(), "will retry") {
		t.Errorf("failures not logged:\n%s", e.logs)
	}

	rec.mu.Lock()
	rec.failFirst = rec.calls + 3 // the next update fails for good
	rec.mu.Unlock()
	e.srv.SendText(an, "ba")
	e.srv.SendText(an, "bốn")
	if u := rec.next(t, e); u.Text != "bốn" {
		t.Errorf("after the failing one, handled %q", u.Text)
	}
	if !strings.Contains(e.logs.String(), "giving up on an update") {
		t.Errorf("giving up not logged:\n%s", e.logs)
	}
}

// TestWebhookSetTooOften: Telegram takes one setWebhook a second, so the
// second of two instances starting together gets 429; it tries again
// after retry_after and logs it as information, not a warning.
func TestWebhookSetTooOften(t *testing.T) {
	e := newEnv(t, webhookMode, withoutRun)
	e.srv.FailNext("setWebhook", 1, telegramtest.TooManyRequests(1))
	e.run()
	if u, _ := e.srv.Webhook(); u == "" || e.srv.Calls("setWebhook") != 2 {
		t.Fatalf("webhook %q after %d calls", u, e.srv.Calls("setWebhook"))
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "level=INFO msg=\"setWebhook: Telegram takes one a second") || strings.Contains(logs, "level=WARN") {
		t.Errorf("logs:\n%s", logs)
	}
}
