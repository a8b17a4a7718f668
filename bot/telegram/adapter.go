// Package telegram is the Telegram adapter of the bot, over
// github.com/go-telegram-bot-api/telegram-bot-api/v5.
//
// Receiving is exactly-once: each update is stored in the inbox (SQLite)
// before Telegram is told it was received (the next getUpdates offset, or
// the 200 answer to a webhook delivery), and one processor goroutine hands
// stored updates to the conversation core in order, which marks each one
// applied in the transaction that applies it.
//
// Sending goes through the durable outbox: Deliver renders one outbox row
// (text split into messages of at most 4096 UTF-16 units, choices as inline
// buttons, a phone request as a reply keyboard, a file as a photo or a
// document) and classifies Telegram's refusals for the sender.
//
// tgbotapi has no context support: every call here goes through a
// per-call copy of the BotAPI whose HTTP client binds the call's context,
// so cancelling Run aborts a long poll at once, and every error this
// package returns or logs has the bot token removed.
package telegram

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// platform is the inbox's platform name for Telegram.
const platform = string(cd.PlatformTelegram)

// Inbox is what the adapter needs from storage: the inbox of received
// updates and the small settings store that keeps the polling offset.
// *storage.DB implements it.
type Inbox interface {
	inbox.Inbox
	PutInboxBatch(ctx context.Context, platform string, entries []cd.InboxEntry, key, value string) (int, error)
	KV(ctx context.Context, key string) (string, error)
	SetKV(ctx context.Context, key, value string) error
}

// InboxFailer is implemented by an Inbox that can set aside an update
// for good; see inbox.Failer.
type InboxFailer = inbox.Failer

// Handler applies one update: the conversation core (*bot.Bot). The
// result says whether a pressed button counted, for the ✅ on its message.
type Handler interface {
	HandleResult(ctx context.Context, u bot.Update) (bot.Result, error)
}

var (
	_ Handler          = (*bot.Bot)(nil)
	_ outbox.Deliverer = (*Adapter)(nil)
)

// Adapter connects the bot to Telegram. Create it with New; Deliver and
// SetCommands may be called while Run runs, from any goroutine.
type Adapter struct {
	cfg    Config
	inbox  Inbox
	h      Handler
	log    *slog.Logger
	client *http.Client
	api    *tgbotapi.BotAPI // template for per-call copies; see call
	red    redactor
	proc   *inbox.Processor // hands stored updates to h; nil without an inbox
	web    *inbox.Server    // the webhook server, in webhook mode

	mu    sync.Mutex
	chats map[int64]*chatState
	parts outbox.Parts // of messages sent as several, for a retry to resume
}

// chatState is what the adapter remembers of a chat, in memory only.
type chatState struct {
	replyKeyboard bool // a reply keyboard (the phone request) may be up
}

// New checks cfg, connects to the Bot API (getMe) and returns the adapter.
// httpClient may be nil for the adapter's own; deadlines come from
// contexts (HTTPTimeout, PollTimeout+HTTPTimeout for long polls), so a
// given client must not have a shorter Timeout. inbox and h may be nil for
// an adapter that only delivers.
func New(cfg Config, store Inbox, h Handler, log *slog.Logger, httpClient *http.Client) (*Adapter, error) {
	return NewContext(context.Background(), cfg, store, h, log, httpClient)
}

// NewContext is New with a context for the getMe call. When the Bot API
// cannot be reached, or answers 5xx or 429, the error has
// inbox.ErrUnavailable in its chain: try again later. A refused token
// (401) does not.
func NewContext(ctx context.Context, cfg Config, store Inbox, h Handler, log *slog.Logger, httpClient *http.Client) (*Adapter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if httpClient == nil {
		httpClient = newHTTPClient()
	}
	a := &Adapter{
		cfg: cfg, inbox: store, h: h, log: log.With("platform", platform), client: httpClient,
		red:   newRedactor(cfg.Token, cfg.WebhookSecret),
		chats: map[int64]*chatState{},
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.HTTPTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIEndpoint, ctxDoer{ctx: ctx, c: httpClient, red: a.red})
	if err != nil {
		err = a.red.err(err)
		_, code, ok := apiError(err)
		if ok && code == http.StatusUnauthorized {
			return nil, fmt.Errorf("telegram: the bot token was refused (getMe: %w); check telegram.token", err)
		}
		err = fmt.Errorf("telegram: connect to the Bot API (getMe): %w", err)
		if !ok || code >= 500 || code == http.StatusTooManyRequests { // the network, a gateway's page, 5xx
			err = inbox.Unavailable(err)
		}
		return nil, err
	}
	a.api = api
	if store != nil {
		a.proc = inbox.NewProcessor(platform, store, a.handleItem, a.log)
		a.proc.Redact = a.red.err
		a.proc.PollGate = cfg.PollGate
	}
	if cfg.Mode == ModeWebhook {
		hook := &inbox.Webhook{Path: cfg.WebhookPath, SecretHeader: SecretHeader, Secret: cfg.WebhookSecret,
			MaxBody: maxWebhookBody, Log: a.log, Receive: a.serveUpdate, Store: store}
		a.web = &inbox.Server{Name: "telegram", Listener: cfg.Listener, Listen: cfg.WebhookListen,
			Handler: hook.Handler(), WriteTimeout: 30 * time.Second, Log: a.log, Register: a.setWebhook}
	}
	return a, nil
}

