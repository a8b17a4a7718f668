package inbox

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// WebhookConfig is what a webhook needs checked, the same on every
// platform.
type WebhookConfig struct {
	Key         string // the config section: "telegram", "zalo"
	Platform    string // its name in messages: "Telegram", "Zalo"
	URL         string // the public URL given to the platform
	Listen      string // host:port, unless HasListener
	HasListener bool
	Path        string
	ExamplePath string // "/telegram"
	ExamplePort string // ":8443"
}

var webhookPath = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)

// Check checks a webhook's URL, listen address and path; its errors are
// one line naming the config key.
func (w WebhookConfig) Check() error {
	u, err := url.Parse(w.URL)
	switch {
	case w.URL == "":
		return fmt.Errorf(`key "%s.webhook_url": must be set in webhook mode (the public https URL %s posts to)`, w.Key, w.Platform)
	case err != nil || u.Host == "":
		return fmt.Errorf(`key "%s.webhook_url": is not a URL`, w.Key)
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())):
		return fmt.Errorf(`key "%s.webhook_url": must be https (%s posts only to https)`, w.Key, w.Platform)
	}
	if w.Listen == "" && !w.HasListener {
		return fmt.Errorf(`key "%s.webhook_listen": must be set in webhook mode (for example %q)`, w.Key, w.ExamplePort)
	}
	if w.Listen != "" {
		if _, port, err := net.SplitHostPort(w.Listen); err != nil {
			return fmt.Errorf(`key "%s.webhook_listen": %q is not host:port (for example %q)`, w.Key, w.Listen, w.ExamplePort)
		} else if _, err := strconv.Atoi(port); err != nil {
			return fmt.Errorf(`key "%s.webhook_listen": %q has no numeric port`, w.Key, w.Listen)
		}
	}
	if !webhookPath.MatchString(w.Path) || w.Path == "/healthz" {
		return fmt.Errorf(`key "%s.webhook_path": must be a path such as %q (letters, digits, - _ . ~ /), got %q`, w.Key, w.ExamplePath, w.Path)
	}
	return nil
}

// isLoopback reports whether host is localhost or a loopback address: the
// only hosts a plain-http webhook URL may name (a local API server, tests).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Webhook is the HTTP side of a platform's webhook: POST Path, carrying
// the secret in SecretHeader, and GET /healthz for a load balancer.
type Webhook struct {
	Path         string
	SecretHeader string
	Secret       string
	MaxBody      int64 // bytes; a longer body is answered 413
	Log          *slog.Logger
	// Receive answers one delivery whose secret was right and whose body
	// was read: it stores the update and writes the answer (200 once
	// stored, 500 to have the platform deliver again).
	Receive func(w http.ResponseWriter, r *http.Request, body []byte)
	// Store, when it is a Pinger, makes GET /healthz fail while the
	// database cannot be reached (see Healthz).
	Store any
}

// Pinger is a store that can tell whether it is reachable now.
// *storage.DB implements it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// healthTimeout bounds the database check of GET /healthz.
const healthTimeout = 2 * time.Second

// Healthz answers GET /healthz for a load balancer: 200 "ok", or 503 when
// store is a Pinger whose ping fails within healthTimeout, so that with
// several instances the balancer sends deliveries to one that can store
// them rather than to one cut off from the database (each would be
// answered 500 and delivered again later).
func Healthz(store any, log *slog.Logger) http.HandlerFunc {
	p, _ := store.(Pinger)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if p != nil {
			ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
			defer cancel()
			if err := p.Ping(ctx); err != nil {
				if log != nil {
					log.Warn("health check: the database cannot be reached", "err", err)
				}
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "database unreachable")
				return
			}
		}
		_, _ = io.WriteString(w, "ok")
	}
}

// Handler serves the webhook.
func (h *Webhook) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", Healthz(h.Store, h.Log))
	mux.HandleFunc("POST "+h.Path, h.serveDelivery)
	return mux
}

// serveDelivery checks the secret (in constant time) and reads at most
// MaxBody bytes before handing the body to Receive.
func (h *Webhook) serveDelivery(w http.ResponseWriter, r *http.Request) {
	if !CheckSecret(r.Header.Get(h.SecretHeader), h.Secret) {
		h.Log.Warn("webhook delivery with a missing or wrong secret", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.Log.Warn("webhook delivery too large", "limit", h.MaxBody)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	h.Receive(w, r, body)
}

// CheckSecret reports, in constant time, whether got is the secret; an
// empty secret matches nothing.
func CheckSecret(got, secret string) bool {
	return secret != "" && len(got) == len(secret) && subtle.ConstantTimeCompare([]byte(got), []byte(secret)) == 1
}

// Server is a platform's webhook server.
type Server struct {
	Name string // "telegram", for errors
	// Listener, when set, is served instead of listening on Listen
	// (tests, socket activation). Serve closes it.
	Listener     net.Listener
	Listen       string // host:port
	Handler      http.Handler
	WriteTimeout time.Duration // how long one delivery may take to answer
	Log          *slog.Logger
	// Register tells the platform where to post (setWebhook), once the
	// server listens; it retries what can be retried itself.
	Register func(ctx context.Context) error

	mu   sync.Mutex
	addr net.Addr
}

// Addr is the address the server listens on, or nil before it listens.
func (s *Server) Addr() net.Addr {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Serve listens, registers the webhook, and serves until ctx ends or the
// server fails; then it shuts down gracefully (5 s for deliveries in
// progress).
func (s *Server) Serve(ctx context.Context) error {
	ln := s.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.Listen); err != nil {
			return fmt.Errorf("%s: webhook: %w", s.Name, err)
		}
	}
	s.mu.Lock()
	s.addr = ln.Addr()
	s.mu.Unlock()
	srv := &http.Server{
		Handler:           s.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      max(s.WriteTimeout, 30*time.Second),
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	err := s.Register(ctx)
	if err == nil {
		select {
		case <-ctx.Done():
		case err = <-served:
			err = fmt.Errorf("%s: webhook server: %w", s.Name, err)
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		s.Log.Warn("webhook server did not stop in time", "err", serr)
		srv.Close()
	}
	return err
}
