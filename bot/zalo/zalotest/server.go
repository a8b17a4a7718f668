// Package zalotest is a fake Zalo Bot Platform API server for tests.
//
// A Server speaks the Bot Platform wire format on a local httptest server;
// the client under test is pointed at it with
//
//	srv := zalotest.NewServer(t, zalotest.Options{})
//	client := zalo.NewClient(srv.Token(), srv.Endpoint())
//
// Calls are POST (GET works too) to /bot<TOKEN>/<method> with a JSON body
// (a query string is read as well). Method names are case-sensitive, as
// documented. Every answer is the envelope {"ok":true,"result":...} or
// {"ok":false,"error_code":N,"description":"..."}, sent with HTTP 200 as
// observed live for a bad token, unless Options.ErrorHTTPStatus asks for
// the code as HTTP status too. Gateway faults answer real 5xx statuses with
// an HTML or empty body.
//
// Tests play the users (SendText, SendPhoto, SendUnsupported,
// EchoBotMessage, InjectRaw), read what the bot did (Sent, WaitSent,
// ChatActions, Calls, Webhook), deliver updates to a webhook
// (DeliverWebhook), and make the platform hostile: latency, random or
// forced faults, blocked chats, a reset token (faults.go).
//
// Behaviour that Zalo does not document is chosen here and marked
// "assumption" in the docs of the methods concerned. All methods are safe
// for concurrent use. The server never logs the token.
package zalotest

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults of Options.
const (
	// DefaultToken has the documented "<digits>:<secret>" form.
	DefaultToken = "3141592653589793238:zalotest-Secret_Token"
	// DefaultBotID is the documented sample bot id: 19 digits, more than a
	// float64 holds exactly.
	DefaultBotID       = "1459232241454765289"
	DefaultAccountName = "bot.CongDoanTest"
)

// MaxText is the documented limit of sendMessage's text and sendPhoto's
// caption. The fake counts UTF-16 units (assumption: Zalo's "characters"
// are not defined; UTF-16 is what openclaw counts and is the strictest
// reading).
const MaxText = 2000

// Options configures a Server. The zero value is usable.
type Options struct {
	// Token is the only token accepted (default DefaultToken); any other
	// gets ok:false, error_code 401, "Unauthorized" with HTTP 200.
	Token string
	// BotID is the id getMe reports and echoes come from (default
	// DefaultBotID). AccountName defaults to DefaultAccountName.
	BotID, AccountName string
	// Now is the clock for message dates and SentMessage.Time (default
	// time.Now). Long-poll timeouts and latency use real timers.
	Now func() time.Time
	// Seed seeds the generators of faults and of ids (math/rand/v2 PCG),
	// so a run is reproducible for a given sequence of calls.
	Seed uint64
	// Latency delays every answer; see SetLatency.
	Latency time.Duration
	// Faults makes calls fail at random; see SetFaultRates.
	Faults FaultRates
	// ErrorHTTPStatus sends ok:false answers with their error_code as HTTP
	// status instead of 200. Zalo has been seen to answer a bad token with
	// HTTP 200; whether every error does is not known, so clients should be
	// tested both ways.
	ErrorHTTPStatus bool
	// PhotoField names the image URL field of image updates: "photo_url"
	// (default; what openclaw and the n8n node read from live traffic) or
	// "photo" (what the docs show).
	PhotoField string
	// EchoSends queues, for every message the bot sends, an update of it
	// coming back from the bot itself, as Zalo has been reported to do
	// (goclaw drops them). Off by default.
	EchoSends bool
	// RequireKnownChats makes sends to a chat that no injected update came
	// from fail like a blocked chat: a bot cannot message someone first.
	RequireKnownChats bool
	// Verbose logs each call (method, chat id, outcome) with t.Logf.
	Verbose bool
}

// Server is a fake Zalo Bot API server. Create it with NewServer.
type Server struct {
	t           testing.TB
	ts          *httptest.Server
	botID       string
	accountName string
	now         func() time.Time
	verbose     bool
	httpStatus  bool
	photoField  string
	echo        bool
	strict      bool
	closed      chan struct{}
	client      *http.Client

	mu      sync.Mutex
	token   string
	changed chan struct{} // closed and replaced on every state change
	calls   map[string]int
	sent    []SentMessage
	actions []ChatAction
	known   map[string]bool // chats that wrote to the bot
	idRNG   *rand.Rand

	pending   []pendingUpdate
	seq       int
	polling   int
	expireGen int // ExpirePolls bumps it to end waiting polls

	hook webhookState

	latency time.Duration
	rates   FaultRates
	rng     *rand.Rand
	forced  map[string][]forcedFault
	blocked map[string]bool
}

