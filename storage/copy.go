package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyTable is a table that CopyToPostgres copies: its name, the columns
// of its primary key (the order rows are compared in), and whether its id
// is an identity whose sequence must follow the copied ids.
type copyTable struct {
	name     string
	key      string
	identity bool
}

// copyTables are every table of the schema but schema_migrations, which
// each engine keeps for itself. TestCopyCoversSchema checks the list
// against the migrations.
var copyTables = []copyTable{
	{"units", "id", true}, {"members", "id", true}, {"identities", "id", true}, {"audit_log", "id", true},
	{"flows", "platform, user_id", false}, {"announcements", "id", true}, {"outbox", "id", true},
	{"inbox", "id", true}, {"kv", "key", false}, {"activity_kinds", "code", false}, {"campaigns", "id", true},
	{"campaign_kinds", "campaign_id, kind", false}, {"campaign_targets", "campaign_id, unit_id, kind", false},
	{"activities", "id", true}, {"unit_reports", "unit_id, month", false}, {"funds", "id", true},
	{"pledges", "id", true}, {"pledge_payments", "id", true}, {"job_runs", "job, period", false},
	{"media", "id", true}, {"link_codes", "code", false}, {"zalo_oa_contacts", "user_id", false},
	{"zalo_oa_tokens", "id", true}, {"zalo_oa_auth_requests", "state", false},
	{"web_logins", "token_hash", false}, {"web_sessions", "id_hash", false}, {"member_names", "member_id", false},
	{"surveys", "id", true}, {"survey_respondents", "survey_id, member_id", false},
	{"survey_responses", "survey_id, response_key", false}, {"events", "id", true},
	{"event_rsvps", "event_id, member_id", false}, {"leases", "name", false},
}

// triggerKept are the tables triggers fill as the tables they follow are
// copied (member_names, from members): they are emptied just before their
// own copy, which brings what SQLite holds (the folded names too).
var triggerKept = map[string]bool{"member_names": true}

// TableCopy is what CopyToPostgres did with one table: rows copied and
// the checksum both sides agreed on.
type TableCopy struct {
	Table    string
	Rows     int64
	Checksum string // SHA-256 of a canonical text form of the rows in key order, first 16 hex digits
}

// ErrTargetNotEmpty is returned by CopyToPostgres for a target that holds
// data already.
var ErrTargetNotEmpty = errors.New("the PostgreSQL database is not empty")

// CopyToPostgres copies every row of src, a SQLite database, into dst, an
// empty PostgreSQL database (its schema may exist; its tables must hold no
// rows but the seeded kinds of activity, which the copy replaces). It
// copies in one transaction with the foreign keys checked at its end,
// reads every table back, and commits only when each has as many rows as
// in src and the same checksum; then it moves each id sequence past the
// copied ids. src is read on one snapshot.
func CopyToPostgres(ctx context.Context, src, dst *DB) ([]TableCopy, error) {
	if src.engine != SQLite || dst.engine != Postgres {
		return nil, fmt.Errorf("copy: from SQLite to PostgreSQL only, not %s to %s", src.engine, dst.engine)
	}
	if err := dst.checkEmpty(ctx); err != nil {
		return nil, err
	}
	conn, err := dst.write.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy: connect to %s: %w", dst.path, err)
	}
	defer conn.Close()
	var out []TableCopy
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		return pgx.BeginFunc(ctx, pc, func(tx pgx.Tx) error {
			var err error
			out, err = copyAll(ctx, src, tx)
			return err
		})
	})
	return out, err
}

// checkEmpty refuses a target with rows in any table but the seeded
// activity kinds.
func (db *DB) checkEmpty(ctx context.Context) error {
	var full []string
	for _, t := range copyTables {
		if t.name == "activity_kinds" {
			continue
		}
		var rows bool
		if err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&rows); err != nil {
			return fmt.Errorf("copy: check that %s is empty: %w", db.path, err)
		}
		if rows {
			full = append(full, t.name)
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("copy: %w: %s has rows in %s; copy into a new, empty database", ErrTargetNotEmpty, db.path,
			strings.Join(full, ", "))
	}
	return nil
}

