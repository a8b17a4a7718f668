package zalo

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"

	_ "modernc.org/sqlite"
)

// post sends body to the webhook with secret (none when ""), and returns
// the status.
func (e *env) post(body, secret string) int {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.ctx(), http.MethodPost, e.a.cfg.WebhookURL, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// textUpdate is an update object of a text message from user.
func textUpdate(from, messageID, text string) string {
	return `{"event_name":"message.text.received","message":{"from":{"id":"` + from + `","display_name":"An","is_bot":false},` +
		`"chat":{"id":"` + from + `","chat_type":"PRIVATE"},"text":"` + text + `","message_id":"` + messageID + `","date":1750316131602}}`
}

func TestWebhookSecretAndBodies(t *testing.T) {
	rec := newRecorder(0)
	e := newEnv(t, webhookMode, withHandler(rec))
	ctx := e.ctx()
	id := e.srv.SendText(e.an, "xin chào")
	for _, tc := range []struct {
		name string
		opt  zalotest.DeliverOption
	}{
		{"missing", zalotest.WithoutSecret()},
		{"wrong", zalotest.WithSecret(strings.Repeat("x", len(hookSecret)))},
		{"wrong length", zalotest.WithSecret(hookSecret[:10])},
		{"longer", zalotest.WithSecret(hookSecret + "x")},
	} {
		status, err := e.srv.DeliverWebhook(ctx, id, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if status != http.StatusUnauthorized {
			t.Errorf("%s secret: %d, want 401", tc.name, status)
		}
	}
	if n := e.stored(); n != 0 {
		t.Fatalf("%d updates stored from rejected deliveries", n)
	}

	// Too big: refused before decoding, nothing stored.
	if status := e.post(textUpdate(e.an.ID, "big", strings.Repeat("a", 1<<20)), hookSecret); status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", status)
	}

	// The right secret, wrapped as the docs show: stored and handled.
	e.user(id)
	if u := rec.next(t, e); u.Text != "xin chào" || u.UserID != e.an.ID || u.ChatID != e.an.ID || u.InboxID == 0 ||
		u.DisplayName != e.an.DisplayName {
		t.Errorf("handled %+v", u)
	}
	// Unwrapped, as live traffic has been reported.
	id2 := e.srv.SendText(e.an, "không bọc")
	if status, err := e.srv.DeliverWebhook(ctx, id2, zalotest.Unwrapped()); err != nil || status != 200 {
		t.Fatalf("unwrapped: %d, %v", status, err)
	}
	if u := rec.next(t, e); u.Text != "không bọc" {
		t.Errorf("unwrapped handled %+v", u)
	}
	if n := e.stored(); n != 2 {
		t.Fatalf("%d updates stored, want 2", n)
	}

	// Zalo delivering the same update again, either way: 200, stored once.
	for _, body := range []string{textUpdate(e.an.ID, "m-7", "lặp"), `{"ok":true,"result":` + textUpdate(e.an.ID, "m-7", "lặp") + `}`} {
		if status := e.post(body, hookSecret); status != 200 {
			t.Errorf("redelivery: %d", status)
		}
	}
	if n := e.stored(); n != 3 {
		t.Errorf("%d updates stored after a redelivery, want 3", n)
	}

	// Dropped with 200: an echo of the bot's own message, an unknown
	// event, a body without an update (Zalo's probe?), ok:false, an update
	// without a sender. Refused with 400: what is not a JSON object.
	e.srv.EchoBotMessage(e.an.ID, "bot nói")
	if status, err := e.srv.DeliverWebhook(ctx, ""); err != nil || status != 200 {
		t.Errorf("echo: %d, %v", status, err)
	}
	for body, want := range map[string]int{
		strings.Replace(textUpdate(e.an.ID, "m-8", "x"), "message.text.received", "message.location.received", 1): 200,
		strings.Replace(textUpdate(e.an.ID, "m-9", "x"), `"is_bot":false`, `"is_bot":true`, 1):                    200,
		textUpdate(e.srv.BotID(), "m-10", "x"): 200,
		`{}`:                                   200,
		`{"ok":true,"result":{}}`:              200,
		`{"ok":false,"error_code":500}`:        200,
		`{"event_name":"message.text.received","message":{"text":"ai?","message_id":"m-11"}}`: 200,
		`not json`:   400,
		`[1,2]`:      400,
		`{"broken":`: 400,
		``:           400,
	} {
		if status := e.post(body, hookSecret); status != want {
			t.Errorf("%.60s: %d, want %d", body, status, want)
		}
	}
	if n := e.stored(); n != 3 {
		t.Errorf("%d updates stored after dropped bodies, want 3", n)
	}
	if u := rec.next(t, e); u.Text != "lặp" {
		t.Errorf("handled %+v", u)
	}
	if n := rec.count(); n != 3 {
		t.Errorf("%d updates handled, want 3", n)
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
	if strings.Contains(e.logs.String(), hookSecret) || strings.Contains(e.logs.String(), tokenSecret) {
		t.Errorf("a secret was logged:\n%s", e.logs)
	}
}

// A photo delivered twice is stored once: the second download is deleted.
func TestWebhookPhotoRedelivered(t *testing.T) {
	rec := newRecorder(0)
	e := newEnv(t, webhookMode, withHandler(rec))
	p := newPhotoServer(t, e, jpeg, "image/jpeg")
	p.mu.Lock()
	p.keep = true // the URL has not expired yet
	p.mu.Unlock()
	body := `{"event_name":"message.image.received","message":{"from":{"id":"` + e.an.ID + `","display_name":"An"},` +
		`"chat":{"id":"` + e.an.ID + `","chat_type":"PRIVATE"},"photo_url":"` + p.URL + `/x.jpg","caption":"ảnh","message_id":"img-1","date":1750316131602}}`
	for range 2 {
		if status := e.post(body, hookSecret); status != 200 {
			t.Fatalf("delivery: %d\n%s", status, e.logs)
		}
	}
	u := rec.next(t, e)
	if u.Text != "ảnh" || !strings.HasPrefix(u.Photo, "media:") {
		t.Fatalf("handled %+v", u)
	}
	raw, err := sql.Open("sqlite", e.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM media`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d photos stored (want 1), %v", n, err)
	}
}
