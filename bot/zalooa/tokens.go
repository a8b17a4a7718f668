package zalooa

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
)

// TokenStore keeps the OA's tokens; *storage.DB implements it. See
// storage/zalooatoken.go for the steps of a refresh.
type TokenStore interface {
	OAToken(ctx context.Context) (*cd.OAToken, error)
	ClaimOAToken(ctx context.Context, id int64, by string, lease time.Duration) (*cd.OAToken, error)
	StoreOARefresh(ctx context.Context, oldID int64, t cd.OAToken) (*cd.OAToken, error)
	ReleaseOAToken(ctx context.Context, id int64) error
	LoseOAToken(ctx context.Context, id int64, note string) error
}

// Alerter tells the province admins that the OA's tokens need an
// operator (until: when the refresh token expires, for bot.OAAlertExpiring).
type Alerter func(ctx context.Context, kind bot.OAAlert, until time.Time)

// Errors of TokenSource.Token.
var (
	// ErrNotAuthorized: no token was ever stored.
	ErrNotAuthorized = errors.New("zalo_oa: the OA is not authorized; run: congdoanbot zalo-oa authorize")
	// ErrReauthorize: Zalo refused the refresh token and the access token
	// expired.
	ErrReauthorize = errors.New("zalo_oa: Zalo refused the refresh token; run: congdoanbot zalo-oa authorize")
	// errBusy: another process is renewing the tokens.
	errBusy = errors.New("zalo_oa: another process is renewing the tokens")
	// errCrashed: a test stopped a refresh as a crash would.
	errCrashed = errors.New("zalo_oa: crashed (test)")
)

// refreshLease is how long another process's exchange is waited for
// before it counts as interrupted.
const refreshLease = 2 * time.Minute

// TokenSource hands out the OA's access token, renewing it under a lock
// ahead of its expiry. A refresh is three steps, each durable before the
// next: the row is claimed (exchanging) before its single-use refresh
// token goes to Zalo; the new pair is stored in the transaction that
// marks the old row used, before the new access token is handed out; a
// claim found on a restart is retried at once, and if Zalo then refuses
// the refresh token, the exchange's answer was lost: the row is marked
// lost and the admins are alerted to authorize the OA again.
type TokenSource struct {
	store    TokenStore
	client   *Client
	now      func() time.Time
	log      *slog.Logger
	alert    Alerter
	id       string // this process, in claims
	before   time.Duration
	warn     time.Duration
	lifetime time.Duration
	timeout  time.Duration

	mu       sync.Mutex
	cur      *cd.OAToken
	retryAt  time.Time // no refresh before this, after a failure
	failures int       // refreshes failed in a row
	unsaved  *unsaved  // a pair Zalo gave that is not stored yet
	refused  string    // an access token Zalo refused
	// crash, in tests, stops a refresh after a step as a crash would.
	crash func(step string) bool
}

type unsaved struct {
	oldID int64
	t     cd.OAToken
}

// NewTokenSource returns a token source over store.
func NewTokenSource(cfg Config, store TokenStore, client *Client, now func() time.Time, log *slog.Logger, alert Alerter) *TokenSource {
	cfg = cfg.withDefaults()
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if alert == nil {
		alert = func(context.Context, bot.OAAlert, time.Time) {}
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &TokenSource{store: store, client: client, now: now, log: log, alert: throttle(alert, now), id: hex.EncodeToString(b[:]),
		before: cfg.RefreshBefore, warn: cfg.RefreshWarn, lifetime: cfg.RefreshLifetime, timeout: cfg.HTTPTimeout}
}

// throttle calls alert at most once an hour for each kind (the admins get
// each kind once a day; this spares the database the tries).
func throttle(alert Alerter, now func() time.Time) Alerter {
	var mu sync.Mutex
	last := map[bot.OAAlert]time.Time{}
	return func(ctx context.Context, kind bot.OAAlert, until time.Time) {
		mu.Lock()
		t, seen := last[kind]
		due := !seen || now().Sub(t) >= time.Hour || now().Before(t)
		if due {
			last[kind] = now()
		}
		mu.Unlock()
		if due {
			alert(ctx, kind, until)
		}
	}
}

// Token returns an access token to call the API with, renewing it first
// when it expires within RefreshBefore (or was refused). While a renewal
// fails, the old token serves as long as it is valid.
func (ts *TokenSource) Token(ctx context.Context) (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.cur != nil && ts.cur.Status == cd.OATokenLost {
		ts.cur = nil // `zalo-oa authorize` may have stored new tokens
	}
	t, err := ts.load(ctx)
	if err != nil {
		return "", err
	}
	if t == nil {
		ts.alert(ctx, bot.OAAlertReauthorize, time.Time{})
		return "", ErrNotAuthorized
	}
	now := ts.now()
	valid := now.Before(t.AccessExpiresAt) && t.AccessToken != ts.refused
	if t.Status == cd.OATokenLost {
		if valid {
			return t.AccessToken, nil
		}
		return "", ErrReauthorize
	}
	interrupted := t.Status == cd.OATokenExchanging
	if valid && !interrupted && t.AccessExpiresAt.Sub(now) > ts.before && ts.unsaved == nil {
		return t.AccessToken, nil
	}
	if now.Before(ts.retryAt) {
		if valid {
			return t.AccessToken, nil
		}
		return "", fmt.Errorf("zalo_oa: the access token expired and renewing it failed; retrying at %s", ts.retryAt.Format(time.RFC3339))
	}
	nt, err := ts.refresh(ctx, t)
	if err == nil {
		return nt.AccessToken, nil
	}
	if valid && !errors.Is(err, errCrashed) {
		ts.log.Warn("renewing the Zalo OA access token failed; the current one still serves", "err", err,
			"expires", t.AccessExpiresAt)
		return t.AccessToken, nil
	}
	return "", err
}

// load returns the live tokens, read from the store unless cached.
func (ts *TokenSource) load(ctx context.Context) (*cd.OAToken, error) {
	if ts.cur != nil {
		return ts.cur, nil
	}
	t, err := ts.store.OAToken(ctx)
	if err != nil {
		return nil, err
	}
	if t != nil && t.Status == cd.OATokenExchanging && t.ClaimedBy != ts.id {
		ts.log.Warn("the last renewal of the Zalo OA tokens was interrupted; trying it again",
			"token", t.ID, "began", t.ClaimedAt)
	}
	ts.cur = t
	return t, nil
}

// Invalidate tells the source that Zalo refused access token tok: the
// next Token reads the store again (another process, or `zalo-oa
// authorize`, may have stored new tokens) and renews them if they are
// the same.
func (ts *TokenSource) Invalidate(tok string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.cur != nil && ts.cur.AccessToken == tok {
		ts.cur = nil
	}
	ts.refused = tok
}
