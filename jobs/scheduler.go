// Package jobs is the scheduled work: reminders, summaries, backups and
// timed announcements. Cron only triggers; the database decides what is
// due: each job's run is recorded per period (unique job + period) in the
// same transaction as the messages it queues, so a job never runs twice
// for one period, even across restarts or when triggered by hand, and a
// run missed while the process was down is caught up once at start.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/congdoanbot/congdoanbot/storage"
)

// Job is one kind of scheduled work.
type Job struct {
	Name string
	Help string // one line for `congdoanbot jobs list`
	Spec string // cron spec (5 fields), in the scheduler's zone
	// Period names what a run at t (in the scheduler's zone) covers, such
	// as "2026-11" for a monthly summary; there is one run per period.
	// Nil for a job that runs at every trigger, whose work is idempotent
	// by itself (queuing announcements whose time has come).
	Period func(t time.Time) string
	// Stale is how long after its time a missed run is still worth doing;
	// older missed runs are skipped and logged. 0: always catch up.
	Stale time.Duration
	// Run does the work inside the transaction that records the run, and
	// returns how many messages it queued.
	Run func(ctx context.Context, tx *storage.Tx, r Run) (int, error)
	// After, if set, runs once the transaction committed (files on disk,
	// say); its error is logged, the run stays recorded.
	After func(ctx context.Context, r Run) error

	schedule cron.Schedule
}

// Run is one run of a job.
type Run struct {
	At      time.Time // the moment the run stands for, in the scheduler's zone
	Period  string
	CatchUp bool // a run missed while the bot was down, done late
}

// Scheduler runs jobs on their schedules.
type Scheduler struct {
	db   *storage.DB
	loc  *time.Location
	now  func() time.Time
	log  *slog.Logger
	wake func() // tells the senders that messages were queued

	mu   sync.Mutex
	jobs []*Job
}

// Config configures a Scheduler.
type Config struct {
	Location *time.Location
	Now      func() time.Time
	Logger   *slog.Logger
	Wake     func()
}

// New returns a scheduler over db.
func New(db *storage.DB, cfg Config) *Scheduler {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Wake == nil {
		cfg.Wake = func() {}
	}
	return &Scheduler{db: db, loc: cfg.Location, now: cfg.Now, log: cfg.Logger, wake: cfg.Wake}
}

// ParseSpec checks a cron spec (minute hour day-of-month month
// day-of-week). The parser panics on some malformed specs; that becomes an
// error here.
func ParseSpec(spec string) (s cron.Schedule, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("invalid schedule %q: %v", spec, p)
		}
	}()
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("invalid schedule %q: %w", spec, err)
	}
	return s, nil
}

// Add registers a job; a bad spec is an error naming the job.
func (s *Scheduler) Add(j *Job) error {
	sched, err := ParseSpec(j.Spec)
	if err != nil {
		return fmt.Errorf("job %s: %w", j.Name, err)
	}
	j.schedule = sched
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.jobs {
		if o.Name == j.Name {
			return fmt.Errorf("job %s added twice", j.Name)
		}
	}
	s.jobs = append(s.jobs, j)
	return nil
}

// Job returns a registered job by name.
func (s *Scheduler) Job(name string) (*Job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.jobs {
		if j.Name == name {
			return j, true
		}
	}
	return nil, false
}

// Entry describes a job for listings.
type Entry struct {
	Name, Help, Spec string
	Next             time.Time
}

// List returns every job with its next run after now, in the zone.
func (s *Scheduler) List() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().In(s.loc)
	out := make([]Entry, len(s.jobs))
	for i, j := range s.jobs {
		out[i] = Entry{Name: j.Name, Help: j.Help, Spec: j.Spec, Next: j.schedule.Next(now)}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Next.Before(out[b].Next) })
	return out
}

// ErrUnknownJob is returned for a job name no job has.
var ErrUnknownJob = errors.New("unknown job")

