package storage

import (
	"fmt"
	"os"
	"testing"
)

// TestMain removes the benchmark province once every benchmark is done.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, p := range benchProvinces {
		if p.db != nil {
			p.db.Close()
		}
		if p.drop != nil {
			if err := p.drop(); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

type sqlTx = dbTx

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "congdoanbot-bench-") }
