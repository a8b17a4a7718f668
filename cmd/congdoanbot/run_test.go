package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestMain lets a test run this binary's main as a child process (for the
// crash test): with CONGDOANBOT_RUN_MAIN=1 the test binary is the bot.
func TestMain(m *testing.M) {
	if os.Getenv("CONGDOANBOT_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

const testToken = "424242:AAE-secret-token-value_xyz"

func telegramConfig(t *testing.T, srv *telegramtest.Server, db string, extra string) string {
	t.Helper()
	seedUnit(t, db)
	return writeFile(t, "run.toml", fmt.Sprintf(`admins = ["telegram:%d"]
[storage]
path = %q
[log]
level = "debug"
[jobs]
enabled = false
[telegram]
api_endpoint = %q
poll_timeout = "1s"
http_timeout = "5s"
%s`, adminUser.ID, db, srv.Endpoint(), extra))
}

// seedUnit gives a new database its province and one grassroots union,
// Sở Tư pháp (STP), as a province admin would with /donvi.
func seedUnit(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error {
		return tx.CreateUnit(&cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Sở Tư pháp", Code: "STP"})
	}); err != nil {
		t.Fatal(err)
	}
}

var (
	adminUser = telegramtest.User{ID: 9001, FirstName: "Cán bộ", LastName: "Tỉnh"}
	memberAn  = telegramtest.User{ID: 1001, FirstName: "An", LastName: "Nguyễn"}
)

// syncBuffer is a bytes.Buffer safe for the logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func lastWith(t *testing.T, srv *telegramtest.Server, chat int64, text string) telegramtest.SentMessage {
	t.Helper()
	for _, m := range slicesReverse(srv.SentTo(chat)) {
		if strings.Contains(m.Text, text) {
			return m
		}
	}
	t.Fatalf("no message to %d with %q", chat, text)
	return telegramtest.SentMessage{}
}

func slicesReverse(ms []telegramtest.SentMessage) []telegramtest.SentMessage {
	out := make([]telegramtest.SentMessage, len(ms))
	for i, m := range ms {
		out[len(ms)-1-i] = m
	}
	return out
}

// TestRunTelegram runs `congdoanbot run` against the fake Bot API with
// faults: a member registers with buttons, the admin from config approves;
// the token appears in no log line; SIGINT-style cancel stops it cleanly.
func TestRunTelegram(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken, Seed: 7})
	cfgPath := telegramConfig(t, srv, filepath.Join(t.TempDir(), "bot.db"), "")
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		a := &app{stdin: strings.NewReader(""), stdout: logs, stderr: logs,
			getenv: func(k string) string { return map[string]string{"CONGDOANBOT_TELEGRAM_TOKEN": testToken}[k] },
			now:    time.Now}
		done <- a.main(ctx, []string{"run", "-config", cfgPath})
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	step := func(n int) {
		t.Helper()
		if err := srv.WaitSent(wctx, n); err != nil {
			t.Fatalf("waiting for message %d: %v\nlogs:\n%s", n, err, logs.String())
		}
	}
	if err := srv.WaitPolling(wctx); err != nil {
		t.Fatal(err)
	}
	if len(srv.Commands()) == 0 {
		t.Error("setMyCommands was not called")
	}
	// The admin named in the config is recognised from the first message.
	srv.SendText(adminUser, "/trogiup")
	step(2)
	lastWith(t, srv, adminUser.ID, "cán bộ Công đoàn Viên chức tỉnh theo cấu hình")
	base := len(srv.Sent())
	// Faults on the way: the sender and the poller must ride them out.
	srv.SetFaultRates(telegramtest.FaultRates{InternalError: 0.1, BadGateway: 0.05, Drop: 0.05, TooManyRequests: 0.05, RetryAfter: 1,
		Methods: []string{"sendMessage", "getUpdates"}})
	srv.SendText(memberAn, "/dangky")
	step(base + 1)
	srv.PressButton(memberAn, lastWith(t, srv, memberAn.ID, "đồng ý").MessageID, "c:y")
	step(base + 3) // the ✅ edit and the name question
	srv.SendText(memberAn, "Nguyễn Văn An")
	step(base + 4)
	srv.ShareContact(memberAn, "+84912345678", memberAn.ID)
	step(base + 5)
	srv.SendText(memberAn, "STP")
	step(base + 6)
	srv.PressButton(memberAn, lastWith(t, srv, memberAn.ID, "Gửi đăng ký?").MessageID, "c:y")
	// The admin is told (no chair yet), and approves.
	step(base + 9)
	lastWith(t, srv, adminUser.ID, "Có đăng ký đoàn viên mới")
	srv.SetFaultRates(telegramtest.FaultRates{})
	srv.SendText(adminUser, "/duyet")
	n := len(srv.Sent())
	step(n + 1)
	srv.PressButton(adminUser, lastWith(t, srv, adminUser.ID, "chờ duyệt").MessageID, lastWith(t, srv, adminUser.ID, "chờ duyệt").InlineKeyboard[0][0].CallbackData)
	step(n + 3)
	srv.PressButton(adminUser, lastWith(t, srv, adminUser.ID, "Duyệt người này?").MessageID, "c:y")
	for ctx := wctx; ; {
		if err := srv.WaitSent(ctx, len(srv.Sent())+1); err != nil {
			t.Fatalf("approval not delivered: %v\n%s", err, logs.String())
		}
		if ms := srv.SentTo(memberAn.ID); strings.Contains(ms[len(ms)-1].Text, "Chúc mừng") {
			break
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop within 10 s of cancel")
	}
	out := logs.String()
	if strings.Contains(out, testToken) || strings.Contains(out, strings.Split(testToken, ":")[1]) {
		t.Fatalf("the token is in the logs:\n%s", out)
	}
	if !strings.Contains(out, "congdoanbot stopped") {
		t.Fatalf("no clean stop in logs:\n%s", out)
	}
}

