package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/jobs"
	"github.com/congdoanbot/congdoanbot/storage"
)

// newScheduler builds the scheduler with every job registered.
func (a *app) newScheduler(cfg *Config, db *storage.DB, core *bot.Bot, log *slog.Logger, wake func()) (*jobs.Scheduler, error) {
	set, err := cfg.jobSettings()
	if err != nil {
		return nil, err
	}
	s := jobs.New(db, jobs.Config{Location: cfg.location, Now: a.now, Logger: log, Wake: wake})
	if err := jobs.Register(s, core, db, set); err != nil {
		return nil, err
	}
	return s, nil
}

const jobsUsage = `Usage:
  congdoanbot jobs list [-config FILE] [-db PATH]
  congdoanbot jobs run NAME [-at 2026-12-01T08:00] [-config FILE] [-db PATH]`

func (a *app) cmdJobs(ctx context.Context, args []string) error {
	if len(args) == 0 || isFlag(args[0]) || args[0] == "-h" {
		fmt.Fprintln(a.stderr, jobsUsage)
		if len(args) > 0 && args[0] == "-h" {
			return nil
		}
		return errUsage
	}
	sub, args := args[0], args[1:]
	var name string
	if sub == "run" {
		if len(args) == 0 || isFlag(args[0]) {
			fmt.Fprintln(a.stderr, jobsUsage)
			return errUsage
		}
		name, args = args[0], args[1:]
	} else if sub != "list" {
		fmt.Fprintf(a.stderr, "congdoanbot jobs: unknown subcommand %q\n%s\n", sub, jobsUsage)
		return errUsage
	}
	var c common
	fs := a.flags("jobs", "jobs "+sub+" [flags]", &c)
	at := fs.String("at", "", "run as if at this local time, 2006-01-02T15:04 (default now)")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	log := a.logger(cfg)
	core := a.newBot(cfg, db, log, nil)
	s, err := a.newScheduler(cfg, db, core, log, nil)
	if err != nil {
		return err
	}
	if sub == "list" {
		for _, e := range s.List() {
			fmt.Fprintf(a.stdout, "%-16s %-14s next %s  %s\n", e.Name, e.Spec, e.Next.In(cfg.location).Format("02/01/2006 15:04"), e.Help)
		}
		return nil
	}
	when := a.now().In(cfg.location)
	if *at != "" {
		if when, err = time.ParseInLocation("2006-01-02T15:04", *at, cfg.location); err != nil {
			fmt.Fprintf(a.stderr, "congdoanbot jobs run: -at must be like 2026-12-01T08:00, got %q\n", *at)
			return errUsage
		}
	}
	j, ok := s.Job(name)
	if !ok {
		fmt.Fprintf(a.stderr, "congdoanbot jobs run: unknown job %q (known: %s)\n", name, s.Names())
		return errUsage
	}
	queued, ran, err := s.RunAt(ctx, name, when, false)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	period := ""
	if j.Period != nil {
		period = " for " + j.Period(when)
	}
	if !ran {
		fmt.Fprintf(a.stdout, "%s%s: already ran; queued 0 messages\n", name, period)
		return nil
	}
	fmt.Fprintf(a.stdout, "%s%s: queued %d messages\n", name, period, queued)
	return nil
}

// exportReport writes the monthly report (the province's, or one
// unit's) as XLSX.
func (a *app) exportReport(ctx context.Context, cfg *Config, db *storage.DB, m cd.Month, unitID int64, out string) error {
	core := a.newBot(cfg, db, slog.New(slog.DiscardHandler), nil)
	var data []byte
	err := db.Update(ctx, func(tx *storage.Tx) error {
		var err error
		data, err = core.ReportXLSX(tx, m, unitID)
		return err
	})
	if err != nil {
		return err
	}
	return writeOut(out, a.stdout, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