// NewServer starts a fake server; t.Cleanup stops it, ending any long poll
// in progress.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{
		t: t, token: opts.Token, botID: opts.BotID, accountName: opts.AccountName, now: opts.Now,
		verbose: opts.Verbose, httpStatus: opts.ErrorHTTPStatus, photoField: opts.PhotoField,
		echo: opts.EchoSends, strict: opts.RequireKnownChats,
		closed: make(chan struct{}), changed: make(chan struct{}), client: &http.Client{},
		calls: map[string]int{}, known: map[string]bool{},
		idRNG:   rand.New(rand.NewPCG(opts.Seed^0x1d5eed, opts.Seed+0x2a10)),
		latency: opts.Latency, rates: opts.Faults,
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x7a10fa17)),
		forced: map[string][]forcedFault{}, blocked: map[string]bool{},
	}
	if s.token == "" {
		s.token = DefaultToken
	}
	if s.botID == "" {
		s.botID = DefaultBotID
	}
	if s.accountName == "" {
		s.accountName = DefaultAccountName
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.photoField == "" {
		s.photoField = "photo_url"
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// Close stops the server. In-flight long polls end at once. It is called
// by t.Cleanup and may be called earlier; calling it twice is fine.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		return
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	s.ts.Close()
	s.client.CloseIdleConnections()
}

// Endpoint is the base URL to give zalo.NewClient, e.g.
// "http://127.0.0.1:PORT" (calls go to Endpoint()+"/bot<TOKEN>/<method>").
func (s *Server) Endpoint() string { return s.ts.URL }

// Token is the token the server currently accepts.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// ResetToken makes the server accept only newToken from now on, as when
// the token is reset in Zalo Bot Creator: the old one gets 401.
func (s *Server) ResetToken(newToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = newToken
}

// BotID is the bot id getMe reports.
func (s *Server) BotID() string { return s.botID }

// Calls is how many requests reached method (case-sensitive) with the
// right token, failed ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// broadcastLocked wakes every waiter (long polls, WaitSent, WaitPolling).
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (evaluated under s.mu) holds, ctx ends or the
// server closes. It sleeps on the broadcast channel, never on a timer.
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
		case <-s.closed:
			return fmt.Errorf("zalotest: server closed")
		}
	}
}

type handler func(*Server, *call)

var handlers = map[string]handler{
	"getMe": (*Server).getMe, "getUpdates": (*Server).getUpdates,
	"sendMessage": (*Server).sendMessage, "sendPhoto": (*Server).sendPhoto,
	"sendChatAction": (*Server).sendChatAction, "setWebhook": (*Server).setWebhook,
	"deleteWebhook": (*Server).deleteWebhook, "getWebhookInfo": (*Server).getWebhookInfo,
}

// call is one request being answered.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	method string
	p      map[string]string
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{s: s, w: w, r: r, method: "?"}
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found2 := strings.Cut(rest, "/")
	if !found || !found2 || strings.Contains(method, "/") {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	s.mu.Lock()
	good := subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1
	if good {
		s.calls[method]++
		s.broadcastLocked() // for WaitCalls
	}
	s.mu.Unlock()
	if !good {
		c.fail(http.StatusUnauthorized, "Unauthorized")
		return
	}
	c.method = method
	h, ok := handlers[method]
	if !ok {
		c.fail(http.StatusNotFound, "Not Found") // assumption: the code is not documented
		return
	}
	var err error
	if c.p, err = parseParams(w, r); err != nil {
		c.fail(http.StatusBadRequest, "Bad Request: "+err.Error())
		return
	}
	if !s.delay(r) || s.injectFault(c) {
		return
	}
	h(s, c)
}

// parseParams reads the query string and a JSON object body into one
// string map; JSON values that are not strings keep their JSON text
// (a timeout sent as 30 reads as "30", like "30").
func parseParams(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	p := map[string]string{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("can't read request: %w", err)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return p, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("can't parse JSON object")
	}
	for k, v := range m {
		var str string
		switch {
		case string(v) == "null":
		case json.Unmarshal(v, &str) == nil:
			p[k] = str
		default:
			p[k] = string(v)
		}
	}
	return p, nil
}

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
}

func (c *call) write(status int, resp envelope) {
	body, _ := json.Marshal(resp)
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
	c.log(strconv.Itoa(status) + " " + strconv.Itoa(resp.ErrorCode))
}

func (c *call) log(outcome string) {
	if c.s.verbose {
		c.s.t.Logf("zalotest: %s chat_id=%s -> %s", c.method, c.p["chat_id"], outcome)
	}
}

// ok answers {"ok":true,"result":result}.
func (c *call) ok(result any) {
	raw, err := json.Marshal(result)
	if err != nil {
		panic("zalotest: " + err.Error())
	}
	c.okRaw(raw)
}

func (c *call) okRaw(raw json.RawMessage) {
	c.write(http.StatusOK, envelope{OK: true, Result: raw})
}

// fail answers {"ok":false,"error_code":code,"description":...} with HTTP
// 200, or with HTTP code under Options.ErrorHTTPStatus.
func (c *call) fail(code int, description string) {
	status := http.StatusOK
	if c.s.httpStatus {
		status = code
	}
	c.write(status, envelope{ErrorCode: code, Description: description})
}
