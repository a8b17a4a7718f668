// Package storage keeps the bot's data in SQLite (modernc.org/sqlite) or
// PostgreSQL (github.com/jackc/pgx/v5). It is the only package with SQL in
// it. Every exported method of DB is one transaction; Tx groups several
// operations into one, for the conversation core, which applies each
// received update in a single transaction. On both engines write
// transactions are serialized (see Update) and reads see a snapshot.
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

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// timeFormat is how times are stored: UTC, fixed width, so that text order
// is time order.
const timeFormat = "2006-01-02T15:04:05.000Z"

// DB is the bot's database: one writer connection (SQLite allows one writer
// at a time; a single connection with immediate transactions never fails
// with SQLITE_BUSY) and a pool of readers.
type DB struct {
	engine Engine
	path   string // the file, or the PostgreSQL URL without its password
	write  *dbPool
	read   *dbPool
	pgcfg  *pgx.ConnConfig // PostgreSQL: for the listening connection (Listen)

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
	db := &DB{engine: SQLite, path: file, write: &dbPool{db: w}, Now: time.Now}
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
	db.read = &dbPool{db: r}
	return db, nil
}

// Dial opens the database of engine e at target: a file for SQLite (see
// Open), a URL for PostgreSQL (see OpenPostgres).
func Dial(ctx context.Context, e Engine, target string) (*DB, error) {
	switch e {
	case SQLite, "":
		return Open(ctx, target)
	case Postgres:
		return OpenPostgres(ctx, target)
	}
	return nil, fmt.Errorf("open database: unknown storage engine %q (sqlite or postgres)", e)
}

// Close closes the database.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

// Path is the file the database lives in; on PostgreSQL, the server and
// Ping reports whether the database answers now, through a reader's
// connection (the writer's may be busy in a long transaction): a webhook
// server's GET /healthz asks it, so that a load balancer leaves out an
// instance cut off from its database.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.db.PingContext(ctx); err != nil {
		return classify(fmt.Errorf("ping database %s: %w", db.path, err))
	}
	return nil
}

// database as a URL without the password.
func (db *DB) Path() string { return db.path }

// Engine is the storage engine the database runs on.
func (db *DB) Engine() Engine { return db.engine }

type migration struct {
	version int
	name    string
	sql     string
}

// migrationDir holds an engine's migrations: the same numbered files,
// each written in the engine's dialect.
func migrationDir(e Engine) string {
	if e == Postgres {
		return "migrations/postgres"
	}
	return "migrations"
}

func migrations(e Engine) ([]migration, error) {
	dir := migrationDir(e)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %q: name must start with a number and '_'", e.Name())
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
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
	ms, err := migrations(SQLite)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations(db.engine)
	if err != nil {
		return fmt.Errorf("read embedded migrations: %w", err)
	}
	var applied map[int]bool
	var current int
	err = db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return err
		}
		applied, current, err = appliedMigrations(ctx, tx.tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate %s: read schema version: %w", db.path, err)
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
		if err := db.Update(ctx, func(tx *Tx) error { return tx.applyMigration(m) }); err != nil {
			return fmt.Errorf("apply migration %s to %s: %w", m.name, db.path, err)
		}
	}
	return nil
}

// applyMigration applies m unless another process did meanwhile (two
// instances starting at once on PostgreSQL).
func (tx *Tx) applyMigration(m migration) error {
	var n int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil || n > 0 {
		return err
	}
	if _, err := tx.tx.tx.ExecContext(tx.ctx, m.sql); err != nil { // as written: no placeholders to rebind
		return err
	}
	_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, fmtTime(tx.now))
	return err
}

// appliedMigrations returns the versions recorded and the highest.
func appliedMigrations(ctx context.Context, q querier) (map[int]bool, int, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	applied, current := map[int]bool{}, 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, 0, err
		}
		applied[v], current = true, max(current, v)
	}
	return applied, current, rows.Err()
}

// Tx is one write transaction. Its methods are the operations the
// conversation core needs; they are valid only inside the function passed
// to Update.
type Tx struct {
	ctx   context.Context
	tx    *dbTx
	now   time.Time
	notes map[string]map[string]bool // kind -> platforms, told at commit (notify.go)
	took  int64                      // the inbox update InboxTake took
}

// Now is the time the transaction started, from the database's clock.
func (tx *Tx) Now() time.Time { return tx.now }

// writeLock is the PostgreSQL advisory lock every write transaction holds
// (see Update); advisory locks are per database, so databases on one
// server do not share it.
const writeLock = 0x636f6e67646f616e // "congdoan"

// Update runs fn in one write transaction, committed if fn returns nil and
// rolled back otherwise (also when fn panics; the panic goes on). A full
// disk or a corrupt file puts ErrDiskFull or ErrCorrupt in the error's
// chain.
//
// Write transactions are serialized, as the storage methods rely on: they
// read and then write (a pledge's paid total, a month's lock, a link
// code's use) as if alone. SQLite does it with one writer connection and
// BEGIN IMMEDIATE; on PostgreSQL every write transaction takes one
// transaction-level advisory lock before its first statement, so writers
// run one at a time across all connections and processes, and each
// statement (READ COMMITTED) sees everything committed before the lock
// was granted. Readers are never blocked. The one statement that may come
// before the lock is InboxTake's row lock on the update being applied
// (see there); a few single-statement writes that need no serializing
// take no write lock at all (updateNoLock).
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, true, fn)
}

// updateNoLock is Update without PostgreSQL's write lock, for writes that
// are atomic on their own and that no serialized transaction needs to
// see unchanged between two of its statements; each caller says why. On
// SQLite it is Update: one writer.
func (db *DB) updateNoLock(ctx context.Context, fn func(*Tx) error) error {
	return db.update(ctx, false, fn)
}

func (db *DB) update(ctx context.Context, lock bool, fn func(*Tx) error) (err error) {
	defer func() { err = classify(err) }()
	sqltx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = sqltx.tx.Rollback()
		}
	}()
	if db.engine == Postgres && lock {
		sqltx.lock = func(ctx context.Context) error {
			_, err := sqltx.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writeLock))
			return err
		}
	}
	tx := &Tx{ctx: ctx, tx: sqltx, now: db.Now()}
	err = fn(tx)
	if err == nil {
		err = tx.sendNotes()
	}
	if sqltx.lockErr != nil {
		return fmt.Errorf("begin transaction: take the write lock: %w", sqltx.lockErr)
	}
	if err != nil {
		return err
	}
	if err := sqltx.tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	committed = true
	return nil
}

// exec runs one write statement as a transaction of its own.
func (db *DB) exec(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		res, err = tx.tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// execNoLock is exec without the write lock (see updateNoLock).
func (db *DB) execNoLock(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = db.updateNoLock(ctx, func(tx *Tx) error {
		res, err = tx.tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// view runs fn in a read-only transaction on the reader pool: a consistent
// snapshot that never blocks the writer (SQLite's WAL; REPEATABLE READ on
// PostgreSQL, where a read-only transaction never fails to serialize).
func (db *DB) view(ctx context.Context, fn func(*dbTx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return classify(fmt.Errorf("begin read transaction: %w", err))
	}
	defer tx.tx.Rollback()
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

// querier is what both a transaction and a pool offer, so that read helpers
// serve inside a write transaction and on the reader pool alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
