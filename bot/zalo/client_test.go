package zalo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/congdoanbot/congdoanbot/bot/zalo"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

const token = "3141592653589793238:Very-Secret_token"

var hex20 = regexp.MustCompile(`^[0-9a-f]{20}$`)

// recorder is a transport that keeps the requests it carries.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path, contentType, body string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.Header.Get("Content-Type"), string(body)})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) last() recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[len(r.reqs)-1]
}

func setup(t *testing.T, opts zalotest.Options, copts ...zalo.Option) (*zalotest.Server, *zalo.Client) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = token
	}
	srv := zalotest.NewServer(t, opts)
	c := zalo.NewClient(srv.Token(), srv.Endpoint(), copts...)
	t.Cleanup(c.CloseIdleConnections)
	return srv, c
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func apiError(t *testing.T, err error) *zalo.APIError {
	t.Helper()
	var e *zalo.APIError
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *zalo.APIError", err, err)
	}
	if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "Very-Secret") {
		t.Errorf("error leaks the token: %v", err)
	}
	return e
}

// noToken fails if err or any error in its chain shows the token.
func noToken(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), token) || strings.Contains(e.Error(), "Very-Secret") {
			t.Errorf("error leaks the token: %q", e)
		}
	}
}

func TestGetMeKeepsTheIDAString(t *testing.T) {
	rec := &recorder{}
	srv, c := setup(t, zalotest.Options{}, zalo.WithTransport(rec))
	me, err := c.GetMe(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "1459232241454765289" || me.ID != srv.BotID() || me.AccountName != zalotest.DefaultAccountName ||
		me.AccountType != "BASIC" || me.CanJoinGroups {
		t.Errorf("me = %+v", me)
	}
	if r := rec.last(); r.method != http.MethodPost || r.path != "/bot"+token+"/getMe" ||
		r.contentType != "application/json" {
		t.Errorf("request = %+v", r)
	}
}

func TestGetMeIDAsJSONNumber(t *testing.T) {
	// A 19-digit id sent as a JSON number must keep all its digits.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"result":{"id":1459232241454765289,"account_name":"bot.x","can_join_groups":true}}`)
	}))
	defer ts.Close()
	me, err := zalo.NewClient(token, ts.URL).GetMe(ctxT(t))
	if err != nil || me.ID != "1459232241454765289" || !me.CanJoinGroups {
		t.Errorf("me = %+v, %v", me, err)
	}
}

func TestLongPoll(t *testing.T) {
	rec := &recorder{}
	srv, c := setup(t, zalotest.Options{}, zalo.WithTransport(rec))
	ctx := ctxT(t)
	an := srv.NewUser("Nguyễn Văn An")

	type result struct {
		ups []zalo.Update
		err error
	}
	poll := func() <-chan result {
		ch := make(chan result, 1)
		go func() {
			ups, err := c.GetUpdates(ctx, time.Second)
			ch <- result{ups, err}
		}()
		if err := srv.WaitPolling(ctx); err != nil {
			t.Fatal(err)
		}
		return ch
	}

	// An update injected while the poll waits is returned.
	ch := poll()
	if r := rec.last(); r.body != `{"timeout":"1"}` || r.path != "/bot"+token+"/getUpdates" {
		t.Errorf("request = %+v", r)
	}
	id := srv.SendText(an, "đăng ký")
	r := <-ch
	if r.err != nil || len(r.ups) != 1 {
		t.Fatalf("GetUpdates = %+v, %v", r.ups, r.err)
	}
	u := r.ups[0]
	if u.EventName != zalo.EventText || u.Message.MessageID != id || u.Message.Text != "đăng ký" ||
		u.Message.From != (zalo.User{ID: an.ID, DisplayName: "Nguyễn Văn An"}) ||
		u.Message.Chat != (zalo.Chat{ID: an.ID, ChatType: zalo.ChatPrivate}) || u.Message.Date < 1e12 ||
		u.IsEcho(srv.BotID()) || len(u.Raw) == 0 {
		t.Errorf("update = %+v", u)
	}

	// Idle: Zalo's 408 is "nothing new", not an error.
	ch = poll()
	srv.ExpirePolls()
	if r := <-ch; r.err != nil || r.ups != nil {
		t.Errorf("idle GetUpdates = %+v, %v", r.ups, r.err)
	}

	// The same through the server's real 1 s timer (within the 1+7 s deadline).
	ups, err := c.GetUpdates(ctx, time.Second)
	if err != nil || ups != nil {
		t.Errorf("timed-out GetUpdates = %+v, %v", ups, err)
	}
}