func TestRunRefusesBadWebhookConfig(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	cfgPath := telegramConfig(t, srv, filepath.Join(t.TempDir(), "bot.db"),
		"token = \""+testToken+"\"\nmode = \"webhook\"\nwebhook_listen = \"127.0.0.1:0\"\nwebhook_url = \"https://bot.example.vn/telegram\"\nwebhook_secret = \"short\"\n")
	r := exec_(t, cfgPath)
	if r.code == 0 || !strings.Contains(r.stderr, "telegram.webhook_secret") || strings.Contains(r.stderr, "short") ||
		strings.Contains(r.stderr, testToken) {
		t.Fatalf("bad webhook secret: %+v", r)
	}
}

func exec_(t *testing.T, cfgPath string) run {
	t.Helper()
	return exec(t, "", nil, "run", "-config", cfgPath)
}

// TestCrashSafety kills the bot (SIGKILL, a child process) at random
// moments while updates stream in, restarts it on the same database, and
// checks that every update was applied exactly once.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	// A little latency on every call, so that kills land mid-work.
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken, Latency: 5 * time.Millisecond})
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	cfgPath := telegramConfig(t, srv, dbPath, "token = \""+testToken+"\"\n")
	rng := rand.New(rand.NewPCG(11, 12))

	start := func() *osexec.Cmd {
		polls := srv.Calls("getUpdates")
		cmd := osexec.Command(os.Args[0], "run", "-config", cfgPath)
		cmd.Env = append(os.Environ(), "CONGDOANBOT_RUN_MAIN=1")
		var logs syncBuffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A child built with -race on a loaded machine takes a while to
		// start: the chaos begins once it polls, so that every kill lands
		// on a running bot (else the test proves nothing).
		waitChild(t, cmd, &logs, func() bool { return srv.Calls("getUpdates") > polls })
		return cmd
	}
	// Each stranger asks for /duyet (refused: one audit entry each); each
	// of a few members walks through registration (six steps, each of
	// which would break the flow if applied twice).
	const strangers, registrants = 120, 6
	var sends []func()
	for i := range strangers {
		u := telegramtest.User{ID: int64(5000 + i), FirstName: "Khách"}
		sends = append(sends, func() { srv.SendText(u, "/duyet") })
	}
	regUsers := make([]telegramtest.User, registrants)
	for i := range regUsers {
		regUsers[i] = telegramtest.User{ID: int64(7000 + i), FirstName: "Người", LastName: fmt.Sprint(i)}
	}
	step := 0
	for range 6 {
		for i := range regUsers {
			u, s := regUsers[i], step
			sends = append(sends, func() {
				switch s {
				case 0:
					srv.SendText(u, "/dangky")
				case 1:
					srv.SendText(u, "Đồng ý")
				case 2:
					srv.SendText(u, "Nguyễn Văn "+string(rune('A'+u.ID-7000)))
				case 3:
					srv.SendText(u, "bỏ qua")
				case 4:
					srv.SendText(u, "STP")
				case 5:
					srv.SendText(u, "Gửi đăng ký")
				}
			})
		}
		step++
	}
	// Interleave: the registration steps keep their order per user.
	rng.Shuffle(strangers, func(i, j int) { sends[i], sends[j] = sends[j], sends[i] })

	kills := 0
	next := 0
	for next < len(sends) {
		cmd := start()
		// Let it start, feed a batch while it works, and kill it without
		// warning a few milliseconds after the last update of the batch.
		time.Sleep(time.Duration(30+rng.IntN(100)) * time.Millisecond) // chaos timing, not a wait for a goroutine
		batch := 5 + rng.IntN(20)
		for k := 0; k < batch && next < len(sends); k++ {
			sends[next]()
			next++
			time.Sleep(time.Duration(rng.IntN(3)) * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(4)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kills++
	}
	// The killed runs did part of the work (or the test proves nothing).
	before := countInbox(t, dbPath)
	if before == 0 {
		t.Fatalf("no update stored before the last run: the killed runs never got going")
	}
	unapplied := pendingInbox(t, dbPath)
	// A last run to the end: every update confirmed and applied.
	cmd := start()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	total := len(sends)
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for {
		pending, err := db.PendingInbox(ctx, "telegram", 1)
		if err != nil {
			t.Fatal(err)
		}
		if srv.PendingUpdates() == 0 && len(pending) == 0 && countInbox(t, dbPath) == total {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("not all updates applied: %d pending at the server, %d rows in the inbox", srv.PendingUpdates(), countInbox(t, dbPath))
		}
		time.Sleep(50 * time.Millisecond) // polling a child process's database; bounded by ctx
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()

	audit, err := db.AuditLog(ctx, 100000)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range audit {
		counts[e.Action]++
	}
	if counts[cd.AuditDenied] != strangers || counts[cd.AuditRegister] != registrants {
		t.Fatalf("after %d kills: %d refusals (want %d), %d registrations (want %d)", kills,
			counts[cd.AuditDenied], strangers, counts[cd.AuditRegister], registrants)
	}
	var members int
	if err := db.ExportMembers(ctx, func(m cd.Member) error {
		if m.Status == cd.StatusPending {
			members++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if members != registrants {
		t.Fatalf("pending members = %d, want %d", members, registrants)
	}
	t.Logf("%d updates, %d kills (%d updates stored and %d of them not yet applied before the last run): every update applied exactly once",
		total, kills, before, unapplied)
}

func countInbox(t *testing.T, dbPath string) int {
	t.Helper()
	db, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.InboxCount(context.Background(), "telegram")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func pendingInbox(t *testing.T, dbPath string) int {
	t.Helper()
	db, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	items, err := db.PendingInbox(context.Background(), "telegram", 100000)
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

// waitChild waits, up to 30 s, for a child process to reach a point that
// ready reports, checking every few milliseconds: the child is another
// process, so there is nothing to block on.
func waitChild(t *testing.T, cmd *osexec.Cmd, logs *syncBuffer, ready func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ready() {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the child process did not start polling within 30 s; its log:\n%s", logs.String())
		}
		time.Sleep(2 * time.Millisecond) // polling another process, not waiting for a goroutine
	}
}
