package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/report"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/web"
)

// clock is a settable clock shared by the core and storage.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// harness is the demo province on real SQLite, the core driven through
// the console adapter (the chat), and the dashboard on an httptest
// server.
type harness struct {
	t     *testing.T
	db    *storage.DB
	core  *bot.Bot
	out   *bytes.Buffer
	sess  *console.Session
	clock *clock
	srv   *httptest.Server
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, out: &bytes.Buffer{}, clock: &clock{t: time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC)}}
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = h.clock.Now
	h.db = db
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh (demo)"); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewUnstartedServer(nil)
	base := "http://" + h.srv.Listener.Addr().String()
	h.core = bot.New(bot.StoreOf(db.Update), bot.Config{ProvinceName: "Công đoàn Viên chức tỉnh (demo)", Now: h.clock.Now,
		FloodPerMinute: 1000, WebURL: base, Renderer: report.Renderer{}})
	sender := outbox.NewSender(cd.PlatformConsole, db, console.NewPrinter(h.out), outbox.SenderConfig{Now: h.clock.Now, Workers: 1})
	h.sess = &console.Session{Handler: h.core, Drainer: sender}
	s, err := web.New(h.core, db, web.Config{BaseURL: base, PageSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Config.Handler = s.Handler()
	h.srv.Start()
	t.Cleanup(h.srv.Close)
	return h
}

// chat sends script lines through the console and returns what the bot
// answered, the outbox delivered.
func (h *harness) chat(script string) string {
	h.t.Helper()
	h.out.Reset()
	if err := h.sess.Run(context.Background(), strings.NewReader(script)); err != nil {
		h.t.Fatal(err)
	}
	return h.out.String()
}

// deliver sends what the outbox holds and returns it.
func (h *harness) deliver() string { return h.chat("") }

var linkRE = regexp.MustCompile(`http://[^\s]+/dang-nhap/[A-Za-z0-9_-]+`)

// link asks for a sign-in link in chat as user.
func (h *harness) link(user string) string {
	h.t.Helper()
	out := h.chat("@" + user + " /web\n")
	l := linkRE.FindString(out)
	if l == "" {
		h.t.Fatalf("no sign-in link in %q", out)
	}
	return l
}

// browser is a client with its own cookies that does not follow
// redirects, so that each answer can be checked.
type browser struct {
	h *harness
	c *http.Client
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{h: h, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn gets a link for user in chat and uses it.
func (h *harness) signIn(user string) *browser {
	h.t.Helper()
	b := h.browser()
	res := b.post(h.link(user), nil)
	if res.code != http.StatusSeeOther || res.location != "/" {
		h.t.Fatalf("sign-in as %s: %d %s %s", user, res.code, res.location, res.body)
	}
	return b
}

type response struct {
	code     int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(req *http.Request) response {
	b.h.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{code: res.StatusCode, location: res.Header.Get("Location"), body: string(body), header: res.Header}
}

func (b *browser) get(path string) response {
	req, _ := http.NewRequest(http.MethodGet, b.url(path), nil)
	return b.do(req)
}

// post sends a form; form nil sends none.
func (b *browser) post(path string, form url.Values) response {
	req, _ := http.NewRequest(http.MethodPost, b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.h.srv.URL + path
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf reads the CSRF token from a page.
func (b *browser) csrf() string {
	b.h.t.Helper()
	m := csrfRE.FindStringSubmatch(b.get("/").body)
	if m == nil {
		b.h.t.Fatal("no CSRF token on the overview")
	}
	return m[1]
}

// form posts a form with the session's CSRF token.
func (b *browser) form(path string, kv ...string) response {
	v := url.Values{"csrf": {b.csrf()}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return b.post(path, v)
}

// follow gets the page a redirect points to (it shows the outcome).
func (b *browser) follow(r response) response {
	b.h.t.Helper()
	if r.code != http.StatusSeeOther {
		b.h.t.Fatalf("want a redirect, got %d: %s", r.code, r.body)
	}
	return b.get(r.location)
}

// unitID finds a unit by code.
func (h *harness) unitID(code string) int64 {
	h.t.Helper()
	var id int64
	err := h.db.View(context.Background(), func(tx *storage.Tx) error {
		u, err := tx.UnitByCode(code)
		if err == nil {
			id = u.ID
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// memberNamed finds a member by full name.
func (h *harness) memberNamed(name string) *cd.Member {
	h.t.Helper()
	var m *cd.Member
	err := h.db.View(context.Background(), func(tx *storage.Tx) error {
		ms, err := tx.Members(cd.MemberFilter{Search: name})
		for i := range ms {
			if ms[i].FullName == name {
				m = &ms[i]
			}
		}
		return err
	})
	if err != nil || m == nil {
		h.t.Fatalf("member %q: %v", name, err)
	}
	return m
}

// register makes user an applicant of unit code (pending).
func (h *harness) register(user, name, code string) {
	h.t.Helper()
	out := h.chat("@" + user + " /dangky\n1\n" + name + "\nbỏ qua\n" + code + "\n1\n")
	if !strings.Contains(out, "Đã gửi đăng ký") {
		h.t.Fatalf("registration of %s: %s", user, out)
	}
}

// approveInChat approves the newest applicant of the chair's unit.
func (h *harness) approveInChat(chair string) {
	h.t.Helper()
	out := h.chat("@" + chair + " /duyet\n1\n1\n")
	if !strings.Contains(out, "Đã duyệt") {
		h.t.Fatalf("approval by %s: %s", chair, out)
	}
}

// auditActions lists the audit log's actions, newest first.
func (h *harness) audit(action string) []cd.AuditEntry {
	h.t.Helper()
	var es []cd.AuditEntry
	err := h.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		es, _, err = tx.AuditPage(storage.AuditQuery{Action: action}, storage.Page{Limit: 100})
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return es
}