func TestGetUpdatesResultShapes(t *testing.T) {
	srv, c := setup(t, zalotest.Options{PhotoField: "photo"})
	ctx := ctxT(t)
	an := srv.NewUser("An")
	photoID := srv.SendPhoto(an, "https://f.zdn.vn/a.jpg", "Hiến máu")
	srv.SendUnsupported(an)
	echoID := srv.EchoBotMessage(an.ID, "tin của bot")
	srv.InjectRaw([]byte(`[{"event_name":"message.text.received","message":{"message_id":"m1","text":"1",
		"from":{"id":"aaaaaaaaaaaaaaaaaaaa","name":"Old"},"date":1750316131}},
		{"event_name":"message.text.received","message":{"message_id":"m2","text":"2","photo_url":"https://x/y.png"}}]`))
	srv.InjectRaw([]byte(`{}`))

	get := func() []zalo.Update {
		t.Helper()
		ups, err := c.GetUpdates(ctx, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return ups
	}
	if ups := get(); len(ups) != 1 || ups[0].EventName != zalo.EventImage || ups[0].Message.MessageID != photoID ||
		ups[0].Message.Photo != "https://f.zdn.vn/a.jpg" || ups[0].Message.Caption != "Hiến máu" {
		t.Errorf("photo = %+v", ups)
	}
	if ups := get(); len(ups) != 1 || ups[0].EventName != zalo.EventUnsupported || ups[0].Message.From.ID != an.ID {
		t.Errorf("unsupported = %+v", ups)
	}
	me, err := c.GetMe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ups := get(); len(ups) != 1 || ups[0].Message.MessageID != echoID || !ups[0].IsEcho(me.ID) ||
		ups[0].Message.From.ID != me.ID {
		t.Errorf("echo = %+v", ups)
	}
	if ups := get(); len(ups) != 2 || ups[0].Message.From.DisplayName != "Old" ||
		ups[0].Message.Date != 1750316131000 || ups[0].Message.Chat.ID != "aaaaaaaaaaaaaaaaaaaa" ||
		ups[1].Message.Photo != "https://x/y.png" {
		t.Errorf("array = %+v", ups)
	}
	if ups, err := c.GetUpdates(ctx, time.Second); err != nil || len(ups) != 0 {
		t.Errorf("{} = %+v, %v", ups, err)
	}
}

func TestSends(t *testing.T) {
	rec := &recorder{}
	srv, c := setup(t, zalotest.Options{}, zalo.WithTransport(rec))
	ctx := ctxT(t)
	chat := "6ede9afa66b88fe6d6a9"

	res, err := c.SendMessage(ctx, chat, norm.NFD.String("Xin chào công đoàn 👋"))
	if err != nil || !hex20.MatchString(res.MessageID) || res.Date < 1e12 {
		t.Fatalf("SendMessage = %+v, %v", res, err)
	}
	if r := rec.last(); r.body != `{"chat_id":"6ede9afa66b88fe6d6a9","text":"Xin chào công đoàn 👋"}` {
		t.Errorf("sendMessage body = %s", r.body) // NFC on the wire, plain text, no parse_mode
	}
	if _, err := c.SendPhoto(ctx, chat, "https://example.com/p.jpg", "Ảnh"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendPhoto(ctx, chat, "https://example.com/q.jpg", ""); err != nil {
		t.Fatal(err)
	}
	if r := rec.last(); r.body != `{"chat_id":"6ede9afa66b88fe6d6a9","photo":"https://example.com/q.jpg"}` {
		t.Errorf("sendPhoto body = %s", r.body)
	}
	if err := c.SendChatAction(ctx, chat, ""); err != nil {
		t.Fatal(err)
	}
	sent := srv.Sent()
	if len(sent) != 3 || sent[0].Text != "Xin chào công đoàn 👋" || sent[0].MessageID != res.MessageID ||
		sent[1].Method != "sendPhoto" || sent[1].Caption != "Ảnh" || sent[2].Caption != "" {
		t.Errorf("sent = %+v", sent)
	}
	if a := srv.ChatActions(); len(a) != 1 || a[0].Action != "typing" {
		t.Errorf("actions = %+v", a)
	}

	// Local checks: nothing reaches Zalo.
	calls := srv.Calls("sendMessage")
	for _, text := range []string{"", strings.Repeat("👋", 1000) + "!"} {
		if _, err := c.SendMessage(ctx, chat, text); !errors.Is(err, zalo.ErrTextLength) {
			t.Errorf("SendMessage(%d units) = %v", zalo.UTF16Len(text), err)
		}
	}
	// 2000 units once composed: accepted.
	if _, err := c.SendMessage(ctx, chat, strings.Repeat(norm.NFD.String("ệ"), 2000)); err != nil {
		t.Errorf("2000 decomposed letters: %v", err)
	}
	if srv.Calls("sendMessage") != calls+1 {
		t.Errorf("calls = %d, want %d", srv.Calls("sendMessage"), calls+1)
	}
	if _, err := c.SendPhoto(ctx, chat, "file:///etc/passwd", ""); err == nil {
		t.Error("SendPhoto with a file URL: no error")
	}
	if _, err := c.SendPhoto(ctx, chat, "https://x/y.jpg", strings.Repeat("a", 2001)); !errors.Is(err, zalo.ErrTextLength) {
		t.Errorf("long caption: %v", err)
	}
}

func TestWebhookRoundTrip(t *testing.T) {
	srv, c := setup(t, zalotest.Options{})
	ctx := ctxT(t)
	const secret = "hook-secret-123"
	got := make(chan zalo.Update, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !zalo.CheckSecret(r.Header.Get(zalo.SecretHeader), secret) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		u, err := zalo.ParseWebhook(body)
		if err != nil {
			t.Errorf("ParseWebhook(%s): %v", body, err)
		}
		got <- u
	}))
	defer hook.Close()

	if err := c.SetWebhook(ctx, hook.URL, "short"); err == nil || srv.Calls("setWebhook") != 0 {
		t.Errorf("short secret: %v", err)
	}
	if err := c.SetWebhook(ctx, hook.URL, secret); err != nil {
		t.Fatal(err)
	}
	if info, err := c.GetWebhookInfo(ctx); err != nil || info.URL != hook.URL || info.UpdatedAt < 1e12 {
		t.Errorf("GetWebhookInfo = %+v, %v", info, err)
	}
	_, err := c.GetUpdates(ctx, time.Second)
	if e := apiError(t, err); !e.IsBadRequest() || e.IsRetryable() {
		t.Errorf("getUpdates under a webhook: %+v", e)
	}

	an := srv.NewUser("An")
	id1 := srv.SendText(an, "gói")
	id2 := srv.SendText(an, "không gói")
	for _, d := range []struct {
		id   string
		opts []zalotest.DeliverOption
		code int
	}{
		{id1, nil, 200},
		{id2, []zalotest.DeliverOption{zalotest.Unwrapped()}, 200},
		{id2, []zalotest.DeliverOption{zalotest.WithSecret("wrong-secret-x")}, 401},
		{id2, []zalotest.DeliverOption{zalotest.WithoutSecret()}, 401},
	} {
		if d.code == 401 {
			srv.SendText(an, "again") // id2 is gone; any pending update will do
			d.id = ""
		}
		code, err := srv.DeliverWebhook(ctx, d.id, d.opts...)
		if err != nil || code != d.code {
			t.Errorf("DeliverWebhook = %d, %v; want %d", code, err, d.code)
		}
	}
	for _, want := range []string{id1, id2} {
		u := <-got
		if u.Message.MessageID != want || u.Message.From.ID != an.ID || u.EventName != zalo.EventText {
			t.Errorf("webhook update = %+v, want %s", u, want)
		}
	}
	if err := c.DeleteWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	if info, err := c.GetWebhookInfo(ctx); err != nil || info.URL != "" {
		t.Errorf("after delete: %+v, %v", info, err)
	}
}

