package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// Settings are the schedules and knobs of the jobs. Specs are standard
// cron (minute hour day-of-month month day-of-week) in the union's zone.
type Settings struct {
	ReportReminder string        // before the deadline; default 08:00, 3 days before it
	ReportLate     string        // the day after the deadline, 08:00
	PledgeReminder string        // daily, 08:00: pledges due in 3 days and today
	OverduePledges string        // weekly, Monday 08:00: overdue pledges to chairs
	MonthlySummary string        // the 1st, 08:00: the month before
	Backup         string        // nightly, 02:00
	Announcements  string        // every minute: scheduled announcements, progress, reports
	Surveys        string        // every 5 minutes: reminders before a survey closes, results when it has
	Events         string        // every minute: event reminders, activities credited after an event
	Stale          time.Duration // reminders missed by more than this are skipped; default 24 h
	BackupDir      string        // where nightly copies go; default "backups"
	BackupKeep     int           // copies kept; default 14
}

// DefaultSettings are the schedules for a report deadline on day
// deadlineDay of the month.
func DefaultSettings(deadlineDay int) Settings {
	return Settings{
		ReportReminder: fmt.Sprintf("0 8 %d * *", max(deadlineDay-3, 1)),
		ReportLate:     fmt.Sprintf("0 8 %d * *", deadlineDay+1),
		PledgeReminder: "0 8 * * *",
		OverduePledges: "0 8 * * 1",
		MonthlySummary: "0 8 1 * *",
		Backup:         "0 2 * * *",
		Announcements:  "* * * * *",
		Surveys:        "*/5 * * * *",
		Events:         "* * * * *",
		Stale:          24 * time.Hour,
		BackupDir:      "backups",
		BackupKeep:     14,
	}
}

func monthPeriod(t time.Time) string { return cd.MonthOf(t, t.Location()).String() }
func dayPeriod(t time.Time) string   { return cd.DateOf(t, t.Location()).String() }
func weekPeriod(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Register adds the union's jobs to s.
func Register(s *Scheduler, b *bot.Bot, db *storage.DB, set Settings) error {
	loc := s.loc
	jobs := []*Job{
		{Name: "report_reminder", Help: "remind chairs whose unit has not submitted the month's report, before the deadline", Spec: set.ReportReminder,
			Period: monthPeriod, Stale: set.Stale,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) {
				return b.QueueReportReminders(tx, cd.MonthOf(r.At, loc), false)
			}},
		{Name: "report_late", Help: "remind late units the day after the deadline; the province gets the list", Spec: set.ReportLate,
			Period: monthPeriod, Stale: set.Stale,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) {
				return b.QueueReportReminders(tx, cd.MonthOf(r.At, loc), true)
			}},
		{Name: "pledge_reminder", Help: "remind members of pledges due in 3 days and today", Spec: set.PledgeReminder,
			Period: dayPeriod, Stale: set.Stale,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) {
				return b.QueuePledgeReminders(tx, cd.DateOf(r.At, loc))
			}},
		{Name: "overdue_pledges", Help: "send each chair the unit's overdue pledges", Spec: set.OverduePledges,
			Period: weekPeriod, Stale: set.Stale,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) {
				return b.QueueOverduePledges(tx, cd.DateOf(r.At, loc), weekPeriod(r.At))
			}},
		{Name: "monthly_summary", Help: "last month's summary to chairs and the province (XLSX, chart)", Spec: set.MonthlySummary,
			Period: func(t time.Time) string { return cd.MonthOf(t, t.Location()).Prev().String() },
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) {
				return b.QueueMonthlySummary(tx, cd.MonthOf(r.At, loc).Prev(), r.CatchUp)
			}},
		{Name: "backup", Help: "back up the database into " + set.BackupDir + ", keeping " + fmt.Sprint(set.BackupKeep) + " copies", Spec: set.Backup,
			Period: dayPeriod,
			Run:    func(context.Context, *storage.Tx, Run) (int, error) { return 0, nil },
			After: func(ctx context.Context, r Run) error {
				return Backup(ctx, db, set.BackupDir, set.BackupKeep, dayPeriod(r.At))
			}},
		{Name: "announcements", Help: "send scheduled announcements; progress and delivery reports", Spec: set.Announcements,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) {
				n, err := b.QueueDueAnnouncements(tx, r.At)
				if err != nil {
					return n, err
				}
				m, err := b.ReportAnnouncements(tx, r.At)
				return n + m, err
			},
			// The recipients past the first chunk, a transaction per chunk;
			// also what a stopped process left half-queued.
			After: func(ctx context.Context, _ Run) error {
				_, err := b.QueueAnnouncements(ctx)
				return err
			}},
	}
	jobs = append(jobs, surveyEventJobs(b, set)...)
	for _, j := range jobs {
		if j.Name == "backup" && db.Engine() == storage.Postgres {
			s.log.Info(BackupOnPostgres)
			continue
		}
		if err := s.Add(j); err != nil {
			return err
		}
	}
	return nil
}

// BackupOnPostgres is logged instead of scheduling the nightly backup on
// PostgreSQL, whose backups are the operator's.
const BackupOnPostgres = "nightly backup job off: the database is PostgreSQL; back it up with the server's own tools " +
	"(pg_dump every night, or WAL archiving for point-in-time recovery; see README, Running on PostgreSQL)"

// Backup writes the day's copy of the database into dir, checked, and
// keeps the newest keep copies.
func Backup(ctx context.Context, db *storage.DB, dir string, keep int, day string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("backup folder: %w", err)
	}
	name := filepath.Join(dir, "congdoanbot-"+day+".db")
	if _, err := os.Stat(name); err == nil {
		return nil // today's copy is there already
	}
	if err := db.Backup(ctx, name); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "congdoanbot-*.db"))
	if err != nil {
		return err
	}
	sort.Strings(old) // dates in the names sort in time order
	for len(old) > keep {
		if err := os.Remove(old[0]); err != nil {
			return fmt.Errorf("remove old backup: %w", err)
		}
		old = old[1:]
	}
	return nil
}

// Names lists the jobs' names, for usage messages.
func (s *Scheduler) Names() string {
	var names []string
	for _, e := range s.List() {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
