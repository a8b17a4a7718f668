package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/telegram"
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
	log := slog.New(newRedactingHandler(a.logger(cfg).Handler(), cfg.Telegram.Token, cfg.Zalo.Token, cfg.Telegram.WebhookSecret))

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	senders := map[cd.Platform]*bot.Sender{}
	core := a.newBot(cfg, db, log, func(p cd.Platform) {
		if s := senders[p]; s != nil {
			s.Wake()
		}
	})

	tg, err := telegram.New(cfg.telegram(), db, core, log, nil)
	if err != nil {
		return err
	}
	sc := cfg.telegramSender()
	sc.Now, sc.Logger = a.now, log
	senders[cd.PlatformTelegram] = bot.NewSender(cd.PlatformTelegram, db, tg, sc)
	if err := tg.SetCommands(ctx, core.Commands()); err != nil {
		log.Warn("could not publish the command menu", "err", err)
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
	run("telegram", tg.Run)
	for p, s := range senders {
		run(string(p)+" sender", s.Run)
	}
	run("inbox pruning", func(ctx context.Context) error { return pruneInbox(ctx, db, log) })
	log.Info("congdoanbot running", "platforms", "telegram", "mode", cfg.Telegram.Mode, "db", db.Path())
	<-ctx.Done()
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	log.Info("congdoanbot stopped")
	return nil
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