func TestAPIErrors(t *testing.T) {
	for _, httpStatus := range []bool{false, true} {
		t.Run(fmt.Sprintf("ErrorHTTPStatus=%v", httpStatus), func(t *testing.T) {
			srv, c := setup(t, zalotest.Options{ErrorHTTPStatus: httpStatus})
			ctx := ctxT(t)
			chat := "6ede9afa66b88fe6d6a9"
			status := func(code int) int {
				if httpStatus {
					return code
				}
				return 200
			}
			send := func() error {
				_, err := c.SendMessage(ctx, chat, "hi")
				return err
			}
			for _, tc := range []struct {
				fault                 zalotest.Fault
				httpStatus, code      int
				desc                  string
				retry, unauth, badReq bool
			}{
				{zalotest.TooManyRequests, status(429), 429, "Quota", true, false, false},
				{zalotest.InternalError, status(403), 403, "Internal server error", true, false, false},
				{zalotest.Unauthorized, status(401), 401, "Unauthorized", false, true, false},
				{zalotest.ServerError, 500, 0, "non-JSON answer: text/html", true, false, false},
				{zalotest.BadGateway, 502, 0, "non-JSON answer: text/html", true, false, false},
				{zalotest.GatewayTimeout, 504, 0, "non-JSON answer: empty body", true, false, false},
			} {
				srv.FailNext("sendMessage", 1, tc.fault)
				err := send()
				e := apiError(t, err)
				if e.Method != "sendMessage" || e.HTTPStatus != tc.httpStatus || e.Code != tc.code ||
					!strings.Contains(e.Description, tc.desc) || e.IsRetryable() != tc.retry ||
					e.IsUnauthorized() != tc.unauth || e.IsBadRequest() != tc.badReq || zalo.IsRetryable(err) != tc.retry {
					t.Errorf("%v: %+v (%v)", tc.fault, e, err)
				}
			}

			srv.BlockChat(chat)
			e := apiError(t, send())
			if !e.IsBadRequest() || e.IsRetryable() || e.Description != "user not found or blocked" {
				t.Errorf("blocked: %+v", e)
			}
			srv.UnblockChat(chat)

			// A token reset in Bot Creator: the old token gets 401 for good.
			srv.ResetToken("1:another")
			_, err := c.GetMe(ctx)
			if e := apiError(t, err); !e.IsUnauthorized() || e.HTTPStatus != status(401) {
				t.Errorf("reset token: %+v", e)
			}
		})
	}
}

