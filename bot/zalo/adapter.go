package zalo

// The adapter: what connects the conversation core to Zalo, on top of the
// client above (client.go, types.go, errors.go, split.go).
//
// Receiving is exactly-once from the moment Zalo hands an update over:
// each update is stored in the inbox (SQLite) before Zalo is told it was
// received (the 200 answer to a webhook delivery; in polling, before the
// next getUpdates), and one processor goroutine hands stored updates to
// the conversation core in order, which marks each one applied in the
// transaction that applies it. A photo is downloaded and stored before its
// update (Zalo's photo URLs expire), so a stored update never points to a
// photo that is gone. Zalo's polling has no offset: an update lost in
// transit, or sent while the bot is down, is lost on Zalo's side.
//
// Sending goes through the durable outbox: Deliver renders one outbox row
// (text split into messages of at most 2000 UTF-16 units, choices as a
// numbered list, since Zalo has no buttons) and classifies Zalo's refusals
// for the sender. Files cannot be sent (Zalo takes photos by public URL
// only): the text, which always carries the content, goes alone.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// platform is the inbox's and media's platform name for Zalo.
const platform = string(cd.PlatformZalo)

// Inbox is what the adapter needs from storage to receive: the inbox of
// received updates. *storage.DB implements it.
type Inbox = inbox.Inbox

// InboxFailer is implemented by an Inbox that can set aside an update
// for good; see inbox.Failer.
type InboxFailer = inbox.Failer

// MediaStore keeps the photos people send, downloaded at once because
// Zalo's URLs expire. *storage.DB implements it.
type MediaStore interface {
	PutMedia(ctx context.Context, platform, mime string, data []byte) (int64, error)
	DeleteMedia(ctx context.Context, id int64) error
}

// Handler applies one update: the conversation core (*bot.Bot).
type Handler interface {
	HandleResult(ctx context.Context, u bot.Update) (bot.Result, error)
}

var (
	_ Handler          = (*bot.Bot)(nil)
	_ outbox.Deliverer = (*Adapter)(nil)
)

// Limits of received photos.
const (
	// MaxPhotoBytes is the largest photo downloaded; a larger one is
	// dropped (the update keeps its caption).
	MaxPhotoBytes = 10 << 20
	// PhotoTimeout bounds the download of one photo.
	PhotoTimeout = 20 * time.Second
)

// Adapter connects the bot to Zalo. Create it with New; Deliver may be
// called while Run runs, from any goroutine.
type Adapter struct {
	cfg    Config
	client *Client
	http   *http.Client // photo downloads (no token involved)
	inbox  Inbox
	h      Handler
	media  MediaStore
	log    *slog.Logger
	me     Me
	proc   *inbox.Processor // hands stored updates to h; nil without an inbox
	web    *inbox.Server    // the webhook server, in webhook mode

	// Tunables, changed by tests.
	maxPhoto     int64
	photoTimeout time.Duration
	retryAfter   time.Duration // the pause asked of the sender on a 429

	parts outbox.Parts // of messages sent as several, for a retry to resume
}

// New checks cfg, connects to the Bot Platform (getMe, whose bot id is how
// echoes of the bot's own messages are recognised) and returns the
// adapter. httpClient may be nil for the adapter's own; its Transport
// carries the API calls (with the deadlines of cfg) and it downloads
// received photos (deadline PhotoTimeout), so it must not have a shorter
// Timeout. inbox and h may be nil for an adapter that only delivers;
// media may be nil, and then received photos are dropped (their captions
// are kept).
func New(cfg Config, store Inbox, h Handler, media MediaStore, log *slog.Logger, httpClient *http.Client) (*Adapter, error) {
	return NewContext(context.Background(), cfg, store, h, media, log, httpClient)
}

// NewContext is New with a context for the getMe call. When the Bot
// Platform cannot be reached, or answers an error worth retrying (5xx,
// 429, its 403 "internal error"), the error has inbox.ErrUnavailable in
// its chain: try again later. A refused token (401) does not.
func NewContext(ctx context.Context, cfg Config, store Inbox, h Handler, media MediaStore, log *slog.Logger, httpClient *http.Client) (*Adapter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if httpClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		t.TLSHandshakeTimeout = 10 * time.Second
		httpClient = &http.Client{Transport: t}
	}
	var opts []Option
	if httpClient.Transport != nil {
		opts = append(opts, WithTransport(httpClient.Transport))
	}
	opts = append(opts, WithSendTimeout(cfg.HTTPTimeout), WithPollTimeout(cfg.PollTimeout))
	a := &Adapter{
		cfg: cfg, client: NewClient(cfg.Token, cfg.APIEndpoint, opts...), http: httpClient,
		inbox: store, h: h, media: media, log: log.With("platform", platform),
		maxPhoto: MaxPhotoBytes, photoTimeout: PhotoTimeout, retryAfter: 30 * time.Second,
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.HTTPTimeout)
	defer cancel()
	me, err := a.client.GetMe(ctx)
	if err != nil {
		if ae := (*APIError)(nil); errors.As(err, &ae) && ae.IsUnauthorized() {
			return nil, fmt.Errorf("zalo: the bot token was refused (%w); check zalo.token", err)
		}
		retry := IsRetryable(err)
		err = fmt.Errorf("zalo: connect to the Bot Platform (getMe): %w", err)
		if retry {
			err = inbox.Unavailable(err)
		}
		return nil, err
	}
	a.me = me
	if store != nil {
		a.proc = inbox.NewProcessor(platform, store, a.handleItem, a.log)
		a.proc.PollGate = cfg.PollGate
	}
	if cfg.Mode == ModeWebhook {
		hook := &inbox.Webhook{Path: cfg.WebhookPath, SecretHeader: SecretHeader, Secret: cfg.WebhookSecret,
			MaxBody: maxWebhookBody, Log: a.log, Receive: a.serveUpdate, Store: store}
		a.web = &inbox.Server{Name: "zalo", Listener: cfg.Listener, Listen: cfg.WebhookListen, Handler: hook.Handler(),
			WriteTimeout: a.photoTimeout + storeTimeout + 10*time.Second, Log: a.log, Register: a.setWebhook}
	}
	return a, nil
}

// Me is the bot's own account, from getMe.
func (a *Adapter) Me() Me { return a.me }

// WebhookAddr is the address the webhook server listens on, or nil before
// it listens.
func (a *Adapter) WebhookAddr() net.Addr { return a.web.Addr() }

// WakeInbox tells the adapter's inbox processor that another instance
// stored updates (several instances on one database).
func (a *Adapter) WakeInbox() { a.proc.Wake() }

// Run receives updates (long polling or the webhook server, per Mode) and
// hands them to the handler, until ctx is cancelled; it returns nil then.
// It returns an error when it cannot start (webhook address in use, URL
// refused by Zalo) or the token is revoked (Zalo answers 401).
func (a *Adapter) Run(ctx context.Context) error {
	if a.proc == nil || a.h == nil {
		return errors.New("zalo: Run needs an inbox and a handler")
	}
	return a.proc.Receive(ctx, a.web, a.poll)
}
