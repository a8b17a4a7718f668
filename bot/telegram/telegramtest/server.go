// Package telegramtest is a fake Telegram Bot API server for tests.
//
// A Server speaks the Bot API wire format on a local httptest server: the
// bot under test is pointed at it with
//
//	srv := telegramtest.NewServer(t, telegramtest.Options{Token: "123:ABC"})
//	bot, err := tgbotapi.NewBotAPIWithClient("123:ABC", srv.Endpoint(), &http.Client{Timeout: 5 * time.Second})
//
// Requests are accepted as application/x-www-form-urlencoded (what
// go-telegram-bot-api sends), multipart/form-data (file uploads), JSON, or a
// query string, under /bot<TOKEN>/<method> (method names are
// case-insensitive, as on Telegram). Answers are {"ok":true,"result":...} or
// {"ok":false,"error_code":N,"description":"...","parameters":{...}}.
//
// Tests play the users (SendText, PressButton, ShareContact, SendPhoto,
// InjectUpdate), read what the bot sent (Sent, SentTo, WaitSent, Calls,
// Commands, Webhook), and make the platform hostile: latency, random or
// forced faults, blocked chats (faults.go) and Telegram's flood limits
// (limits.go). In webhook mode a test posts updates one by one
// (DeliverWebhook) or runs Telegram's delivery loop (RunWebhookDelivery:
// a queue per chat, max_connections, retries; delivery.go). All methods
// are safe for concurrent use.
//
// The server never logs or records the token beyond comparing it.
package telegramtest

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token accepted when Options.Token is empty.
const DefaultToken = "123456:TEST-telegramtest"

// maxUpload is Telegram's limit for multipart uploads by bots (50 MB).
const maxUpload = 50 << 20

// Options configures a Server. The zero value is usable.
type Options struct {
	// Token is the only token accepted; other tokens get 401 Unauthorized.
	// Default DefaultToken. The bot's user id is the number before ':'.
	Token string
	// BotUsername is the username getMe reports (default "congdoan_test_bot").
	BotUsername string
	// Now is the clock for message dates, SentMessage.Time and the flood
	// limits (default time.Now). See Clock for a settable one.
	Now func() time.Time
	// Latency delays every answer; see SetLatency.
	Latency time.Duration
	// Faults makes calls fail at random; see SetFaultRates.
	Faults FaultRates
	// Seed seeds the fault generator (math/rand/v2 PCG), so a run is
	// reproducible for a given sequence of calls.
	Seed uint64
	// Limits enforces Telegram's flood limits; see SetLimits.
	Limits Limits
	// RequireKnownChats makes sends to a chat that no injected update came
	// from fail like Telegram does for users who never started the bot:
	// 403 "Forbidden: bot can't initiate conversation with a user" for
	// positive ids, 400 "Bad Request: chat not found" for the others.
	RequireKnownChats bool
	// Verbose logs each call (method, chat id, status) with t.Logf.
	Verbose bool
	// Discard keeps no copy of what the bot sends (Sent and SentTo return
	// nothing, its messages cannot be edited or pressed; WaitSent and
	// SentCount still count): for load tests of hundreds of thousands of
	// messages, whose memory should be the bot's.
	Discard bool
	// OnSend, if set, is called with each message a sendX call delivered,
	// before WaitSent's waiters wake. It is called with the server's lock
	// held: it must not call the server.
	OnSend func(SentMessage)
}

// Server is a fake Bot API server. Create it with NewServer.
type Server struct {
	t       testing.TB
	ts      *httptest.Server
	token   string
	bot     User
	botName string
	now     func() time.Time
	verbose bool
	strict  bool
	discard bool
	onSend  func(SentMessage)
	closed  chan struct{}
	client  *http.Client

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	calls   map[string]int
	sent    []SentMessage
	nsent   int // messages sent or edited, kept or not
	msgs    map[msgKey]*botMessage
	chats   map[int64]Chat
	lastMsg map[int64]int
	nextFID int

	nextUpdate int
	pending    []pendingUpdate
	allowed    []string
	polling    int
	pollGen    int
	callbacks  map[string]*callbackState

	hook      webhookState
	hookSetAt time.Time // of the last setWebhook with a URL
	commands  map[string][]BotCommand

	latency    time.Duration
	rates      FaultRates
	rng        *rand.Rand
	forced     map[string][]forcedFault
	chatFaults map[int64]FaultKind

	limits   Limits
	global   bucket
	perChat  map[int64]*bucket
	count429 int
}

// NewServer starts a fake Bot API server; t.Cleanup stops it, waking any
// long poll in progress.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{
		t: t, token: opts.Token, botName: opts.BotUsername, now: opts.Now,
		verbose: opts.Verbose, strict: opts.RequireKnownChats, discard: opts.Discard, onSend: opts.OnSend,
		closed: make(chan struct{}), changed: make(chan struct{}), client: &http.Client{},
		calls: map[string]int{}, msgs: map[msgKey]*botMessage{}, chats: map[int64]Chat{},
		lastMsg: map[int64]int{}, nextUpdate: 1, callbacks: map[string]*callbackState{},
		commands: map[string][]BotCommand{}, latency: opts.Latency, rates: opts.Faults,
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x7e1e6a4d)),
		forced: map[string][]forcedFault{}, chatFaults: map[int64]FaultKind{},
		limits: opts.Limits, perChat: map[int64]*bucket{},
	}
	if s.token == "" {
		s.token = DefaultToken
	}
	if s.botName == "" {
		s.botName = "congdoan_test_bot"
	}
	if s.now == nil {
		s.now = time.Now
	}
	id, err := strconv.ParseInt(strings.SplitN(s.token, ":", 2)[0], 10, 64)
	if err != nil || id <= 0 {
		id = 1
	}
	s.bot = User{ID: id, IsBot: true, FirstName: "Test Bot", Username: s.botName}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// Close stops the server. In-flight long polls return at once. It is
