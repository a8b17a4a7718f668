package storage

import (
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

type sqlTx = dbTx

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "congdoanbot-bench-") }
