package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync"

	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/web"
)

// WebConfig is the web dashboard. An empty listen leaves it off.
type WebConfig struct {
	Listen  string `toml:"listen"`
	BaseURL string `toml:"base_url"`
}

// validate checks the [web] keys: base_url is required with listen.
func (w WebConfig) validate() error {
	if w.Listen == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(w.Listen); err != nil {
		return fmt.Errorf("key \"web.listen\": %q is not host:port (for example \"127.0.0.1:8080\")", w.Listen)
	}
	u, err := url.Parse(w.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("key \"web.base_url\": %q must be the dashboard's public address, such as \"https://congdoan.example.vn\"", w.BaseURL)
	}
	return nil
}

// startWeb serves the dashboard on cfg.Web.Listen, when it is set, until
// ctx ends, in run, the caller's way of running a part beside the others.
func startWeb(ctx context.Context, cfg *Config, db *storage.DB, core *bot.Bot, log *slog.Logger,
	run func(name string, f func(context.Context) error)) error {
	if cfg.Web.Listen == "" {
		return nil
	}
	srv, err := web.New(core, db, web.Config{BaseURL: cfg.Web.BaseURL, Logger: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Web.Listen)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", cfg.Web.Listen, err)
	}
	log.Info("web dashboard", "listen", ln.Addr().String(), "base_url", cfg.Web.BaseURL)
	run("web", func(ctx context.Context) error { return srv.Serve(ctx, ln) })
	return nil
}

// demoWebURL is the dashboard's address in the demo: the configured
// base_url, or the address it listens on.
func demoWebURL(cfg *Config, listen string) string {
	if cfg.Web.BaseURL != "" {
		return cfg.Web.BaseURL
	}
	return "http://" + listen
}

// lockedDrainer lets the console session and the web dashboard's
// actions deliver the demo's outbox one at a time.
type lockedDrainer struct {
	mu sync.Mutex
	d  console.Drainer
}

func (l *lockedDrainer) Drain(ctx context.Context) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.d.Drain(ctx)
}

// demoWithWeb runs the console demo with the web dashboard beside it:
// what an action on the web tells a member is printed as it is queued.
// When the input ends the dashboard goes on until interrupted.
func (a *app) demoWithWeb(ctx context.Context, cfg *Config, db *storage.DB, core *bot.Bot, log *slog.Logger,
	sess *console.Session, drainer *lockedDrainer, wake <-chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && ctx.Err() == nil {
				errs <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	if err := startWeb(ctx, cfg, db, core, log, run); err != nil {
		return err
	}
	run("demo delivery", func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-wake:
				if _, err := drainer.Drain(ctx); err != nil && ctx.Err() == nil {
					return err
				}
			}
		}
	})
	fmt.Fprintf(a.stderr, "congdoanbot demo: web dashboard on %s (sign in with \"@chutich /web\" or \"@tinh /web\")\n", cfg.Web.BaseURL)
	err := sess.Run(ctx, a.stdin)
	if err == nil {
		fmt.Fprintln(a.stderr, "congdoanbot demo: input ended; the web dashboard runs on until interrupted (Ctrl-C)")
		<-ctx.Done()
	}
	cancel()
	wg.Wait()
	select {
	case e := <-errs:
		return e
	default:
	}
	return err
}
