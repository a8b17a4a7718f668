package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"

	_ "modernc.org/sqlite"
)

var t0 = time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)

func openDB(t *testing.T) (*storage.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return t0 }
	if err := db.EnsureProvince(context.Background(), "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	return db, path
}

func update(t *testing.T, db *storage.DB, fn func(tx *storage.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func TestMigrationsRecordedAndSchemaTooNew(t *testing.T) {
	db, path := openDB(t)
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var n, version int
	if err := raw.QueryRow(`SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &version); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	if n != len(files) || version != storage.SchemaVersion() {
		t.Fatalf("recorded %d migrations up to %d, binary has %d up to %d", n, version, len(files), storage.SchemaVersion())
	}
	// Reopening applies nothing twice.
	db2, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	// A database from a newer binary is refused with a clear message.
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 'x')`, version+1); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = storage.Open(context.Background(), path)
	if !errors.Is(err, storage.ErrSchemaTooNew) || !strings.Contains(err.Error(), "use a newer congdoanbot") {
		t.Fatalf("open newer schema: %v", err)
	}
}

func TestPragmas(t *testing.T) {
	db, path := openDB(t)
	_ = db
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
}

func TestUnits(t *testing.T) {
	db, _ := openDB(t)
	var stp, kb cd.Unit
	update(t, db, func(tx *storage.Tx) error {
		prov, err := tx.ProvinceUnit()
		if err != nil {
			return err
		}
		stp = cd.Unit{Kind: cd.UnitGrassroots, ParentID: prov.ID, Name: "  Sở   Tư pháp ", Code: "stp"}
		kb = cd.Unit{Kind: cd.UnitGrassroots, ParentID: prov.ID, Name: "Kho bạc Nhà nước tỉnh", Code: "KBNN"}
		if err := tx.CreateUnit(&stp); err != nil {
			return err
		}
		if err := tx.CreateUnit(&kb); err != nil {
			return err
		}
		return tx.CreateUnit(&cd.Unit{Kind: cd.UnitSub, ParentID: stp.ID, Name: "Phòng Hành chính", Code: "STP-HC"})
	})
	if stp.Name != "Sở Tư pháp" || stp.Code != "STP" {
		t.Fatalf("unit not cleaned: %+v", stp)
	}
	ctx := context.Background()
	errs := []struct {
		u    cd.Unit
		code string
	}{
		{cd.Unit{Kind: cd.UnitGrassroots, ParentID: stp.ID, Name: "Trong STP", Code: "XX"}, cd.EINVALID}, // grassroots under grassroots
		{cd.Unit{Kind: cd.UnitSub, ParentID: 1, Name: "Tổ dưới tỉnh", Code: "YY"}, cd.EINVALID},          // sub directly under province
		{cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Trùng mã", Code: "kbnn"}, cd.ECONFLICT},    // code taken
		{cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Mã sai", Code: "1AB"}, cd.EINVALID},        // bad code
		{cd.Unit{Kind: cd.UnitProvince, Name: "Tỉnh thứ hai", Code: "T2"}, cd.ECONFLICT},                 // second root
		{cd.Unit{Kind: cd.UnitGrassroots, ParentID: 999, Name: "Không cha", Code: "ZZ"}, cd.ENOTFOUND},   // missing parent
	}
	for _, e := range errs {
		err := db.Update(ctx, func(tx *storage.Tx) error { return tx.CreateUnit(&e.u) })
		if cd.ErrorCode(err) != e.code {
			t.Errorf("create %+v: %v, want %s", e.u, err, e.code)
		}
	}
	units, err := db.Units(ctx, cd.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, u := range units {
		codes = append(codes, u.Code)
	}
	if got := strings.Join(codes, ","); got != "TINH,KBNN,STP,STP-HC" {
		t.Fatalf("tree order = %s", got)
	}
	found, _ := db.Units(ctx, cd.UnitFilter{Search: "so tu PHAP"})
	if len(found) != 1 || found[0].Code != "STP" {
		t.Fatalf("search without diacritics found %+v", found)
	}
}

func TestMembersIdentitiesAndErase(t *testing.T) {
	db, _ := openDB(t)
	var m cd.Member
	update(t, db, func(tx *storage.Tx) error {
		m = cd.Member{FullName: "Nguyễn Văn An", UnitID: 1, Role: cd.RoleMember, Status: cd.StatusPending, Phone: "0912345678", ConsentAt: t0}
		if err := tx.CreateMember(&m, cd.Identity{Platform: cd.PlatformTelegram, UserID: "42", ChatID: "42"}); err != nil {
			return err
		}
		return tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformZalo, UserID: "6ede9afa66b88fe6d6a9"})
	})
	// One platform account belongs to one member.
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		other := cd.Member{FullName: "Người Khác", UnitID: 1, Role: cd.RoleMember, Status: cd.StatusPending}
		return tx.CreateMember(&other, cd.Identity{Platform: cd.PlatformTelegram, UserID: "42"})
	})
	if cd.ErrorReason(err) != cd.ReasonIdentityTaken {
		t.Fatalf("second member on the same account: %v", err)
	}
	update(t, db, func(tx *storage.Tx) error {
		got, err := tx.MemberByIdentity(cd.PlatformZalo, "6ede9afa66b88fe6d6a9")
		if err != nil || got == nil || got.ID != m.ID || got.UnitCode != "TINH" {
			t.Fatalf("member by zalo identity = %+v, %v", got, err)
		}
		// Status changes are guarded by the expected status.
		if err := tx.SetMemberStatus(m.ID, cd.StatusPending, cd.StatusActive, 0, ""); err != nil {
			return err
		}
		if err := tx.SetMemberStatus(m.ID, cd.StatusPending, cd.StatusRejected, 0, ""); cd.ErrorCode(err) != cd.ECONFLICT {
			t.Fatalf("second decision: %v", err)
		}
		return tx.SaveFlow(cd.PlatformTelegram, "42", `{"name":"x"}`)
	})
	if err := db.MarkUnreachable(context.Background(), cd.PlatformTelegram, "42", "blocked"); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *storage.Tx) error {
		addr, ok, err := tx.AddressOf(m.ID)
		if err != nil || !ok || addr.Platform != cd.PlatformZalo {
			t.Fatalf("address with telegram unreachable = %+v %v %v", addr, ok, err)
		}
		return tx.EraseMember(m.ID)
	})
	update(t, db, func(tx *storage.Tx) error {
		got, err := tx.MemberByID(m.ID)
		if err != nil {
			return err
		}
		if got.FullName != "" || got.Phone != "" || got.Status != cd.StatusLeft || got.DeletedAt.IsZero() {
			t.Fatalf("after erase: %+v", got)
		}
		ids, _ := tx.Identities(m.ID)
		flow, _ := tx.Flow(cd.PlatformTelegram, "42")
		if len(ids) != 0 || flow != "" {
			t.Fatalf("identities %v and flow %q left after erase", ids, flow)
		}
		return nil
	})
	var rows []cd.Member
	if err := db.ExportMembers(context.Background(), func(m cd.Member) error { rows = append(rows, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].FullName != "" {
		t.Fatalf("export after erase = %+v", rows)
	}
}

func TestOutbox(t *testing.T) {
	db, path := openDB(t)
	ctx := context.Background()
	now := t0
	db.Now = func() time.Time { return now }
	update(t, db, func(tx *storage.Tx) error {
		for i, key := range []string{"a", "a", "", "b"} {
			it := &cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "1"}, DedupKey: key,
				Message: cd.Message{Text: "tin " + string(rune('0'+i)), Choices: []cd.Choice{{ID: "y", Label: "Có"}}}}
			inserted, err := tx.Enqueue(it)
			if err != nil {
				return err
			}
			if wantInserted := i != 1; inserted != wantInserted {
				t.Fatalf("enqueue %d inserted=%v", i, inserted)
			}
		}
		return nil
	})
	_ = path
	due, err := db.DueOutbox(ctx, cd.PlatformTelegram, 10)
	if err != nil || len(due) != 3 || due[0].Message.Choices[0].Label != "Có" {
		t.Fatalf("due = %+v, %v", due, err)
	}
	if err := db.MarkSent(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRetry(ctx, due[1].ID, "502", now.Add(time.Minute), true); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, due[2].ID, "400 bad"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueOutbox(ctx, cd.PlatformTelegram, 10); len(due) != 0 {
		t.Fatalf("due after marking = %+v", due)
	}
	next, ok, err := db.NextDue(ctx, cd.PlatformTelegram)
	if err != nil || !ok || !next.Equal(now.Add(time.Minute)) {
		t.Fatalf("next due = %v %v %v", next, ok, err)
	}
	now = now.Add(time.Minute)
	due, _ = db.DueOutbox(ctx, cd.PlatformTelegram, 10)
	if len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "502" {
		t.Fatalf("retried item = %+v", due)
	}
	counts, _ := db.OutboxCounts(ctx)
	if counts[cd.OutboxSent] != 1 || counts[cd.OutboxFailed] != 1 || counts[cd.OutboxPending] != 1 {
		t.Fatalf("counts = %v", counts)
	}
}

