package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/congdoanbot/congdoanbot/jobs"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

func TestStorageConfig(t *testing.T) {
	const url = "postgres://bot:pw-s3cret@127.0.0.1:5432/congdoan"
	env := func(k string) string { return map[string]string{"CONGDOANBOT_DATABASE_URL": url}[k] }
	pg := writeFile(t, "pg.toml", "[storage]\ndriver = \"postgres\"\n")
	cfg, err := loadConfig(pg, env)
	if err != nil || cfg.Storage.URL != url {
		t.Fatalf("URL from the environment: %+v %v", cfg, err)
	}
	for _, tc := range []struct{ body, want string }{
		{"[storage]\ndriver = \"postgres\"\n", `"storage.url": must be set`},
		{"[storage]\ndriver = \"mysql\"\n", `"storage.driver": "mysql" is not sqlite or postgres`},
		{"[storage]\ndriver = \"postgres\"\nurl = \"postgres://bot:pw-s3cret@[::1/x\"\n", `"storage.url": not a PostgreSQL connection string`},
	} {
		_, err := loadConfig(writeFile(t, "c.toml", tc.body), func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: %v, want %q without the password", tc.body, err, tc.want)
		}
	}
}

// A province's SQLite file moves to PostgreSQL with migrate-to-postgres;
// the bot then reads the same data there. backup refuses PostgreSQL and
// points to pg_dump; the nightly backup job is replaced by a log line.
func TestMigrateToPostgres(t *testing.T) {
	url := storagetest.PostgresURL(t)
	file := filepath.Join(t.TempDir(), "bot.db")
	fast := writeFile(t, "fast.toml", "[bot]\nflood_per_minute = 1000\n") // a script types fast
	if r := exec(t, surveyEventScript, nil, "demo", "-config", fast, "-db", file); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	if r := exec(t, "", nil, "migrate-to-postgres"); r.code != 2 || !strings.Contains(r.stderr, "-from FILE is required") {
		t.Fatalf("without -from: %+v", r)
	}
	if r := exec(t, "", nil, "migrate-to-postgres", "-from", file); r.code != 1 || !strings.Contains(r.stderr, "CONGDOANBOT_DATABASE_URL") {
		t.Fatalf("without a target: %+v", r)
	}
	env := map[string]string{"CONGDOANBOT_DATABASE_URL": url}
	r := exec(t, "", env, "migrate-to-postgres", "-from", file)
	if r.code != 0 || !strings.Contains(r.stdout, "row counts and checksums match") || !strings.Contains(r.stdout, "members") {
		t.Fatalf("migrate-to-postgres: %+v", r)
	}
	if r := exec(t, "", env, "migrate-to-postgres", "-from", file); r.code != 1 || !strings.Contains(r.stderr, "not empty") {
		t.Fatalf("into a full database: %+v", r)
	}
	pg := writeFile(t, "pg.toml", "[storage]\ndriver = \"postgres\"\n")
	fromFile := exec(t, "", nil, "export", "members", "-db", file)
	fromPG := exec(t, "", env, "export", "members", "-config", pg)
	if fromPG.code != 0 || fromPG.stdout != fromFile.stdout || !strings.Contains(fromPG.stdout, "Nguyễn Văn An") {
		t.Fatalf("members on PostgreSQL:\n%+v\non SQLite:\n%+v", fromPG, fromFile)
	}
	fromFile = exec(t, "", nil, "export", "event", "-id", "1", "-db", file)
	fromPG = exec(t, "", env, "export", "event", "-id", "1", "-config", pg)
	if fromPG.code != 0 || fromPG.stdout != fromFile.stdout || !strings.Contains(fromPG.stdout, "going") {
		t.Fatalf("event on PostgreSQL:\n%+v\non SQLite:\n%+v", fromPG, fromFile)
	}
	r = exec(t, "", env, "backup", "-config", pg, "-out", filepath.Join(t.TempDir(), "b.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %+v", r)
	}
	r = exec(t, "", env, "jobs", "list", "-config", pg)
	if r.code != 0 || strings.Contains(r.stdout, "backup") || !strings.Contains(r.stderr, jobs.BackupOnPostgres[:40]) {
		t.Fatalf("jobs on PostgreSQL: %+v", r)
	}
}
