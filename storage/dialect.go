package storage

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Engine names a storage engine.
type Engine string

// The engines: SQLite (modernc.org/sqlite), the default, one file per
// province; PostgreSQL (github.com/jackc/pgx/v5 through database/sql).
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// The SQL in this package is written once, in the subset both engines
// share: ? placeholders (rebound to $1, $2, ... for PostgreSQL), ON
// CONFLICT upserts, RETURNING id instead of LastInsertId, flags as
// integers 0 and 1 (passed with flag), times as fixed-width UTC text, and
// string_agg. Only the schema differs, one migration file per engine.

// rebind rewrites the ? placeholders of a query as $1, $2, ..., and
// SQLite's numbered ones, ?1, ?2, ..., as $1, $2, ..., leaving string
// literals and comments alone. A query uses one form or the other.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inString, inComment := false, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case inComment:
			inComment = c != '\n'
		case c == '\'':
			inString = !inString
		case !inString && c == '-' && i+1 < len(q) && q[i+1] == '-':
			inComment = true
		case !inString && c == '?' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			b.WriteByte('$') // ?N: the digits follow as they are
			continue
		case !inString && c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// flag is how a boolean is stored: 1 or 0, on both engines.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dbTx is a transaction that speaks the engine's dialect: its queries are
// written with ? placeholders. On PostgreSQL a write transaction takes the
// write lock (see Update) before its first statement, unless that
// statement is one of the few that run before it (QueryRowBeforeLock).
type dbTx struct {
	tx *sql.Tx
	pg bool
	// lock, while set, is taken before the next statement, then cleared;
	// lockErr keeps its failure, which Update returns.
	lock    func(context.Context) error
	lockErr error
	locked  bool // the write lock was taken
}

func (t *dbTx) query(q string) string {
	if t.pg {
		return rebind(q)
	}
	return q
}

// takeLock takes the pending write lock, once.
func (t *dbTx) takeLock(ctx context.Context) error {
	if t.lock != nil {
		lock := t.lock
		t.lock, t.locked = nil, true
		t.lockErr = lock(ctx)
	}
	return t.lockErr
}

func (t *dbTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := t.takeLock(ctx); err != nil {
		return nil, err
	}
	return t.tx.ExecContext(ctx, t.query(q), args...)
}

func (t *dbTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := t.takeLock(ctx); err != nil {
		return nil, err
	}
	return t.tx.QueryContext(ctx, t.query(q), args...)
}

// QueryRowContext runs a query after taking the write lock; if that
// failed, the transaction is aborted, so the query fails too (and Update
// reports the lock's error).
func (t *dbTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	_ = t.takeLock(ctx)
	return t.tx.QueryRowContext(ctx, t.query(q), args...)
}

// QueryRowBeforeLock runs a query without taking the write lock first:
// for the row lock of an inbox update (InboxTake), which must come before
// the write lock, never after it (see InboxTake).
func (t *dbTx) QueryRowBeforeLock(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.query(q), args...)
}

func (t *dbTx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	if err := t.takeLock(ctx); err != nil {
		return nil, err
	}
	return t.tx.PrepareContext(ctx, t.query(q))
}

// dbPool is a connection pool that speaks the engine's dialect.
type dbPool struct {
	db *sql.DB
	pg bool
}

func (p *dbPool) query(q string) string {
	if p.pg {
		return rebind(q)
	}
	return q
}

func (p *dbPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, p.query(q), args...)
}

func (p *dbPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, p.query(q), args...)
}

func (p *dbPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, p.query(q), args...)
}

func (p *dbPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*dbTx, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &dbTx{tx: tx, pg: p.pg}, nil
}

func (p *dbPool) Close() error { return p.db.Close() }
