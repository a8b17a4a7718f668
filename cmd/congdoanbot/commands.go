package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/export"
	"github.com/congdoanbot/congdoanbot/report"
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
	if c.db != "" {
		cfg.Storage.Driver, cfg.Storage.Path = string(storage.SQLite), c.db
	}
	engine, target := cfg.Storage.engine()
	db, err := storage.Dial(ctx, engine, target)
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
		WebURL:            cfg.Web.BaseURL,
		OAWindow:          cfg.ZaloOA.Window,
		Now:               a.now,
		Logger:            log,
		Wake:              wake,
		Renderer:          report.Renderer{},
	})
}

// errNoPlatform is the error of `run` with no platform configured.
var errNoPlatform = errors.New("no platform is configured: set CONGDOANBOT_TELEGRAM_TOKEN (or token in [telegram] of the config file)" +
	" or CONGDOANBOT_ZALO_TOKEN (or token in [zalo]) or enabled = true in [zalo_oa]; `congdoanbot demo` runs the console demo")

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
	if !cfg.anyPlatform() {
		return errNoPlatform
	}
	return a.serve(ctx, c)
}

// cmdDefault is congdoanbot with no command: run, or, with no platform
// configured, the console demo on the demo's database (never on
// storage.path).
func (a *app) cmdDefault(ctx context.Context, args []string) error {
	var c common
	fs := a.flags("run", "[-config FILE] [-db PATH] (no command: run, or the demo without a platform)", &c)
	if err := a.parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(c.config, a.getenv)
	if err != nil {
		return err
	}
	if cfg.anyPlatform() {
		return a.serve(ctx, c)
	}
	fmt.Fprintln(a.stderr, "congdoanbot: no platform is configured (CONGDOANBOT_TELEGRAM_TOKEN, CONGDOANBOT_ZALO_TOKEN);"+
		" starting the console demo on its own database, as `congdoanbot demo` does.")
	return a.cmdDemo(ctx, args)
}

// demoDB is the demo's database unless -db names another.
const demoDB = "congdoanbot-demo.db"

