package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// startInstance runs `congdoanbot run` as a child process on the
// PostgreSQL database url, stopped (SIGTERM) when the test ends unless
// the test killed it.
func startInstance(t *testing.T, cfgPath, url string) (*osexec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := osexec.Command(os.Args[0], "run", "-config", cfgPath)
	cmd.Env = append(os.Environ(), "CONGDOANBOT_RUN_MAIN=1", "CONGDOANBOT_DATABASE_URL="+url)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil { // not waited for: still running
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	})
	return cmd, logs
}

// seedMembers adds n members on Telegram (user and chat ids 400000 on)
// and, with announce, an announcement to all of them, not yet queued.
func seedMembers(t *testing.T, db *storage.DB, n int, announce bool) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		for i := range n {
			id := fmt.Sprint(400000 + i)
			if err := tx.CreateMember(&cd.Member{FullName: "Đoàn Viên " + id, UnitID: 2, Role: cd.RoleMember, Status: cd.StatusActive},
				cd.Identity{Platform: cd.PlatformTelegram, UserID: id, ChatID: id}); err != nil {
				return err
			}
		}
		if !announce {
			return nil
		}
		return tx.CreateAnnouncement(&cd.Announcement{ReportTo: cd.Address{Platform: cd.PlatformTelegram, ChatID: "400000"},
			Text: crashAnnouncement, Audience: cd.AudienceAll, SendAt: time.Now(), Status: cd.AnnouncementQueueing})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTwoInstancesKill runs two instances on one PostgreSQL database