// RunAt runs a job once as if at time at: if its period has not run yet,
// it runs and returns the number of messages queued; if it has, it returns
// ran == false and changes nothing.
func (s *Scheduler) RunAt(ctx context.Context, name string, at time.Time, catchUp bool) (queued int, ran bool, err error) {
	j, ok := s.Job(name)
	if !ok {
		return 0, false, fmt.Errorf("%w %q", ErrUnknownJob, name)
	}
	r := Run{At: at.In(s.loc), CatchUp: catchUp}
	if j.Period != nil {
		r.Period = j.Period(r.At)
	}
	err = s.db.Update(ctx, func(tx *storage.Tx) error {
		if j.Period != nil {
			claimed, err := tx.ClaimJobRun(j.Name, r.Period, r.At, catchUp)
			if err != nil || !claimed {
				return err
			}
		}
		n, err := j.Run(ctx, tx, r)
		if err != nil {
			return err
		}
		queued, ran = n, true
		if j.Period == nil {
			return nil
		}
		return tx.FinishJobRun(j.Name, r.Period, n)
	})
	if err != nil {
		return 0, false, fmt.Errorf("job %s for %s: %w", j.Name, r.Period, err)
	}
	if ran {
		if j.Period != nil || queued > 0 {
			s.log.Info("job ran", "job", j.Name, "period", r.Period, "queued", queued, "catch_up", catchUp)
		}
		if queued > 0 {
			s.wake()
		}
		if j.After != nil {
			if err := j.After(ctx, r); err != nil {
				// Forget the run, so that the next trigger (or a restart)
				// tries again.
				s.log.Error("job failed after its run was recorded; it will be tried again", "job", j.Name, "period", r.Period, "err", err)
				if uerr := s.db.UnclaimJobRun(ctx, j.Name, r.Period); uerr != nil {
					s.log.Error("forget job run", "job", j.Name, "err", uerr)
				}
				return queued, false, err
			}
		}
	}
	return queued, ran, nil
}

// previous is the latest time a job was due at or before now, looking
// back at most 40 days; zero if none.
func (j *Job) previous(now time.Time) time.Time {
	var last time.Time
	for t := j.schedule.Next(now.Add(-40 * 24 * time.Hour)); !t.After(now); t = j.schedule.Next(t) {
		last = t
	}
	return last
}

// CatchUp runs, once, each job whose latest due time passed while the bot
// was not running. Missed runs older than the job's Stale are recorded as
// skipped and logged instead: a reminder days late helps nobody.
func (s *Scheduler) CatchUp(ctx context.Context) error {
	now := s.now().In(s.loc)
	s.mu.Lock()
	jobs := append([]*Job(nil), s.jobs...)
	s.mu.Unlock()
	var errs []error
	for _, j := range jobs {
		if j.Period == nil {
			continue
		}
		due := j.previous(now)
		if due.IsZero() {
			continue
		}
		period := j.Period(due)
		done, err := s.db.JobRan(ctx, j.Name, period)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if done {
			continue
		}
		if j.Stale > 0 && now.Sub(due) > j.Stale {
			s.log.Warn("skipping a missed run: too late to be useful", "job", j.Name, "period", period, "was_due", due)
			if err := s.db.SkipJobRun(ctx, j.Name, period, due); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if _, _, err := s.RunAt(ctx, j.Name, due, true); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// cronLogger sends cron's own messages (recovered panics) to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}

// Start catches up on missed runs, then triggers every job on its
// schedule until ctx ends; it returns after the running jobs finish.
func (s *Scheduler) Start(ctx context.Context) error {
	if err := s.CatchUp(ctx); err != nil {
		s.log.Error("catching up on missed jobs", "err", err)
	}
	logger := cronLogger{s.log}
	c := cron.New(cron.WithLocation(s.loc), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	s.mu.Lock()
	for _, j := range s.jobs {
		name := j.Name
		c.Schedule(j.schedule, cron.FuncJob(func() {
			if _, _, err := s.RunAt(ctx, name, s.now(), false); err != nil && ctx.Err() == nil {
				s.log.Error("job failed", "job", name, "err", err)
			}
		}))
	}
	s.mu.Unlock()
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
