// Package web is the dashboard of the province and the chairs: the month,
// the units, the members, the funds and the announcements, signed in from
// the chat (/web). Pages are rendered on the server with html/template
// (user text always escaped), work without JavaScript, and read and write
// through the conversation core's rules: reads on a read-only snapshot
// with the core's permission check on every request, writes through the
// core's actions (bot.Bot.Approve and the others), which audit and notify
// exactly as the chat does.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config sets the dashboard.
type Config struct {
	// BaseURL is the public address of the dashboard, as the sign-in
	// links name it; an https address makes the session cookie Secure.
	BaseURL string
	// PageSize is the rows of a list page; default 50.
	PageSize int
	Logger   *slog.Logger
}

// Server is the web dashboard.
type Server struct {
	core   *bot.Bot
	db     *storage.DB
	cfg    Config
	pages  map[string]*template.Template
	secure bool
	log    *slog.Logger
	mux    *http.ServeMux
}

// New builds the dashboard over the core and its database.
func New(core *bot.Bot, db *storage.DB, cfg Config) (*Server, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("web: base_url %q must be an http or https address", cfg.BaseURL)
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 50
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{core: core, db: db, cfg: cfg, secure: u.Scheme == "https", log: cfg.Logger, mux: http.NewServeMux()}
	if s.pages, err = parsePages(core.Location()); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// parsePages parses each page template with the layout.
func parsePages(loc *time.Location) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs(loc)).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// Handler is the dashboard's HTTP handler, with its security headers.
func (s *Server) Handler() http.Handler { return headers(s.mux) }

// Run serves the dashboard on listen until ctx ends, then shuts down,
// letting requests in flight finish.
func (s *Server) Run(ctx context.Context, listen string) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", listen, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves the dashboard on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("web: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-done; !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	return err
}

// csp allows nothing but this site's own styles, images and forms: no
// script at all.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// headers sets the security headers of every response. No referrer
// leaves a page, so a sign-in link is never passed on.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) routes() {
	m := s.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /tep/", http.StripPrefix("/tep/", http.FileServerFS(static)))
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/tep/icon.svg", http.StatusMovedPermanently)
	})
	m.HandleFunc("GET /dang-nhap", s.loginHelp)
	m.HandleFunc("GET /dang-nhap/{token}", s.loginPage)
	m.HandleFunc("POST /dang-nhap/{token}", s.login)
	m.HandleFunc("POST /dang-xuat", s.authed(s.logout))
	m.HandleFunc("GET /{$}", s.authed(s.overview))
	m.HandleFunc("GET /bieu-do.png", s.authed(s.chart))
	m.HandleFunc("GET /don-vi", s.authed(s.units))
	m.HandleFunc("POST /don-vi", s.authed(s.addUnit))
	m.HandleFunc("GET /don-vi/{id}", s.authed(s.unit))
	m.HandleFunc("GET /doan-vien", s.authed(s.members))
	m.HandleFunc("POST /doan-vien/{id}/duyet", s.authed(s.approve))
	m.HandleFunc("POST /doan-vien/{id}/tu-choi", s.authed(s.reject))
	m.HandleFunc("POST /doan-vien/{id}/vai-tro", s.authed(s.setRole))
	m.HandleFunc("GET /hoat-dong", s.authed(s.activities))
	m.HandleFunc("GET /hoat-dong/{id}/anh", s.authed(s.photo))
	m.HandleFunc("GET /quy", s.authed(s.funds))
	m.HandleFunc("GET /quy/{id}", s.authed(s.fund))
	m.HandleFunc("POST /ung-ho/{id}/xac-nhan", s.authed(s.confirmPayment))
	m.HandleFunc("GET /thong-bao", s.authed(s.announcements))
	m.HandleFunc("POST /thong-bao/xem-truoc", s.authed(s.previewAnnouncement))
	m.HandleFunc("POST /thong-bao", s.authed(s.sendAnnouncement))
	m.HandleFunc("POST /thong-bao/{id}/huy", s.authed(s.cancelAnnouncement))
	m.HandleFunc("GET /nhat-ky", s.authed(s.audit))
	m.HandleFunc("GET /tai-ve", s.authed(s.downloads))
	m.HandleFunc("GET /tai-ve/{file}", s.authed(s.download))
	m.HandleFunc("/", s.notFound)
}

// view runs fn on a read-only snapshot.
func (s *Server) view(ctx context.Context, fn func(tx *storage.Tx) error) error {
	return s.db.View(ctx, fn)
}

// page is what every page template gets.
type page struct {
	Title  string
	Nav    string // the menu entry to mark
	Access *bot.Access
	CSRF   string
	Flash  *flash
	Data   any
}

// flash is the outcome of the last action, shown once.
type flash struct {
	OK   bool
	Text string
}

// render writes a page with its layout.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("web: no such page template", "page", name)
		http.Error(w, "Lỗi máy chủ", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		http.Error(w, txtServerError, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers an error of a read or an action: a domain error with the
// core's Vietnamese text and its status, anything else as a server error
// (logged, never shown).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, ss *session, err error) {
	status := http.StatusInternalServerError
	var re *bot.RefusedError
	switch {
	case errors.As(err, &re), cd.ErrorCode(err) == cd.EFORBIDDEN:
		status = http.StatusForbidden
	case cd.ErrorCode(err) == cd.ENOTFOUND:
		status = http.StatusNotFound
	case cd.ErrorCode(err) == cd.EINVALID:
		status = http.StatusBadRequest
	case cd.ErrorCode(err) == cd.ECONFLICT:
		status = http.StatusConflict
	default:
		s.log.Error("web: request failed", "path", r.URL.Path, "err", err)
	}
	text := bot.ErrorText(err)
	if status == http.StatusInternalServerError {
		text = txtServerError
	}
	p := &page{Title: txtErrorTitle, Flash: &flash{Text: text}}
	if ss != nil {
		p.Access, p.CSRF = ss.access, ss.csrf
	}
	s.render(w, status, "error", p)
}

// forbidden is the error of a request for what the member may not see,
// saying why (another unit's, or the province's only); fail answers it
// with 403.
func forbidden(r *http.Request, ss *session, why cd.Reason) error {
	return cd.Errorf(cd.EFORBIDDEN, why, "%s for member %d", r.URL.Path, ss.access.Member.ID)
}

// show answers a page read in a view: the error's page, or the template
// with the page that build makes (called only when the read succeeded).
func (s *Server) show(w http.ResponseWriter, r *http.Request, ss *session, err error, name string, build func() *page) {
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	p := build()
	p.Access, p.CSRF, p.Flash = ss.access, ss.csrf, ss.flash
	s.render(w, http.StatusOK, name, p)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusNotFound, "error", &page{Title: txtErrorTitle, Flash: &flash{Text: txtNotFound}})
}
