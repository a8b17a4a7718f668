package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// fill writes settings of the given size until the database is full, and
// returns how many it wrote; the last error must be ErrDiskFull.
func fill(t *testing.T, db *storage.DB, prefix string, size int) int {
	t.Helper()
	for i := 0; ; i++ {
		err := db.SetKV(context.Background(), fmt.Sprintf("%s-%d", prefix, i), strings.Repeat("x", size))
		if err == nil {
			continue
		}
		if !errors.Is(err, storage.ErrDiskFull) || !errors.Is(err, cd.ErrDiskFull) || !strings.Contains(err.Error(), "database disk is full") {
			t.Fatalf("error on a full database: %v", err)
		}
		return i
	}
}

// TestDiskFull fills a database to its max_page_count: writes fail with
// ErrDiskFull, nothing stored before is lost, and writes succeed again
// once there is room.
func TestDiskFull(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	if _, _, err := db.PutInbox(ctx, "telegram", "1", "c1", []byte(`{"update_id":1}`)); err != nil {
		t.Fatal(err)
	}
	limit, err := db.SetMaxPageCount(ctx, 1) // as small as the file is now
	if err != nil || limit < 2 {
		t.Fatalf("max_page_count = %d, %v", limit, err)
	}
	big := fill(t, db, "big", 3000)
	small := fill(t, db, "small", 10)
	// Every kind of write fails alike, and is rolled back whole.
	var stored int
	for i := 2; ; i++ {
		_, _, err := db.PutInbox(ctx, "telegram", fmt.Sprint(i), "c1", []byte(strings.Repeat("u", 500)))
		if err != nil {
			if !errors.Is(err, storage.ErrDiskFull) {
				t.Fatalf("PutInbox on a full database: %v", err)
			}
			break
		}
		stored++
	}
	units := 0
	for ; ; units++ {
		err := db.Update(ctx, func(tx *storage.Tx) error {
			return tx.CreateUnit(&cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: strings.Repeat("Sở Tư pháp ", 10),
				Code: fmt.Sprintf("U%d", units)})
		})
		if err != nil {
			if !errors.Is(err, storage.ErrDiskFull) {
				t.Fatalf("Update on a full database: %v", err)
			}
			break
		}
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	// Nothing stored is lost.
	if n, err := db.InboxCount(ctx, "telegram"); err != nil || n != 1+stored {
		t.Fatalf("inbox rows = %d, %v; want %d", n, err, 1+stored)
	}
	if all, err := db.Units(ctx, cd.UnitFilter{}); err != nil || len(all) != 1+units {
		t.Fatalf("units = %d, %v; want %d", len(all), err, 1+units)
	}
	for _, k := range []string{"big-0", fmt.Sprintf("big-%d", big-1), fmt.Sprintf("small-%d", small-1)} {
		if v, err := db.KV(ctx, k); err != nil || v == "" {
			t.Fatalf("setting %s lost: %q, %v", k, v, err)
		}
	}
	// Room again: the same writes succeed.
	if _, err := db.SetMaxPageCount(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if _, inserted, err := db.PutInbox(ctx, "telegram", "999", "c1", []byte("{}")); err != nil || !inserted {
		t.Fatalf("PutInbox after space returned: %v", err)
	}
	update(t, db, func(tx *storage.Tx) error {
		return tx.CreateUnit(&cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Sở Tư pháp", Code: "STP"})
	})
}

// TestCorruptFile: a file that is not a database, or a damaged one, is
// reported as ErrCorrupt.
func TestCorruptFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Open(ctx, path); !errors.Is(err, storage.ErrCorrupt) {
		t.Fatalf("Open(garbage) = %v, want ErrCorrupt", err)
	}
	// A database whose pages past the first were overwritten.
	db, path := openDB(t)
	update(t, db, func(tx *storage.Tx) error {
		return tx.CreateUnit(&cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Sở Tư pháp", Code: "STP"})
	})
	if err := db.Backup(ctx, path+".copy"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(path + ".copy")
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(data); i++ {
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(path+".copy", data, 0o600); err != nil {
		t.Fatal(err)
	}
	copyDB, err := storage.Open(ctx, path+".copy")
	if err == nil {
		err = copyDB.QuickCheck(ctx)
		copyDB.Close()
	}
	if !errors.Is(err, storage.ErrCorrupt) {
		t.Fatalf("damaged database: %v, want ErrCorrupt", err)
	}
}

// TestDemoMark: the demo seeds only a database that is new or its own,
// never one holding real data.
func TestDemoMark(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if ok, err := storage.IsDemoFile(ctx, filepath.Join(dir, "none.db")); !ok || err != nil {
		t.Fatalf("a missing file: %v, %v", ok, err)
	}
	real, err := storage.Open(ctx, filepath.Join(dir, "real.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	if err := real.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	if ok, err := storage.IsDemoFile(ctx, real.Path()); ok || err != nil {
		t.Fatalf("a new real database (province only) is the demo's: %v, %v", ok, err)
	}
	if err := real.Update(ctx, func(tx *storage.Tx) error {
		return tx.CreateUnit(&cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Sở Tư pháp", Code: "STP"})
	}); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, real); !errors.Is(err, storage.ErrNotDemo) {
		t.Fatalf("SeedDemo on a real database = %v", err)
	}
	if units, _ := real.Units(ctx, cd.UnitFilter{}); len(units) != 2 {
		t.Fatalf("units = %d after a refused seed", len(units))
	}
	if ok, err := storage.IsDemoFile(ctx, real.Path()); ok || err != nil {
		t.Fatalf("a real database is the demo's: %v, %v", ok, err)
	}
	demo, err := storage.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer demo.Close()
	if err := demo.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh (demo)"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := storage.SeedDemo(ctx, demo); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := storage.IsDemoFile(ctx, demo.Path()); !ok || err != nil {
		t.Fatalf("the demo database: %v, %v", ok, err)
	}
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, err := storage.IsDemoFile(ctx, other); ok || err == nil {
		t.Fatalf("a text file: %v, %v", ok, err)
	}
}
