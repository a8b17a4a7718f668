package zalooa

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/storage"
)

const pathToken = "/v4/oa/access_token"

// tokenSource is a token source over the env's database and fake, as a
// (re)started process would make it; crash stops its refreshes.
func (e *env) tokenSource(crash func(step string) bool) *TokenSource {
	cfg := e.config(nil)
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := NewTokenSource(cfg, e.db, NewClient(cfg, nil), e.clock.Now, log, e.a.tokens.alert)
	ts.crash = crash
	return ts
}

// live is the live row of tokens.
func (e *env) live() *cd.OAToken {
	e.t.Helper()
	t, err := e.db.OAToken(context.Background())
	if err != nil || t == nil {
		e.t.Fatalf("live tokens: %v, %v", t, err)
	}
	return t
}

// checkOneValidToken checks that exactly one refresh token is valid at
// Zalo and that it is the one stored.
func (e *env) checkOneValidToken() {
	e.t.Helper()
	t := e.live()
	if n := e.srv.ValidRefreshTokens(); n != 1 || !e.srv.RefreshUsable(t.RefreshToken) || t.Status != cd.OATokenCurrent {
		e.t.Errorf("%d refresh tokens valid at Zalo; the stored one (%s) usable: %v", n, t.Status, e.srv.RefreshUsable(t.RefreshToken))
	}
}

// alerts returns the alerts queued to the province admin "tinh".
func (e *env) alerts() []string {
	e.t.Helper()
	items, err := e.db.DueOutbox(context.Background(), cd.PlatformConsole, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		if it.To.ChatID == "tinh" {
			out = append(out, it.Message.Text)
		}
	}
	return out
}

// A process killed at any step of a refresh loses no refresh token that
// could be kept: killed before Zalo answered, the restarted process
// renews with the same token; killed after the new pair was stored, it
// uses it. Killed between Zalo's answer and the store, the answer is lost
// with the process: the restart finds it out at once (Zalo refuses the old
// token), keeps using the access token while it lasts, and alerts the
// admins to authorize the OA again. A shutdown (a cancelled context) at
// any step does not interrupt the refresh at all.
func TestRefreshCrashLosesNoToken(t *testing.T) {
	for _, step := range []string{"claimed", "answered", "stored"} {
		t.Run("killed after "+step, func(t *testing.T) {
			e := newEnv(t, withoutRun)
			ctx := context.Background()
			old := e.live()
			e.clock.Advance(24*time.Hour + 30*time.Minute) // within RefreshBefore of expiry
			dead := e.tokenSource(func(s string) bool { return s == step })
			if _, err := dead.Token(ctx); !errors.Is(err, errCrashed) {
				t.Fatalf("Token = %v, want the crash", err)
			}
			e.clock.Advance(refreshLease + time.Second) // the restart comes later
			tok, err := e.tokenSource(nil).Token(ctx)
			if err != nil {
				t.Fatalf("after the restart: %v\nlogs:\n%s", err, e.logs)
			}
			if step != "answered" {
				e.checkOneValidToken()
				if tok == old.AccessToken || tok != e.live().AccessToken {
					t.Errorf("the restart uses %q", tok)
				}
				if a := e.alerts(); len(a) != 0 {
					t.Errorf("alerts: %q", a)
				}
				return
			}
			lost := e.live()
			if tok != old.AccessToken || lost.Status != cd.OATokenLost || !strings.Contains(lost.Note, "interrupted") {
				t.Errorf("after a lost answer: token %q, row %s %q", tok, lost.Status, lost.Note)
			}
			if a := e.alerts(); len(a) != 1 || !strings.Contains(a[0], "congdoanbot zalo-oa authorize") {
				t.Errorf("alerts: %q", a)
			}
			if !strings.Contains(e.logs.String(), "last renewal of the Zalo OA tokens was interrupted") {
				t.Errorf("the restart did not say so:\n%s", e.logs)
			}
		})
		t.Run("cancelled after "+step, func(t *testing.T) {
			e := newEnv(t, withoutRun)
			ctx, cancel := context.WithCancel(context.Background())
			e.clock.Advance(24*time.Hour + 30*time.Minute)
			ts := e.tokenSource(func(s string) bool {
				if s == step {
					cancel()
				}
				return false
			})
			_, _ = ts.Token(ctx)
			e.checkOneValidToken()
			if e.srv.Calls(pathToken) != 1 {
				t.Errorf("%d calls to the token endpoint", e.srv.Calls(pathToken))
			}
		})
	}
}

// When Zalo rotates the tokens but its answer never arrives, the bot
// keeps the claim, tries the same refresh token again later, finds it
// refused, marks it lost and alerts the admins once a day.
func TestRefreshAnswerLost(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx := context.Background()
	old := e.live()
	e.clock.Advance(24*time.Hour + 30*time.Minute)
	e.srv.LoseNextRefreshAnswer()
	ts := e.tokenSource(nil)
	if tok, err := ts.Token(ctx); err != nil || tok != old.AccessToken {
		t.Fatalf("Token = %q, %v; want the old token while it lasts", tok, err)
	}
	if got := e.live(); got.Status != cd.OATokenExchanging {
		t.Fatalf("row after a lost answer: %s", got.Status)
	}
	e.clock.Advance(2 * time.Minute)
	if tok, err := ts.Token(ctx); err != nil || tok != old.AccessToken {
		t.Fatalf("Token = %q, %v", tok, err)
	}
	if got := e.live(); got.Status != cd.OATokenLost || e.srv.Calls(pathToken) != 2 {
		t.Fatalf("row %s after %d calls", got.Status, e.srv.Calls(pathToken))
	}
	e.clock.Advance(time.Hour)
	if _, err := ts.Token(ctx); !errors.Is(err, ErrReauthorize) {
		t.Errorf("Token after expiry = %v", err)
	}
	if a := e.alerts(); len(a) != 1 {
		t.Errorf("alerts: %q", a)
	}
}

