package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram"
	"github.com/congdoanbot/congdoanbot/bot/zalo"
	"github.com/congdoanbot/congdoanbot/cluster"
	"github.com/congdoanbot/congdoanbot/storage"
)

// server is one `congdoanbot run`: the platforms, each with its sender,
// the inbox pruning and the scheduled jobs, sharing one core and database.
type server struct {
	a      *app
	cfg    *Config
	db     *storage.DB
	log    *slog.Logger
	core   *bot.Bot
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	senders map[cd.Platform]*outbox.Sender // a platform's, once it is connected
	inboxes map[cd.Platform]func()         // wakes a connected platform's inbox processor
	share   int                            // live instances sharing the platforms' limits; 0: one

	instanceID string             // see instance
	hb         *cluster.Heartbeat // this instance's, when clustered
}

// serve runs the bot on the configured platforms until ctx ends (SIGINT,
// SIGTERM) or a part fails for good (a refused token, say), then stops
// everything and waits for it. A platform that cannot be reached at start
// is retried while the others and the jobs run.
func (a *app) serve(ctx context.Context, c common) error {
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QuickCheck(ctx); err != nil {
		return err
	}
	log := slog.New(newRedactingHandler(a.logger(cfg).Handler(), cfg.Telegram.Token, cfg.Zalo.Token,
		cfg.Telegram.WebhookSecret, cfg.Zalo.WebhookSecret, cfg.ZaloOA.AppSecret, cfg.ZaloOA.SecretKey,
		storage.URLPassword(cfg.Storage.URL)))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s := &server{a: a, cfg: cfg, db: db, log: log, cancel: cancel, senders: map[cd.Platform]*outbox.Sender{},
		inboxes: map[cd.Platform]func(){}}
	cfg.running = s.running
	s.core = a.newBot(cfg, db, log, s.wake)
	platforms := map[string]func(context.Context) error{}
	if cfg.Telegram.Token != "" {
		platforms["telegram"] = s.telegram
	}
	if cfg.Zalo.Token != "" {
		platforms["zalo"] = s.zalo
	}
	if cfg.ZaloOA.Enabled {
		platforms["zalo_oa"] = s.zaloOA
	}
	log.Info("congdoanbot running", "platforms", strings.Join(slices.Sorted(maps.Keys(platforms)), ","), "db", db.Path())
	defer s.startCluster(ctx)() // stopped after every part, the senders included
	for name, run := range platforms {
		s.start(ctx, name, run)
	}
	s.start(ctx, "inbox pruning", func(ctx context.Context) error { return pruneInbox(ctx, db, log) })
	s.start(ctx, "announcement queue", s.core.RunQueue)
	if cfg.Jobs.Enabled {
		sched, err := a.newScheduler(cfg, db, s.core, log, s.wakeAll)
		if err != nil {
			cancel(err)
		} else {
			s.start(ctx, "scheduler", s.leased("jobs", sched.Start))
		}
	}
	if err := startWeb(ctx, cfg, db, s.core, log, func(name string, f func(context.Context) error) { s.start(ctx, name, f) }); err != nil {
		cancel(err)
	}
	<-ctx.Done()
	s.wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	log.Info("congdoanbot stopped")
	return nil
}

// start runs f in a goroutine; when it fails, everything stops.
func (s *server) start(ctx context.Context, name string, f func(context.Context) error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := f(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("stopped", "part", name, "err", err)
			if !strings.HasPrefix(err.Error(), name+":") {
				err = fmt.Errorf("%s: %w", name, err)
			}
			s.cancel(err)
		}
	}()
}

// telegram connects to Telegram, then runs its sender and receiver.
func (s *server) telegram(ctx context.Context) error {
	var tg *telegram.Adapter
	err := s.connect(ctx, "telegram", func(ctx context.Context) (err error) {
		tc := s.cfg.telegram()
		tc.PollGate = s.pollGate("telegram")
		tg, err = telegram.NewContext(ctx, tc, s.db, s.core, s.log, nil)
		return err
	})
	if err != nil || tg == nil {
		return err
	}
	s.core.SetTelegramBot(tg.Self().UserName) // check-in links: t.me/<bot>?start=dd_CODE
	s.runSender(ctx, cd.PlatformTelegram, tg, s.cfg.telegramSender())
	if err := tg.SetCommands(ctx, s.core.Commands()); err != nil {
		s.log.Warn("could not publish the command menu", "err", err)
	}
	return tg.Run(ctx)
}

// zalo connects to Zalo, then runs its sender and receiver.
func (s *server) zalo(ctx context.Context) error {
	var za *zalo.Adapter
	err := s.connect(ctx, "zalo", func(ctx context.Context) (err error) {
		zc := s.cfg.zalo()
		zc.PollGate = s.pollGate("zalo")
		za, err = zalo.NewContext(ctx, zc, s.db, s.core, s.db, s.log, nil)
		return err
	})
	if err != nil || za == nil {
		return err
	}
	s.runSender(ctx, cd.PlatformZalo, za, s.cfg.zaloSender())
	return za.Run(ctx)
}

// connect calls dial until it succeeds. A failure that may pass (the
// network, a 5xx: inbox.ErrUnavailable) is logged and tried again after a
// growing delay, 1 s doubling up to 5 min; any other (a refused token) is
// returned. When ctx ends first, connect returns nil without connecting.
func (s *server) connect(ctx context.Context, name string, dial func(context.Context) error) error {
	delay := time.Second
	for attempt := 1; ; attempt++ {
		err := dial(ctx)
		switch {
		case err == nil, ctx.Err() != nil:
			return nil
		case !errors.Is(err, inbox.ErrUnavailable):
			return err
		}
		s.log.Warn("cannot reach the platform; retrying", "platform", name, "attempt", attempt, "in", delay, "err", err)
		if !s.a.sleep(ctx, delay) {
			return nil
		}
		delay = min(2*delay, 5*time.Minute)
	}
}

// runSender starts the outbox sender of a connected platform.
func (s *server) runSender(ctx context.Context, p cd.Platform, d outbox.Deliverer, sc outbox.SenderConfig) {
	sc.Now, sc.Logger = s.a.now, s.log
	sc.OnHalt = func(err error) { alertAdmins(ctx, s.db, s.core, s.log, p, err) }
	if s.clustered() {
		sc.Instance, sc.Alive = s.instance(), s.hb.Live
	}
	snd := outbox.NewSender(p, s.db, d, sc)
	s.mu.Lock()
	s.senders[p] = snd
	if in, ok := d.(interface{ WakeInbox() }); ok {
		s.inboxes[p] = in.WakeInbox
	}
	snd.SetShare(s.share)
	s.mu.Unlock()
	s.start(ctx, string(p)+" sender", snd.Run)
}

// wake tells a platform's sender that the outbox has something new; before
// the platform is connected its messages wait in the outbox.
func (s *server) wake(p cd.Platform) {
	s.mu.Lock()
	snd := s.senders[p]
	s.mu.Unlock()
	if snd != nil {
		snd.Wake()
	}
}

// running lists the platforms configured to run whose sender is not
// halted (a revoked token): announcements go to members' accounts there,
// and their messages waiting on any other platform are rerouted or given
// up. A platform still being connected counts: its messages wait for it.
func (s *server) running() []cd.Platform {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ps []cd.Platform
	for _, p := range s.cfg.platforms() {
		if snd := s.senders[p]; snd == nil || snd.Halted() == nil {
			ps = append(ps, p)
		}
	}
	return ps
}

func (s *server) wakeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, snd := range s.senders {
		snd.Wake()
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