func TestDroppedConnectionIsRedacted(t *testing.T) {
	srv, c := setup(t, zalotest.Options{})
	ctx := ctxT(t)
	srv.FailNext("getMe", 1, zalotest.DropConnection)
	_, err := c.GetMe(ctx)
	if err == nil {
		t.Fatal("no error")
	}
	noToken(t, err)
	if !strings.Contains(err.Error(), "/bot<token>/getMe") || !strings.HasPrefix(err.Error(), "zalo: getMe: ") {
		t.Errorf("err = %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, token) || !strings.Contains(ue.URL, "<token>") {
		t.Errorf("url.Error = %#v", ue)
	}
	var ae *zalo.APIError
	if errors.As(err, &ae) {
		t.Errorf("a network error is an APIError: %v", ae)
	}
	if !zalo.IsRetryable(err) {
		t.Errorf("dropped connection not retryable")
	}
	// Formatting the client does not show the token either.
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(f, c); strings.Contains(s, "Very-Secret") {
			t.Errorf("%s of the client = %s", f, s)
		}
	}
	if got := c.Redact("GET /bot" + token + "/x"); got != "GET /bot<token>/x" {
		t.Errorf("Redact = %q", got)
	}

	// The connection is fine again afterwards.
	if _, err := c.GetMe(ctx); err != nil {
		t.Error(err)
	}
}

func TestConnectionRefusedIsRedacted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := zalo.NewClient(token, "http://"+addr)
	_, err = c.SendMessage(ctxT(t), "x", "hi")
	if err == nil {
		t.Fatal("no error")
	}
	noToken(t, err)
	var ne net.Error
	if !errors.As(err, &ne) || !zalo.IsRetryable(err) {
		t.Errorf("err = %v (%T)", err, err)
	}
}

func TestTimeoutsAndCancellation(t *testing.T) {
	srv, c := setup(t, zalotest.Options{Latency: time.Hour}, zalo.WithSendTimeout(50*time.Millisecond))
	_, err := c.SendMessage(ctxT(t), "6ede9afa66b88fe6d6a9", "hi")
	noToken(t, err)
	var ue *url.Error
	if !errors.As(err, &ue) || !ue.Timeout() || !zalo.IsRetryable(err) {
		t.Errorf("timeout err = %v", err)
	}

	// Latency off before the poll starts: a poll that reached the server
	// first would wait the hour, and WaitPolling with it.
	srv.SetLatency(0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetUpdates(ctx, 30*time.Second) // its own deadline, not the 50 ms one
		done <- err
	}()
	if err := srv.WaitPolling(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	cancel()
	err = <-done
	noToken(t, err)
	if !errors.Is(err, context.Canceled) || zalo.IsRetryable(err) {
		t.Errorf("cancelled poll = %v", err)
	}
}

// TestRetryUnderRandomFaults sends through a hostile server with a naive
// retry loop, as the outbox sender will: every error is redacted and
// classified retryable, and every message arrives once (faults are
// injected before the server accepts a send).
func TestRetryUnderRandomFaults(t *testing.T) {
	srv, c := setup(t, zalotest.Options{Seed: 2026, Faults: zalotest.FaultRates{
		TooManyRequests: 0.15, InternalError: 0.1, ServerError: 0.05, BadGateway: 0.1, GatewayTimeout: 0.05,
		Drop: 0.1,
	}})
	ctx := ctxT(t)
	failures := 0
	for i := range 30 {
		for attempt := 0; ; attempt++ {
			_, err := c.SendMessage(ctx, "6ede9afa66b88fe6d6a9", fmt.Sprintf("tin %d", i))
			if err == nil {
				break
			}
			failures++
			noToken(t, err)
			if !zalo.IsRetryable(err) || attempt > 20 {
				t.Fatalf("message %d: %v", i, err)
			}
		}
	}
	sent := srv.Sent()
	if len(sent) != 30 || failures == 0 {
		t.Fatalf("sent %d, failures %d", len(sent), failures)
	}
	for i, m := range sent {
		if m.Text != fmt.Sprintf("tin %d", i) {
			t.Errorf("sent[%d] = %q", i, m.Text)
		}
	}
}