// Many deliveries wanting a token at once make one refresh.
func TestRefreshUnderLock(t *testing.T) {
	e := newEnv(t, withoutRun)
	e.clock.Advance(24*time.Hour + 30*time.Minute)
	ts := e.tokenSource(nil)
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() {
			tok, err := ts.Token(context.Background())
			if err != nil {
				t.Error(err)
			}
			got[i] = tok
		})
	}
	wg.Wait()
	if n := e.srv.Calls(pathToken); n != 1 {
		t.Errorf("%d refreshes", n)
	}
	for _, tok := range got {
		if tok != got[0] || tok != e.live().AccessToken {
			t.Fatalf("tokens handed out: %q", got)
		}
	}
	e.checkOneValidToken()
}

// An access token Zalo refuses (-220, -216) is renewed and the message
// sent again.
func TestRefusedAccessTokenRenewed(t *testing.T) {
	for _, code := range []int{-220, -216} {
		e := newEnv(t)
		an := e.follower()
		e.activeMember(an, "Nguyễn Văn An")
		if code == -220 {
			e.srv.ExpireAccessTokens()
		} else {
			e.srv.ForceErrors(pathSendCS, code)
		}
		e.notify(an.ID, "Họp công đoàn lúc 14 giờ")
		e.await(an, "Họp công đoàn lúc 14 giờ")
		if n := e.srv.Calls(pathToken); n != 1 {
			t.Errorf("%d: %d refreshes", code, n)
		}
		e.checkOneValidToken()
	}
}

// The admins hear, once a day, that the refresh token nears its end; the
// check renews the access token ahead of its expiry.
func TestCheckRenewsAndWarns(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx := context.Background()
	t0 := e.live()
	t0.RefreshExpiresAt = e.clock.Now().Add(10 * 24 * time.Hour)
	if _, err := e.db.SaveOAAuthorization(ctx, *t0); err != nil {
		t.Fatal(err)
	}
	ts := e.tokenSource(nil)
	for range 2 {
		if err := ts.Check(ctx); err != nil || e.srv.Calls(pathToken) != 0 {
			t.Fatalf("Check = %v after %d refreshes", err, e.srv.Calls(pathToken))
		}
		e.clock.Advance(time.Hour)
	}
	if a := e.alerts(); len(a) != 1 || !strings.Contains(a[0], "còn 9 ngày") && !strings.Contains(a[0], "còn 10 ngày") {
		t.Errorf("alerts: %q", a)
	}
	e.clock.Advance(23*time.Hour + 10*time.Minute) // the access token expires within the hour
	if err := ts.Check(ctx); err != nil || e.srv.Calls(pathToken) != 1 {
		t.Fatalf("Check = %v after %d refreshes", err, e.srv.Calls(pathToken))
	}
	if a := e.alerts(); len(a) != 1 {
		t.Errorf("alerts after the renewal: %q", a)
	}
	e.checkOneValidToken()
}

// Before `zalo-oa authorize` nothing is sent (the sender pauses) and the
// admins are told; the authorization (PKCE) makes sending work.
func TestAuthorize(t *testing.T) {
	e := newEnv(t, unauthorized, withoutRun)
	ctx := context.Background()
	an := e.srv.NewUser()
	e.srv.SetUser(an, true, e.clock.Now())
	if _, _, err := e.db.PutOAEvent(ctx, platform, cd.OAEvent{UserID: an.ID, At: e.clock.Now(), Interaction: true}); err != nil {
		t.Fatal(err)
	}
	item := cd.OutboxItem{ID: 1, To: cd.Address{Platform: cd.PlatformZaloOA, ChatID: an.ID}, Message: cd.Message{Text: "chào"}}
	var de *outbox.DeliveryError
	if err := e.a.Deliver(ctx, item); !errors.As(err, &de) || de.RetryAfter != 5*time.Minute || !errors.Is(err, ErrNotAuthorized) {
		t.Fatalf("Deliver before authorizing = %v", err)
	}
	if a := e.alerts(); len(a) != 1 || !strings.Contains(a[0], "zalo-oa authorize") {
		t.Errorf("alerts: %q", a)
	}
	cfg := e.config(nil)
	consent, err := BeginAuthorization(ctx, cfg, e.db, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(consent, "code_challenge=") || !strings.Contains(consent, "/v4/oa/permission?") {
		t.Errorf("consent URL = %s", consent)
	}
	redirect, err := e.srv.Consent(consent)
	if err != nil {
		t.Fatal(err)
	}
	code, state, err := ParseCallback(redirect)
	if err != nil || state == "" {
		t.Fatalf("ParseCallback(%s) = %q, %q, %v", redirect, code, state, err)
	}
	if _, err := FinishAuthorization(ctx, cfg, e.db, NewClient(cfg, nil), code, state, e.clock.Now); err != nil {
		t.Fatal(err)
	}
	if _, err := FinishAuthorization(ctx, cfg, e.db, NewClient(cfg, nil), code, state, e.clock.Now); !errors.Is(err, storage.ErrNoOAAuthRequest) {
		t.Errorf("the same code again: %v", err)
	}
	if err := e.a.Deliver(ctx, item); err != nil {
		t.Fatalf("Deliver after authorizing: %v", err)
	}
	e.checkOneValidToken()
}
