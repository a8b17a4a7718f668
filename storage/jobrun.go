package storage

import (
	"context"
	"fmt"
	"time"
)

// ClaimJobRun records that a job runs for a period, in the transaction
// that does the work. It reports false when the period has a run already
// (done, or skipped), and then nothing must be done.
func (tx *Tx) ClaimJobRun(job, period string, due time.Time, catchUp bool) (bool, error) {
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO job_runs (job, period, due_at, started_at, status, catch_up)
		VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT (job, period) DO NOTHING`,
		job, period, fmtTime(due), fmtTime(tx.now), catchUp)
	if err != nil {
		return false, fmt.Errorf("claim job %s for %s: %w", job, period, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FinishJobRun records how many messages a run queued.
func (tx *Tx) FinishJobRun(job, period string, queued int) error {
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE job_runs SET status = 'done', finished_at = ?, queued = ?
		WHERE job = ? AND period = ?`, fmtTime(tx.now), queued, job, period)
	if err != nil {
		return fmt.Errorf("finish job %s for %s: %w", job, period, err)
	}
	return nil
}

// JobRan reports whether a job has a run (done or skipped) for a period.
func (db *DB) JobRan(ctx context.Context, job, period string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_runs WHERE job = ? AND period = ?`, job, period).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("job %s for %s: %w", job, period, err)
	}
	return n > 0, nil
}

// SkipJobRun records that a missed run was skipped on purpose.
func (db *DB) SkipJobRun(ctx context.Context, job, period string, due time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO job_runs (job, period, due_at, started_at, finished_at, status)
			VALUES (?, ?, ?, ?, ?, 'skipped') ON CONFLICT (job, period) DO NOTHING`,
			job, period, fmtTime(due), fmtTime(tx.now), fmtTime(tx.now))
		if err != nil {
			return fmt.Errorf("skip job %s for %s: %w", job, period, err)
		}
		return nil
	})
}

// UnclaimJobRun forgets a job's run for a period, so that it runs again.
func (db *DB) UnclaimJobRun(ctx context.Context, job, period string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM job_runs WHERE job = ? AND period = ?`, job, period); err != nil {
		return classify(fmt.Errorf("forget job %s for %s: %w", job, period, err))
	}
	return nil
}
