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
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/congdoanbot/congdoanbot/storage"
)

// The environment variables the PostgreSQL variants read.
const (
	EnvPostgres = "CONGDOANBOT_TEST_POSTGRES"    // URL of a server where tests may create databases
	EnvRequire  = "CONGDOANBOT_REQUIRE_POSTGRES" // "1": fail rather than skip without a server
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

// server is the test server's admin connection, opened once.
var server struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// PostgresURL creates a database with a random name on the test server
// and returns its URL; the database is dropped when the test ends. Without
// a server the test skips, or fails when CONGDOANBOT_REQUIRE_POSTGRES=1.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		msg := "PostgreSQL: " + EnvPostgres + " is not set (a URL such as postgres://postgres@127.0.0.1:5432/postgres " +
			"of a server where tests may create databases; .ci/test starts one)"
		if os.Getenv(EnvRequire) == "1" {
			tb.Fatal(msg + ", and " + EnvRequire + "=1")
		}
		tb.Skip(msg)
	}
	server.once.Do(func() {
		server.db, server.err = sql.Open("pgx", admin)
		if server.err == nil {
			server.err = server.db.Ping()
		}
	})
	if server.err != nil {
		tb.Fatalf("PostgreSQL test server %s: %v", storage.RedactURL(admin), server.err)
	}
	var b [8]byte
	rand.Read(b[:])
	name := "congdoanbot_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := server.db.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := server.db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// withDatabase returns the connection string admin with its database
// replaced by name.
func withDatabase(admin, name string) string {
	if strings.HasPrefix(admin, "postgres://") || strings.HasPrefix(admin, "postgresql://") {
		if u, err := url.Parse(admin); err == nil {
			u.Path = "/" + name
			return u.String()
		}
	}
	return admin + " dbname=" + name
}
