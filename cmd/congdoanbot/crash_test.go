package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// startBot runs `congdoanbot run` as a child process (this test binary,
// see TestMain).
func startBot(t *testing.T, cfgPath string) *osexec.Cmd {
	t.Helper()
	cmd := osexec.Command(os.Args[0], "run", "-config", cfgPath)
	cmd.Env = append(os.Environ(), "CONGDOANBOT_RUN_MAIN=1")
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

const crashAnnouncement = "Thông báo khẩn: họp Ban Chấp hành lúc 14 giờ."

// seedBroadcast adds n members on Telegram and an announcement to all of
// them, confirmed and not yet queued (the bot queues it as it starts).
func seedBroadcast(t *testing.T, dbPath string, n int) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for i := range n {
			id := fmt.Sprint(400000 + i)
			if err := tx.CreateMember(&cd.Member{FullName: "Đoàn Viên " + id, UnitID: 2, Role: cd.RoleMember, Status: cd.StatusActive},
				cd.Identity{Platform: cd.PlatformTelegram, UserID: id, ChatID: id}); err != nil {
				return err
			}
		}
		return tx.CreateAnnouncement(&cd.Announcement{ReportTo: cd.Address{Platform: cd.PlatformTelegram, ChatID: "400000"},
			Text: crashAnnouncement, Audience: cd.AudienceAll, SendAt: time.Now(), Status: cd.AnnouncementQueueing})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCrashBroadcastRepeats kills the bot (SIGKILL) again and again while
// it queues and sends an announcement to 1,500 members, restarts it each
// time on the same database, and counts at the fake Bot API what each
// member received: everyone gets it, and the only repeats are messages
// that were in flight at a kill, at most the sender's 8 workers per kill.
func TestCrashBroadcastRepeats(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	const members, workers, kills = 1500, 8, 6
	// Every answer takes 20 ms and the sender is not held back by a rate:
	// all its workers are busy, the worst case for repeats.
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken, Latency: 20 * time.Millisecond})
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	cfgPath := telegramConfig(t, srv, dbPath, fmt.Sprintf("token = %q\n[telegram.sender]\nmessages_per_second = 1000\nworkers = %d\n",
		testToken, workers))
	seedBroadcast(t, dbPath, members)
	rng := rand.New(rand.NewPCG(21, 22))
	var killedAt []int // messages the server had received at each kill
	for range kills {
		cmd := startBot(t, cfgPath)
		time.Sleep(time.Duration(300+rng.IntN(700)) * time.Millisecond) // chaos timing, not a wait for a goroutine
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		killedAt = append(killedAt, srv.SentCount())
	}
	got := func() map[int64]int {
		n := map[int64]int{}
		for _, m := range srv.Sent() {
			if strings.Contains(m.Text, crashAnnouncement) {
				n[m.ChatID]++
			}
		}
		return n
	}
	if len(got()) >= members {
		t.Fatal("the killed runs sent everything: the kills landed too late to test anything")
	}
	// A last run to the end.
	cmd := startBot(t, cfgPath)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for len(got()) < members {
		if err := srv.WaitSent(ctx, srv.SentCount()+1); err != nil {
			t.Fatalf("%d of %d members reached: %v", len(got()), members, err)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	perKill := repeatsPerKill(srv.Sent(), killedAt)
	total, worst := 0, 0
	for _, n := range perKill {
		total, worst = total+n, max(worst, n)
	}
	if worst > workers {
		t.Fatalf("%d repeats after one kill; at most the %d messages in flight may repeat (per kill: %v)", worst, workers, perKill)
	}
	t.Logf("%d members, %d kills: every member reached; %d repeats in all, per kill %v (bound: %d workers in flight)",
		members, kills, total, perKill, workers)
}

// repeatsPerKill counts the announcement's repeated deliveries, each
// charged to the kill before it (killedAt: messages received by each
// kill).
func repeatsPerKill(sent []telegramtest.SentMessage, killedAt []int) []int {
	out := make([]int, len(killedAt))
	seen := map[int64]bool{}
	for i, m := range sent {
		if !strings.Contains(m.Text, crashAnnouncement) {
			continue
		}
		if seen[m.ChatID] {
			k := 0
			for k+1 < len(killedAt) && i >= killedAt[k+1] {
				k++
			}
			out[k]++
		}
		seen[m.ChatID] = true
	}
	return out
}
