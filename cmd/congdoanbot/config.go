package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram"
	"github.com/congdoanbot/congdoanbot/bot/zalo"
	"github.com/congdoanbot/congdoanbot/jobs"
	"github.com/congdoanbot/congdoanbot/storage"
)

// Config is the whole configuration file; config.example.toml documents
// every key with its default.
type Config struct {
	ProvinceName string   `toml:"province_name"`
	TimeZone     string   `toml:"timezone"`
	Admins       []string `toml:"admins"`

	Storage  StorageConfig  `toml:"storage"`
	Bot      BotConfig      `toml:"bot"`
	Log      LogConfig      `toml:"log"`
	Telegram TelegramConfig `toml:"telegram"`
	Zalo     ZaloConfig     `toml:"zalo"`
	ZaloOA   ZaloOAConfig   `toml:"zalo_oa"`
	Jobs     JobsConfig     `toml:"jobs"`
	Web      WebConfig      `toml:"web"`
	Cluster  ClusterConfig  `toml:"cluster"`

	location *time.Location
	// running lists the platforms whose sender runs (bot.Config.Running);
	// nil: the platforms with a token (for jobs run from the command line,
	// beside the running bot).
	running func() []cd.Platform
}

// platforms lists the platforms configured with a token.
func (c *Config) platforms() []cd.Platform {
	ps := []cd.Platform{}
	if c.Telegram.Token != "" {
		ps = append(ps, cd.PlatformTelegram)
	}
	if c.Zalo.Token != "" {
		ps = append(ps, cd.PlatformZalo)
	}
	if c.ZaloOA.Enabled {
		ps = append(ps, cd.PlatformZaloOA)
	}
	return ps
}

// StorageConfig is where the data lives: a SQLite file, or a PostgreSQL
// database.
type StorageConfig struct {
	Driver string `toml:"driver"`
	Path   string `toml:"path"`
	URL    string `toml:"url"`
}

// engine is the storage engine and its target (file or URL).
func (s StorageConfig) engine() (storage.Engine, string) {
	if s.Driver == string(storage.Postgres) {
		return storage.Postgres, s.URL
	}
	return storage.SQLite, s.Path
}

func (s StorageConfig) validate() error {
	switch s.Driver {
	case string(storage.SQLite):
		if s.Path == "" {
			return errors.New(`key "storage.path": must not be empty`)
		}
	case string(storage.Postgres):
		if s.URL == "" {
			return errors.New(`key "storage.url": must be set for the postgres driver (prefer CONGDOANBOT_DATABASE_URL)`)
		}
		if err := storage.CheckPostgresURL(s.URL); err != nil {
			return fmt.Errorf("key \"storage.url\": %w", err)
		}
	default:
		return fmt.Errorf("key \"storage.driver\": %q is not sqlite or postgres", s.Driver)
	}
	return nil
}

// ClusterConfig is how an instance shares a PostgreSQL database with
// others (package cluster). Ignored on SQLite.
type ClusterConfig struct {
	// InstanceID names this instance in leases and outbox claims; empty:
	// the host name and the process id.
	InstanceID string `toml:"instance_id"`
	// LeaseTTL is how long a lease lasts unrenewed (renewed every third
	// of it): another instance takes over polling and the jobs within
	// about LeaseTTL*4/3 of a death.
	LeaseTTL time.Duration `toml:"lease_ttl"`
}

func (c ClusterConfig) validate() error {
	if c.LeaseTTL < 3*time.Second || c.LeaseTTL > 20*time.Second {
		return fmt.Errorf("key \"cluster.lease_ttl\": must be 3s to 20s (takeover within 30 s), got %s", c.LeaseTTL)
	}
	return nil
}

// BotConfig tunes the conversation core.
type BotConfig struct {
	FloodPerMinute    int   `toml:"flood_per_minute"`
	MaxInputChars     int   `toml:"max_input_chars"`
	ReportWindowDays  int   `toml:"report_window_days"`
	ReportDeadlineDay int   `toml:"report_deadline_day"`
	MoneyMin          int64 `toml:"money_min"`
	MoneyMax          int64 `toml:"money_max"`
}

