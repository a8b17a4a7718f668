package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/congdoanbot/congdoanbot/storage/internal/pgtest"
)

// TestWriterConfig: the writer's session gets IdleInTransactionTimeout
// unless the URL sets its own.
func TestWriterConfig(t *testing.T) {
	for url, want := range map[string]string{
		"postgres://u@h/db": IdleInTransactionTimeout,
		"postgres://u@h/db?idle_in_transaction_session_timeout=5s": "5s",
	} {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		if got := writerConfig(cfg).RuntimeParams["idle_in_transaction_session_timeout"]; got != want {
			t.Errorf("%s: timeout %q, want %q", url, got, want)
		}
		if _, set := cfg.RuntimeParams["idle_in_transaction_session_timeout"]; set && want == IdleInTransactionTimeout {
			t.Errorf("%s: writerConfig changed the config it was given", url)
		}
	}
}

// TestVanishedWriterFreesTheLock: an instance stuck in the middle of a
// write transaction (as one whose machine vanished) holds the write lock
// only until the server ends its idle session; the other instance's
// writes then go on, and the stuck instance's next transaction works on
// a new connection.
func TestVanishedWriterFreesTheLock(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	stuck, err := OpenPostgres(ctx, url+sep+"idle_in_transaction_session_timeout=1s")
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	other, err := OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var setting string
	if err := other.write.db.QueryRowContext(ctx, `SHOW idle_in_transaction_session_timeout`).Scan(&setting); err != nil || setting != IdleInTransactionTimeout {
		t.Fatalf("the writer's idle_in_transaction_session_timeout: %q, %v; want %s", setting, err, IdleInTransactionTimeout)
	}
	write := func(db *DB, key string, then func()) error {
		return db.Update(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO kv (key, value) VALUES (?, 'x')`, key); err != nil {
				return err
			}
			then()
			return nil
		})
	}
	holding, release := make(chan struct{}), make(chan struct{})
	stuckErr := make(chan error, 1)
	go func() { stuckErr <- write(stuck, "stuck", func() { close(holding); <-release }) }()
	<-holding
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := other.Update(wctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(wctx, `INSERT INTO kv (key, value) VALUES ('other', 'x')`)
		return err
	}); err != nil {
		t.Fatalf("the other instance's write while one is stuck: %v", err)
	}
	t.Logf("the other instance wrote %s after the stuck one took the lock", time.Since(start).Round(10*time.Millisecond))
	close(release)
	if err := <-stuckErr; err == nil {
		t.Fatal("the stuck transaction committed after the server ended its session")
	}
	if err := write(stuck, "after", func() {}); err != nil {
		t.Fatalf("the stuck instance's next write: %v", err)
	}
	if v, err := other.KV(ctx, "stuck"); err != nil || v != "" {
		t.Fatalf("the stuck transaction's row: %q, %v; want none", v, err)
	}
}
