package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage/internal/pgtest"
)

// TestDueHeadsPlans: the sender's reads go through an index in the order
// they are served (no sort, no scan of the pending rows), whatever the
// number of pending messages.
func TestDueHeadsPlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx *Tx) error {
		for i := range 2000 {
			lane := cd.LaneBulk
			if i%100 == 0 {
				lane = cd.LaneInteractive
			}
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: fmt.Sprint(i % 1500)},
				Lane: lane, Message: cd.Message{Text: "tin"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	var plans []string
	for _, lane := range []cd.Lane{cd.LaneBulk, cd.LaneInteractive, ""} {
		queries, err := dueHeadsQueries(lane, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, query := range queries {
			args := []any{fmtTime(db.Now()), cd.PlatformTelegram, 50}
			if strings.Contains(query, "?4") {
				args = append(args, lane)
			}
			rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plans = append(plans, string(lane)+": "+detail)
			}
			rows.Close()
		}
	}
	all := strings.Join(plans, "\n")
	for _, bad := range []string{"TEMP B-TREE", "SCAN o", "SCAN e", "SCAN outbox"} {
		if strings.Contains(all, bad) {
			t.Fatalf("plan has %q:\n%s", bad, all)
		}
	}
	for _, want := range []string{"bulk: SEARCH o USING INDEX outbox_lane", "USING INDEX outbox_chat_pending", ": SEARCH o USING INDEX outbox_due"} {
		if !strings.Contains(all, want) {
			t.Fatalf("plan lacks %q:\n%s", want, all)
		}
	}
}

// TestClaimHeadsPlans: on PostgreSQL the claiming reads go through the
// outbox's indexes in the order they are served (no scan of the pending
// rows, no sort of them: only of the few heads found), whatever the
// number of pending and claimed messages; the live heartbeats are read
// once per query (a handful of rows) and looked up per row met.
func TestClaimHeadsPlans(t *testing.T) {
	ctx := context.Background()
	db, err := OpenPostgres(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const rows = 20000
	_, err = db.write.ExecContext(ctx, `INSERT INTO outbox (platform, chat_id, kind, body, not_before, created_at, lane, claimed_by, claim_until)
		SELECT 'telegram', CAST(i % 15000 AS TEXT), 'notify', '{}', ?, ?, CASE WHEN i % 100 = 0 THEN 'interactive' ELSE 'bulk' END,
			CASE WHEN i % 3 = 0 THEN 'other' END, CASE WHEN i % 3 = 0 THEN ? END
		FROM generate_series(1, ?) AS i`, fmtTime(db.Now()), fmtTime(db.Now()), fmtTime(db.Now().Add(time.Hour)), rows)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if _, err := db.AcquireLease(ctx, InstancePrefix+fmt.Sprint("i", i), fmt.Sprint("i", i), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	var plans []string
	for _, lane := range []cd.Lane{cd.LaneBulk, cd.LaneInteractive, ""} {
		queries, err := claimHeadsQueries(lane)
		if err != nil {
			t.Fatal(err)
		}
		for _, query := range queries {
			args := claimHeadsArgs(query, db.Now(), cd.PlatformTelegram, lane, 16, "me")
			rows, err := db.read.QueryContext(ctx, "EXPLAIN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				plans = append(plans, string(lane)+": "+line)
			}
			rows.Close()
		}
	}
	all := strings.Join(plans, "\n")
	for _, bad := range []string{"Seq Scan on outbox", "Sort Key: o.", "Bitmap Heap Scan on outbox"} {
		if strings.Contains(all, bad) {
			t.Fatalf("plan has %q:\n%s", bad, all)
		}
	}
	for _, want := range []string{"Index Scan using outbox_lane on outbox o", "Index Scan using outbox_due on outbox o",
		"outbox_chat_pending", "on leases"} {
		if !strings.Contains(all, want) {
			t.Fatalf("plan lacks %q:\n%s", want, all)
		}
	}
}