// LogConfig sets what is logged.
type LogConfig struct {
	Level string `toml:"level"`
}

// ZaloConfig connects the bot to the Zalo Bot Platform. An empty token
// leaves Zalo off.
type ZaloConfig struct {
	Token         string          `toml:"token"`
	Mode          string          `toml:"mode"`
	APIEndpoint   string          `toml:"api_endpoint"`
	PollTimeout   time.Duration   `toml:"poll_timeout"`
	HTTPTimeout   time.Duration   `toml:"http_timeout"`
	WebhookListen string          `toml:"webhook_listen"`
	WebhookPath   string          `toml:"webhook_path"`
	WebhookURL    string          `toml:"webhook_url"`
	WebhookSecret string          `toml:"webhook_secret"`
	Sender        ZaloSenderLimit `toml:"sender"`
}

// ZaloSenderLimit sets the Zalo sender. Zalo publishes no rate; these
// defaults are conservative.
type ZaloSenderLimit struct {
	MessagesPerSecond int           `toml:"messages_per_second"`
	ChatInterval      time.Duration `toml:"chat_interval"`
	ChatBurst         int           `toml:"chat_burst"`
	MaxAttempts       int           `toml:"max_attempts"`
	Workers           int           `toml:"workers"`
}

// TelegramConfig connects the bot to Telegram and sets the sender's
// limits (Telegram's: about 30 messages a second in all, 1 a second in a
// private chat, 20 a minute in a group).
type TelegramConfig struct {
	Token          string        `toml:"token"`
	Mode           string        `toml:"mode"`
	APIEndpoint    string        `toml:"api_endpoint"`
	PollTimeout    time.Duration `toml:"poll_timeout"`
	HTTPTimeout    time.Duration `toml:"http_timeout"`
	WebhookListen  string        `toml:"webhook_listen"`
	WebhookPath    string        `toml:"webhook_path"`
	WebhookURL     string        `toml:"webhook_url"`
	WebhookSecret  string        `toml:"webhook_secret"`
	MaxConnections int           `toml:"max_connections"`
	Sender         SenderConfig  `toml:"sender"`
}

// SenderConfig sets one platform's outbox sender.
type SenderConfig struct {
	MessagesPerSecond   int           `toml:"messages_per_second"`
	PrivateChatInterval time.Duration `toml:"private_chat_interval"`
	PrivateChatBurst    int           `toml:"private_chat_burst"`
	GroupPerMinute      int           `toml:"group_messages_per_minute"`
	MaxRetryAfter       time.Duration `toml:"max_retry_after"`
	MaxAttempts         int           `toml:"max_attempts"`
	Workers             int           `toml:"workers"`
}

// JobsConfig is the scheduled work. Empty schedules take the defaults
// (derived from bot.report_deadline_day for the report reminders).
type JobsConfig struct {
	Enabled        bool          `toml:"enabled"`
	ReportReminder string        `toml:"report_reminder"`
	ReportLate     string        `toml:"report_late"`
	PledgeReminder string        `toml:"pledge_reminder"`
	OverduePledges string        `toml:"overdue_pledges"`
	MonthlySummary string        `toml:"monthly_summary"`
	Backup         string        `toml:"backup"`
	Announcements  string        `toml:"announcements"`
	SkipAfter      time.Duration `toml:"skip_reminders_after"`
	BackupDir      string        `toml:"backup_dir"`
	BackupKeep     int           `toml:"backup_keep"`
}

