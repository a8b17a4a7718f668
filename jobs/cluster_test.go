package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestTwoSchedulersOnePeriod: two instances' schedulers (two database
// handles) firing the same job at the same moments, as during a lease's
// handover, and catching up after it: each period runs once.
func TestTwoSchedulersOnePeriod(t *testing.T) {
	dbA, target := storagetest.Open(t, storage.Postgres)
	dbB, err := storage.Dial(context.Background(), storage.Postgres, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dbB.Close() })
	var runs atomic.Int64
	newSched := func(db *storage.DB) *Scheduler {
		s := New(db, Config{Location: hcm, Now: func() time.Time { return at("2026-11-30 09:00") }})
		err := s.Add(&Job{Name: "daily", Spec: "0 8 * * *", Period: func(t time.Time) string { return t.Format("2006-01-02") },
			Run: func(context.Context, *storage.Tx, Run) (int, error) { runs.Add(1); return 0, nil }})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	scheds := []*Scheduler{newSched(dbA), newSched(dbB)}
	var ran atomic.Int64
	var wg sync.WaitGroup
	for day := range 10 {
		when := at("2026-11-20 08:00").AddDate(0, 0, day)
		for _, s := range scheds {
			wg.Go(func() {
				_, ok, err := s.RunAt(context.Background(), "daily", when, false)
				if err != nil {
					t.Error(err)
				}
				if ok {
					ran.Add(1)
				}
			})
		}
	}
	wg.Wait()
	for _, s := range scheds {
		if err := s.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if ran.Load() != 10 || runs.Load() != 11 {
		t.Fatalf("%d runs reported, %d done; want 10 days, and 11 with today's caught up", ran.Load(), runs.Load())
	}
}
