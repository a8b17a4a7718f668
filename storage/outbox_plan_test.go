package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
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
		queries, err := dueHeadsQueries(lane)
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