// copyAll copies and verifies every table inside tx, on one read
// snapshot of src.
func copyAll(ctx context.Context, src *DB, tx pgx.Tx) ([]TableCopy, error) {
	for _, q := range []string{`SELECT pg_advisory_xact_lock(` + strconv.FormatInt(writeLock, 10) + `)`,
		`SET CONSTRAINTS ALL DEFERRED`, `DELETE FROM activity_kinds`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("copy: prepare the target: %w", err)
		}
	}
	var out []TableCopy
	err := src.view(ctx, func(rt *dbTx) error {
		for _, t := range copyTables {
			if triggerKept[t.name] {
				if _, err := tx.Exec(ctx, `DELETE FROM `+t.name); err != nil {
					return fmt.Errorf("copy table %s: empty it first: %w", t.name, err)
				}
			}
			c, err := copyTableRows(ctx, rt, tx, t)
			if err != nil {
				return fmt.Errorf("copy table %s: %w", t.name, err)
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range copyTables {
		if !t.identity {
			continue
		}
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t.name+`', 'id'), COALESCE(MAX(id), 0) + 1, false)
			FROM `+t.name); err != nil {
			return nil, fmt.Errorf("copy: move the id sequence of %s past the copied ids: %w", t.name, err)
		}
	}
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
		return nil, fmt.Errorf("copy: the copied rows break a foreign key: %w", err)
	}
	return out, nil
}

// copyTableRows streams one table from src into dst with COPY, then reads
// it back and compares row counts and checksums.
func copyTableRows(ctx context.Context, src *dbTx, dst pgx.Tx, t copyTable) (TableCopy, error) {
	cols, types, err := targetColumns(ctx, dst, t.name)
	if err != nil {
		return TableCopy{}, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	list := strings.Join(quoted, ", ")
	rows, err := src.QueryContext(ctx, `SELECT `+list+` FROM `+t.name+` ORDER BY `+t.key)
	if err != nil {
		return TableCopy{}, fmt.Errorf("read the SQLite table (does its schema match?): %w", err)
	}
	defer rows.Close()
	in := &copySource{rows: rows, types: types, sum: newRowSum(types)}
	if _, err := dst.CopyFrom(ctx, pgx.Identifier{t.name}, cols, in); err != nil {
		return TableCopy{}, fmt.Errorf("write: %w", err)
	}
	if err := rows.Err(); err != nil {
		return TableCopy{}, err
	}
	back, err := dst.Query(ctx, `SELECT `+list+` FROM `+t.name+` ORDER BY `+t.key)
	if err != nil {
		return TableCopy{}, fmt.Errorf("read back: %w", err)
	}
	defer back.Close()
	check := newRowSum(types)
	for back.Next() {
		vals, err := back.Values()
		if err != nil {
			return TableCopy{}, fmt.Errorf("read back: %w", err)
		}
		check.add(vals)
	}
	if err := back.Err(); err != nil {
		return TableCopy{}, fmt.Errorf("read back: %w", err)
	}
	if in.sum.rows != check.rows || in.sum.hex() != check.hex() {
		return TableCopy{}, fmt.Errorf("verification failed: SQLite has %d rows (checksum %s), PostgreSQL %d (checksum %s)",
			in.sum.rows, in.sum.hex(), check.rows, check.hex())
	}
	return TableCopy{Table: t.name, Rows: check.rows, Checksum: check.hex()}, nil
}

// targetColumns lists a PostgreSQL table's columns and their types, in
// order.
func targetColumns(ctx context.Context, tx pgx.Tx, table string) (cols, types []string, err error) {
	rows, err := tx.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, nil, fmt.Errorf("columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, ty string
		if err := rows.Scan(&c, &ty); err != nil {
			return nil, nil, fmt.Errorf("columns: %w", err)
		}
		cols, types = append(cols, c), append(types, ty)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(cols) == 0 {
		return nil, nil, fmt.Errorf("no table %s in the PostgreSQL schema", table)
	}
	return cols, types, nil
}

// copySource feeds SQLite rows to COPY, as the target's types want them,
// adding each to the source checksum.
type copySource struct {
	rows  *sql.Rows
	types []string
	sum   *rowSum
	vals  []any
	err   error
}

func (s *copySource) Next() bool {
	if !s.rows.Next() {
		return false
	}
	raw := make([]any, len(s.types))
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if s.err = s.rows.Scan(ptrs...); s.err != nil {
		return false
	}
	for i, v := range raw {
		if str, ok := v.(string); ok && s.types[i] == "bytea" {
			raw[i] = []byte(str)
		}
	}
	s.vals = raw
	s.sum.add(raw)
	return true
}

func (s *copySource) Values() ([]any, error) { return s.vals, nil }
func (s *copySource) Err() error             { return s.err }

// rowSum is a checksum over rows in a canonical text form: each value by
// the target column's type (NULL, decimal integer, quoted text, hex bytes),
// whichever engine and driver read it.
type rowSum struct {
	types []string
	h     hash.Hash
	rows  int64
}

func newRowSum(types []string) *rowSum { return &rowSum{types: types, h: sha256.New()} }

func (r *rowSum) add(vals []any) {
	r.rows++
	for i, v := range vals {
		if i > 0 {
			r.h.Write([]byte{0x1f})
		}
		r.h.Write([]byte(canonical(r.types[i], v)))
	}
	r.h.Write([]byte{0x1e})
}

func (r *rowSum) hex() string { return hex.EncodeToString(r.h.Sum(nil))[:16] }

func canonical(typ string, v any) string {
	if v == nil {
		return `\N`
	}
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case []byte:
		if typ == "bytea" {
			return "x" + hex.EncodeToString(x)
		}
		return strconv.Quote(string(x))
	case string:
		if typ == "bytea" {
			return "x" + hex.EncodeToString([]byte(x))
		}
		return strconv.Quote(x)
	}
	return fmt.Sprintf("?%T:%v", v, v)
}
