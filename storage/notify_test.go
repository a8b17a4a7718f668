package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestListenAcrossHandles: rows queued through one database handle (one
// instance) wake a listener on another: one notification per kind and
// committed transaction, none for a transaction rolled back; the listener
// survives its connection being killed and hears what comes after.
func TestListenAcrossHandles(t *testing.T) {
	a, target := storagetest.Open(t, storage.Postgres)
	b, err := storage.Dial(context.Background(), storage.Postgres, target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	notes, listening := make(chan string, 100), make(chan struct{}, 10)
	done := make(chan error, 1)
	go func() {
		done <- b.Listen(ctx, storage.Listener{
			Notify:    func(kind, platform string) { notes <- kind + " " + platform },
			Listening: func() { listening <- struct{}{} },
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	wait := func(what string, ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not within 10 s", what)
		}
	}
	expect := func(want string) {
		t.Helper()
		select {
		case got := <-notes:
			if got != want {
				t.Fatalf("notification %q, want %q", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no notification %q within 10 s", want)
		}
	}
	enqueue := func(p cd.Platform, n int, commit bool) {
		t.Helper()
		err := a.Update(context.Background(), func(tx *storage.Tx) error {
			for i := range n {
				if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: p, ChatID: string(rune('a' + i))},
					Message: cd.Message{Text: "tin"}}); err != nil {
					return err
				}
			}
			if !commit {
				return context.Canceled
			}
			return nil
		})
		if (err == nil) != commit {
			t.Fatal(err)
		}
	}
	wait("listening", listening)
	enqueue(cd.PlatformZalo, 1, false) // rolled back: nothing to tell
	enqueue(cd.PlatformTelegram, 20, true)
	expect("outbox telegram") // once for 20 rows, and not zalo's
	if _, _, err := a.PutInbox(context.Background(), "zalo", "u1", "c1", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	expect("inbox zalo")

	killListener(t, target)
	wait("listening again after the connection was killed", listening)
	enqueue(cd.PlatformZalo, 2, true)
	expect("outbox zalo")
}

// killListener ends the listening connection on the database at url
// from another connection, as a server restart or a network cut would.
func killListener(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'`).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("killed %d listening connections (%v), want 1", n, err)
	}
}
