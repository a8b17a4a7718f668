// Package zalooatest is a fake Zalo Official Account for tests: the OA
// API's consultation messages (/v3.0/oa/message/cs), OAuth v4 with PKCE
// (/v4/oa/permission, /v4/oa/access_token), and the OA's webhook, which
// it signs as Zalo does.
//
//	srv := zalooatest.NewServer(t, zalooatest.Options{Now: clock.Now})
//	srv.SetWebhook(adapterURL)
//	u := srv.NewUser()
//	srv.Follow(ctx, u)            // a signed "follow" event to the webhook
//	srv.SendText(ctx, u, "/dangky")
//	srv.WaitSent(ctx, 1)          // what the bot sent, as Zalo accepted it
//
// It behaves as the shared notes describe Zalo: access tokens expire
// (-220; an unknown one is -216); refresh tokens are single-use (a used
// one is -14014); a person who has not interacted for 7 days cannot be
// written to (-230) nor one who does not follow (-213); calls past the
// rate limit get -32; and some calls fail at random (HTTP 502) with a
// seeded generator. Tests can force errors, lose the answer of a refresh
// after rotating the tokens, and read every message accepted. Behaviour
// the notes do not settle is marked "assumption". Safe for concurrent use.
package zalooatest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Defaults of Options.
const (
	DefaultAppID     = "4318726450915423817"
	DefaultAppSecret = "fakeAppSecret_Zl0A-1234567890"
	DefaultOAID      = "2468013579246801357"
	DefaultSecretKey = "fakeOASecretKey_abcdefghijkl"
)

// Options configures a Server; the zero value is usable.
type Options struct {
	AppID, AppSecret, OAID, SecretKey string
	// Now is the clock of tokens, windows and event timestamps (default
	// time.Now).
	Now func() time.Time
	// Seed seeds the random faults and ids.
	Seed uint64
	// AccessTTL is an access token's life (default 25 h, "expires_in":
	// "90000"); RefreshTTL a refresh token's (default 90 days).
	AccessTTL, RefreshTTL time.Duration
	// Window is how long after a person's last interaction the OA may
	// write to them (default 7 days).
	Window time.Duration
	// RateLimit is how many sends a minute (of Now) the app may make
	// before -32; 0 means Zalo's 4,000.
	RateLimit int
	// FaultRate is the probability that a send fails with HTTP 502 before
	// it is accepted (nothing is sent then).
	FaultRate float64
	// Verbose logs each call with t.Logf.
	Verbose bool
	// Listen is the address to listen on (default a free loopback port).
	Listen string
}

// TB is what the server needs of a test (testing.TB has it); a program
// may run the fake too (see fakeoa).
type TB interface {
	Helper()
	Cleanup(func())
	Logf(format string, args ...any)
}

var _ TB = testing.TB(nil)

// Server is the fake OA. Create it with NewServer.
type Server struct {
	t    TB
	ts   *httptest.Server
	opts Options
	hc   *http.Client

	mu       sync.Mutex
	changed  chan struct{}
	users    map[string]*userState
	access   map[string]time.Time // access token -> expiry
	refresh  map[string]*refreshState
	codes    map[string]*codeState
	sent     []Sent
	calls    map[string]int
	forced   map[string][]int // path -> error codes (HTTP status if > 0) of the next calls
	loseNext int              // refreshes whose answer is lost after the rotation
	minute   int64
	inMinute int
	webhook  string
	seq      int
	rng      *rand.Rand
}

type refreshState struct {
	expires time.Time
	used    bool
}

type codeState struct {
	challenge string
	expires   time.Time
	used      bool
}

// Sent is a message the fake accepted.
type Sent struct {
	UserID, Text, MessageID string
	Time                    time.Time
}

