// Command congdoanbot runs the union bot and its tools: the bot on every
// configured platform, the console demo, exports, backups and migrations.
// It wires the parts together and holds no business logic.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // the zone database, for bare containers

	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/storage"
)

const usage = `congdoanbot: the chat bot of Công đoàn Viên chức tỉnh (Telegram, Zalo, console).

Usage:
  congdoanbot [command] [flags]

Commands:
  run       Run the bot on every platform configured; with none it stops
            and says which setting to give. With no command at all,
            congdoanbot runs the bot, or, when no platform is configured,
            the console demo on its own database (as "demo" does).
  demo      Run the whole bot in this terminal on a demo database, seeded
            with a demo province. Input lines are "@name text"; try
            "@an /dangky" or "@chutich /duyet". -reset starts it over.
  export    Write data as CSV: "export members [-out FILE]",
            "export activities -month YYYY-MM [-unit CODE] [-out FILE]",
            "export pledges [-fund ID] [-out FILE]",
            "export report -month YYYY-MM [-unit CODE] -out FILE.xlsx".
  jobs      Scheduled work: "jobs list" prints each job, its schedule and
            its next run; "jobs run NAME [-at 2026-12-01T08:00]" runs one
            job once as if at that time (once per period: again, it
            queues nothing).
  backup    Write a consistent copy of the database: "backup -out FILE".
            Checks the copy and refuses to overwrite a file.
  migrate   Apply the database migrations and exit.
  zalo-oa   The Zalo Official Account: "zalo-oa authorize" prints the
            consent URL, "zalo-oa authorize -code CODE" stores the tokens,
            "zalo-oa status" shows when they expire.
  help      Show this help; "congdoanbot help COMMAND" shows its flags.

Every command takes -config FILE (TOML; see config.example.toml) and
-db PATH (overrides storage.path). Secrets may come from the environment:
CONGDOANBOT_TELEGRAM_TOKEN, CONGDOANBOT_ZALO_TOKEN,
CONGDOANBOT_ZALO_OA_APP_SECRET, CONGDOANBOT_ZALO_OA_SECRET_KEY.
`

// app is one invocation of the program, with its streams and environment
// injected so that tests run it end to end.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	// wait, when set, replaces the timer of retry delays (tests).
	wait func(ctx context.Context, d time.Duration) bool
}

// sleep waits d before a retry; false when ctx ended first.
func (a *app) sleep(ctx context.Context, d time.Duration) bool {
	if a.wait != nil {
		return a.wait(ctx, d)
	}
	return inbox.Sleep(ctx, d)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	code := a.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// errUsage marks a mistake in the command line; its message was printed.
var errUsage = errors.New("usage")

// main runs one command and returns the exit code.
func (a *app) main(ctx context.Context, args []string) int {
	cmd := ""
	if len(args) > 0 && !isFlag(args[0]) {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = a.cmdDefault(ctx, args)
	case "run":
		err = a.cmdRun(ctx, args)
	case "demo":
		err = a.cmdDemo(ctx, args)
	case "export":
		err = a.cmdExport(ctx, args)
	case "backup":
		err = a.cmdBackup(ctx, args)
	case "migrate":
		err = a.cmdMigrate(ctx, args)
	case "jobs":
		err = a.cmdJobs(ctx, args)
	case "zalo-oa":
		err = a.cmdZaloOA(ctx, args)
	case "help", "-h", "-help", "--help":
		if len(args) > 0 {
			return a.main(ctx, []string{args[0], "-h"})
		}
		fmt.Fprint(a.stdout, usage)
		return 0
	default:
		fmt.Fprintf(a.stderr, "congdoanbot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, context.Canceled):
		return 0
	}
	msg := oneLine(err.Error())
	switch {
	case cmd == "demo":
	case errors.Is(err, storage.ErrCorrupt):
		msg += "; restore the database from a backup (congdoanbot backup makes them)"
	case errors.Is(err, storage.ErrDiskFull):
		msg += "; free disk space, then start again: nothing stored was lost"
	}
	if cmd != "" {
		cmd = " " + cmd
	}
	fmt.Fprintf(a.stderr, "congdoanbot%s: %s\n", cmd, msg)
	return 1
}

func isFlag(s string) bool {
	return len(s) > 0 && s[0] == '-' && s != "-h" && s != "-help" && s != "--help"
}

// common are the flags every command takes.
type common struct {
	config string
	db     string
}

func (a *app) flags(name, synopsis string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.StringVar(&c.config, "config", "", "configuration file (TOML); defaults apply without one")
	fs.StringVar(&c.db, "db", "", "database file (overrides storage.path)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: congdoanbot %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func (a *app) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "congdoanbot %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}
