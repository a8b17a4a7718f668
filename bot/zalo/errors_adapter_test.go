package zalo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

// outcome is how a failed delivery was classified.
type outcome struct {
	de                           bool
	retryAfter                   time.Duration
	halt, unreachable, permanent bool
}

func classified(err error) outcome {
	var de *outbox.DeliveryError
	if !errors.As(err, &de) {
		return outcome{}
	}
	return outcome{de: true, retryAfter: de.RetryAfter, halt: de.Halt, unreachable: de.Unreachable, permanent: de.Permanent}
}

// TestDeliverErrors drives Deliver against the fake's faults, with Zalo's
// errors sent as HTTP 200 (as seen live) and with their code as HTTP
// status.
func TestDeliverErrors(t *testing.T) {
	for _, httpStatus := range []bool{false, true} {
		t.Run(fmt.Sprintf("ErrorHTTPStatus=%v", httpStatus), func(t *testing.T) {
			e := newEnv(t, withoutRun, withOptions(zalotest.Options{ErrorHTTPStatus: httpStatus}))
			text := cd.Message{Text: "Thông báo"}
			for _, tc := range []struct {
				name  string
				fault zalotest.Fault
				block bool
				want  outcome
			}{
				{"429 quota", zalotest.TooManyRequests, false, outcome{de: true, retryAfter: 30 * time.Second}},
				{"401 token reset", zalotest.Unauthorized, false, outcome{de: true, halt: true}},
				{"403 Zalo's internal error", zalotest.InternalError, false, outcome{}},
				{"500 HTML", zalotest.ServerError, false, outcome{}},
				{"502 HTML", zalotest.BadGateway, false, outcome{}},
				{"504 empty", zalotest.GatewayTimeout, false, outcome{}},
				{"dropped connection", zalotest.DropConnection, false, outcome{}},
				{"400 user blocked", zalotest.NoFault, true, outcome{de: true, unreachable: true}},
			} {
				if tc.block {
					e.srv.BlockChat(e.an.ID)
				} else {
					e.srv.FailNext("sendMessage", 1, tc.fault)
				}
				err := e.a.Deliver(context.Background(), cd.OutboxItem{ID: 1, To: to(e.an.ID), Message: text})
				e.srv.UnblockChat(e.an.ID)
				if err == nil {
					t.Errorf("%s: no error", tc.name)
					continue
				}
				if strings.Contains(err.Error(), tokenSecret) {
					t.Errorf("%s: token in %q", tc.name, err)
				}
				if got := classified(err); got != tc.want {
					t.Errorf("%s: %v classified as %+v, want %+v", tc.name, err, got, tc.want)
				}
			}
			if n := len(e.srv.Sent()); n != 0 {
				t.Errorf("%d messages accepted", n)
			}
		})
	}
}

// Cancelling the context aborts a slow send; the error keeps the
// cancellation and not the token.
func TestDeliverCancelled(t *testing.T) {
	e := newEnv(t, withoutRun)
	e.srv.SetLatency(time.Minute)
	defer e.srv.SetLatency(0)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := e.a.Deliver(ctx, cd.OutboxItem{To: to(e.an.ID), Message: cd.Message{Text: "x"}})
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), tokenSecret) {
		t.Errorf("slow send: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, tokenSecret) {
		t.Errorf("url.Error %v keeps the token", ue)
	}
}

func TestClassify(t *testing.T) {
	a := &Adapter{retryAfter: 30 * time.Second}
	api := func(http, code int, desc string) error {
		return fmt.Errorf("zalo: send to chat x: %w", &APIError{Method: "sendMessage", HTTPStatus: http, Code: code, Description: desc})
	}
	for _, tc := range []struct {
		name string
		err  error
		want outcome
	}{
		{"429", api(200, 429, "Quota exceeded"), outcome{de: true, retryAfter: 30 * time.Second}},
		{"429 as HTTP status", api(429, 0, "non-JSON answer: text/html, 10 bytes"), outcome{de: true, retryAfter: 30 * time.Second}},
		{"401", api(200, 401, "Unauthorized"), outcome{de: true, halt: true}},
		{"400", api(200, 400, "Bad Request: text must be 1 to 2000 characters"), outcome{de: true, permanent: true}},
		{"400 blocked", api(400, 400, "user not found or blocked"), outcome{de: true, unreachable: true}},
		{"403", api(200, 403, "Internal server error"), outcome{}},
		{"404", api(200, 404, "Not Found"), outcome{}},
		{"500", api(500, 0, "non-JSON answer: text/html, 200 bytes"), outcome{}},
		{"502", api(502, 0, "non-JSON answer: text/html, 166 bytes"), outcome{}},
		{"network", &url.Error{Op: "Post", URL: "http://x/bot<token>/sendMessage", Err: io.ErrUnexpectedEOF}, outcome{}},
		{"timeout", &net.OpError{Op: "read", Err: context.DeadlineExceeded}, outcome{}},
		{"text too long", fmt.Errorf("zalo: sendMessage: %w", ErrTextLength), outcome{de: true, permanent: true}},
	} {
		err := a.classify(tc.err)
		if got := classified(err); got != tc.want {
			t.Errorf("%s: classified as %+v, want %+v", tc.name, got, tc.want)
		}
		if !errors.Is(err, tc.err) && errors.Unwrap(err) == nil {
			t.Errorf("%s: the cause is lost: %v", tc.name, err)
		}
		if tc.want.halt && !strings.Contains(err.Error(), "zalo.token") {
			t.Errorf("%s: %q does not say what to check", tc.name, err)
		}
	}
}

