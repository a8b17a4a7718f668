package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"

	cd "github.com/congdoanbot/congdoanbot"
)

// ErrDiskFull is in the chain of an error when the database could not
// grow: the disk is full (or the connection's max_page_count was reached).
// The failed transaction was rolled back whole; nothing stored before is
// lost, and the same write succeeds once space is freed. It is
// cd.ErrDiskFull, which the core and the adapters know.
var ErrDiskFull = cd.ErrDiskFull

// ErrCorrupt is in the chain of an error when the database file is damaged
// or is not a SQLite database at all: only a backup helps.
var ErrCorrupt = errors.New("database file is corrupt or not a database")

// SQLite result codes that classify reads (https://sqlite.org/rescode.html).
const (
	sqliteCorrupt      = 11
	sqliteFull         = 13
	sqliteNotADB       = 26
	sqliteIOErrShmSize = 10 | 19<<8 // 4874: the -shm file could not grow (a full disk)
)

// classify puts ErrDiskFull or ErrCorrupt in front of an error from SQLite
// that means one of them, so that errors.Is finds it and the text starts
// with what an operator must do something about. Other errors pass as they
// are.
func classify(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) || errors.Is(err, ErrDiskFull) || errors.Is(err, ErrCorrupt) {
		return err
	}
	switch code := se.Code(); {
	case code&0xff == sqliteFull || code == sqliteIOErrShmSize:
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	case code&0xff == sqliteCorrupt || code&0xff == sqliteNotADB:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// SetMaxPageCount sets SQLite's max_page_count on the writer connection
// and returns the limit in force (SQLite keeps it at least the file's
// current size). Writes past it fail as on a full disk, with ErrDiskFull:
// tests use it to fill a database without filling a disk.
func (db *DB) SetMaxPageCount(ctx context.Context, pages int64) (int64, error) {
	var n int64
	if err := db.write.QueryRowContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Scan(&n); err != nil {
		return 0, fmt.Errorf("set max_page_count: %w", err)
	}
	return n, nil
}

// QuickCheck runs SQLite's quick_check over the whole file (seconds for a
// province's data) and reports damage as ErrCorrupt.
func (db *DB) QuickCheck(ctx context.Context) error {
	rows, err := db.read.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		return classify(fmt.Errorf("check %s: %w", db.path, err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return classify(fmt.Errorf("check %s: %w", db.path, err))
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(fmt.Errorf("check %s: %w", db.path, err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, db.path, strings.Join(problems, "; "))
	}
	return nil
}
