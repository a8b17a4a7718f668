package zalooa

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

// Defaults of Config.
const (
	DefaultAPIURL          = "https://openapi.zalo.me"
	DefaultOAuthURL        = "https://oauth.zaloapp.com"
	DefaultWebhookPath     = "/zalo-oa"
	DefaultWindow          = bot.DefaultOAWindow
	DefaultWebhookMaxAge   = 12 * time.Hour
	DefaultHTTPTimeout     = 30 * time.Second
	DefaultPhotoTimeout    = 1500 * time.Millisecond
	DefaultRefreshBefore   = time.Hour
	DefaultRefreshWarn     = 14 * 24 * time.Hour
	DefaultRefreshLifetime = 90 * 24 * time.Hour
)

// Config connects the adapter to a Zalo Official Account. Errors of
// Validate name the key of the configuration file ("zalo_oa.app_id"),
// never a secret's value.
type Config struct {
	// AppID is the id of the app on developers.zalo.me linked to the OA.
	AppID string
	// OAID is the OA's id: events it sends itself (echoes) are dropped.
	OAID string
	// AppSecret is the app's secret key (CONGDOANBOT_ZALO_OA_APP_SECRET),
	// sent with every call of the OAuth endpoint.
	AppSecret string
	// SecretKey is the OA secret key of the webhook settings
	// (CONGDOANBOT_ZALO_OA_SECRET_KEY): every webhook delivery is signed
	// with it.
	SecretKey string
	// RedirectURI is the callback URL registered for the app, where Zalo
	// sends the authorization code (only `zalo-oa authorize` needs it).
	RedirectURI string

	// WebhookListen is the address the webhook server listens on; Listener,
	// when set, is used instead (tests). WebhookPath is the path Zalo
	// posts to (default "/zalo-oa").
	WebhookListen string
	WebhookPath   string
	Listener      net.Listener

	// APIURL and OAuthURL are the bases of the OA API and of OAuth v4, to
	// point tests and emulators elsewhere.
	APIURL, OAuthURL string

	// Window is how long after a person's last interaction the OA writes
	// to them (default and most 7 days, Zalo's limit; the first 48 hours
	// are free of charge).
	Window time.Duration
	// WebhookMaxAge refuses deliveries signed longer ago than this (Zalo
	// retries a failed delivery for hours, with its first timestamp);
	// default 12 h, at most 48 h, which the inbox's dedup covers.
	WebhookMaxAge time.Duration
	// HTTPTimeout bounds every call to Zalo (default 30 s).
	HTTPTimeout time.Duration
	// PhotoTimeout bounds the download of a received photo inside the
	// webhook request, which Zalo wants answered within 2 s (default
	// 1.5 s); a photo not downloaded in time is downloaded before its
	// update is applied.
	PhotoTimeout time.Duration
	// RefreshBefore renews the access token this long before it expires
	// (default 1 h). RefreshWarn alerts the admins when the refresh token
	// expires within it (default 14 days). RefreshLifetime is the life of
	// a refresh token when Zalo does not say (default 90 days).
	RefreshBefore, RefreshWarn, RefreshLifetime time.Duration
}

func (c Config) withDefaults() Config {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.Window, DefaultWindow)
	set(&c.WebhookMaxAge, DefaultWebhookMaxAge)
	set(&c.HTTPTimeout, DefaultHTTPTimeout)
	set(&c.PhotoTimeout, DefaultPhotoTimeout)
	set(&c.RefreshBefore, DefaultRefreshBefore)
	set(&c.RefreshWarn, DefaultRefreshWarn)
	set(&c.RefreshLifetime, DefaultRefreshLifetime)
	if c.WebhookPath == "" {
		c.WebhookPath = DefaultWebhookPath
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.OAuthURL == "" {
		c.OAuthURL = DefaultOAuthURL
	}
	c.APIURL, c.OAuthURL = strings.TrimRight(c.APIURL, "/"), strings.TrimRight(c.OAuthURL, "/")
	return c
}

var (
	zaloID      = regexp.MustCompile(`^[0-9]{1,30}$`)
	webhookPath = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)
)

