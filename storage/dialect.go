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
// written with ? placeholders.
type dbTx struct {
	tx *sql.Tx
	pg bool
}

func (t *dbTx) query(q string) string {
	if t.pg {
		return rebind(q)
	}
	return q
}

func (t *dbTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.query(q), args...)
}

func (t *dbTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.query(q), args...)
}

func (t *dbTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.query(q), args...)
}

func (t *dbTx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
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
