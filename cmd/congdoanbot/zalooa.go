package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalooa"
	"github.com/congdoanbot/congdoanbot/storage"
)

// The OA adapter's needs, checked against the storage.
var (
	_ zalooa.Store      = (*storage.DB)(nil)
	_ zalooa.MediaStore = (*storage.DB)(nil)
	_ zalooa.AuthStore  = (*storage.DB)(nil)
)

// ZaloOAConfig connects the bot to the union's Zalo Official Account;
// config.example.toml documents each key.
type ZaloOAConfig struct {
	Enabled         bool            `toml:"enabled"`
	AppID           string          `toml:"app_id"`
	OAID            string          `toml:"oa_id"`
	AppSecret       string          `toml:"app_secret"`
	SecretKey       string          `toml:"secret_key"`
	RedirectURI     string          `toml:"redirect_uri"`
	WebhookListen   string          `toml:"webhook_listen"`
	WebhookPath     string          `toml:"webhook_path"`
	APIURL          string          `toml:"api_url"`
	OAuthURL        string          `toml:"oauth_url"`
	Window          time.Duration   `toml:"window"`
	WebhookMaxAge   time.Duration   `toml:"webhook_max_age"`
	HTTPTimeout     time.Duration   `toml:"http_timeout"`
	PhotoTimeout    time.Duration   `toml:"photo_timeout"`
	RefreshBefore   time.Duration   `toml:"refresh_before"`
	RefreshWarn     time.Duration   `toml:"refresh_warn"`
	RefreshLifetime time.Duration   `toml:"refresh_lifetime"`
	Sender          ZaloSenderLimit `toml:"sender"`
}

// anyPlatform reports whether a platform is configured.
func (c *Config) anyPlatform() bool {
	return c.Telegram.Token != "" || c.Zalo.Token != "" || c.ZaloOA.Enabled
}

// defaultZaloOA is the [zalo_oa] section with no file.
func defaultZaloOA() ZaloOAConfig {
	return ZaloOAConfig{WebhookPath: zalooa.DefaultWebhookPath, APIURL: zalooa.DefaultAPIURL, OAuthURL: zalooa.DefaultOAuthURL,
		Window: zalooa.DefaultWindow, WebhookMaxAge: zalooa.DefaultWebhookMaxAge, HTTPTimeout: zalooa.DefaultHTTPTimeout,
		PhotoTimeout: zalooa.DefaultPhotoTimeout, RefreshBefore: zalooa.DefaultRefreshBefore, RefreshWarn: zalooa.DefaultRefreshWarn,
		RefreshLifetime: zalooa.DefaultRefreshLifetime,
		Sender:          ZaloSenderLimit{MessagesPerSecond: 20, ChatInterval: time.Second, ChatBurst: 3, MaxAttempts: 5, Workers: 4}}
}

// fromEnv takes the OA's secrets from the environment.
func (z *ZaloOAConfig) fromEnv(getenv func(string) string) {
	if v := getenv("CONGDOANBOT_ZALO_OA_APP_SECRET"); v != "" {
		z.AppSecret = v
	}
	if v := getenv("CONGDOANBOT_ZALO_OA_SECRET_KEY"); v != "" {
		z.SecretKey = v
	}
}

// validate checks the section: all of it when the OA is enabled, the
// sender's numbers always.
func (z ZaloOAConfig) validate() error {
	if s := z.Sender; s.MessagesPerSecond < 1 || s.MessagesPerSecond > 60 || s.ChatBurst < 1 || s.ChatInterval < 0 || s.MaxAttempts < 1 || s.Workers < 1 {
		return errors.New(`key "zalo_oa.sender": messages_per_second must be 1 to 60 (Zalo allows about 4,000 calls a minute); chat_burst, max_attempts and workers at least 1`)
	}
	if !z.Enabled {
		return nil
	}
	return z.adapter().Validate()
}

// adapter is the adapter's configuration.
func (z ZaloOAConfig) adapter() zalooa.Config {
	return zalooa.Config{AppID: z.AppID, OAID: z.OAID, AppSecret: z.AppSecret, SecretKey: z.SecretKey, RedirectURI: z.RedirectURI,
		WebhookListen: z.WebhookListen, WebhookPath: z.WebhookPath, APIURL: z.APIURL, OAuthURL: z.OAuthURL, Window: z.Window,
		WebhookMaxAge: z.WebhookMaxAge, HTTPTimeout: z.HTTPTimeout, PhotoTimeout: z.PhotoTimeout, RefreshBefore: z.RefreshBefore,
		RefreshWarn: z.RefreshWarn, RefreshLifetime: z.RefreshLifetime}
}

// sender is the OA sender's configuration.
func (z ZaloOAConfig) sender() outbox.SenderConfig {
	cfg := outbox.SenderConfig{MaxAttempts: z.Sender.MaxAttempts, Workers: z.Sender.Workers, MaxRetryAfter: 5 * time.Minute}
	zalooa.Limits{GlobalPerSecond: z.Sender.MessagesPerSecond, ChatEvery: z.Sender.ChatInterval, ChatBurst: z.Sender.ChatBurst}.Apply(&cfg)
	return cfg
}

