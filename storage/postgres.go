package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenPostgres connects to the PostgreSQL database at url (a postgres://
// URL or a "host=... dbname=..." string) and applies the embedded
// migrations it lacks. The database must exist; its schema is created on
// first use. Errors and Path never show the password.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message quotes the URL, with the password masked only
		// as well as a broken URL allows: say less.
		return nil, errors.New("open database: the PostgreSQL URL does not parse; " +
			"write it as postgres://user:password@host:5432/dbname")
	}
	safe := RedactURL(url)
	// Writers take one connection (they run one at a time anyway, see
	// Update); readers have a pool of their own.
	w := stdlib.OpenDB(*writerConfig(cfg))
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{engine: Postgres, path: safe, write: &dbPool{db: w, pg: true}, pgcfg: cfg.Copy(), Now: time.Now}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", safe, err)
	}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r := stdlib.OpenDB(*cfg.Copy())
	r.SetMaxOpenConns(8)
	r.SetConnMaxIdleTime(5 * time.Minute)
	db.read = &dbPool{db: r, pg: true}
	return db, nil
}

// IdleInTransactionTimeout is how long the server lets a writer's session
// sit idle inside a transaction before it ends the session (PostgreSQL's
// idle_in_transaction_session_timeout), unless the URL sets it. A write
// transaction holds the write lock every writer waits for (see Update):
// an instance that vanishes in the middle of one (a machine lost, a
// network cut; a killed process closes its connection and is no
// concern) would otherwise stop every instance's writes until the
// server's TCP keepalive noticed, two hours by default. Our transactions
// are never idle for more than milliseconds between two statements.
const IdleInTransactionTimeout = "30s"

// writerConfig is the config of the writer's connection: cfg with
// IdleInTransactionTimeout unless the URL chose another.
func writerConfig(cfg *pgx.ConnConfig) *pgx.ConnConfig {
	w := cfg.Copy()
	if _, set := w.RuntimeParams["idle_in_transaction_session_timeout"]; !set {
		w.RuntimeParams["idle_in_transaction_session_timeout"] = IdleInTransactionTimeout
	}
	return w
}

// RedactURL gives a PostgreSQL connection string as postgres://user@host:port/dbname,
// without the password or any other parameter, for logs and messages. A
// string that does not parse gives "postgres://(unparsable)".
func RedactURL(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "postgres://(unparsable)"
	}
	host := cfg.Host
	if cfg.Port != 0 {
		host = net.JoinHostPort(host, strconv.Itoa(int(cfg.Port)))
	}
	return "postgres://" + cfg.User + "@" + host + "/" + cfg.Database
}

// CheckPostgresURL reports whether url is a PostgreSQL connection string
// pgx accepts, in words that do not repeat it (it holds a password).
func CheckPostgresURL(url string) error {
	if _, err := pgx.ParseConfig(url); err != nil {
		return errors.New("not a PostgreSQL connection string; write it as postgres://user:password@host:5432/dbname")
	}
	return nil
}

// URLPassword is the password in a PostgreSQL connection string, or "",
// for scrubbing logs.
func URLPassword(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return ""
	}
	return cfg.Password
}

// ErrBackupUnsupported is returned by Backup on PostgreSQL: its backups
// are the operator's (pg_dump, WAL archiving).
var ErrBackupUnsupported = errors.New("congdoanbot backs up SQLite files only; on PostgreSQL use pg_dump or WAL archiving " +
	"(see README, Running on PostgreSQL)")

// sqlDB gives the write pool, for the copy to PostgreSQL.
func (db *DB) sqlDB() *sql.DB { return db.write.db }
