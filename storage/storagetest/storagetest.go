// Package storagetest gives tests a fresh database on each storage
// engine: a file in a temporary directory for SQLite, and for PostgreSQL
// a database created for the test on the server named by
// CONGDOANBOT_TEST_POSTGRES and dropped when the test ends.
//
// Without CONGDOANBOT_TEST_POSTGRES the PostgreSQL variants skip, saying
// so; with CONGDOANBOT_REQUIRE_POSTGRES=1 they fail instead (CI sets it,
// so that a missing server cannot pass for a green run).
package storagetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/internal/pgtest"
)

// The environment variables the PostgreSQL variants read.
const (
	EnvPostgres = pgtest.EnvPostgres // URL of a server where tests may create databases
	EnvRequire  = pgtest.EnvRequire  // "1": fail rather than skip without a server
)

// Engines are the engines tests run on, SQLite first.
var Engines = []storage.Engine{storage.SQLite, storage.Postgres}

// Run runs fn once per engine, as subtests named after them.
func Run(t *testing.T, fn func(t *testing.T, e storage.Engine)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// Target returns where a new, empty database of engine e is: a file
// name in a temporary directory, or the URL of a database created on the
// test server, dropped when the test ends.
func Target(tb testing.TB, e storage.Engine) string {
	tb.Helper()
	if e == storage.Postgres {
		return PostgresURL(tb)
	}
	return filepath.Join(tb.TempDir(), "test.db")
}

// Open opens a new database of engine e (migrated, empty), closed when
// the test ends. It returns the database and its target, for reopening.
func Open(tb testing.TB, e storage.Engine) (*storage.DB, string) {
	tb.Helper()
	target := Target(tb, e)
	db, err := storage.Dial(context.Background(), e, target)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, target
}

// PostgresURL creates a database with a random name on the test server
// and returns its URL; the database is dropped when the test ends. Without
// a server the test skips, or fails when CONGDOANBOT_REQUIRE_POSTGRES=1.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	return pgtest.URL(tb)
}
