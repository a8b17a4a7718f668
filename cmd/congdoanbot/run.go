package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/telegram"
	"github.com/congdoanbot/congdoanbot/bot/zalo"
	"github.com/congdoanbot/congdoanbot/storage"
)

// serve runs the bot on the configured platforms until ctx ends (SIGINT,
// SIGTERM) or a platform fails for good (a revoked token, say), then
// stops everything and waits for it.
func (a *app) serve(ctx context.Context, c common) error {
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(newRedactingHandler(a.logger(cfg).Handler(), cfg.Telegram.Token, cfg.Zalo.Token,
		cfg.Telegram.WebhookSecret, cfg.Zalo.WebhookSecret))

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	senders := map[cd.Platform]*bot.Sender{}
	cfg.running = runningSenders(senders)
	core := a.newBot(cfg, db, log, func(p cd.Platform) {
		if s := senders[p]; s != nil {
			s.Wake()
		}
	})

	type platform struct {
		name string
		run  func(context.Context) error
	}
	var platforms []platform
	if cfg.Telegram.Token != "" {
		tg, err := telegram.New(cfg.telegram(), db, core, log, nil)
		if err != nil {
			return err
		}
		sc := cfg.telegramSender()
		sc.Now, sc.Logger = a.now, log
		sc.OnHalt = func(err error) { alertAdmins(ctx, db, core, log, cd.PlatformTelegram, err) }
		senders[cd.PlatformTelegram] = bot.NewSender(cd.PlatformTelegram, db, tg, sc)
		if err := tg.SetCommands(ctx, core.Commands()); err != nil {
			log.Warn("could not publish the command menu", "err", err)
		}
		platforms = append(platforms, platform{"telegram", tg.Run})
	}
	if cfg.Zalo.Token != "" {
		za, err := zalo.New(cfg.zalo(), db, core, db, log, nil)
		if err != nil {
			return err
		}
		sc := cfg.zaloSender()
		sc.Now, sc.Logger = a.now, log
		sc.OnHalt = func(err error) { alertAdmins(ctx, db, core, log, cd.PlatformZalo, err) }
		senders[cd.PlatformZalo] = bot.NewSender(cd.PlatformZalo, db, za, sc)
		platforms = append(platforms, platform{"zalo", za.Run})
	}

	var wg sync.WaitGroup
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && ctx.Err() == nil {
				log.Error("stopped", "part", name, "err", err)
				cancel(fmt.Errorf("%s: %w", name, err))
			}
		}()
	}
	var names []string
	for _, p := range platforms {
		run(p.name, p.run)
		names = append(names, p.name)
	}
	for p, s := range senders {
		run(string(p)+" sender", s.Run)
	}
	run("inbox pruning", func(ctx context.Context) error { return pruneInbox(ctx, db, log) })
	run("announcement queue", core.RunQueue)
	if cfg.Jobs.Enabled {
		sched, err := a.newScheduler(cfg, db, core, log, func() {
			for _, s := range senders {
				s.Wake()
			}
		})
		if err != nil {
			cancel(err)
		} else {
			run("scheduler", sched.Start)
		}
	}
	log.Info("congdoanbot running", "platforms", strings.Join(names, ","), "db", db.Path())
	<-ctx.Done()
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	log.Info("congdoanbot stopped")
	return nil
}

// runningSenders lists the platforms whose sender runs and is not halted
// (a revoked token): announcements go to members' accounts there. The map
// is filled before any update is handled.
func runningSenders(senders map[cd.Platform]*bot.Sender) func() []cd.Platform {
	return func() []cd.Platform {
		ps := []cd.Platform{}
		for p, s := range senders {
			if s.Halted() == nil {
				ps = append(ps, p)
			}
		}
		return ps
	}
}

// inboxPruner is what pruneInbox needs.
type inboxPruner interface {
	PruneInbox(ctx context.Context, before time.Time) (int64, error)
}

// pruneInbox deletes applied updates older than three days, at start and
// every six hours.
func pruneInbox(ctx context.Context, db inboxPruner, log *slog.Logger) error {
	t := time.NewTicker(6 * time.Hour)
	defer t.Stop()
	for {
		n, err := db.PruneInbox(ctx, time.Now().Add(-72*time.Hour))
		if err != nil && ctx.Err() == nil {
			log.Warn("prune inbox", "err", err)
		} else if n > 0 {
			log.Info("pruned applied updates", "rows", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// alertAdmins tells the province admins, on their other platform, that a
// platform stopped working and why (the token must be renewed).
func alertAdmins(ctx context.Context, db *storage.DB, core *bot.Bot, log *slog.Logger, p cd.Platform, cause error) {
	err := db.Update(ctx, func(tx *storage.Tx) error {
		_, err := core.QueueHaltAlert(tx, p)
		return err
	})
	if err != nil {
		log.Error("could not alert the province admins", "platform", p, "err", err, "cause", cause)
	}
}
