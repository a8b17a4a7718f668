// Package zalooa is the platform adapter of the union's Zalo Official
// Account (OA): people follow the OA and message it; the bot answers with
// consultation messages, which Zalo allows only within 7 days of the
// person's last interaction.
//
// Receiving is by webhook only. Each delivery's signature is checked on
// the raw body before anything is stored; the event is stored in the
// inbox (SQLite), with the person's last interaction, before Zalo gets
// its 200; one processor hands stored events to the core in order. A
// photo is downloaded before its event is stored when that fits in the
// time Zalo waits for the answer, else before the event is applied.
//
// Sending goes through the durable outbox: Deliver refuses at once a
// message to someone outside the reply window (the store then reroutes it
// to the member's other account, or counts the member as not reached), and
// renders the rest as consultation messages of at most 2000 characters
// with choices as numbered lists. The tokens are renewed by a
// TokenSource; see tokens.go.
package zalooa

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// platform is the inbox's and media's platform name for the OA.
const platform = string(cd.PlatformZaloOA)

// Store is what the adapter needs from storage: the inbox, the people's
// reply windows and the tokens. *storage.DB implements it (checked in
// cmd/congdoanbot).
type Store interface {
	inbox.Store
	PutOAEvent(ctx context.Context, platform string, e cd.OAEvent) (id int64, inserted bool, err error)
	OAContact(ctx context.Context, userID string) (cd.OAContact, error)
	OAUnfollowed(ctx context.Context, inboxID int64, userID, reason string) (bool, error)
	TokenStore
}

// MediaStore keeps the photos people send. *storage.DB implements it.
type MediaStore interface {
	PutMedia(ctx context.Context, platform, mime string, data []byte) (int64, error)
	DeleteMedia(ctx context.Context, id int64) error
}

// Handler applies updates: the conversation core (*bot.Bot).
type Handler interface {
	HandleResult(ctx context.Context, u bot.Update) (bot.Result, error)
	// Greet answers a follow.
	Greet(ctx context.Context, u bot.Update) error
}

var (
	_ Handler          = (*bot.Bot)(nil)
	_ outbox.Deliverer = (*Adapter)(nil)
)

// MaxPhotoBytes is the largest photo downloaded; a larger one is dropped
// (the message keeps its text).
const MaxPhotoBytes = 10 << 20

// Deps are the adapter's collaborators.
type Deps struct {
	Store   Store
	Handler Handler    // nil for an adapter that only delivers
	Media   MediaStore // nil: received photos are dropped
	Log     *slog.Logger
	HTTP    *http.Client     // nil for the adapter's own
	Now     func() time.Time // default time.Now
	Alert   Alerter          // tells the admins the tokens need an operator
}

// Adapter connects the bot to the OA. Deliver may be called while Run
// runs, from any goroutine.
type Adapter struct {
	cfg    Config
	client *Client
	tokens *TokenSource
	store  Store
	h      Handler
	media  MediaStore
	http   *http.Client
	log    *slog.Logger
	now    func() time.Time
	proc   *inbox.Processor

	running atomic.Bool

	// Tunables, changed by tests.
	minBackoff, maxBackoff time.Duration
	idle                   time.Duration
	maxFailures            int
	maxPhoto               int64
	photoRetry             time.Duration // a photo's second download, before its event is applied
	tokenEvery             time.Duration // how often the tokens are checked
	rateWait, quotaWait    time.Duration // the sender's pause on a rate limit, a quota
	authWait               time.Duration // the pause while the OA is not authorized

	parts outbox.Parts // of messages sent as several, for a retry to resume
	mu    sync.Mutex
	addr  net.Addr
}

// New checks cfg and returns the adapter; it makes no call to Zalo (the
// OA may not be authorized yet: webhooks are received all the same, and
// messages wait).
func New(cfg Config, d Deps) (*Adapter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if d.Store == nil {
		return nil, errors.New("zalo_oa: the adapter needs a store")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.HTTP == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		t.TLSHandshakeTimeout = 10 * time.Second
		d.HTTP = &http.Client{Transport: t}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	log := d.Log.With("platform", platform)
	client := NewClient(cfg, d.HTTP)
	a := &Adapter{cfg: cfg, client: client, tokens: NewTokenSource(cfg, d.Store, client, d.Now, log, d.Alert),
		store: d.Store, h: d.Handler, media: d.Media, http: d.HTTP, log: log, now: d.Now,
		minBackoff: time.Second, maxBackoff: 30 * time.Second, idle: 5 * time.Second, maxFailures: 5,
		maxPhoto: MaxPhotoBytes, photoRetry: 20 * time.Second, tokenEvery: 5 * time.Minute,
		rateWait: time.Minute, quotaWait: time.Hour, authWait: 5 * time.Minute}
	if d.Handler != nil {
		a.proc = inbox.NewProcessor(platform, d.Store, a.handleItem, log)
	}
	return a, nil
}

// Tokens is the adapter's token source.
func (a *Adapter) Tokens() *TokenSource { return a.tokens }

// WakeInbox tells the adapter's inbox processor that another instance
// stored updates (several instances on one database).
func (a *Adapter) WakeInbox() { a.proc.Wake() }

// WebhookAddr is the address the webhook server listens on, or nil before
// it listens.
func (a *Adapter) WebhookAddr() net.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.addr
}

// Run serves the webhook and hands stored events to the handler, and
// renews the tokens ahead of time, until ctx is cancelled; it returns nil
// then. It returns an error when the webhook server cannot start.
func (a *Adapter) Run(ctx context.Context) error {
	if a.h == nil {
		return errors.New("zalo_oa: Run needs a handler")
	}
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("zalo_oa: Run is running already")
	}
	defer a.running.Store(false)
	a.proc.MaxFailures, a.proc.Idle = a.maxFailures, a.idle
	a.proc.Backoff = inbox.Backoff{Min: a.minBackoff, Max: a.maxBackoff}
	return a.proc.RunWith(ctx, func(ctx context.Context) error {
		tctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); a.tokens.Run(tctx, a.tokenEvery) }()
		err := a.serveWebhook(ctx)
		cancel()
		<-done
		return err
	})
}
