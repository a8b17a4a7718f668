package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/congdoanbot/congdoanbot/storage"
)

const migrateToPostgresUsage = "migrate-to-postgres -from bot.db [-url URL] [-config FILE]"

// cmdMigrateToPostgres copies a province's SQLite file into an empty
// PostgreSQL database and verifies the copy.
func (a *app) cmdMigrateToPostgres(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate-to-postgres", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	config := fs.String("config", "", "configuration file (TOML); its storage.url is the target unless -url is given")
	from := fs.String("from", "", "the province's SQLite database file (stop the bot first)")
	url := fs.String("url", "", "the empty PostgreSQL database to copy into (default: CONGDOANBOT_DATABASE_URL, then storage.url)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: congdoanbot %s\n\nFlags:\n", migrateToPostgresUsage)
		fs.PrintDefaults()
	}
	if err := a.parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(a.stderr, "congdoanbot migrate-to-postgres: -from FILE is required\nUsage: congdoanbot "+migrateToPostgresUsage)
		return errUsage
	}
	cfg, err := loadConfig(*config, a.getenv)
	if err != nil {
		return err
	}
	target := *url
	if target == "" {
		target = cfg.Storage.URL
	}
	if target == "" {
		return errors.New("no PostgreSQL database to copy into: give -url or set CONGDOANBOT_DATABASE_URL")
	}
	if err := storage.CheckPostgresURL(target); err != nil {
		return fmt.Errorf("-url: %w", err)
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("-from %s: %w", *from, err)
	}
	return a.copyToPostgres(ctx, *from, target)
}

func (a *app) copyToPostgres(ctx context.Context, from, url string) error {
	src, err := storage.Open(ctx, from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := storage.OpenPostgres(ctx, url)
	if err != nil {
		return err
	}
	defer dst.Close()
	copied, err := storage.CopyToPostgres(ctx, src, dst)
	if err != nil {
		return err
	}
	var rows int64
	for _, c := range copied {
		fmt.Fprintf(a.stdout, "%-18s %10d rows  checksum %s  verified\n", c.Table, c.Rows, c.Checksum)
		rows += c.Rows
	}
	fmt.Fprintf(a.stdout, "copied %d rows in %d tables from %s to %s; row counts and checksums match.\n"+
		"Now set storage.driver = \"postgres\" (with CONGDOANBOT_DATABASE_URL) and start the bot; keep %s as the copy it came from.\n",
		rows, len(copied), from, dst.Path(), from)
	return nil
}
