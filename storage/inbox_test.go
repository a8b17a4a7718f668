package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestInboxTake: an update is taken by one transaction at a time. On
// PostgreSQL a second instance (another handle) trying it while the first
// applies it is told cd.ErrInboxBusy at once, without waiting for the
// write lock the first holds; after the first commits it is told the
// update was applied; after a rollback (an instance that died) it takes
// it. On SQLite (one writer) a take only says whether it was applied.
func TestInboxTake(t *testing.T) { storagetest.Run(t, testInboxTake) }

func testInboxTake(t *testing.T, e storage.Engine) {
	db, target := openOn(t, e)
	ctx := context.Background()
	id, _, err := db.PutInbox(ctx, "telegram", "1", "7", []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	take := func(db *storage.DB) (applied bool, err error) {
		err = db.Update(ctx, func(tx *storage.Tx) error {
			applied, err = tx.InboxTake(id)
			return err
		})
		return applied, err
	}
	if e == storage.Postgres {
		other, err := storage.Dial(ctx, e, target)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		holdThenFinish(t, db, id, errors.New("died"), func() {
			// The first holds the row and the write lock: the second is
			// answered at once, or this times out.
			tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			err := other.Update(tctx, func(tx *storage.Tx) error { _, err := tx.InboxTake(id); return err })
			if !errors.Is(err, cd.ErrInboxBusy) {
				t.Errorf("take a held update: %v, want ErrInboxBusy", err)
			}
		})
		if applied, err := take(other); err != nil || applied {
			t.Fatalf("take after the holder rolled back: applied %v, %v", applied, err)
		}
		holdThenFinish(t, db, id, nil, func() {})
		if applied, err := take(other); err != nil || !applied {
			t.Fatalf("take after the holder applied it: applied %v, %v; want applied", applied, err)
		}
		err = db.Update(ctx, func(tx *storage.Tx) error { _, err := tx.InboxDone(id, ""); return err })
		if err == nil {
			t.Fatal("InboxDone without InboxTake: no error")
		}
		return
	}
	if applied, err := take(db); err != nil || applied {
		t.Fatalf("take: applied %v, %v", applied, err)
	}
	holdThenFinish(t, db, id, nil, func() {})
	if applied, err := take(db); err != nil || !applied {
		t.Fatalf("take after it was applied: applied %v, %v; want applied", applied, err)
	}
}

// holdThenFinish takes the update id in a transaction on db, and takes
// the write lock (a write), then runs during; it then marks the update
// applied and commits, or with fail rolls back.
func holdThenFinish(t *testing.T, db *storage.DB, id int64, fail error, during func()) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		if applied, err := tx.InboxTake(id); err != nil || applied {
			t.Fatalf("take: applied %v, %v", applied, err)
		}
		if err := tx.SaveFlow(cd.PlatformConsole, "holder", "1"); err != nil {
			return err
		}
		during()
		if fail != nil {
			return fail
		}
		ok, err := tx.InboxDone(id, "")
		if err == nil && !ok {
			err = errors.New("applied twice")
		}
		return err
	})
	if !errors.Is(err, fail) {
		t.Fatal(err)
	}
}
