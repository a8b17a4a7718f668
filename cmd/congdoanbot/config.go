package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	cd "github.com/congdoanbot/congdoanbot"
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
	Telegram PlatformConfig `toml:"telegram"`
	Zalo     PlatformConfig `toml:"zalo"`
	Jobs     JobsConfig     `toml:"jobs"`

	location *time.Location
}

// StorageConfig is where the data lives.
type StorageConfig struct {
	Path string `toml:"path"`
}

// BotConfig tunes the conversation core.
type BotConfig struct {
	FloodPerMinute int `toml:"flood_per_minute"`
	MaxInputChars  int `toml:"max_input_chars"`
}

// LogConfig sets what is logged.
type LogConfig struct {
	Level string `toml:"level"`
}

// PlatformConfig connects one chat platform. An empty token leaves the
// platform off.
type PlatformConfig struct {
	Token       string `toml:"token"`
	Mode        string `toml:"mode"`
	APIEndpoint string `toml:"api_endpoint"`
}

// JobsConfig is the scheduled work.
type JobsConfig struct {
	Enabled bool `toml:"enabled"`
}

// defaultConfig is the configuration with no file at all.
func defaultConfig() Config {
	return Config{
		ProvinceName: "Công đoàn Viên chức tỉnh",
		TimeZone:     cd.DefaultTimeZone,
		Storage:      StorageConfig{Path: "congdoanbot.db"},
		Bot:          BotConfig{FloodPerMinute: 20, MaxInputChars: 4000},
		Log:          LogConfig{Level: "info"},
		Telegram:     PlatformConfig{Mode: "polling", APIEndpoint: "https://api.telegram.org/bot%s/%s"},
		Zalo:         PlatformConfig{Mode: "polling", APIEndpoint: "https://bot-api.zaloplatforms.com"},
		Jobs:         JobsConfig{Enabled: true},
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
	if t := getenv("CONGDOANBOT_ZALO_TOKEN"); t != "" {
		cfg.Zalo.Token = t
	}
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
	if c.Storage.Path == "" {
		return errors.New(`key "storage.path": must not be empty`)
	}
	if c.Bot.FloodPerMinute < 1 {
		return fmt.Errorf("key \"bot.flood_per_minute\": must be at least 1, got %d", c.Bot.FloodPerMinute)
	}
	if c.Bot.MaxInputChars < 100 {
		return fmt.Errorf("key \"bot.max_input_chars\": must be at least 100, got %d", c.Bot.MaxInputChars)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("key \"log.level\": %q is not one of debug, info, warn, error", c.Log.Level)
	}
	for name, p := range map[string]PlatformConfig{"telegram": c.Telegram, "zalo": c.Zalo} {
		if p.Mode != "polling" && p.Mode != "webhook" {
			return fmt.Errorf("key \"%s.mode\": %q is not polling or webhook", name, p.Mode)
		}
	}
	return nil
}