// newHTTPClient is the adapter's own client: the default transport's
// connection settings, more idle connections for parallel sends, and no
// overall Timeout (contexts carry the deadlines).
func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	t.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Transport: t}
}

// Self is the bot's own account, from getMe.
func (a *Adapter) Self() tgbotapi.User { return a.api.Self }

// WebhookAddr is the address the webhook server listens on, or nil before
// it listens.
func (a *Adapter) WebhookAddr() net.Addr { return a.web.Addr() }

// WakeInbox tells the adapter's inbox processor that another instance
// stored updates (several instances on one database).
func (a *Adapter) WakeInbox() { a.proc.Wake() }

// ctxDoer is the tgbotapi.HTTPClient of one call: it binds the call's
// context to the request and scrubs the token from transport errors.
type ctxDoer struct {
	ctx context.Context
	c   *http.Client
	red redactor
}

func (d ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req.WithContext(d.ctx))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = d.red.string(ue.URL)
		}
		return nil, d.red.err(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK && !strings.HasPrefix(ct, "application/json") {
		// A gateway's HTML error page: tgbotapi would report only that it
		// is not JSON. Say what it was (a transient failure).
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, fmt.Errorf("the Bot API answered %s (%s, not JSON)", resp.Status, cmp.Or(ct, "no content type"))
	}
	return resp, nil
}

// call returns a copy of the bot bound to ctx, for one call (tgbotapi's
// BotAPI is a plain struct: copying it is cheap and safe).
func (a *Adapter) call(ctx context.Context) *tgbotapi.BotAPI {
	api := *a.api
	api.Client = ctxDoer{ctx: ctx, c: a.client, red: a.red}
	return &api
}

// request makes one call whose result is not needed, within HTTPTimeout;
// the error is redacted. It is how calls that return `true`
// (answerCallbackQuery, setMyCommands, deleteWebhook) are made: Send would
// fail to decode `true` into a Message.
func (a *Adapter) request(ctx context.Context, c tgbotapi.Chattable) error {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.HTTPTimeout)
	defer cancel()
	_, err := a.call(ctx).Request(c)
	return a.red.err(err)
}

// Run receives updates (long polling or the webhook server, per Mode) and
// hands them to the handler, until ctx is cancelled; it returns nil then.
// It returns an error when it cannot start (webhook address in use, URL
// refused by Telegram) or the token is revoked.
func (a *Adapter) Run(ctx context.Context) error {
	if a.proc == nil || a.h == nil {
		return errors.New("telegram: Run needs an inbox and a handler")
	}
	return a.proc.Receive(ctx, a.web, a.poll)
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// SetCommands publishes the command menu (setMyCommands, default scope):
// the core's Commands(), with their Vietnamese descriptions.
func (a *Adapter) SetCommands(ctx context.Context, cmds []bot.CommandInfo) error {
	list := make([]tgbotapi.BotCommand, 0, len(cmds))
	for _, c := range cmds {
		if !commandName.MatchString(c.Name) {
			return fmt.Errorf("telegram: set commands: %q is not a Telegram command name (1-32 of a-z 0-9 _)", c.Name)
		}
		desc := c.Description
		if desc == "" {
			desc = c.Name
		}
		for utf16Len(desc) > 256 {
			desc = cd.Truncate(desc, len([]rune(desc))-1)
		}
		list = append(list, tgbotapi.BotCommand{Command: c.Name, Description: desc})
	}
	if err := a.request(ctx, tgbotapi.NewSetMyCommands(list...)); err != nil {
		return fmt.Errorf("telegram: set commands: %w", err)
	}
	return nil
}

// chatLocked returns the state of a chat; a.mu must be held.
func (a *Adapter) chatLocked(id int64) *chatState {
	s := a.chats[id]
	if s == nil {
		s = &chatState{}
		a.chats[id] = s
	}
	return s
}
