package inbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The webhook checks the secret and the size before its Receive sees a
// body, and answers /healthz.
func TestWebhookHandler(t *testing.T) {
	var got []string
	h := &Webhook{Path: "/hook", SecretHeader: "X-Secret", Secret: "s3cret-s3cret", MaxBody: 16,
		Log: slog.New(slog.DiscardHandler), Receive: func(w http.ResponseWriter, _ *http.Request, body []byte) {
			got = append(got, string(body))
			w.WriteHeader(http.StatusOK)
		}}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		name, method, path, secret, body string
		status                           int
	}{
		{"health", http.MethodGet, "/healthz", "", "", 200},
		{"no secret", http.MethodPost, "/hook", "", "{}", 401},
		{"wrong secret", http.MethodPost, "/hook", "s3cret-s3creT", "{}", 401},
		{"short secret", http.MethodPost, "/hook", "s3cret", "{}", 401},
		{"too big", http.MethodPost, "/hook", "s3cret-s3cret", strings.Repeat("x", 17), 413},
		{"delivery", http.MethodPost, "/hook", "s3cret-s3cret", `{"a":1}`, 200},
		{"other path", http.MethodPost, "/other", "s3cret-s3cret", "{}", 404},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		if tc.secret != "" {
			req.Header.Set("X-Secret", tc.secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %s %q, want %d", tc.name, resp.Status, body, tc.status)
		}
	}
	if len(got) != 1 || got[0] != `{"a":1}` {
		t.Errorf("received %q", got)
	}
	if CheckSecret("", "") {
		t.Error("an empty secret matched")
	}
}

// Serve listens on Listen, tells its address, registers, and stops when
// ctx ends; a failed registration ends it with that error.
func TestServerServe(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	registered := make(chan net.Addr, 1)
	var s *Server
	s = &Server{Name: "test", Listen: "127.0.0.1:0", Handler: http.NotFoundHandler(), Log: log,
		Register: func(context.Context) error { registered <- s.Addr(); return nil }}
	if s.Addr() != nil {
		t.Fatal("an address before listening")
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	addr := <-registered
	if addr == nil || addr.String() != s.Addr().String() {
		t.Fatalf("address %v while registering", addr)
	}
	resp, err := http.Get("http://" + addr.String() + "/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve = %v", err)
	}

	refused := errors.New("URL refused")
	s = &Server{Name: "test", Listen: "127.0.0.1:0", Handler: http.NotFoundHandler(), Log: log,
		Register: func(context.Context) error { return refused }}
	if err := s.Serve(context.Background()); !errors.Is(err, refused) {
		t.Fatalf("Serve = %v, want the registration's error", err)
	}
	s = &Server{Name: "test", Listen: "not an address", Log: log}
	if err := s.Serve(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "test: webhook: ") {
		t.Fatalf("Serve on a bad address = %v", err)
	}
	var none *Server
	if none.Addr() != nil {
		t.Fatal("a nil server has an address")
	}
}

// RunWith refuses a second run while one runs.
func TestRunWithOnce(t *testing.T) {
	p := NewProcessor("test", &memStore{}, nil, nil)
	started := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- p.RunWith(context.Background(), func(context.Context) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	if err := p.RunWith(context.Background(), func(context.Context) error { return nil }); err == nil ||
		err.Error() != "test: Run is running already" {
		t.Errorf("second RunWith = %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var none *Processor
	none.Wake() // an adapter without an inbox wakes nothing
}
