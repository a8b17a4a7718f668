package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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

// Server is a platform's webhook server.
type Server struct {
	Name         string // "telegram", for errors
	Listener     net.Listener
	Handler      http.Handler
	WriteTimeout time.Duration // how long one delivery may take to answer
	Log          *slog.Logger
	// Register tells the platform where to post (setWebhook), once the
	// server listens; it retries what can be retried itself.
	Register func(ctx context.Context) error
}

// Serve serves until ctx ends or the server fails, then shuts down
// gracefully (5 s for deliveries in progress).
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{
		Handler:           s.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      max(s.WriteTimeout, 30*time.Second),
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.Listener) }()
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