// called by t.Cleanup and may be called earlier; calling it twice is fine.
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

// URL is the server's base URL, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.ts.URL }

// Endpoint is the format string for tgbotapi.NewBotAPIWithClient:
// "http://127.0.0.1:PORT/bot%s/%s".
func (s *Server) Endpoint() string { return s.ts.URL + "/bot%s/%s" }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.token }

// Bot is the bot user getMe returns.
func (s *Server) Bot() User { return s.bot }

// Calls is how many requests reached method with the right token,
// failed ones included. The name is case-insensitive.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
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
			return fmt.Errorf("telegramtest: server closed")
		}
	}
}

type handler func(*Server, *call)

var handlers = map[string]handler{
	"getMe": (*Server).getMe, "getUpdates": (*Server).getUpdates,
	"sendMessage": (*Server).sendMessage, "sendPhoto": (*Server).sendPhoto,
	"sendDocument": (*Server).sendDocument, "sendChatAction": (*Server).sendChatAction,
	"editMessageText": (*Server).editMessageText, "editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
	"answerCallbackQuery": (*Server).answerCallbackQuery, "setMyCommands": (*Server).setMyCommands,
	"setWebhook": (*Server).setWebhook, "deleteWebhook": (*Server).deleteWebhook,
	"getWebhookInfo": (*Server).getWebhookInfo,
}

var canonical = func() map[string]string {
	m := map[string]string{}
	for name := range handlers {
		m[strings.ToLower(name)] = name
	}
	return m
}()

// call is one request being answered.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	method string
	p      map[string]string
	files  map[string]*File
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{s: s, w: w, r: r, method: "?"}
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found2 := strings.Cut(rest, "/")
	if !found || !found2 || strings.Contains(method, "/") {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
		c.fail(http.StatusUnauthorized, "Unauthorized")
		return
	}
	s.mu.Lock()
	s.calls[strings.ToLower(method)]++
	s.mu.Unlock()
	name, ok := canonical[strings.ToLower(method)]
	if !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.method = name
	var err error
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if c.p, c.files, err = parseParams(r); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.fail(http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		} else {
			c.fail(http.StatusBadRequest, "Bad Request: "+err.Error())
		}
		return
	}
	if !s.delay(r) || s.injectFault(c) {
		return
	}
	handlers[name](s, c)
}

// parseParams reads the query string and a form, multipart or JSON body into
// one string map (JSON values that are not strings keep their JSON text, as
// the form encoding carries them) plus the uploaded files.
func parseParams(r *http.Request) (map[string]string, map[string]*File, error) {
	p, files := map[string]string{}, map[string]*File{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	body := r.Body
	ct, mparams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		mr := multipart.NewReader(body, mparams["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return p, files, nil
			}
			if err != nil {
				return nil, nil, fmt.Errorf("can't parse multipart form: %w", err)
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, nil, fmt.Errorf("can't parse multipart form: %w", err)
			}
			if part.FileName() == "" {
				p[part.FormName()] = string(data)
				continue
			}
			files[part.FormName()] = &File{Field: part.FormName(), Name: part.FileName(),
				Size: int64(len(data)), Data: data, Uploaded: true}
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(body).Decode(&m); err != nil {
			return nil, nil, fmt.Errorf("can't parse JSON object: %w", err)
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
	default:
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, nil, fmt.Errorf("can't read request: %w", err)
		}
		if ct == "application/x-www-form-urlencoded" {
			vals, err := url.ParseQuery(string(data))
			if err != nil {
				return nil, nil, fmt.Errorf("can't parse form")
			}
			for k, v := range vals {
				p[k] = v[0]
			}
		}
	}
	return p, files, nil
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *respParams     `json:"parameters,omitempty"`
}

type respParams struct {
	RetryAfter int `json:"retry_after,omitempty"`
}

func (c *call) write(status int, resp apiResponse) {
	body, _ := json.Marshal(resp)
	c.w.Header().Set("Content-Type", "application/json")
	c.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
	c.log(status)
}

func (c *call) log(status int) {
	if c.s.verbose {
		outcome := strconv.Itoa(status)
		if status == 0 {
			outcome = "connection dropped"
		}
		c.s.t.Logf("telegramtest: %s chat_id=%s -> %s", c.method, c.p["chat_id"], outcome)
	}
}

// ok answers {"ok":true,"result":result}, with an optional description
// (setWebhook and deleteWebhook have one on Telegram).
func (c *call) ok(result any, description ...string) {
	raw, err := json.Marshal(result)
	if err != nil {
		panic("telegramtest: " + err.Error())
	}
	c.write(http.StatusOK, apiResponse{OK: true, Result: raw, Description: strings.Join(description, "")})
}

// fail answers an error; 429s are counted for Count429.
func (c *call) fail(code int, description string) {
	c.failRetry(code, description, 0)
}

func (c *call) failRetry(code int, description string, retryAfter int) {
	resp := apiResponse{ErrorCode: code, Description: description}
	if retryAfter > 0 {
		resp.Parameters = &respParams{RetryAfter: retryAfter}
	}
	if code == http.StatusTooManyRequests {
		c.s.mu.Lock()
		c.s.count429++
		c.s.mu.Unlock()
	}
	c.write(code, resp)
}

// intParam parses an optional integer parameter; ok is false (and the call
// answered 400) when it is present but malformed.
func (c *call) intParam(name string, def int64) (int64, bool) {
	v, present := c.p[name]
	if !present || v == "" {
		return def, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		c.fail(http.StatusBadRequest, fmt.Sprintf("Bad Request: wrong parameter %s", name))
		return 0, false
	}
	return n, true
}
