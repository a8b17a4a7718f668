package telegram

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// Modes of receiving updates.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Defaults of Config.
const (
	DefaultPollTimeout    = 30 * time.Second
	DefaultHTTPTimeout    = 30 * time.Second
	DefaultWebhookPath    = "/telegram"
	DefaultMaxConnections = 40
)

// minSecretLen is the shortest webhook secret accepted. Telegram allows 1
// to 256 characters; a short one can be guessed.
const minSecretLen = 32

// Config connects the adapter to Telegram. Errors of Validate name the key
// of the configuration file ("telegram.webhook_secret"), never its value.
type Config struct {
	Token string
	// Mode is ModePolling (default) or ModeWebhook.
	Mode string
	// APIEndpoint is the Bot API URL format, "%s" for the token then the
	// method; default tgbotapi.APIEndpoint. A self-hosted Bot API server is
	// "http://host:port/bot%s/%s".
	APIEndpoint string
	// PollTimeout is how long one getUpdates call waits for updates
	// (whole seconds; default 30 s).
	PollTimeout time.Duration
	// HTTPTimeout bounds every other call, and is added to PollTimeout for
	// getUpdates (default 30 s).
	HTTPTimeout time.Duration

	// WebhookListen is the address the webhook server listens on (":8443").
	WebhookListen string
	// WebhookPath is the path Telegram posts updates to (default "/telegram").
	WebhookPath string
	// WebhookURL is the public https URL given to setWebhook; it normally
	// ends with WebhookPath behind a TLS-terminating proxy.
	WebhookURL string
	// WebhookSecret comes back in X-Telegram-Bot-Api-Secret-Token on every
	// delivery: at least 32 of A-Z a-z 0-9 _ -.
	WebhookSecret string
	// MaxConnections is setWebhook's max_connections, 1..100 (default 40).
	MaxConnections int
	// Listener, when set, is used by the webhook server instead of
	// listening on WebhookListen (tests, socket activation). Run closes it.
	Listener net.Listener
	// PollGate, when set, runs the polling loop (see inbox.Processor):
	// several instances poll one at a time through a lease.
	PollGate func(ctx context.Context, poll func(context.Context) error) error
}

// withDefaults fills the unset fields.
func (c Config) withDefaults() Config {
	if c.Mode == "" {
		c.Mode = ModePolling
	}
	if c.APIEndpoint == "" {
		c.APIEndpoint = tgbotapi.APIEndpoint
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = DefaultPollTimeout
	}
	if c.HTTPTimeout <= 0 {
		c.HTTPTimeout = DefaultHTTPTimeout
	}
	if c.WebhookPath == "" {
		c.WebhookPath = DefaultWebhookPath
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	return c
}

// Validate checks the configuration (after defaults for unset fields).
// Each error is one line naming the key.
func (c Config) Validate() error {
	c = c.withDefaults()
	if strings.TrimSpace(c.Token) == "" {
		return errors.New(`key "telegram.token": must be set (or CONGDOANBOT_TELEGRAM_TOKEN)`)
	}
	if strings.ContainsAny(c.Token, " \t\r\n/?#%") {
		return errors.New(`key "telegram.token": has characters a bot token never has (spaces, '/', '?', '#', '%')`)
	}
	if strings.Count(c.APIEndpoint, "%s") != 2 {
		return fmt.Errorf(`key "telegram.api_endpoint": must contain %%s twice, for the token then the method (for example %q)`, tgbotapi.APIEndpoint)
	}
	if u, err := url.Parse(fmt.Sprintf(c.APIEndpoint, "TOKEN", "getMe")); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New(`key "telegram.api_endpoint": is not an http(s) URL`)
	}
	if c.PollTimeout < time.Second || c.PollTimeout > 10*time.Minute {
		return fmt.Errorf(`key "telegram.poll_timeout": must be between 1s and 10m, got %s`, c.PollTimeout)
	}
	if c.MaxConnections < 1 || c.MaxConnections > 100 {
		return fmt.Errorf(`key "telegram.max_connections": must be between 1 and 100, got %d`, c.MaxConnections)
	}
	switch c.Mode {
	case ModePolling:
		return nil
	case ModeWebhook:
	default:
		return fmt.Errorf(`key "telegram.mode": %q is not polling or webhook`, c.Mode)
	}
	if n := len(c.WebhookSecret); n < minSecretLen || n > 256 {
		return fmt.Errorf(`key "telegram.webhook_secret": must be %d to 256 characters of A-Z a-z 0-9 _ - (got %d characters)`, minSecretLen, n)
	}
	for _, r := range c.WebhookSecret {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf(`key "telegram.webhook_secret": may hold only A-Z a-z 0-9 _ - (found %q)`, r)
		}
	}
	return inbox.WebhookConfig{Key: "telegram", Platform: "Telegram", URL: c.WebhookURL, Listen: c.WebhookListen,
		HasListener: c.Listener != nil, Path: c.WebhookPath, ExamplePath: "/telegram", ExamplePort: ":8443"}.Check()
}

// Limits are Telegram's flood limits, as the sender should apply them.
// Telegram does not publish exact numbers; the defaults stay under the
// documented ones (30 messages/s per bot, about 1/s per private chat,
// 20/min per group).
type Limits struct {
	GlobalPerSecond int           // all chats together; default 25
	PrivateEvery    time.Duration // one message per this in a private chat; default 1 s
	PrivateBurst    int           // short bursts tolerated in a private chat; default 3
	GroupEvery      time.Duration // one message per this in a group; default 3 s (20/min)
	GroupBurst      int           // default 1
}

// DefaultLimits returns Telegram's limits.
func DefaultLimits() Limits {
	return Limits{GlobalPerSecond: 25, PrivateEvery: time.Second, PrivateBurst: 3, GroupEvery: 3 * time.Second, GroupBurst: 1}
}

// Global is the limit over all chats: one message per every, bursts of burst.
func (l Limits) Global() (every time.Duration, burst int) {
	n := l.GlobalPerSecond
	if n <= 0 {
		n = DefaultLimits().GlobalPerSecond
	}
	return time.Second / time.Duration(n), n
}

// ChatLimit is the limit of one chat: private chats have positive ids,
// groups and channels negative ones. Zero fields take the defaults.
func (l Limits) ChatLimit(chatID string) (every time.Duration, burst int) {
	d := DefaultLimits()
	if strings.HasPrefix(strings.TrimSpace(chatID), "-") {
		return orDuration(l.GroupEvery, d.GroupEvery), orInt(l.GroupBurst, d.GroupBurst)
	}
	return orDuration(l.PrivateEvery, d.PrivateEvery), orInt(l.PrivateBurst, d.PrivateBurst)
}

// Apply sets the sender's global and per-chat limits to l.
func (l Limits) Apply(c *outbox.SenderConfig) {
	every, burst := l.Global()
	c.Global = outbox.Limit{Every: every, Burst: burst}
	c.ChatLimit = func(chatID string) outbox.Limit {
		every, burst := l.ChatLimit(chatID)
		return outbox.Limit{Every: every, Burst: burst}
	}
}

func orDuration(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

func orInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