// ValidateAuth checks what the OAuth calls need: the app, its secret and
// the endpoints.
func (c Config) ValidateAuth() error {
	c = c.withDefaults()
	if !zaloID.MatchString(c.AppID) {
		return errors.New(`key "zalo_oa.app_id": must be the app's numeric id (developers.zalo.me)`)
	}
	if strings.TrimSpace(c.AppSecret) == "" || strings.ContainsAny(c.AppSecret, " \t\r\n") {
		return errors.New(`key "zalo_oa.app_secret": must be set, without spaces (or CONGDOANBOT_ZALO_OA_APP_SECRET)`)
	}
	for key, v := range map[string]string{"api_url": c.APIURL, "oauth_url": c.OAuthURL} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf(`key "zalo_oa.%s": is not an http(s) base URL`, key)
		}
	}
	if c.HTTPTimeout < time.Second || c.HTTPTimeout > 10*time.Minute {
		return fmt.Errorf(`key "zalo_oa.http_timeout": must be between 1s and 10m, got %s`, c.HTTPTimeout)
	}
	return nil
}

// Validate checks the whole configuration (after defaults); each error is
// one line naming the key.
func (c Config) Validate() error {
	c = c.withDefaults()
	if err := c.ValidateAuth(); err != nil {
		return err
	}
	switch {
	case !zaloID.MatchString(c.OAID):
		return errors.New(`key "zalo_oa.oa_id": must be the OA's numeric id (oa.zalo.me, OA settings)`)
	case len(strings.TrimSpace(c.SecretKey)) < 8 || strings.ContainsAny(c.SecretKey, " \t\r\n"):
		return errors.New(`key "zalo_oa.secret_key": must be the OA secret key of the webhook settings, without spaces (or CONGDOANBOT_ZALO_OA_SECRET_KEY)`)
	case c.Window < time.Hour || c.Window > DefaultWindow:
		return fmt.Errorf(`key "zalo_oa.window": must be between 1h and 168h (Zalo's 7 days), got %s`, c.Window)
	case c.WebhookMaxAge < time.Minute || c.WebhookMaxAge > 48*time.Hour:
		return fmt.Errorf(`key "zalo_oa.webhook_max_age": must be between 1m and 48h, got %s`, c.WebhookMaxAge)
	case c.PhotoTimeout < 100*time.Millisecond || c.PhotoTimeout > time.Minute:
		return fmt.Errorf(`key "zalo_oa.photo_timeout": must be between 100ms and 1m, got %s`, c.PhotoTimeout)
	case c.RefreshBefore < time.Minute || c.RefreshBefore > 12*time.Hour:
		return fmt.Errorf(`key "zalo_oa.refresh_before": must be between 1m and 12h, got %s`, c.RefreshBefore)
	case c.RefreshWarn < 24*time.Hour || c.RefreshWarn >= c.RefreshLifetime:
		return fmt.Errorf(`key "zalo_oa.refresh_warn": must be at least 24h and less than refresh_lifetime, got %s`, c.RefreshWarn)
	case !webhookPath.MatchString(c.WebhookPath) || c.WebhookPath == "/healthz":
		return fmt.Errorf(`key "zalo_oa.webhook_path": must be a path such as %q, got %q`, DefaultWebhookPath, c.WebhookPath)
	case c.Listener != nil:
		return nil
	case c.WebhookListen == "":
		return errors.New(`key "zalo_oa.webhook_listen": must be set (for example ":8445"); Zalo delivers every event to the webhook`)
	}
	if _, port, err := net.SplitHostPort(c.WebhookListen); err != nil {
		return fmt.Errorf(`key "zalo_oa.webhook_listen": %q is not host:port (for example ":8445")`, c.WebhookListen)
	} else if _, err := strconv.Atoi(port); err != nil {
		return fmt.Errorf(`key "zalo_oa.webhook_listen": %q has no numeric port`, c.WebhookListen)
	}
	return nil
}

// Limits are how fast the sender writes to the OA. Zalo allows an app
// about 4,000 calls a minute; the defaults stay well below.
type Limits struct {
	GlobalPerSecond int           // default 20
	ChatEvery       time.Duration // one message per this to a person; default 1 s
	ChatBurst       int           // default 3 (a reply in several parts)
}

// Apply sets the sender's global and per-chat limits to l.
func (l Limits) Apply(c *outbox.SenderConfig) {
	n, every, burst := l.GlobalPerSecond, l.ChatEvery, l.ChatBurst
	if n <= 0 {
		n = 20
	}
	if every <= 0 {
		every = time.Second
	}
	if burst <= 0 {
		burst = 3
	}
	c.Global = outbox.Limit{Every: time.Second / time.Duration(n), Burst: n}
	c.ChatLimit = func(string) outbox.Limit { return outbox.Limit{Every: every, Burst: burst} }
}