// zaloOA runs the Zalo OA's sender and receiver. Alerts about its tokens
// go to the province admins on their other platforms. No call to Zalo is
// needed to start: a webhook receives even before `zalo-oa authorize`.
func (s *server) zaloOA(ctx context.Context) error {
	alert := func(ctx context.Context, kind bot.OAAlert, until time.Time) {
		err := s.db.Update(ctx, func(tx *storage.Tx) error {
			_, err := s.core.QueueOAAlert(tx, kind, until)
			return err
		})
		if err != nil {
			s.log.Error("could not alert the province admins about the Zalo OA", "alert", kind, "err", err)
		}
		s.wakeAll()
	}
	oa, err := zalooa.New(s.cfg.ZaloOA.adapter(), zalooa.Deps{Store: s.db, Handler: s.core, Media: s.db, Log: s.log, Now: s.a.now,
		Alert: alert})
	if err != nil {
		return err
	}
	s.runSender(ctx, cd.PlatformZaloOA, oa, s.cfg.ZaloOA.sender())
	return oa.Run(ctx)
}

const zaloOAUsage = `Usage:
  congdoanbot zalo-oa authorize [-config FILE] [-db PATH]
      Print the consent URL (OAuth v4 with PKCE) for an admin of the OA to
      open; its code verifier is kept in the database for an hour.
  congdoanbot zalo-oa authorize -code CODE [-config FILE] [-db PATH]
      Exchange the code Zalo returned to zalo_oa.redirect_uri (the code, or
      the whole URL of the redirect, quoted) for the OA's tokens and store
      them. "-code -" reads it from standard input.
  congdoanbot zalo-oa status [-config FILE] [-db PATH]
      Show when the stored tokens expire (never the tokens).

Needs [zalo_oa] app_id, redirect_uri and the app secret
(CONGDOANBOT_ZALO_OA_APP_SECRET).`

func (a *app) cmdZaloOA(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "authorize" && args[0] != "status") {
		fmt.Fprintln(a.stderr, zaloOAUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "help") {
			return nil
		}
		return errUsage
	}
	what, args := args[0], args[1:]
	var c common
	fs := a.flags("zalo-oa "+what, "zalo-oa "+what+" [-code CODE] [-config FILE] [-db PATH]", &c)
	code := fs.String("code", "", `the code Zalo returned (or the redirect URL); "-" reads it from standard input`)
	if err := a.parse(fs, args); err != nil {
		return err
	}
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case what == "status":
		return a.zaloOAStatus(ctx, db)
	case *code == "":
		u, err := zalooa.BeginAuthorization(ctx, cfg.ZaloOA.adapter(), db, a.now())
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "1. As an admin of the Zalo OA, open this URL and allow the app:\n\n%s\n\n"+
			"2. Zalo then opens %s?code=...: copy the code (or the whole URL) and run\n\n"+
			"   congdoanbot zalo-oa authorize -code 'CODE'\n\nwithin 10 minutes (the code expires).\n", u, cfg.ZaloOA.RedirectURI)
		return nil
	}
	return a.zaloOAFinish(ctx, cfg, db, *code)
}

// zaloOAFinish exchanges the pasted code for tokens.
func (a *app) zaloOAFinish(ctx context.Context, cfg *Config, db *storage.DB, pasted string) error {
	if pasted == "-" {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read the code from standard input: %w", err)
		}
		pasted = line
	}
	code, state, err := zalooa.ParseCallback(pasted)
	if err != nil {
		return err
	}
	z := cfg.ZaloOA.adapter()
	if err := z.ValidateAuth(); err != nil {
		return err
	}
	t, err := zalooa.FinishAuthorization(ctx, z, db, zalooa.NewClient(z, nil), code, state, a.now)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "The Zalo OA is authorized: the access token is valid until %s, the refresh token until %s.\n"+
		"The bot renews them by itself; a bot running takes them within 5 minutes.\n", t.AccessExpiresAt.In(cfg.location).Format("02/01/2006 15:04"),
		t.RefreshExpiresAt.In(cfg.location).Format("02/01/2006 15:04"))
	return nil
}

// zaloOAStatus prints the state of the stored tokens.
func (a *app) zaloOAStatus(ctx context.Context, db *storage.DB) error {
	t, err := db.OAToken(ctx)
	if err != nil {
		return err
	}
	if t == nil {
		fmt.Fprintln(a.stdout, "The Zalo OA is not authorized: run congdoanbot zalo-oa authorize")
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "tokens %d: %s\naccess token expires:  %s\nrefresh token expires: %s\n", t.ID, t.Status,
		t.AccessExpiresAt.Format(time.RFC3339), t.RefreshExpiresAt.Format(time.RFC3339))
	if !t.ClaimedAt.IsZero() {
		fmt.Fprintf(&b, "renewal begun:         %s (attempt %d)\n", t.ClaimedAt.Format(time.RFC3339), t.Attempts)
	}
	if t.Note != "" {
		fmt.Fprintf(&b, "note: %s\n", t.Note)
	}
	_, err = fmt.Fprint(a.stdout, b.String())
	return err
}
