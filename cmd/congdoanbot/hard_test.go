package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

// bothConfig configures Telegram and Zalo against the fake servers.
func bothConfig(t *testing.T, tg *telegramtest.Server, zl *zalotest.Server, db string) string {
	return telegramConfig(t, tg, db, fmt.Sprintf("[zalo]\napi_endpoint = %q\npoll_timeout = \"1s\"\nhttp_timeout = \"5s\"\n", zl.Endpoint()))
}

// retryClock stands for the timer of retry delays: each wait hands its
// delay to the test and lasts until the test releases it.
type retryClock struct {
	delays  chan time.Duration
	release chan struct{}
}

func newRetryClock() *retryClock {
	return &retryClock{delays: make(chan time.Duration), release: make(chan struct{})}
}

func (c *retryClock) wait(ctx context.Context, d time.Duration) bool {
	select {
	case c.delays <- d:
	case <-ctx.Done():
		return false
	}
	select {
	case <-c.release:
		return true
	case <-ctx.Done():
		return false
	}
}

// TestRunRetriesUnreachablePlatform: Telegram's getMe fails at start (500,
// 500, a dropped connection); run logs each failure and tries again after
// 1 s, 2 s, 4 s, while Zalo answers meanwhile; then Telegram works too.
func TestRunRetriesUnreachablePlatform(t *testing.T) {
	tg := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	zl := zalotest.NewServer(t, zalotest.Options{})
	cfgPath := bothConfig(t, tg, zl, filepath.Join(t.TempDir(), "bot.db"))
	tg.FailNext("getMe", 2, telegramtest.InternalError())
	tg.FailNext("getMe", 1, telegramtest.DropConnection())
	clock := newRetryClock()
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		env := map[string]string{"CONGDOANBOT_TELEGRAM_TOKEN": testToken, "CONGDOANBOT_ZALO_TOKEN": zl.Token()}
		a := &app{stdin: strings.NewReader(""), stdout: logs, stderr: logs, getenv: func(k string) string { return env[k] },
			now: time.Now, wait: clock.wait}
		done <- a.main(ctx, []string{"run", "-config", cfgPath})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	nextDelay := func(want time.Duration) {
		t.Helper()
		select {
		case d := <-clock.delays:
			if d != want {
				t.Fatalf("retry delay %v, want %v", d, want)
			}
		case code := <-done:
			t.Fatalf("run exited %d while Telegram was unreachable:\n%s", code, logs)
		case <-wctx.Done():
			t.Fatalf("no retry of getMe:\n%s", logs)
		}
	}
	nextDelay(time.Second)
	// Telegram is down; Zalo answers meanwhile.
	zl.SendText(zl.NewUser("Lan"), "xin chào")
	if err := zl.WaitSent(wctx, 1); err != nil {
		t.Fatalf("Zalo did not answer while Telegram was retried: %v\n%s", err, logs)
	}
	clock.release <- struct{}{}
	nextDelay(2 * time.Second)
	clock.release <- struct{}{}
	nextDelay(4 * time.Second)
	clock.release <- struct{}{}
	if err := tg.WaitPolling(wctx); err != nil {
		t.Fatalf("Telegram not polling after getMe recovered: %v\n%s", err, logs)
	}
	tg.SendText(memberAn, "/trogiup")
	if err := tg.WaitSent(wctx, 1); err != nil {
		t.Fatalf("Telegram did not answer: %v\n%s", err, logs)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d\n%s", code, logs)
	}
	out := logs.String()
	if n := strings.Count(out, "cannot reach the platform; retrying"); n != 3 || tg.Calls("getMe") != 4 {
		t.Fatalf("%d retries logged, %d getMe calls; want 3 and 4:\n%s", n, tg.Calls("getMe"), out)
	}
	if strings.Contains(out, strings.Split(testToken, ":")[1]) || strings.Contains(out, zl.Token()) {
		t.Fatalf("a token is in the logs:\n%s", out)
	}
}

// TestRunTokenRefused: a refused token is not retried: run stops at once
// with a line that says which key to check.
func TestRunTokenRefused(t *testing.T) {
	for _, p := range []string{"telegram", "zalo"} {
		t.Run(p, func(t *testing.T) {
			tg := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
			zl := zalotest.NewServer(t, zalotest.Options{})
			cfgPath := bothConfig(t, tg, zl, filepath.Join(t.TempDir(), "bot.db"))
			env := map[string]string{"CONGDOANBOT_TELEGRAM_TOKEN": testToken, "CONGDOANBOT_ZALO_TOKEN": zl.Token()}
			bad := "777:wrong-secret-token"
			env["CONGDOANBOT_"+strings.ToUpper(p)+"_TOKEN"] = bad
			var out syncBuffer
			a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(k string) string { return env[k] },
				now: time.Now, wait: func(context.Context, time.Duration) bool { t.Error("a refused token was retried"); return false }}
			code := a.main(context.Background(), []string{"run", "-config", cfgPath})
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			last := lines[len(lines)-1]
			if code != 1 || !strings.HasPrefix(last, "congdoanbot run: "+p+": the bot token was refused") ||
				!strings.Contains(last, "check "+p+".token") || strings.Contains(out.String(), "wrong-secret") {
				t.Fatalf("exit %d:\n%s", code, out.String())
			}
		})
	}
}

// TestRunCorruptDatabase: a damaged database stops run at start with one
// line that says so and what to do.
func TestRunCorruptDatabase(t *testing.T) {
	tg := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	dir := t.TempDir()
	cfgPath := telegramConfig(t, tg, filepath.Join(dir, "ok.db"), "")
	env := map[string]string{"CONGDOANBOT_TELEGRAM_TOKEN": testToken}
	// A file that is not a database, and a database with damaged pages.
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("ceci n'est pas une base ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "damaged.db")
	if r := exec(t, "", nil, "backup", "-config", cfgPath, "-out", damaged); r.code != 0 {
		t.Fatal(r.stderr)
	}
	data, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(data); i++ {
		data[i] = byte(i * 13)
	}
	if err := os.WriteFile(damaged, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{garbage, damaged} {
		r := exec(t, "", env, "run", "-config", cfgPath, "-db", db)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 1 || len(lines) != 1 || !strings.Contains(lines[0], "corrupt") || !strings.Contains(lines[0], "restore the database from a backup") {
			t.Fatalf("%s: %+v", filepath.Base(db), r)
		}
		if tg.Calls("getMe") != 0 {
			t.Fatalf("%s: run connected to Telegram with a corrupt database", filepath.Base(db))
		}
	}
}
