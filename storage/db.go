// Package storage keeps the bot's data in SQLite (modernc.org/sqlite). It
// is the only package with SQL in it. Every exported method of DB is one
// transaction; Tx groups several operations into one, for the conversation
// core, which applies each received update in a single transaction.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// timeFormat is how times are stored: UTC, fixed width, so that text order
// is time order.
const timeFormat = "2006-01-02T15:04:05.000Z"

// DB is the bot's database: one writer connection (SQLite allows one writer
// at a time; a single connection with immediate transactions never fails
// with SQLITE_BUSY) and a pool of readers.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// ErrSchemaTooNew is returned by Open when the database was migrated by a
// newer binary than this one.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary knows")

// dsn builds the connection string with pragmas for every pooled connection.
func dsn(file string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + file + "?" + q.Encode()
}

// Open opens (creating if needed) the database at file and applies the
// embedded migrations it lacks.
func Open(ctx context.Context, file string) (*DB, error) {
	if file == "" {
		return nil, errors.New("open database: no path given")
	}
	w, err := sql.Open("sqlite", dsn(file, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", file, err)
	}
	w.SetMaxOpenConns(1)
	db := &DB{path: file, write: w, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, classify(err)
	}
	r, err := sql.Open("sqlite", dsn(file, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", file, err)
	}
	r.SetMaxOpenConns(4)
	db.read = r
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %q: name must start with a number and '_'", e.Name())
		}
		body, err := fs.ReadFile(migrationFS, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest migration this binary carries.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("read embedded migrations: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate %s: %w", db.path, err)
	}
	applied, current, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	if newest := ms[len(ms)-1].version; current > newest {
		return fmt.Errorf("%w: %s is at version %d, this binary knows up to %d; use a newer congdoanbot",
			ErrSchemaTooNew, db.path, current, newest)
	}
	// Every migration not recorded yet, in order: numbers developed in
	// parallel may land after a higher one was applied.
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := db.Update(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, fmtTime(db.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("apply migration %s to %s: %w", m.name, db.path, err)
		}
	}
	return nil
}

// appliedMigrations returns the versions recorded and the highest.
func (db *DB) appliedMigrations(ctx context.Context) (map[int]bool, int, error) {
	rows, err := db.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, 0, fmt.Errorf("migrate %s: read schema version: %w", db.path, err)
	}
	defer rows.Close()
	applied, current := map[int]bool{}, 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, 0, fmt.Errorf("migrate %s: read schema version: %w", db.path, err)
		}
		applied[v], current = true, max(current, v)
	}
	return applied, current, rows.Err()
}

// Tx is one write transaction. Its methods are the operations the
// conversation core needs; they are valid only inside the function passed
// to Update.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	now time.Time
}

// Now is the time the transaction started, from the database's clock.
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn in one write transaction, committed if fn returns nil and
// rolled back otherwise (also when fn panics; the panic goes on). A full
// disk or a corrupt file puts ErrDiskFull or ErrCorrupt in the error's
// chain.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) (err error) {
	defer func() { err = classify(err) }()
	sqltx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = sqltx.Rollback()
		}
	}()
	if err := fn(&Tx{ctx: ctx, tx: sqltx, now: db.Now()}); err != nil {
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	committed = true
	return nil
}

// view runs fn in a read-only transaction on the reader pool: a consistent
// snapshot that never blocks the writer.
func (db *DB) view(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return classify(fmt.Errorf("begin read transaction: %w", err))
	}
	defer tx.Rollback()
	return classify(fn(tx))
}

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeFormat, s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// querier is what both *sql.Tx and *sql.DB offer, so that read helpers
// serve inside a write transaction and on the reader pool alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
