// Package pgtest creates throw-away databases on the PostgreSQL server of
// the tests (CONGDOANBOT_TEST_POSTGRES). storagetest builds on it; the
// storage package's own tests and benchmarks use it directly.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// The environment variables the PostgreSQL variants read.
const (
	EnvPostgres = "CONGDOANBOT_TEST_POSTGRES"    // URL of a server where tests may create databases
	EnvRequire  = "CONGDOANBOT_REQUIRE_POSTGRES" // "1": fail rather than skip without a server
)

// server is the test server's admin connection, opened once.
var server struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// Missing says why PostgreSQL tests cannot run, or "" when they can.
func Missing() string {
	if os.Getenv(EnvPostgres) != "" {
		return ""
	}
	return "PostgreSQL: " + EnvPostgres + " is not set (a URL such as postgres://postgres@127.0.0.1:5432/postgres " +
		"of a server where tests may create databases; .ci/test starts one)"
}

// URL creates a database with a random name on the test server and
// returns its URL; the database is dropped when the test ends. Without a
// server the test skips, or fails when CONGDOANBOT_REQUIRE_POSTGRES=1.
func URL(tb testing.TB) string {
	tb.Helper()
	if msg := Missing(); msg != "" {
		if os.Getenv(EnvRequire) == "1" {
			tb.Fatal(msg + ", and " + EnvRequire + "=1")
		}
		tb.Skip(msg)
	}
	u, drop, err := Create()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Error(err)
		}
	})
	return u
}

// Create creates a database on the test server and returns its URL and
// the function that drops it, for a database that outlives one test (a
// benchmark's).
func Create() (string, func() error, error) {
	admin := os.Getenv(EnvPostgres)
	server.once.Do(func() {
		server.db, server.err = sql.Open("pgx", admin)
		if server.err == nil {
			server.err = server.db.Ping()
		}
	})
	if server.err != nil {
		return "", nil, fmt.Errorf("PostgreSQL test server (%s): %w", EnvPostgres, server.err)
	}
	var b [8]byte
	rand.Read(b[:])
	name := "congdoanbot_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := server.db.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	drop := func() error {
		if _, err := server.db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			return fmt.Errorf("drop test database %s: %w", name, err)
		}
		return nil
	}
	return withDatabase(admin, name), drop, nil
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
