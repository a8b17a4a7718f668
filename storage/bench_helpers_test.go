package storage

import (
	"database/sql"
	"os"
	"testing"
)

// TestMain removes the benchmark province once every benchmark is done.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		benchDB.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

type sqlTx = sql.Tx

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "congdoanbot-bench-") }