// TestTokenNeverLogged runs the bot through faults of every kind, on
// receiving and sending, a token reset in the end, and checks that no log
// line (adapter, core, sender) and no error holds the token or the
// webhook secret.
func TestTokenNeverLogged(t *testing.T) {
	for _, mode := range []string{ModePolling, ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			opts := []envOption{withoutRun, withOptions(zalotest.Options{Seed: 7, ErrorHTTPStatus: mode == ModeWebhook,
				Faults: zalotest.FaultRates{TooManyRequests: 0.05, InternalError: 0.05, ServerError: 0.05, BadGateway: 0.05,
					GatewayTimeout: 0.05, Drop: 0.05}})}
			if mode == ModeWebhook {
				opts = append(opts, webhookMode)
			}
			halted := make(chan error, 1)
			sc := outbox.SenderConfig{BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxAttempts: 50,
				MaxRetryAfter: 5 * time.Millisecond, OnHalt: func(err error) { halted <- err }}
			e := newEnv(t, append(opts, withSender(sc))...)
			e.a.retryAfter = 5 * time.Millisecond
			// Forced faults first, so that every path is taken whatever the
			// random draws; then 30% of random ones on every call.
			for method, f := range map[string]zalotest.Fault{"deleteWebhook": zalotest.BadGateway,
				"getUpdates": zalotest.DropConnection, "setWebhook": zalotest.GatewayTimeout, "sendMessage": zalotest.InternalError} {
				e.srv.FailNext(method, 1, f)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			runErr := make(chan error, 1)
			senderDone := make(chan struct{})
			go func() { runErr <- e.a.Run(ctx) }()
			go func() { e.sender.Run(ctx); close(senderDone) }()
			defer func() { cancel(); <-senderDone }()
			if mode == ModeWebhook {
				if err := e.srv.WaitWebhook(e.ctx()); err != nil {
					t.Fatalf("no webhook: %v\n%s", err, e.logs)
				}
			}
			// A photo that fails to download, then the whole registration
			// start, through faults.
			e.srv.SendPhoto(e.an, "http://127.0.0.1:1/x.jpg?token="+tokenSecret, "")
			e.user("")
			for _, text := range []string{"/dangky", "1", "Nguyễn Văn An"} {
				e.user(e.srv.SendText(e.an, text))
			}
			e.await("phone question", msg(e.an.ID, "Số điện thoại"))
			// A broadcast to 30 chats, through the same faults.
			var chats []string
			for i := range 30 {
				chats = append(chats, fmt.Sprintf("%020x", i+1))
			}
			e.enqueue("Thông báo của Công đoàn tỉnh", chats...)
			for _, c := range chats {
				e.await("broadcast", msg(c, "Thông báo của Công đoàn tỉnh"))
			}

			// The token is reset: the sender halts, and (polling) Run ends.
			e.srv.SetFaultRates(zalotest.FaultRates{})
			e.srv.ResetToken("1:another-token-0000")
			e.enqueue("Thông báo", e.an.ID)
			select {
			case err := <-halted:
				if strings.Contains(err.Error(), tokenSecret) {
					t.Errorf("halt error holds the token: %v", err)
				}
			case <-e.ctx().Done():
				t.Fatalf("the sender did not halt\n%s", e.logs)
			}
			if mode == ModePolling {
				e.srv.ExpirePolls()
				select {
				case err := <-runErr:
					if err == nil || strings.Contains(err.Error(), tokenSecret) {
						t.Errorf("Run = %v", err)
					}
				case <-e.ctx().Done():
					t.Fatal("Run did not end after a 401")
				}
			} else {
				cancel()
				if err := <-runErr; err != nil {
					t.Errorf("Run = %v", err)
				}
			}
			logs := e.logs.String()
			for _, secret := range []string{tokenSecret, hookSecret, testToken} {
				if strings.Contains(logs, secret) {
					t.Errorf("a secret is in the logs:\n%s", logs)
				}
			}
			for _, want := range []string{"call failed; retrying", "delivery failed, will retry", "platform unusable",
				"keeping its caption only"} {
				if !strings.Contains(logs, want) {
					t.Errorf("no %q in the logs: the faults did not happen?\n%s", want, logs)
				}
			}
			counts, err := e.db.OutboxCounts(context.Background())
			if err != nil || counts[cd.OutboxFailed] != 0 {
				t.Errorf("outbox %v, %v", counts, err)
			}
		})
	}
}

func TestNewRefusedToken(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err := New(Config{Token: testToken, APIEndpoint: srv.Endpoint()}, nil, nil, nil, log, nil)
	if err == nil || !strings.Contains(err.Error(), "zalo.token") || strings.Contains(err.Error(), tokenSecret) {
		t.Errorf("New = %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	_, err = New(Config{Token: testToken, APIEndpoint: "http://" + ln.Addr().String()}, nil, nil, nil, log, nil)
	if err == nil || !strings.Contains(err.Error(), "getMe") || strings.Contains(err.Error(), tokenSecret) {
		t.Errorf("New without a server = %v", err)
	}
	if strings.Contains(logs.String(), tokenSecret) {
		t.Errorf("token logged:\n%s", logs.String())
	}
	// A delivering adapter cannot Run.
	a, err := New(Config{Token: srv.Token(), APIEndpoint: srv.Endpoint()}, nil, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Me().ID != zalotest.DefaultBotID {
		t.Errorf("Me = %+v", a.Me())
	}
	if err := a.Run(context.Background()); err == nil {
		t.Error("Run without an inbox")
	}
}
