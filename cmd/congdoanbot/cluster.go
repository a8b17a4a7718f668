package main

import (
	"cmp"
	"context"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/cluster"
	"github.com/congdoanbot/congdoanbot/storage"
)

// A `run` on PostgreSQL is one of possibly several instances on one
// database (README: Running more than one instance): it counts itself
// alive (cluster.Heartbeat) and every sender takes its share of the
// platform's limit; it polls a platform and runs the jobs only while it
// holds that lease; it claims the outbox rows it sends, which hold while
// its heartbeat does; it listens for the rows the others add, to wake its
// senders and inbox processors. On SQLite there is one instance: no
// leases, no claims, the whole limit, no listening.

// clustered is true when this run shares its database with others.
func (s *server) clustered() bool { return s.db.Engine() == storage.Postgres }

// instance is this run's id in leases and claims, set by startCluster.
func (s *server) instance() string { return s.instanceID }

// startCluster starts the heartbeat and the listening for other
// instances' work. Each change of the count of live instances resets the
// senders' shares of their platforms' limits. The heartbeat outlives ctx
// until stop is called, after the senders stopped: the outbox claims of
// deliveries finishing during a clean stop hold until then.
func (s *server) startCluster(ctx context.Context) (stop func()) {
	if !s.clustered() {
		return func() {}
	}
	s.instanceID = cmp.Or(s.cfg.Cluster.InstanceID, cluster.DefaultInstance())
	s.log.Info("sharing the database with any other instances", "instance", s.instance(), "lease_ttl", s.cfg.Cluster.LeaseTTL)
	s.hb = &cluster.Heartbeat{Store: s.db, Instance: s.instance(), TTL: s.cfg.Cluster.LeaseTTL, Now: s.a.now, Log: s.log,
		OnCount: s.setShare}
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.hb.Run(hctx) // returns nil when hctx ends
	}()
	s.start(ctx, "listener", func(ctx context.Context) error {
		return s.db.Listen(ctx, storage.Listener{Notify: s.notified, Listening: s.wakeEverything, Log: s.log})
	})
	return func() {
		cancel()
		<-done
	}
}

// setShare records the count of live instances and tells the senders.
// When it fell, an instance died or stopped: its outbox claims ended, so
// the senders look at the outbox again.
func (s *server) setShare(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fell := n < s.share
	s.share = n
	for _, snd := range s.senders {
		snd.SetShare(n)
		if fell {
			snd.Wake()
		}
	}
}

// notified wakes what another instance (or this one) gave work to: a
// platform's sender for outbox rows, its inbox processor for inbox rows;
// platform "" is every platform.
func (s *server) notified(kind, platform string) {
	switch {
	case kind == storage.NotifyOutbox && platform == "":
		s.wakeAll()
	case kind == storage.NotifyOutbox:
		s.wake(cd.Platform(platform))
	case kind == storage.NotifyInbox:
		s.mu.Lock()
		defer s.mu.Unlock()
		for p, wake := range s.inboxes {
			if platform == "" || string(p) == platform {
				wake()
			}
		}
	}
}

// wakeEverything wakes every sender and inbox processor: the listening
// connection (re)started, and what was announced meanwhile is lost.
func (s *server) wakeEverything() {
	s.wakeAll()
	s.notified(storage.NotifyInbox, "")
}

// leased runs work only while this instance holds the lease name (on
// SQLite, always).
func (s *server) leased(name string, work func(context.Context) error) func(context.Context) error {
	if !s.clustered() {
		return work
	}
	return func(ctx context.Context) error {
		l := &cluster.Lease{Store: s.db, Name: name, Holder: s.instance(), TTL: s.cfg.Cluster.LeaseTTL, Now: s.a.now, Log: s.log}
		return l.Run(ctx, work)
	}
}

// pollGate is the adapters' PollGate: polling under the lease
// "poll/<platform>".
func (s *server) pollGate(platform string) func(context.Context, func(context.Context) error) error {
	if !s.clustered() {
		return nil
	}
	return func(ctx context.Context, poll func(context.Context) error) error {
		return s.leased("poll/"+platform, poll)(ctx)
	}
}