func TestBackup(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	copyDB, err := storage.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	units, err := copyDB.Units(ctx, cd.UnitFilter{})
	copyDB.Close()
	if err != nil || len(units) != 1 {
		t.Fatalf("units in copy = %v, %v", units, err)
	}
	before, _ := os.ReadFile(out)
	if err := db.Backup(ctx, out); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("second backup to the same file: %v", err)
	}
	after, _ := os.ReadFile(out)
	if len(before) != len(after) {
		t.Fatal("the existing file was changed")
	}
}

func TestMemberCountsWithUndecidedMembers(t *testing.T) {
	db, _ := openDB(t)
	update(t, db, func(tx *storage.Tx) error {
		// Members stored without a decision time (bulk imports, the demo's
		// older rows) must count, not break the sum.
		for i, st := range []cd.Status{cd.StatusActive, cd.StatusActive, cd.StatusPending} {
			m := &cd.Member{FullName: fmt.Sprintf("Người Số %d", i), UnitID: 1, Role: cd.RoleMember, Status: st}
			if err := tx.CreateMember(m, cd.Identity{Platform: cd.PlatformConsole, UserID: fmt.Sprint(i)}); err != nil {
				return err
			}
		}
		counts, err := tx.MemberCounts(t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil {
			return err
		}
		if c := counts[1]; c.Active != 2 || c.New != 0 {
			t.Fatalf("counts = %+v", c)
		}
		return nil
	})
}
