package main

import (
	"strings"
	"testing"
)

func TestWebConfigChecked(t *testing.T) {
	for _, c := range []struct {
		toml, err string
	}{
		{"[web]\nlisten = \"127.0.0.1:8080\"\nbase_url = \"https://congdoan.example.vn\"\n", ""},
		{"[web]\nbase_url = \"https://congdoan.example.vn\"\n", ""},
		{"[web]\nlisten = \"127.0.0.1:8080\"\n", `key "web.base_url"`},
		{"[web]\nlisten = \"8080\"\nbase_url = \"https://congdoan.example.vn\"\n", `key "web.listen"`},
		{"[web]\nlisten = \"127.0.0.1:8080\"\nbase_url = \"congdoan.example.vn\"\n", `key "web.base_url"`},
	} {
		_, err := loadConfig(writeFile(t, "web.toml", c.toml), func(string) string { return "" })
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.toml, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: got %v, want %s", c.toml, err, c.err)
		}
	}
}
