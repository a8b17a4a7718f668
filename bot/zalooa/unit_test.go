package zalooa

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
)

func validConfig() Config {
	return Config{AppID: "4318726450915423817", OAID: "2468013579246801357", AppSecret: "app-secret-xyz",
		SecretKey: "oa-secret-key-xyz", WebhookListen: ":8445"}
}

// Every error names its key and never quotes a secret.
func TestConfigValidate(t *testing.T) {
	if err := validConfig().Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	tests := []struct {
		key    string
		change func(*Config)
	}{
		{"zalo_oa.app_id", func(c *Config) { c.AppID = "" }},
		{"zalo_oa.app_id", func(c *Config) { c.AppID = "abc" }},
		{"zalo_oa.app_secret", func(c *Config) { c.AppSecret = "" }},
		{"zalo_oa.oa_id", func(c *Config) { c.OAID = "" }},
		{"zalo_oa.secret_key", func(c *Config) { c.SecretKey = "short" }},
		{"zalo_oa.window", func(c *Config) { c.Window = 8 * 24 * time.Hour }},
		{"zalo_oa.webhook_max_age", func(c *Config) { c.WebhookMaxAge = 72 * time.Hour }},
		{"zalo_oa.webhook_listen", func(c *Config) { c.WebhookListen = "" }},
		{"zalo_oa.webhook_listen", func(c *Config) { c.WebhookListen = "8445" }},
		{"zalo_oa.webhook_path", func(c *Config) { c.WebhookPath = "zalo" }},
		{"zalo_oa.api_url", func(c *Config) { c.APIURL = "ftp://x" }},
		{"zalo_oa.refresh_warn", func(c *Config) { c.RefreshWarn = 100 * 24 * time.Hour }},
	}
	for _, tt := range tests {
		c := validConfig()
		tt.change(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), `"`+tt.key+`"`) {
			t.Errorf("%s: %v", tt.key, err)
			continue
		}
		for _, s := range []string{"app-secret-xyz", "oa-secret-key-xyz"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s: the error quotes a secret: %v", tt.key, err)
			}
		}
	}
}

// The signature is the hex SHA-256 of app id, raw body, timestamp and the
// OA secret key, checked on the exact bytes.
func TestSignature(t *testing.T) {
	body := []byte(`{"app_id":"1","event_name":"user_send_text","timestamp":"1703920000000","sender":{"id":"55"},"message":{"msg_id":"m1","text":"Xin chào"}}`)
	sum := sha256.Sum256([]byte("1" + string(body) + "1703920000000" + "key"))
	want := hex.EncodeToString(sum[:])
	if got := Signature("1", body, "1703920000000", "key"); got != want {
		t.Fatalf("Signature = %s, want %s", got, want)
	}
	for header, ok := range map[string]bool{want: true, "mac=" + want: true, strings.ToUpper(want): true, "": false,
		want[:62]: false, want + "00": false, strings.Repeat("0", 64): false} {
		if CheckSignature(header, "1", body, "1703920000000", "key") != ok {
			t.Errorf("CheckSignature(%q) != %v", header, ok)
		}
	}
	if CheckSignature(want, "1", body, "1703920000000", "") {
		t.Error("an empty secret key matched")
	}
	e, err := ParseEvent(body)
	if err != nil || e.UserID != "55" || e.MsgID != "m1" || e.Text != "Xin chào" || e.Timestamp != "1703920000000" ||
		!e.Time.Equal(time.UnixMilli(1703920000000)) {
		t.Errorf("ParseEvent = %+v, %v", e, err)
	}
	follow := []byte(`{"app_id":"1","oa_id":"9","event_name":"follow","follower":{"id":"77"},"timestamp":1703920000000}`)
	if e, err := ParseEvent(follow); err != nil || e.UserID != "77" || e.OAID != "9" || e.Timestamp != "1703920000000" {
		t.Errorf("follow = %+v, %v", e, err)
	}
	for _, bad := range []string{`{"event_name":"x"}`, `{"event_name":"x","timestamp":"abc"}`, `[1]`, `{"timestamp":"1"}`} {
		if _, err := ParseEvent([]byte(bad)); err == nil {
			t.Errorf("ParseEvent(%s) succeeded", bad)
		}
	}
}

// Choices are numbered, and long texts split at 2000 characters.
func TestRender(t *testing.T) {
	parts, err := render(cd.Message{Text: "Chọn quỹ:", Choices: []cd.Choice{{ID: "a", Label: "Mái ấm Công đoàn"}, {ID: "b"}}})
	if err != nil || len(parts) != 1 || parts[0] != "Chọn quỹ:\n\n1. Mái ấm Công đoàn\n2. b\n"+bot.TextChoiceHint {
		t.Fatalf("render = %q, %v", parts, err)
	}
	long := strings.Repeat("Công đoàn Viên chức tỉnh. ", 200)
	parts, err = render(cd.Message{Text: long})
	if err != nil || len(parts) < 3 {
		t.Fatalf("%d parts, %v", len(parts), err)
	}
	for _, p := range parts {
		if n := len([]rune(p)); n > MaxTextLength {
			t.Errorf("a part of %d characters", n)
		}
	}
	if _, err := render(cd.Message{}); err == nil {
		t.Error("an empty message rendered")
	}
}

// What the admin pastes after consenting: the code or the whole URL.
func TestParseCallback(t *testing.T) {
	for in, want := range map[string][2]string{
		"CODE123": {"CODE123", ""},
		"https://congdoan.example/cb?oa_id=9&code=CODE123&state=st": {"CODE123", "st"},
		"  https://x.example/?code=C&state=S \n":                    {"C", "S"},
	} {
		code, state, err := ParseCallback(in)
		if err != nil || code != want[0] || state != want[1] {
			t.Errorf("ParseCallback(%q) = %q, %q, %v", in, code, state, err)
		}
	}
	for _, bad := range []string{"", "https://x.example/?state=S", "two words"} {
		if _, _, err := ParseCallback(bad); err == nil {
			t.Errorf("ParseCallback(%q) succeeded", bad)
		}
	}
	if c := CodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); c != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("CodeChallenge = %s (RFC 7636 appendix B)", c)
	}
}
