package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/storage"
)

// open loads the configuration, lets adjust change it, and opens the
// database, creating the province unit on first use.
func (a *app) open(ctx context.Context, c common, adjust func(*Config)) (*Config, *storage.DB, error) {
	cfg, err := loadConfig(c.config, a.getenv)
	if err != nil {
		return nil, nil, err
	}
	if adjust != nil {
		adjust(cfg)
	}
	path := c.db
	if path == "" {
		path = cfg.Storage.Path
	}
	db, err := storage.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	db.Now = a.now
	if err := db.EnsureProvince(ctx, cfg.ProvinceName); err != nil {
		db.Close()
		return nil, nil, err
	}
	return cfg, db, nil
}

func (a *app) logger(cfg *Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
}

// newBot builds the core over db with the config's settings.
func (a *app) newBot(cfg *Config, db *storage.DB, log *slog.Logger, wake func(cd.Platform)) *bot.Bot {
	running := cfg.running
	if running == nil {
		running = cfg.platforms
	}
	return bot.New(bot.StoreOf(db.Update), bot.Config{
		Running:           running,
		ProvinceName:      cfg.ProvinceName,
		Location:          cfg.location,
		Admins:            cfg.Admins,
		FloodPerMinute:    cfg.Bot.FloodPerMinute,
		MaxInput:          cfg.Bot.MaxInputChars,
		ReportWindowDays:  cfg.Bot.ReportWindowDays,
		ReportDeadlineDay: cfg.Bot.ReportDeadlineDay,
		MoneyMin:          cfg.Bot.MoneyMin,
		MoneyMax:          cfg.Bot.MoneyMax,
		Now:               a.now,
		Logger:            log,
		Wake:              wake,
	})
}

func (a *app) cmdRun(ctx context.Context, args []string) error {
	var c common
	fs := a.flags("run", "run [-config FILE] [-db PATH]", &c)
	if err := a.parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(c.config, a.getenv)
	if err != nil {
		return err
	}
	if cfg.Telegram.Token == "" && cfg.Zalo.Token == "" {
		fmt.Fprintln(a.stderr, "congdoanbot: no platform is configured (set CONGDOANBOT_TELEGRAM_TOKEN or CONGDOANBOT_ZALO_TOKEN, or [telegram]/[zalo] token);"+
			" starting the console demo instead, as `congdoanbot demo` does.")
		return a.cmdDemo(ctx, args)
	}
	return a.serve(ctx, c)
}

