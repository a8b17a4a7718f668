package zalo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

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
	DefaultHTTPTimeout = 30 * time.Second
	DefaultWebhookPath = "/zalo"
)

// Config connects the adapter to the Zalo Bot Platform. Errors of
// Validate name the key of the configuration file ("zalo.webhook_secret"),
// never its value.
type Config struct {
	Token string
	// Mode is ModePolling (default) or ModeWebhook. Zalo's polling has no
	// offset: what arrives while the bot is down, or is lost between Zalo's
	// answer and the inbox, is gone. Zalo recommends the webhook for
	// production.
	Mode string
	// APIEndpoint is the API's base URL (default DefaultEndpoint); calls go
	// to APIEndpoint+"/bot<TOKEN>/<method>".
	APIEndpoint string
	// PollTimeout is how long one getUpdates call waits for an update
	// (whole seconds; default 30 s).
	PollTimeout time.Duration
	// HTTPTimeout bounds every call but getUpdates (which gets PollTimeout
	// plus a few seconds) and sendPhoto (default 30 s).
	HTTPTimeout time.Duration

	// WebhookListen is the address the webhook server listens on (":8444").
	WebhookListen string
	// WebhookPath is the path Zalo posts updates to (default "/zalo").
	WebhookPath string
	// WebhookURL is the public https URL given to setWebhook; it normally
	// ends with WebhookPath behind a TLS-terminating proxy.
	WebhookURL string
	// WebhookSecret comes back in X-Bot-Api-Secret-Token on every
	// delivery: 8 to 256 printable ASCII characters, no spaces (use 32 or
	// more random ones).
	WebhookSecret string
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
		c.APIEndpoint = DefaultEndpoint
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
	return c
}

// Validate checks the configuration (after defaults for unset fields).
// Each error is one line naming the key, never quoting the token or the
// secret.
func (c Config) Validate() error {
	c = c.withDefaults()
	if strings.TrimSpace(c.Token) == "" {
		return errors.New(`key "zalo.token": must be set (or CONGDOANBOT_ZALO_TOKEN)`)
	}
	if strings.ContainsAny(c.Token, " \t\r\n/?#%") || !utf8.ValidString(c.Token) {
		return errors.New(`key "zalo.token": has characters a bot token never has (spaces, '/', '?', '#', '%')`)
	}
	if u, err := url.Parse(c.APIEndpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf(`key "zalo.api_endpoint": is not an http(s) base URL (for example %q)`, DefaultEndpoint)
	}
	if c.PollTimeout < time.Second || c.PollTimeout > 10*time.Minute {
		return fmt.Errorf(`key "zalo.poll_timeout": must be between 1s and 10m, got %s`, c.PollTimeout)
	}
	if c.HTTPTimeout < time.Second || c.HTTPTimeout > 10*time.Minute {
		return fmt.Errorf(`key "zalo.http_timeout": must be between 1s and 10m, got %s`, c.HTTPTimeout)
	}
	switch c.Mode {
	case ModePolling:
		return nil
	case ModeWebhook:
	default:
		return fmt.Errorf(`key "zalo.mode": %q is not polling or webhook`, c.Mode)
	}
	if n := utf8.RuneCountInString(c.WebhookSecret); n < 8 || n > 256 {
		return fmt.Errorf(`key "zalo.webhook_secret": must be 8 to 256 characters in webhook mode (got %d)`, n)
	}
	for _, r := range c.WebhookSecret {
		if r <= ' ' || r > '~' {
			return errors.New(`key "zalo.webhook_secret": may hold only printable ASCII characters, no spaces (it travels in an HTTP header)`)
		}
	}
	return inbox.WebhookConfig{Key: "zalo", Platform: "Zalo", URL: c.WebhookURL, Listen: c.WebhookListen,
		HasListener: c.Listener != nil, Path: c.WebhookPath, ExamplePath: "/zalo", ExamplePort: ":8444"}.Check()
}

// Limits are how fast the sender writes to Zalo. Zalo publishes no limits
// for the Bot Platform (a Basic bot reaches at most 50 users anyway); the
// defaults are conservative: 10 messages a second in all, 1 a second per
// chat with bursts of 3 (a reply in several parts).
type Limits struct {
	GlobalPerSecond int           // all chats together; default 10
	ChatEvery       time.Duration // one message per this in a chat; default 1 s
	ChatBurst       int           // short bursts tolerated in a chat; default 3
}

// DefaultLimits returns the conservative default limits.
func DefaultLimits() Limits {
	return Limits{GlobalPerSecond: 10, ChatEvery: time.Second, ChatBurst: 3}
}

// Global is the limit over all chats: one message per every, bursts of
// burst.
func (l Limits) Global() (every time.Duration, burst int) {
	n := l.GlobalPerSecond
	if n <= 0 {
		n = DefaultLimits().GlobalPerSecond
	}
	return time.Second / time.Duration(n), n
}

// ChatLimit is the limit of one chat (Zalo's ids do not tell a group from
// a person, and groups are rare: one limit for all).
func (l Limits) ChatLimit() (every time.Duration, burst int) {
	d := DefaultLimits()
	every, burst = l.ChatEvery, l.ChatBurst
	if every <= 0 {
		every = d.ChatEvery
	}
	if burst <= 0 {
		burst = d.ChatBurst
	}
	return every, burst
}

// Apply sets the sender's global and per-chat limits to l.
func (l Limits) Apply(c *outbox.SenderConfig) {
	every, burst := l.Global()
	c.Global = outbox.Limit{Every: every, Burst: burst}
	chatEvery, chatBurst := l.ChatLimit()
	c.ChatLimit = func(string) outbox.Limit { return outbox.Limit{Every: chatEvery, Burst: chatBurst} }
}
