package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to out with VACUUM
// INTO, then checks the copy with PRAGMA integrity_check. It refuses to
// overwrite an existing file.
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s exists already; choose another name", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return classify(fmt.Errorf("backup to %s: %w", out, err))
	}
	copyDB, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
	if err != nil {
		return fmt.Errorf("backup: open copy %s: %w", out, err)
	}
	defer copyDB.Close()
	var result string
	if err := copyDB.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("backup: check copy %s: %w", out, err)
	}
	if result != "ok" {
		return fmt.Errorf("backup: copy %s failed the integrity check: %s", out, result)
	}
	return nil
}