// jobSettings merges the configured schedules over the defaults and
// checks each one: a bad spec is a one-line error naming its key.
func (c *Config) jobSettings() (jobs.Settings, error) {
	s := jobs.DefaultSettings(c.Bot.ReportDeadlineDay)
	j := c.Jobs
	for _, f := range []struct {
		key string
		v   string
		dst *string
	}{
		{"report_reminder", j.ReportReminder, &s.ReportReminder}, {"report_late", j.ReportLate, &s.ReportLate},
		{"pledge_reminder", j.PledgeReminder, &s.PledgeReminder}, {"overdue_pledges", j.OverduePledges, &s.OverduePledges},
		{"monthly_summary", j.MonthlySummary, &s.MonthlySummary}, {"backup", j.Backup, &s.Backup},
		{"announcements", j.Announcements, &s.Announcements},
	} {
		if f.v != "" {
			*f.dst = f.v
		}
		if _, err := jobs.ParseSpec(*f.dst); err != nil {
			return s, fmt.Errorf("key \"jobs.%s\": %w", f.key, err)
		}
	}
	if j.SkipAfter > 0 {
		s.Stale = j.SkipAfter
	}
	if j.BackupDir != "" {
		s.BackupDir = j.BackupDir
	}
	if j.BackupKeep < 0 {
		return s, fmt.Errorf("key \"jobs.backup_keep\": must not be negative, got %d", j.BackupKeep)
	}
	if j.BackupKeep > 0 {
		s.BackupKeep = j.BackupKeep
	}
	return s, nil
}

// defaultConfig is the configuration with no file at all.
func defaultConfig() Config {
	return Config{
		ProvinceName: "Công đoàn Viên chức tỉnh",
		TimeZone:     cd.DefaultTimeZone,
		Storage:      StorageConfig{Driver: "sqlite", Path: "congdoanbot.db"},
		Bot: BotConfig{FloodPerMinute: 20, MaxInputChars: 4000, ReportWindowDays: 45, ReportDeadlineDay: 25,
			MoneyMin: cd.DefaultMoneyMin, MoneyMax: cd.DefaultMoneyMax},
		Log: LogConfig{Level: "info"},
		Telegram: TelegramConfig{Mode: "polling", APIEndpoint: "https://api.telegram.org/bot%s/%s",
			PollTimeout: 30 * time.Second, HTTPTimeout: 30 * time.Second, WebhookPath: "/telegram", MaxConnections: 1,
			Sender: SenderConfig{MessagesPerSecond: 25, PrivateChatInterval: time.Second, PrivateChatBurst: 3,
				GroupPerMinute: 20, MaxRetryAfter: 5 * time.Minute, MaxAttempts: 5, Workers: 8}},
		Zalo: ZaloConfig{Mode: "polling", APIEndpoint: "https://bot-api.zaloplatforms.com", PollTimeout: 30 * time.Second,
			HTTPTimeout: 30 * time.Second, WebhookPath: "/zalo",
			Sender: ZaloSenderLimit{MessagesPerSecond: 10, ChatInterval: time.Second, ChatBurst: 3, MaxAttempts: 5, Workers: 4}},
		ZaloOA: defaultZaloOA(),
		Jobs: JobsConfig{Enabled: true, PledgeReminder: "0 8 * * *", OverduePledges: "0 8 * * 1", MonthlySummary: "0 8 1 * *",
			Backup: "0 2 * * *", Announcements: "* * * * *", SkipAfter: 24 * time.Hour, BackupDir: "backups", BackupKeep: 14},
		Cluster: ClusterConfig{LeaseTTL: 15 * time.Second},
	}
}