func (a *app) cmdDemo(ctx context.Context, args []string) error {
	var c common
	fs := a.flags("demo", "demo [-config FILE] [-db PATH] [-reset]", &c)
	reset := fs.Bool("reset", false, "delete the demo database first and start over")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	path := c.db
	if path == "" {
		path = "congdoanbot-demo.db"
	}
	if *reset {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("reset demo database: %w", err)
			}
		}
	}
	c.db = path
	cfg, db, err := a.open(ctx, c, func(cfg *Config) {
		cfg.ProvinceName += " (demo)"
		cfg.Admins = append(cfg.Admins, cd.Key(cd.PlatformConsole, "tinh"))
		cfg.running = func() []cd.Platform { return []cd.Platform{cd.PlatformConsole} }
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := storage.SeedDemo(ctx, db); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	log := a.logger(cfg)
	if cfg.Log.Level == "info" {
		// Keep the conversation readable: only problems on stderr.
		log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	// One at a time, in queue order: the transcript reads as before lanes.
	sender := bot.NewSender(cd.PlatformConsole, db, console.NewPrinter(a.stdout), bot.SenderConfig{Now: a.now, Logger: log, Workers: 1, OneLane: true})
	b := a.newBot(cfg, db, log, nil)
	if isTerminal(a.stdin) {
		fmt.Fprintln(a.stdout, bot.TextDemoIntro(cfg.ProvinceName))
	}
	sched, err := a.newScheduler(cfg, db, b, log, nil)
	if err != nil {
		return err
	}
	sess := &console.Session{Handler: b, Drainer: sender, Tick: func(ctx context.Context) error {
		_, _, err := sched.RunAt(ctx, "announcements", a.now(), false)
		return err
	}}
	return sess.Run(ctx, a.stdin)
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const exportUsage = `Usage:
  congdoanbot export members [-config FILE] [-db PATH] [-format csv] [-out FILE]
  congdoanbot export activities -month YYYY-MM [-unit CODE] [-config FILE] [-db PATH] [-format csv] [-out FILE]
  congdoanbot export pledges [-fund ID] [-config FILE] [-db PATH] [-format csv] [-out FILE]`

func (a *app) cmdExport(ctx context.Context, args []string) error {
	if len(args) == 0 || isFlag(args[0]) || args[0] == "-h" {
		fmt.Fprintln(a.stderr, exportUsage)
		if len(args) > 0 && args[0] == "-h" {
			return nil
		}
		return errUsage
	}
	what, args := args[0], args[1:]
	var c common
	fs := a.flags("export", "export "+what+" [flags]", &c)
	format := fs.String("format", "csv", "output format; csv is the only one")
	out := fs.String("out", "", "output file (default standard output); refuses to overwrite")
	var month, unit *string
	var fund *int64
	switch what {
	case "members":
	case "activities", "report":
		month = fs.String("month", "", "the month to export, YYYY-MM (required)")
		unit = fs.String("unit", "", "only this grassroots union (join code)")
	case "pledges":
		fund = fs.Int64("fund", 0, "only this fund (its number, as /quy lists them); 0 for every fund")
	default:
		fmt.Fprintf(a.stderr, "congdoanbot export: unknown data %q (known: members, activities, pledges, report)\n", what)
		return errUsage
	}
	if err := a.parse(fs, args); err != nil {
		return err
	}
	if what == "report" {
		*format = "xlsx"
		if *out == "" {
			fmt.Fprintln(a.stderr, "congdoanbot export report: -out FILE.xlsx is required")
			return errUsage
		}
	}
	if *format != "csv" && what != "report" {
		fmt.Fprintf(a.stderr, "congdoanbot export: unknown format %q (known: csv)\n", *format)
		return errUsage
	}
	var filter storage.ActivityFilter
	if month != nil {
		m, err := cd.ParseMonth(*month)
		if err != nil || *month == "" {
			fmt.Fprintf(a.stderr, "congdoanbot export %s: -month must be YYYY-MM, got %q\n", what, *month)
			return errUsage
		}
		filter.Month = m
	}
	if fund != nil && *fund < 0 {
		fmt.Fprintf(a.stderr, "congdoanbot export pledges: -fund must be a fund number, got %d\n", *fund)
		return errUsage
	}
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if unit != nil && *unit != "" {
		units, err := db.Units(ctx, cd.UnitFilter{})
		if err != nil {
			return err
		}
		code := cd.NormalizeCode(*unit)
		for _, u := range units {
			if u.Code == code {
				filter.UnitID = u.ID
			}
		}
		if filter.UnitID == 0 {
			return fmt.Errorf("no unit with code %q", code)
		}
	}
	var pledges storage.PledgeFilter
	if fund != nil && *fund != 0 {
		if pledges, err = fundFilter(ctx, db, *fund); err != nil {
			return err
		}
	}
	if what == "report" {
		return a.exportReport(ctx, cfg, db, filter.Month, filter.UnitID, *out)
	}
	return writeOut(*out, a.stdout, func(w io.Writer) error {
		switch what {
		case "members":
			return exportMembers(ctx, db, w)
		case "pledges":
			return exportPledges(ctx, db, pledges, w)
		}
		return exportActivities(ctx, db, filter, w)
	})
}

// fundFilter selects the pledges of one fund, which must exist.
func fundFilter(ctx context.Context, db *storage.DB, id int64) (storage.PledgeFilter, error) {
	funds, err := db.Funds(ctx, false)
	if err != nil {
		return storage.PledgeFilter{}, err
	}
	for _, f := range funds {
		if f.ID == id {
			return storage.PledgeFilter{FundID: id}, nil
		}
	}
	return storage.PledgeFilter{}, fmt.Errorf("no fund number %d", id)
}

func exportPledges(ctx context.Context, db *storage.DB, f storage.PledgeFilter, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "fund", "unit_code", "member_id", "member_name", "amount_vnd", "paid_vnd", "status",
		"due_date", "anonymous", "created_at"}); err != nil {
		return err
	}
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	err := db.ExportPledges(ctx, f, func(p cd.Pledge) error {
		due := ""
		if !p.DueDate.IsZero() {
			due = p.DueDate.String()
		}
		return cw.Write([]string{i64(p.ID), p.FundName, p.UnitCode, i64(p.MemberID), p.MemberName, i64(p.Amount), i64(p.Paid),
			string(p.Status), due, strconv.FormatBool(p.Anonymous), p.CreatedAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func exportActivities(ctx context.Context, db *storage.DB, f storage.ActivityFilter, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "date", "kind", "unit_code", "member_id", "member_name", "description", "people",
		"amount_vnd", "quantity", "campaign", "entered_by", "created_at"}); err != nil {
		return err
	}
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	err := db.ExportActivities(ctx, f, func(a cd.Activity) error {
		member := ""
		if a.MemberID != 0 {
			member = i64(a.MemberID)
		}
		return cw.Write([]string{i64(a.ID), a.Date.String(), a.Kind, a.UnitCode, member, a.MemberName, a.Description,
			i64(a.People), i64(a.Amount), i64(a.Quantity), a.CampaignName, a.EnteredName, a.CreatedAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// writeOut writes to a new file, or to stdout when name is empty. A file
// is created only if it does not exist, and removed if writing fails.
func writeOut(name string, stdout io.Writer, fn func(io.Writer) error) error {
	if name == "" {
		return fn(stdout)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists already; choose another name", name)
		}
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}

func exportMembers(ctx context.Context, db *storage.DB, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "full_name", "unit_code", "unit_name", "role", "status", "platforms", "registered_at"}); err != nil {
		return err
	}
	err := db.ExportMembers(ctx, func(m cd.Member) error {
		return cw.Write([]string{strconv.FormatInt(m.ID, 10), m.FullName, m.UnitCode, m.UnitName, string(m.Role),
			string(m.Status), strings.Join(m.Platforms, ";"), m.RegisteredAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func (a *app) cmdBackup(ctx context.Context, args []string) error {
	var c common
	fs := a.flags("backup", "backup [-config FILE] [-db PATH] -out FILE", &c)
	out := fs.String("out", "", "file to write the copy to (must not exist)")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(a.stderr, "congdoanbot backup: -out FILE is required")
		return errUsage
	}
	_, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "backup written to %s and checked (integrity ok)\n", *out)
	return nil
}

func (a *app) cmdMigrate(ctx context.Context, args []string) error {
	var c common
	fs := a.flags("migrate", "migrate [-config FILE] [-db PATH]", &c)
	if err := a.parse(fs, args); err != nil {
		return err
	}
	_, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(a.stdout, "database %s is at schema version %d\n", db.Path(), storage.SchemaVersion())
	return nil
}