// against the fake Bot API (polling), sends a 3,000-member announcement
// and a flood of 2,000 member messages, and kills (SIGKILL) the instance
// holding the jobs' lease in the middle of both: the survivor takes the
// jobs over within 30 s, every update is applied once (one reply queued
// each), every member gets the announcement, the only repeats are
// messages that were in flight at the kill, and no chat waits for the dead
// instance's claims longer than its heartbeat lasts.
func TestTwoInstancesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	const members, senders, each, workers = 3000, 400, 5, 8
	db, url := storagetest.Open(t, storage.Postgres)
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken, Latency: 5 * time.Millisecond})
	cfgPath := telegramConfigOn(t, srv, storage.Postgres, url, fmt.Sprintf(`token = %q
[telegram.sender]
messages_per_second = 400
workers = %d
[cluster]
lease_ttl = "3s"
`, testToken, workers))
	cfgPath = rewriteJobs(t, cfgPath)
	seedMembers(t, db, members, true)
	a, logsA := startInstance(t, cfgPath, url)
	b, logsB := startInstance(t, cfgPath, url)
	holder := waitHolder(t, db, "jobs", "", logsA, logsB)
	flood := func(from, to int) {
		for round := from; round < to; round++ {
			for u := range senders {
				srv.SendText(telegramtest.User{ID: int64(400000 + u), FirstName: "Đoàn Viên"}, "/trogiup")
			}
		}
	}
	flood(0, each/2)
	waitFor(t, "a third of the announcement sent", func() bool { return countSent(srv, crashAnnouncement) > members/3 }, logsA, logsB)
	victim := a
	if strconv.Itoa(b.Process.Pid) == holder[strings.LastIndex(holder, "-")+1:] {
		victim = b
	}
	killedAt := srv.SentCount()
	victim.Process.Signal(syscall.SIGKILL)
	victim.Wait()
	killed := time.Now()
	claimed, err := db.Claimed(context.Background(), holder, 100)
	if err != nil {
		t.Fatal(err)
	}
	flood(each/2, each)
	var next string
	var takenOver, jobsAt time.Duration
	waitFor(t, "the dead instance's claims and the jobs taken over", func() bool {
		if c, err := db.Claimed(context.Background(), holder, 1); takenOver == 0 && err == nil && len(c) == 0 {
			takenOver = time.Since(killed)
		}
		if h, err := db.LeaseHolder(context.Background(), "jobs"); jobsAt == 0 && err == nil && h != "" && h != holder {
			next, jobsAt = h, time.Since(killed)
		}
		return takenOver > 0 && jobsAt > 0
	}, logsA, logsB)
	t.Logf("jobs taken over by %s %.1f s after the kill of %s", next, jobsAt.Seconds(), holder)
	if jobsAt > 30*time.Second {
		t.Errorf("jobs taken over after %s, want within 30 s", jobsAt)
	}
	checkTwoInstances(t, db, srv, members, senders*each, killedAt, workers)
	// The dead instance's claimed messages, and the later ones of their
	// chats, wait for its heartbeat to expire: at most lease_ttl (3 s)
	// after the kill, as it was renewed before; the survivor then takes
	// them at its next read of the lanes (every second while it sends), or
	// when its heartbeat sees one instance fewer (every lease_ttl/3) and
	// wakes its sender. So the claims should be taken over within about
	// 4 s of the kill, and no pause in sending be longer; 15 s leaves room
	// for a 2-core machine shared with other builds (where a read that
	// claims waits for the write lock behind the flood: once 8.9 s), and
	// is still far from the 25 to 30 s of claims that lasted 5/4 of the
	// delivery timeout before they ended with the heartbeat. The chats
	// then go on at their lane's pace: an announcement's messages wait
	// behind the flood's replies.
	var first, last time.Time
	for _, m := range srv.Sent() {
		if !m.Time.Before(killed) {
			first = cmp.Or(first, m.Time)
			last = m.Time
		}
	}
	gap, resumed := longestGap(srv.Sent(), killed), resumedAfter(srv.Sent(), claimed, killed)
	t.Logf("the dead instance's %d claims taken over %s after the kill; their chats resumed within %s of it",
		len(claimed), takenOver.Round(time.Millisecond), resumed.Round(time.Millisecond))
	if len(claimed) == 0 {
		t.Error("the dead instance held no claims at the kill: the test did not kill it while it sent")
	}
	if takenOver > 15*time.Second {
		t.Errorf("the dead instance's claims were taken over %s after the kill, want under 15 s (lease_ttl plus one renewal, and room)", takenOver)
	}
	t.Logf("first message after the kill %s later; longest pause in the 20 s after it %s; overall %s; last message %s after the kill",
		first.Sub(killed).Round(time.Millisecond), longestGapWithin(srv.Sent(), killed, killed.Add(20*time.Second)).Round(time.Millisecond),
		gap.Round(time.Millisecond), last.Sub(killed).Round(time.Millisecond))
	if first.Sub(killed) > 5*time.Second {
		t.Errorf("the survivor sent nothing for %s after the kill", first.Sub(killed))
	}
	if gap > 15*time.Second {
		t.Errorf("sending paused for %s after the kill, want under 15 s (lease_ttl plus one renewal, and room)", gap)
	}
}

// resumedAfter is how long after the kill the last of the chats whose
// messages a dead instance had claimed got its next message (the claimed
// one, or a repeat of it when it was in flight).
func resumedAfter(sent []telegramtest.SentMessage, claimed []cd.OutboxItem, killed time.Time) time.Duration {
	var longest time.Duration
	for _, it := range claimed {
		for _, m := range sent {
			if fmt.Sprint(m.ChatID) == it.To.ChatID && !m.Time.Before(killed) {
				longest = max(longest, m.Time.Sub(killed))
				break
			}
		}
	}
	return longest
}

// longestGapWithin is the longest time between two messages the server
// received within a window, not counting its ends.
func longestGapWithin(sent []telegramtest.SentMessage, from, to time.Time) time.Duration {
	var gap time.Duration
	var last time.Time
	for _, m := range sent {
		if m.Time.Before(from) || m.Time.After(to) {
			continue
		}
		if !last.IsZero() {
			gap = max(gap, m.Time.Sub(last))
		}
		last = m.Time
	}
	return gap
}

