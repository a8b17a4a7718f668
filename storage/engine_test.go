package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// Write transactions run one at a time, across connections and across
// processes (two handles on one database stand for two instances): each
// of many concurrent read-then-write increments sees the one before it,
// so none is lost. Storage methods such as RecordPayment and UseLinkCode
// rely on it. (On PostgreSQL the write lock is taken before a
// transaction's first statement, here a read.)
func TestWritesSerialized(t *testing.T) { storagetest.Run(t, testWritesSerialized) }

func testWritesSerialized(t *testing.T, e storage.Engine) {
	db, target := openOn(t, e)
	other, err := storage.Dial(context.Background(), e, target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const workers, each = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers)
	for _, h := range []*storage.DB{db, other} {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					if err := h.Update(context.Background(), increment); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	update(t, db, func(tx *storage.Tx) error {
		state, err := tx.Flow(cd.PlatformConsole, "counter")
		if err != nil {
			return err
		}
		if want := strconv.Itoa(2 * workers * each); state != want {
			t.Fatalf("counter = %s, want %s: concurrent writers lost updates", state, want)
		}
		return nil
	})
}

// increment reads a number and writes it back plus one, in one
// transaction.
func increment(tx *storage.Tx) error {
	state, err := tx.Flow(cd.PlatformConsole, "counter")
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(state)
	return tx.SaveFlow(cd.PlatformConsole, "counter", strconv.Itoa(n+1))
}

// A conflict reported by a storage method leaves the transaction usable:
// the core answers "taken" in the same transaction (on PostgreSQL a failed
// statement would abort it).
func TestConflictKeepsTransaction(t *testing.T) { storagetest.Run(t, testConflictKeepsTransaction) }

func testConflictKeepsTransaction(t *testing.T, e storage.Engine) {
	db, _ := openOn(t, e)
	update(t, db, func(tx *storage.Tx) error {
		m := &cd.Member{FullName: "Lê Văn Tám", UnitID: 1, Role: cd.RoleMember, Status: cd.StatusActive}
		id := cd.Identity{Platform: cd.PlatformTelegram, UserID: "8"}
		if err := tx.CreateMember(m, id); err != nil {
			return err
		}
		if err := tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformTelegram, UserID: "8"}); cd.ErrorCode(err) != cd.ECONFLICT {
			t.Fatalf("link taken identity: %v", err)
		}
		if err := tx.CreateActivityKind(&cd.ActivityKind{Code: "khac", Name: "Khác", Measure: "count"}); cd.ErrorCode(err) != cd.ECONFLICT {
			t.Fatalf("create existing kind: %v", err)
		}
		_, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "8"},
			Message: cd.Message{Text: "Tài khoản này đã được liên kết."}})
		return err
	})
}

func TestBackupOnPostgresRefuses(t *testing.T) {
	db, _ := openOn(t, storage.Postgres)
	err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "copy.db"))
	if !errors.Is(err, storage.ErrBackupUnsupported) || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %v", err)
	}
	if db.Engine() != storage.Postgres || !strings.HasPrefix(db.Path(), "postgres://") {
		t.Fatalf("engine %s, path %s", db.Engine(), db.Path())
	}
}
