package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?' || ?, 'it''s ?' FROM t WHERE x = ?`, `SELECT '?' || $1, 'it''s ?' FROM t WHERE x = $2`},
		{"SELECT ? -- who? me?\n, ?", "SELECT $1 -- who? me?\n, $2"},
		{`SELECT a FROM t WHERE b <= ?1 AND c = ?2 AND d > ?1 LIMIT ?12`, `SELECT a FROM t WHERE b <= $1 AND c = $2 AND d > $1 LIMIT $12`},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every migration exists for both engines, under the same number and name.
func TestMigrationsPerEngine(t *testing.T) {
	lite, err := migrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL ones: write each in both dialects", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].name != pg[i].name {
			t.Errorf("migration %d: %s for SQLite, %s for PostgreSQL", i+1, lite[i].name, pg[i].name)
		}
	}
	if _, err := fs.Stat(migrationFS, "migrations/postgres"); err != nil {
		t.Fatal(err)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://bot:s3cret-pw@db.example.vn:6432/congdoan?sslmode=require": "postgres://bot@db.example.vn:6432/congdoan",
		"host=127.0.0.1 port=5433 user=bot password=s3cret-pw dbname=cd":       "postgres://bot@127.0.0.1:5433/cd",
		"postgres://bot:s3cret-pw@[::1/x":                                      "postgres://(unparsable)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// The copy to PostgreSQL covers every table of the schema.
func TestCopyCoversSchema(t *testing.T) {
	db, err := Open(t.Context(), t.TempDir()+"/s.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.read.QueryContext(t.Context(), `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('schema_migrations') AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	listed := map[string]bool{}
	for _, c := range copyTables {
		listed[c.name] = true
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !listed[name] {
			t.Errorf("table %s is not in copyTables: migrate-to-postgres would leave it behind", name)
		}
		delete(listed, name)
	}
	for name := range listed {
		t.Errorf("copyTables lists %s, which the schema does not have", name)
	}
}

// PostgreSQL's full disk and damaged pages are classified as SQLite's are.
func TestClassifyPostgres(t *testing.T) {
	for code, want := range map[string]error{"53100": ErrDiskFull, "XX001": ErrCorrupt, "XX002": ErrCorrupt, "23505": nil} {
		err := classify(fmt.Errorf("store update: %w", &pgconn.PgError{Code: code, Message: "x"}))
		if got := errors.Is(err, ErrDiskFull) || errors.Is(err, ErrCorrupt); got != (want != nil) || want != nil && !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", code, err, want)
		}
	}
}