// longestGap is the longest time between two messages the server received
// after a moment.
func longestGap(sent []telegramtest.SentMessage, after time.Time) time.Duration {
	var gap time.Duration
	last := after
	for _, m := range sent {
		if m.Time.Before(after) {
			continue
		}
		gap, last = max(gap, m.Time.Sub(last)), m.Time
	}
	return gap
}

// rewriteJobs turns the scheduled jobs on in a test config.
func rewriteJobs(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "cluster.toml", strings.Replace(string(b), "[jobs]\nenabled = false", "[jobs]\nenabled = true", 1))
}

// waitFor polls another process's progress, every 20 ms, for up to 90 s.
func waitFor(t *testing.T, what string, ready func() bool, logs ...*syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !ready() {
		if time.Now().After(deadline) {
			for _, l := range logs {
				t.Log(tail(l.String(), 4000))
			}
			t.Fatalf("%s: not within 90 s", what)
		}
		time.Sleep(20 * time.Millisecond) // polling child processes, not waiting for a goroutine
	}
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// waitHolder waits for the lease name to be held by someone other than
// not, and returns the holder.
func waitHolder(t *testing.T, db *storage.DB, name, not string, logs ...*syncBuffer) string {
	t.Helper()
	var h string
	waitFor(t, "lease "+name+" taken", func() bool {
		var err error
		h, err = db.LeaseHolder(context.Background(), name)
		return err == nil && h != "" && h != not
	}, logs...)
	return h
}

func countSent(srv *telegramtest.Server, text string) int {
	seen := map[int64]bool{}
	for _, m := range srv.Sent() {
		if strings.Contains(m.Text, text) {
			seen[m.ChatID] = true
		}
	}
	return len(seen)
}

// checkTwoInstances waits for every member to have the announcement and
// every update its reply, then counts repeats: at most the messages in
// flight at the kill, counted from the kill on.
func checkTwoInstances(t *testing.T, db *storage.DB, srv *telegramtest.Server, members, updates, killedAt, workers int) {
	t.Helper()
	replies := func() (got, extra int) {
		per := map[int64]int{}
		for _, m := range srv.Sent() {
			if m.ChatID >= 400000 && strings.Contains(m.Text, txtHelpHeaderForTest) {
				per[m.ChatID]++
			}
		}
		want := updates / len(per)
		for _, n := range per {
			got += min(n, want)
			extra += max(n-want, 0)
		}
		return got, extra
	}
	waitFor(t, "every member reached and every update answered", func() bool {
		got, _ := replies()
		return countSent(srv, crashAnnouncement) == members && got == updates
	})
	if n, err := db.InboxCount(context.Background(), "telegram"); err != nil || n != updates {
		t.Errorf("%d updates stored (%v), want %d", n, err, updates)
	}
	if p, err := db.PendingInbox(context.Background(), "telegram", 10); err != nil || len(p) != 0 {
		t.Errorf("%d updates pending (%v)", len(p), err)
	}
	seen, repeats := map[int64]bool{}, 0
	for _, m := range srv.Sent() {
		if strings.Contains(m.Text, crashAnnouncement) {
			if seen[m.ChatID] {
				repeats++
			}
			seen[m.ChatID] = true
		}
	}
	_, extraReplies := replies()
	t.Logf("%d members reached, %d updates answered; repeats: %d of the announcement, %d replies (messages sent before the kill: %d)",
		len(seen), updates, repeats, extraReplies, killedAt)
	if repeats+extraReplies > workers {
		t.Errorf("%d repeats; at most the %d in flight at the kill may repeat", repeats+extraReplies, workers)
	}
}

// txtHelpHeaderForTest begins the reply to /trogiup (bot.txtHelpHeader).
const txtHelpHeaderForTest = "Các lệnh anh/chị dùng được:"