func (a *app) cmdDemo(ctx context.Context, args []string) error {
	var c common
	fs := a.flags("demo", "demo [-config FILE] [-db PATH] [-reset] [-web HOST:PORT]", &c)
	reset := fs.Bool("reset", false, "delete the demo database first and start over")
	webAddr := fs.String("web", "", "also serve the web dashboard on this address (for example 127.0.0.1:8080); /web in the demo gives the sign-in link")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	path := c.db
	if path == "" {
		path = demoDB
	}
	if ok, err := storage.IsDemoFile(ctx, path); errors.Is(err, storage.ErrCorrupt) {
		return fmt.Errorf("demo database %s: %w; delete it, or choose another -db", path, err)
	} else if err != nil {
		return fmt.Errorf("demo database %s: %w", path, err)
	} else if !ok {
		return fmt.Errorf("%s holds real data, not the demo's: the demo runs on its own database (%s unless -db names another)", path, demoDB)
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
		if *webAddr != "" {
			cfg.Web.Listen, cfg.Web.BaseURL = *webAddr, demoWebURL(cfg, *webAddr)
		}
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
	// One at a time, in queue order (no lanes): the transcript reads in order.
	sender := outbox.NewSender(cd.PlatformConsole, db, console.NewPrinter(a.stdout), outbox.SenderConfig{Now: a.now, Logger: log, Workers: 1, OneLane: true})
	drainer := &lockedDrainer{d: sender}
	wake := make(chan struct{}, 1)
	b := a.newBot(cfg, db, log, func(cd.Platform) {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	if isTerminal(a.stdin) {
		fmt.Fprintln(a.stdout, bot.TextDemoIntro(cfg.ProvinceName))
	}
	sched, err := a.newScheduler(cfg, db, b, log, nil)
	if err != nil {
		return err
	}
	sess := &console.Session{Handler: b, Drainer: drainer, Tick: func(ctx context.Context) error {
		for _, job := range []string{"announcements", "surveys", "events"} {
			if _, _, err := sched.RunAt(ctx, job, a.now(), false); err != nil {
				return err
			}
		}
		return nil
	}}
	if *webAddr != "" {
		return a.demoWithWeb(ctx, cfg, db, b, log, sess, drainer, wake)
	}
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
  congdoanbot export pledges [-fund ID] [-config FILE] [-db PATH] [-format csv] [-out FILE]
  congdoanbot export survey -id N -out FILE.xlsx [-config FILE] [-db PATH]
  congdoanbot export event -id N [-config FILE] [-db PATH] [-out FILE]`

func (a *app) cmdExport(ctx context.Context, args []string) error {
	if len(args) == 0 || isFlag(args[0]) || args[0] == "-h" {
		fmt.Fprintln(a.stderr, exportUsage)
		if len(args) > 0 && args[0] == "-h" {
			return nil
		}
		return errUsage
	}
	if export, ok := eventExports[args[0]]; ok {
		return export(a, ctx, args[1:])
	}
	x, err := a.parseExport(args[0], args[1:])
	if err != nil {
		return err
	}
	cfg, db, err := a.open(ctx, x.c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if x.unit != "" {
		if x.filter.UnitID, err = unitID(ctx, db, x.unit); err != nil {
			return err
		}
	}
	var pledges storage.PledgeFilter
	if x.fund != 0 {
		if pledges, err = fundFilter(ctx, db, x.fund); err != nil {
			return err
		}
	}
	if x.what == "report" {
		return a.exportReport(ctx, cfg, db, x.filter.Month, x.filter.UnitID, x.out)
	}
	return writeOut(x.out, a.stdout, func(w io.Writer) error {
		switch x.what {
		case "members":
			return export.Members(ctx, db, w, nil)
		case "pledges":
			return export.Pledges(ctx, db, pledges, w, nil)
		}
		return export.Activities(ctx, db, x.filter, w, nil)
	})
}

// exportArgs is one export asked for on the command line.
type exportArgs struct {
	what   string // members, activities, pledges, report
	c      common
	out    string
	unit   string // a join code, or ""
	fund   int64  // 0 for every fund
	filter storage.ActivityFilter
}

// parseExport reads and checks the flags of one export; mistakes are
// printed and reported as errUsage.
func (a *app) parseExport(what string, args []string) (*exportArgs, error) {
	x := &exportArgs{what: what}
	fs := a.flags("export", "export "+what+" [flags]", &x.c)
	format := fs.String("format", "csv", "output format; csv is the only one")
	fs.StringVar(&x.out, "out", "", "output file (default standard output); refuses to overwrite")
	month := ""
	switch what {
	case "members":
	case "activities", "report":
		fs.StringVar(&month, "month", "", "the month to export, YYYY-MM (required)")
		fs.StringVar(&x.unit, "unit", "", "only this grassroots union (join code)")
	case "pledges":
		fs.Int64Var(&x.fund, "fund", 0, "only this fund (its number, as /quy lists them); 0 for every fund")
	default:
		fmt.Fprintf(a.stderr, "congdoanbot export: unknown data %q (known: members, activities, pledges, report, survey, event)\n", what)
		return nil, errUsage
	}
	if err := a.parse(fs, args); err != nil {
		return nil, err
	}
	switch {
	case what == "report" && x.out == "":
		fmt.Fprintln(a.stderr, "congdoanbot export report: -out FILE.xlsx is required")
		return nil, errUsage
	case *format != "csv" && what != "report":
		fmt.Fprintf(a.stderr, "congdoanbot export: unknown format %q (known: csv)\n", *format)
		return nil, errUsage
	case x.fund < 0:
		fmt.Fprintf(a.stderr, "congdoanbot export pledges: -fund must be a fund number, got %d\n", x.fund)
		return nil, errUsage
	}
	if what == "activities" || what == "report" {
		m, err := cd.ParseMonth(month)
		if err != nil || month == "" {
			fmt.Fprintf(a.stderr, "congdoanbot export %s: -month must be YYYY-MM, got %q\n", what, month)
			return nil, errUsage
		}
		x.filter.Month = m
	}
	return x, nil
}

// unitID finds a grassroots union by its join code.
func unitID(ctx context.Context, db *storage.DB, code string) (int64, error) {
	units, err := db.Units(ctx, cd.UnitFilter{})
	if err != nil {
		return 0, err
	}
	code = cd.NormalizeCode(code)
	for _, u := range units {
		if u.Code == code {
			return u.ID, nil
		}
	}
	return 0, fmt.Errorf("no unit with code %q", code)
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
