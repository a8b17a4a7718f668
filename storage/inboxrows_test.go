package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestInboxRows: the stored updates of a platform in the order stored,
// with when each was applied and why it failed.
func TestInboxRows(t *testing.T) { storagetest.Run(t, testInboxRows) }

func testInboxRows(t *testing.T, e storage.Engine) {
	db, _ := openOn(t, e)
	ctx := context.Background()
	now := t0
	db.Now = func() time.Time { return now }
	var ids []int64
	for _, key := range []string{"9", "3", "5"} {
		id, _, err := db.PutInbox(ctx, "telegram", key, "c"+key, []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, _, err := db.PutInbox(ctx, "zalo", "1", "z", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Minute)
	update(t, db, func(tx *storage.Tx) error {
		if _, err := tx.InboxTake(ids[1]); err != nil {
			return err
		}
		_, err := tx.InboxDone(ids[1], "lỗi")
		return err
	})
	rows, err := db.InboxRows(ctx, "telegram")
	if err != nil || len(rows) != 3 {
		t.Fatalf("InboxRows = %+v, %v", rows, err)
	}
	for i, want := range []storage.InboxRow{{ID: ids[0], UpdateKey: "9", ChatKey: "c9"},
		{ID: ids[1], UpdateKey: "3", ChatKey: "c3", Applied: now, Error: "lỗi"}, {ID: ids[2], UpdateKey: "5", ChatKey: "c5"}} {
		if got := rows[i]; got.ID != want.ID || got.UpdateKey != want.UpdateKey || got.ChatKey != want.ChatKey ||
			!got.Applied.Equal(want.Applied) || got.Error != want.Error {
			t.Errorf("row %d = %+v, want %+v", i, got, want)
		}
	}
}
