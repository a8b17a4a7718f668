package main

import (
	"cmp"
	"context"

	"github.com/congdoanbot/congdoanbot/cluster"
	"github.com/congdoanbot/congdoanbot/storage"
)

// A `run` on PostgreSQL is one of possibly several instances on one
// database (README: Running more than one instance): it counts itself
// alive (cluster.Heartbeat) and every sender takes its share of the
// platform's limit; it polls a platform and runs the jobs only while it
// holds that lease; it claims the outbox rows it sends. On SQLite there
// is one instance: no leases, no claims, the whole limit.

// clustered is true when this run shares its database with others.
func (s *server) clustered() bool { return s.db.Engine() == storage.Postgres }

// instance is this run's id in leases and claims, set by startCluster.
func (s *server) instance() string { return s.instanceID }

// startCluster starts the heartbeat; each change of the count of live
// instances resets the senders' shares of their platforms' limits.
func (s *server) startCluster(ctx context.Context) {
	if !s.clustered() {
		return
	}
	s.instanceID = cmp.Or(s.cfg.Cluster.InstanceID, cluster.DefaultInstance())
	s.log.Info("sharing the database with any other instances", "instance", s.instance(), "lease_ttl", s.cfg.Cluster.LeaseTTL)
	hb := &cluster.Heartbeat{Store: s.db, Instance: s.instance(), TTL: s.cfg.Cluster.LeaseTTL, Now: s.a.now, Log: s.log,
		OnCount: s.setShare}
	s.start(ctx, "heartbeat", hb.Run)
}

// setShare records the count of live instances and tells the senders.
func (s *server) setShare(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.share = n
	for _, snd := range s.senders {
		snd.SetShare(n)
	}
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