// NewServer starts a fake OA; t.Cleanup stops it.
func NewServer(t TB, opts Options) *Server {
	t.Helper()
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&opts.AppID, DefaultAppID)
	def(&opts.AppSecret, DefaultAppSecret)
	def(&opts.OAID, DefaultOAID)
	def(&opts.SecretKey, DefaultSecretKey)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = 90000 * time.Second
	}
	if opts.RefreshTTL <= 0 {
		opts.RefreshTTL = 90 * 24 * time.Hour
	}
	if opts.Window <= 0 {
		opts.Window = 7 * 24 * time.Hour
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 4000
	}
	s := &Server{t: t, opts: opts, hc: &http.Client{Timeout: 30 * time.Second}, changed: make(chan struct{}),
		users: map[string]*userState{}, access: map[string]time.Time{}, refresh: map[string]*refreshState{},
		codes: map[string]*codeState{}, calls: map[string]int{}, forced: map[string][]int{},
		rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x0a0a0a))}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3.0/oa/message/cs", s.serveSend)
	mux.HandleFunc("POST /v4/oa/access_token", s.serveToken)
	mux.HandleFunc("GET /v4/oa/permission", s.servePermission)
	s.ts = httptest.NewUnstartedServer(mux)
	if opts.Listen != "" {
		ln, err := net.Listen("tcp", opts.Listen)
		if err != nil {
			panic("zalooatest: " + err.Error())
		}
		s.ts.Listener.Close()
		s.ts.Listener = ln
	}
	s.ts.Start()
	t.Cleanup(s.ts.Close)
	return s
}

// URL is the base of both the API and OAuth (api_url and oauth_url).
func (s *Server) URL() string { return s.ts.URL }

// Options are the server's options, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Calls is how many requests reached path ("/v3.0/oa/message/cs", ...).
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

func (s *Server) count(path string) {
	s.mu.Lock()
	s.calls[path]++
	s.broadcastLocked()
	s.mu.Unlock()
}

// broadcastLocked wakes every waiter.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (under s.mu) holds or ctx ends.
func (s *Server) waitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// newID is a fresh id of n digits.
func (s *Server) newIDLocked(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + s.rng.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

// IssueTokens makes a valid pair of tokens, as a completed authorization
// would, for tests that start authorized.
func (s *Server) IssueTokens() (access, refresh string, expiresIn time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	access, refresh = s.issueLocked()
	return access, refresh, s.opts.AccessTTL
}

func (s *Server) issueLocked() (access, refresh string) {
	s.seq++
	now := s.opts.Now()
	access = fmt.Sprintf("AT-secret-%d-%s", s.seq, s.newIDLocked(12))
	refresh = fmt.Sprintf("RT-secret-%d-%s", s.seq, s.newIDLocked(12))
	s.access[access] = now.Add(s.opts.AccessTTL)
	s.refresh[refresh] = &refreshState{expires: now.Add(s.opts.RefreshTTL)}
	return access, refresh
}

// ExpireAccessTokens makes every access token issued so far expired.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = time.Time{}
	}
}

// RefreshUsable reports whether a refresh token would still be accepted.
func (s *Server) RefreshUsable(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.refresh[token]
	return r != nil && !r.used && s.opts.Now().Before(r.expires)
}

// ValidRefreshTokens is how many refresh tokens Zalo would still accept.
func (s *Server) ValidRefreshTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.refresh {
		if !r.used && s.opts.Now().Before(r.expires) {
			n++
		}
	}
	return n
}

// ForceErrors makes the next calls to path fail, one per code: a Zalo
// error code (negative) in a 200 answer, or an HTTP status (positive)
// with an HTML page.
func (s *Server) ForceErrors(path string, codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forced[path] = append(s.forced[path], codes...)
}

// LoseNextRefreshAnswer makes the next refresh rotate the tokens and then
// drop the connection: the client never learns the new pair, as when the
// bot dies while Zalo answers.
func (s *Server) LoseNextRefreshAnswer() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loseNext++
}

func (s *Server) takeForced(path string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.forced[path]) == 0 {
		return 0, false
	}
	c := s.forced[path][0]
	s.forced[path] = s.forced[path][1:]
	return c, true
}

// challenge is the PKCE S256 challenge of a verifier (computed here
// independently of the adapter's code).
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sign is the webhook signature of a body, as Zalo computes it.
func (s *Server) sign(body []byte, timestamp string) string {
	h := sha256.New()
	h.Write([]byte(s.opts.AppID + string(body) + timestamp + s.opts.SecretKey))
	return hex.EncodeToString(h.Sum(nil))
}

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
