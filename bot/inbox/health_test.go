package inbox_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestHealthzChecksDatabase: GET /healthz answers 200 while the webhook's
// database answers, and 503 once it cannot be reached, so that a load
// balancer in front of several instances leaves that one out.
func TestHealthzChecksDatabase(t *testing.T) {
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := &inbox.Webhook{Path: "/hook", SecretHeader: "X-Secret", Secret: "s3cret-s3cret", MaxBody: 16,
		Log: slog.New(slog.DiscardHandler), Store: db,
		Receive: func(w http.ResponseWriter, _ *http.Request, _ []byte) { w.WriteHeader(http.StatusOK) }}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	get := func() (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get(); code != http.StatusOK || body != "ok" {
		t.Fatalf("healthz with the database up: %d %q", code, body)
	}
	db.Close() // as cut off from it
	if code, body := get(); code != http.StatusServiceUnavailable || body != "database unreachable" {
		t.Fatalf("healthz with the database gone: %d %q, want 503", code, body)
	}
}