// loadConfig reads the file at path (none when path is empty) over the
// defaults, takes secrets from the environment, and checks every value.
// Its errors are one line that names the key and the problem.
func loadConfig(path string, getenv func(string) string) (*Config, error) {
	cfg := defaultConfig()
	if path != "" {
		md, err := toml.DecodeFile(path, &cfg)
		if err != nil {
			return nil, configError(path, err)
		}
		if keys := md.Undecoded(); len(keys) > 0 {
			return nil, fmt.Errorf("config %s: unknown key %q", path, keys[0].String())
		}
	}
	if t := getenv("CONGDOANBOT_TELEGRAM_TOKEN"); t != "" {
		cfg.Telegram.Token = t
	}
	if t := getenv("CONGDOANBOT_TELEGRAM_WEBHOOK_SECRET"); t != "" {
		cfg.Telegram.WebhookSecret = t
	}
	if t := getenv("CONGDOANBOT_ZALO_TOKEN"); t != "" {
		cfg.Zalo.Token = t
	}
	if t := getenv("CONGDOANBOT_ZALO_WEBHOOK_SECRET"); t != "" {
		cfg.Zalo.WebhookSecret = t
	}
	if t := getenv("CONGDOANBOT_DATABASE_URL"); t != "" {
		cfg.Storage.URL = t
	}
	cfg.ZaloOA.fromEnv(getenv)
	where := "config"
	if path != "" {
		where = "config " + path
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return &cfg, nil
}

func configError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("config %s: file not found", path)
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" {
			msg = fmt.Sprintf("key %q: %s", pe.LastKey, msg)
		}
		return fmt.Errorf("config %s: line %d: %s", path, pe.Position.Line, oneLine(msg))
	}
	return fmt.Errorf("config %s: %s", path, oneLine(err.Error()))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (c *Config) validate() error {
	if strings.TrimSpace(c.ProvinceName) == "" {
		return errors.New(`key "province_name": must not be empty`)
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "" {
		return fmt.Errorf("key \"timezone\": unknown time zone %q (for example %q)", c.TimeZone, cd.DefaultTimeZone)
	}
	c.location = loc
	for i, a := range c.Admins {
		if _, _, ok := cd.ParseKey(a); !ok {
			return fmt.Errorf("key \"admins\": entry %d, %q, is not platform:user_id (for example \"telegram:123456\" or \"zalo:6ede9afa66b88fe6d6a9\")", i+1, a)
		}
	}
	if err := c.Storage.validate(); err != nil {
		return err
	}
	if c.Bot.FloodPerMinute < 1 {
		return fmt.Errorf("key \"bot.flood_per_minute\": must be at least 1, got %d", c.Bot.FloodPerMinute)
	}
	if c.Bot.MaxInputChars < 100 {
		return fmt.Errorf("key \"bot.max_input_chars\": must be at least 100, got %d", c.Bot.MaxInputChars)
	}
	if c.Bot.ReportWindowDays < 1 || c.Bot.ReportWindowDays > 366 {
		return fmt.Errorf("key \"bot.report_window_days\": must be 1 to 366, got %d", c.Bot.ReportWindowDays)
	}
	if c.Bot.ReportDeadlineDay < 1 || c.Bot.ReportDeadlineDay > 28 {
		return fmt.Errorf("key \"bot.report_deadline_day\": must be 1 to 28 (every month has it), got %d", c.Bot.ReportDeadlineDay)
	}
	if c.Bot.MoneyMin < 1 || c.Bot.MoneyMax < c.Bot.MoneyMin {
		return fmt.Errorf("key \"bot.money_min\"/\"bot.money_max\": need 1 <= money_min <= money_max, got %d and %d", c.Bot.MoneyMin, c.Bot.MoneyMax)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("key \"log.level\": %q is not one of debug, info, warn, error", c.Log.Level)
	}
	if c.Zalo.Token != "" {
		if err := c.zalo().Validate(); err != nil {
			return err
		}
	} else if m := c.Zalo.Mode; m != "polling" && m != "webhook" {
		return fmt.Errorf("key \"zalo.mode\": %q is not polling or webhook", m)
	}
	if z := c.Zalo.Sender; z.MessagesPerSecond < 1 || z.ChatBurst < 1 || z.ChatInterval < 0 || z.MaxAttempts < 1 || z.Workers < 1 {
		return errors.New(`key "zalo.sender": messages_per_second, chat_burst, max_attempts and workers must be at least 1`)
	}
	if c.Telegram.Token != "" {
		if err := c.telegram().Validate(); err != nil {
			return err
		}
	} else if m := c.Telegram.Mode; m != "polling" && m != "webhook" {
		return fmt.Errorf("key \"telegram.mode\": %q is not polling or webhook", m)
	}
	if _, err := c.jobSettings(); err != nil {
		return err
	}
	if err := c.ZaloOA.validate(); err != nil {
		return err
	}
	if err := c.Web.validate(); err != nil {
		return err
	}
	if err := c.Cluster.validate(); err != nil {
		return err
	}
	return c.Telegram.Sender.validate("telegram.sender")
}

func (s SenderConfig) validate(key string) error {
	switch {
	case s.MessagesPerSecond < 1 || s.MessagesPerSecond > 1000:
		return fmt.Errorf("key \"%s.messages_per_second\": must be 1 to 1000, got %d", key, s.MessagesPerSecond)
	case s.PrivateChatInterval < 0 || s.PrivateChatBurst < 1:
		return fmt.Errorf("key \"%s.private_chat_interval\"/\"private_chat_burst\": interval must not be negative, burst at least 1", key)
	case s.GroupPerMinute < 1:
		return fmt.Errorf("key \"%s.group_messages_per_minute\": must be at least 1, got %d", key, s.GroupPerMinute)
	case s.MaxRetryAfter < time.Second:
		return fmt.Errorf("key \"%s.max_retry_after\": must be at least 1s, got %v", key, s.MaxRetryAfter)
	case s.MaxAttempts < 1 || s.Workers < 1:
		return fmt.Errorf("key \"%s.max_attempts\"/\"workers\": must be at least 1", key)
	}
	return nil
}

// telegram is the adapter's configuration.
func (c *Config) telegram() telegram.Config {
	t := c.Telegram
	return telegram.Config{Token: t.Token, Mode: t.Mode, APIEndpoint: t.APIEndpoint, PollTimeout: t.PollTimeout,
		HTTPTimeout: t.HTTPTimeout, WebhookListen: t.WebhookListen, WebhookPath: t.WebhookPath, WebhookURL: t.WebhookURL,
		WebhookSecret: t.WebhookSecret, MaxConnections: t.MaxConnections}
}

// zalo is the Zalo adapter's configuration.
func (c *Config) zalo() zalo.Config {
	z := c.Zalo
	return zalo.Config{Token: z.Token, Mode: z.Mode, APIEndpoint: z.APIEndpoint, PollTimeout: z.PollTimeout,
		HTTPTimeout: z.HTTPTimeout, WebhookListen: z.WebhookListen, WebhookPath: z.WebhookPath, WebhookURL: z.WebhookURL,
		WebhookSecret: z.WebhookSecret}
}

// deliveryTimeout bounds a delivery with its retries of the platform's
// HTTP calls (each bounded by httpTimeout) and its recording: 4 of them,
// at least 20 s. Several instances claim a message for 5/4 of it.
func deliveryTimeout(httpTimeout time.Duration) time.Duration {
	return max(4*httpTimeout, 20*time.Second)
}

// zaloSender is the Zalo sender's configuration.
func (c *Config) zaloSender() outbox.SenderConfig {
	z := c.Zalo.Sender
	cfg := outbox.SenderConfig{MaxAttempts: z.MaxAttempts, Workers: z.Workers, DeliveryTimeout: deliveryTimeout(c.Zalo.HTTPTimeout)}
	zalo.Limits{GlobalPerSecond: z.MessagesPerSecond, ChatEvery: z.ChatInterval, ChatBurst: z.ChatBurst}.Apply(&cfg)
	return cfg
}

// telegramSender is the Telegram sender's configuration.
func (c *Config) telegramSender() outbox.SenderConfig {
	s := c.Telegram.Sender
	cfg := outbox.SenderConfig{MaxRetryAfter: s.MaxRetryAfter, MaxAttempts: s.MaxAttempts, Workers: s.Workers,
		DeliveryTimeout: deliveryTimeout(c.Telegram.HTTPTimeout)}
	telegram.Limits{GlobalPerSecond: s.MessagesPerSecond, PrivateEvery: s.PrivateChatInterval, PrivateBurst: s.PrivateChatBurst,
		GroupEvery: time.Minute / time.Duration(s.GroupPerMinute), GroupBurst: 1}.Apply(&cfg)
	return cfg
}
