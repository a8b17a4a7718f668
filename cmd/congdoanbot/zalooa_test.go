package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/zalooa/zalooatest"
)

// The [zalo_oa] section of config.example.toml is the defaults; its
// secrets come from the environment.
func TestZaloOAConfigExample(t *testing.T) {
	cfg, err := loadConfig("../../config.example.toml", func(k string) string {
		return map[string]string{"CONGDOANBOT_ZALO_OA_APP_SECRET": "app-s3cret", "CONGDOANBOT_ZALO_OA_SECRET_KEY": "oa-s3cret-key"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	got, want := cfg.ZaloOA, defaultZaloOA()
	if got.AppSecret != "app-s3cret" || got.SecretKey != "oa-s3cret-key" {
		t.Errorf("secrets from the environment: %q, %q", got.AppSecret, got.SecretKey)
	}
	got.AppSecret, got.SecretKey = "", ""
	if got != want {
		t.Errorf("config.example.toml [zalo_oa] differs from the defaults:\n%+v\n%+v", got, want)
	}
	bad := writeFile(t, "bad.toml", "[zalo_oa]\nenabled = true\napp_id = \"123\"\n")
	r := exec(t, "", map[string]string{"CONGDOANBOT_ZALO_OA_APP_SECRET": "app-s3cret"}, "migrate", "-config", bad,
		"-db", filepath.Join(t.TempDir(), "x.db"))
	if r.code != 1 || !strings.Contains(r.stderr, `key "zalo_oa.oa_id"`) || strings.Contains(r.stderr, "app-s3cret") {
		t.Errorf("bad config: %d %s", r.code, r.stderr)
	}
}

func oaConfig(t *testing.T, srv *zalooatest.Server, db, extra string) string {
	o := srv.Options()
	return writeFile(t, "oa.toml", fmt.Sprintf(`admins = ["console:tinh"]
[storage]
path = %q
[log]
level = "debug"
[jobs]
enabled = false
[zalo_oa]
app_id = %q
oa_id = %q
redirect_uri = "https://congdoan.example/zalo-oa/callback"
api_url = %q
oauth_url = %q
%s`, db, o.AppID, o.OAID, srv.URL(), srv.URL(), extra))
}

// `zalo-oa authorize` prints a consent URL with PKCE; the code Zalo
// returns, pasted as the whole redirect URL, is exchanged and the tokens
// stored; no token or secret is ever printed.
func TestZaloOAAuthorizeCommand(t *testing.T) {
	srv := zalooatest.NewServer(t, zalooatest.Options{Now: func() time.Time { return time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC) }})
	env := map[string]string{"CONGDOANBOT_ZALO_OA_APP_SECRET": srv.Options().AppSecret}
	cfg := oaConfig(t, srv, filepath.Join(t.TempDir(), "oa.db"), "")
	r := exec(t, "", env, "zalo-oa", "status", "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "not authorized") {
		t.Fatalf("status before: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = exec(t, "", env, "zalo-oa", "authorize", "-config", cfg)
	consent := regexp.MustCompile(`https?://\S+/v4/oa/permission\?\S+`).FindString(r.stdout)
	if r.code != 0 || consent == "" || !strings.Contains(consent, "code_challenge=") {
		t.Fatalf("authorize: %d %s %s", r.code, r.stdout, r.stderr)
	}
	redirect, err := srv.Consent(consent)
	if err != nil {
		t.Fatal(err)
	}
	r = exec(t, redirect+"\n", env, "zalo-oa", "authorize", "-code", "-", "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "The Zalo OA is authorized") {
		t.Fatalf("authorize -code: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r2 := exec(t, "", env, "zalo-oa", "status", "-config", cfg)
	if r2.code != 0 || !strings.Contains(r2.stdout, ": current") {
		t.Errorf("status after: %d %s %s", r2.code, r2.stdout, r2.stderr)
	}
	again := exec(t, "", env, "zalo-oa", "authorize", "-code", redirect, "-config", cfg)
	if again.code != 1 || !strings.Contains(again.stderr, "no Zalo OA authorization is waiting") {
		t.Errorf("the same code again: %d %s", again.code, again.stderr)
	}
	for _, out := range []string{r.stdout + r.stderr, r2.stdout, again.stderr} {
		if strings.Contains(out, "AT-secret") || strings.Contains(out, "RT-secret") || strings.Contains(out, srv.Options().AppSecret) {
			t.Errorf("a secret was printed: %s", out)
		}
	}
	if srv.ValidRefreshTokens() != 1 {
		t.Errorf("%d valid refresh tokens", srv.ValidRefreshTokens())
	}
	if r := exec(t, "", env, "zalo-oa"); r.code != 2 || !strings.Contains(r.stderr, "zalo-oa authorize -code CODE") {
		t.Errorf("usage: %d %s", r.code, r.stderr)
	}
}

// `congdoanbot run` with the OA: a follower is greeted and registers.
func TestRunZaloOA(t *testing.T) {
	srv := zalooatest.NewServer(t, zalooatest.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := filepath.Join(t.TempDir(), "oa.db")
	seedUnit(t, db)
	cfg := oaConfig(t, srv, db, fmt.Sprintf("enabled = true\nwebhook_listen = %q\n", addr))
	o := srv.Options()
	env := map[string]string{"CONGDOANBOT_ZALO_OA_APP_SECRET": o.AppSecret, "CONGDOANBOT_ZALO_OA_SECRET_KEY": o.SecretKey}
	r := exec(t, "", env, "zalo-oa", "authorize", "-config", cfg)
	redirect, err := srv.Consent(regexp.MustCompile(`https?://\S+/v4/oa/permission\?\S+`).FindString(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if r := exec(t, "", env, "zalo-oa", "authorize", "-code", redirect, "-config", cfg); r.code != 0 {
		t.Fatalf("authorize: %s", r.stderr)
	}
	logs := &watchBuffer{watch: "webhook listening", seen: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		a := &app{stdin: strings.NewReader(""), stdout: logs, stderr: logs, getenv: func(k string) string { return env[k] }, now: time.Now}
		done <- a.main(ctx, []string{"run", "-config", cfg})
	}()
	srv.SetWebhook("http://" + addr + "/zalo-oa")
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	select {
	case <-logs.seen:
	case <-wctx.Done():
		t.Fatalf("the webhook does not listen\n%s", logs.String())
	}
	u := srv.NewUser()
	if status, err := srv.Follow(wctx, u); err != nil || status != 200 {
		t.Fatalf("webhook: %d %v\n%s", status, err, logs.String())
	}
	if err := srv.WaitSent(wctx, 1); err != nil || !strings.Contains(srv.Sent()[0].Text, "/dangky") {
		t.Fatalf("greeting: %v %+v\n%s", err, srv.Sent(), logs.String())
	}
	if status, err := srv.SendText(wctx, u, "/dangky"); err != nil || status != 200 {
		t.Fatalf("webhook: %d %v", status, err)
	}
	if err := srv.WaitSent(wctx, 2); err != nil || !strings.Contains(srv.Sent()[1].Text, "1. Đồng ý") {
		t.Fatalf("consent question: %v %+v", err, srv.Sent())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d\n%s", code, logs.String())
	}
	out := logs.String()
	for _, s := range []string{o.AppSecret, o.SecretKey, "AT-secret", "RT-secret"} {
		if strings.Contains(out, s) {
			t.Fatalf("a secret is in the logs:\n%s", out)
		}
	}
}

// watchBuffer is a log sink that closes seen once a line holds watch.
type watchBuffer struct {
	syncBuffer
	watch string
	seen  chan struct{}
	once  sync.Once
}

func (w *watchBuffer) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	if strings.Contains(string(p), w.watch) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}
