package zalo

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/outbox"
)

func TestConfigValidate(t *testing.T) {
	const secret = "s3cret-webhook-Value"
	hook := func(mod func(*Config)) Config {
		c := Config{Token: testToken, Mode: ModeWebhook, WebhookListen: ":8444", WebhookURL: "https://bot.example.vn/zalo",
			WebhookSecret: secret}
		if mod != nil {
			mod(&c)
		}
		return c
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct {
		name string
		cfg  Config
		key  string // "" for valid
	}{
		{"polling defaults", Config{Token: testToken}, ""},
		{"webhook", hook(nil), ""},
		{"webhook on a listener, loopback http", hook(func(c *Config) {
			c.WebhookListen, c.Listener, c.WebhookURL = "", ln, "http://127.0.0.1:9/zalo"
		}), ""},
		{"no token", Config{}, "zalo.token"},
		{"token with a slash", Config{Token: "12/34:abc"}, "zalo.token"},
		{"token with a space", Config{Token: "1234:abc def"}, "zalo.token"},
		{"endpoint not a URL", Config{Token: testToken, APIEndpoint: "bot-api.zaloplatforms.com"}, "zalo.api_endpoint"},
		{"endpoint ftp", Config{Token: testToken, APIEndpoint: "ftp://x"}, "zalo.api_endpoint"},
		{"poll timeout too short", Config{Token: testToken, PollTimeout: time.Millisecond}, "zalo.poll_timeout"},
		{"poll timeout too long", Config{Token: testToken, PollTimeout: time.Hour}, "zalo.poll_timeout"},
		{"http timeout too short", Config{Token: testToken, HTTPTimeout: time.Millisecond}, "zalo.http_timeout"},
		{"mode", Config{Token: testToken, Mode: "push"}, "zalo.mode"},
		{"secret missing", hook(func(c *Config) { c.WebhookSecret = "" }), "zalo.webhook_secret"},
		{"secret short", hook(func(c *Config) { c.WebhookSecret = "1234567" }), "zalo.webhook_secret"},
		{"secret long", hook(func(c *Config) { c.WebhookSecret = strings.Repeat("x", 257) }), "zalo.webhook_secret"},
		{"secret with a space", hook(func(c *Config) { c.WebhookSecret = "abc defgh" }), "zalo.webhook_secret"},
		{"secret not ASCII", hook(func(c *Config) { c.WebhookSecret = "bímậtbímật" }), "zalo.webhook_secret"},
		{"url missing", hook(func(c *Config) { c.WebhookURL = "" }), "zalo.webhook_url"},
		{"url http", hook(func(c *Config) { c.WebhookURL = "http://bot.example.vn/zalo" }), "zalo.webhook_url"},
		{"url relative", hook(func(c *Config) { c.WebhookURL = "/zalo" }), "zalo.webhook_url"},
		{"listen missing", hook(func(c *Config) { c.WebhookListen = "" }), "zalo.webhook_listen"},
		{"listen no port", hook(func(c *Config) { c.WebhookListen = "localhost" }), "zalo.webhook_listen"},
		{"listen port not a number", hook(func(c *Config) { c.WebhookListen = ":https" }), "zalo.webhook_listen"},
		{"path", hook(func(c *Config) { c.WebhookPath = "zalo" }), "zalo.webhook_path"},
		{"path healthz", hook(func(c *Config) { c.WebhookPath = "/healthz" }), "zalo.webhook_path"},
	} {
		err := tc.cfg.Validate()
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.key != "" && (err == nil || !strings.Contains(err.Error(), `key "`+tc.key+`"`)):
			t.Errorf("%s: %v, want an error about %s", tc.name, err, tc.key)
		case err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), tokenSecret) ||
			strings.Contains(err.Error(), "\n")):
			t.Errorf("%s: %q quotes a secret or has several lines", tc.name, err)
		}
	}
	d := Config{Token: testToken}.withDefaults()
	if d.Mode != ModePolling || d.APIEndpoint != DefaultEndpoint || d.PollTimeout != 30*time.Second ||
		d.HTTPTimeout != 30*time.Second || d.WebhookPath != "/zalo" {
		t.Errorf("defaults = %+v", d)
	}
}

func TestLimitsApply(t *testing.T) {
	var sc outbox.SenderConfig
	DefaultLimits().Apply(&sc)
	if sc.Global != (outbox.Limit{Every: 100 * time.Millisecond, Burst: 10}) {
		t.Errorf("global = %+v", sc.Global)
	}
	for _, chat := range []string{"6ede9afa66b88fe6d6a9", "9a8b7c6d5e4f3a2b1c0d"} {
		if l := sc.ChatLimit(chat); l != (outbox.Limit{Every: time.Second, Burst: 3}) {
			t.Errorf("chat %s = %+v", chat, l)
		}
	}
	Limits{GlobalPerSecond: 4, ChatEvery: 2 * time.Second}.Apply(&sc)
	if sc.Global != (outbox.Limit{Every: 250 * time.Millisecond, Burst: 4}) || sc.ChatLimit("x") != (outbox.Limit{Every: 2 * time.Second, Burst: 3}) {
		t.Errorf("custom = %+v, %+v", sc.Global, sc.ChatLimit("x"))
	}
	Limits{}.Apply(&sc)
	if sc.Global != (outbox.Limit{Every: 100 * time.Millisecond, Burst: 10}) {
		t.Errorf("zero limits = %+v", sc.Global)
	}
}
