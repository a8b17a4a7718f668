package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// webhookFlood are the member messages of the webhook fault test with
// the start of each one's reply. A member sends them in turn, starting at
// a different one per member, so two in a row are never the same: the
// order of a person's replies shows the order their messages were
// applied in, and a repeated reply is told from two swapped ones.
var webhookFlood = []struct{ text, reply string }{
	{"/trogiup", txtHelpHeaderForTest},
	{"/huy", "Không có thao tác nào đang làm."},
	{"chào bot", "Bot chưa hiểu tin nhắn này."},
}

// deadClaimsPause is how long the dead instance's claims on outbox rows
// outlast it: they end with its heartbeat, at most lease_ttl (3 s) after
// the kill, and the survivor takes them at its next read, within a
// second. A claimed reply, and the later replies of its chat, wait that
// long after the kill.
const deadClaimsPause = 4 * time.Second

// replySlack is what a reply may take on top of the wait for the dead
// instance's claims, on a small machine shared with other builds.
const replySlack = 10 * time.Second

// replyPause bounds the longest time without a reply sent, from the kill
// to the last reply: replies keep flowing through the takeover.
const replyPause = 5 * time.Second

// TestTwoInstancesKillWebhook is TestTwoInstancesKill in webhook mode:
// two instances on one PostgreSQL database behind a load balancer, the
// fake Bot API delivering as Telegram does (a queue per chat, up to
// max_connections at once, failures retried). During a 3,000-member
// announcement and a flood of 2,000 member messages the instance holding
// the jobs' lease is killed (SIGKILL): every update is stored once and
// applied once, each person's in the order sent; every member gets the
// announcement; the only repeats are messages in flight at the kill; the
// survivor takes the jobs over within 30 s; replies keep flowing through
// the takeover, and once an update is applied its reply waits at most for
// the dead instance's claims. It logs how long replies took from delivery
// (README, Running more than one instance).
func TestTwoInstancesKillWebhook(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	const members, senders, each, workers, maxConn = 3000, 400, 5, 8, 8
	db, url := storagetest.Open(t, storage.Postgres)
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken, Latency: 5 * time.Millisecond})
	addrs := []string{freeAddr(t), freeAddr(t)}
	lb := newBalancer(t, 2*time.Second, "http://"+addrs[0], "http://"+addrs[1])
	cfgs := webhookConfigs(t, srv, url, lb.URL()+"/telegram", addrs, fmt.Sprintf(`max_connections = %d
[telegram.sender]
messages_per_second = 400
workers = %d
[cluster]
lease_ttl = "3s"
`, maxConn, workers))
	seedMembers(t, db, members, true)
	a, logsA := startInstance(t, cfgs[0], url)
	b, logsB := startInstance(t, cfgs[1], url)
	waitFor(t, "both instances serving and the webhook set", func() bool {
		u, _ := srv.Webhook()
		return u != "" && healthy(addrs[0]) && healthy(addrs[1])
	}, logsA, logsB)
	holder := waitHolder(t, db, "jobs", "", logsA, logsB)
	fl := runFlood(t, srv, senders, each)
	waitFor(t, "a third of the announcement sent, the flood under way", func() bool {
		return countSent(srv, crashAnnouncement) > members/3 && fl.injected() >= senders*each/10
	}, logsA, logsB)
	victim := a
	if strconv.Itoa(b.Process.Pid) == holder[strings.LastIndex(holder, "-")+1:] {
		victim = b
	}
	killedAt, announced := srv.SentCount(), countSent(srv, crashAnnouncement)
	signalled := time.Now()
	victim.Process.Signal(syscall.SIGKILL)
	victim.Wait()
	killed := time.Now()
	t.Logf("killed %s with %d of %d member messages sent, %d delivered, and the announcement at %d of %d",
		holder, fl.injected(), senders*each, fl.deliveredBefore(killed), announced, members)
	if announced == 0 || announced == members || fl.injected() == senders*each {
		t.Fatalf("the kill came outside the announcement or the flood")
	}
	next := waitHolder(t, db, "jobs", holder, logsA, logsB)
	took := time.Since(killed)
	t.Logf("jobs taken over by %s %.1f s after the kill", next, took.Seconds())
	if took > 30*time.Second {
		t.Errorf("jobs taken over after %s, want within 30 s", took)
	}
	fl.wait(t)
	waitFor(t, "every member reached and every update answered", func() bool {
		return countSent(srv, crashAnnouncement) == members && fl.answered(srv.Sent())
	}, logsA, logsB)
	checkWebhookRun(t, db, srv, fl, killed, killedAt, members, workers)
	served, failed, down := lb.stats()
	t.Logf("balancer: requests served %v, answered 502 %v; a backend marked down %s after the kill",
		served, failed, firstAfter(down, signalled))
}

// webhookConfigs writes the two instances' configs: the same but for the
// address each listens on, as on two machines behind one balancer.
func webhookConfigs(t *testing.T, srv *telegramtest.Server, url, hookURL string, addrs []string, extra string) []string {
	t.Helper()
	listen := fmt.Sprintf("webhook_listen = %q\n", addrs[0])
	cfg := telegramConfigOn(t, srv, storage.Postgres, url, fmt.Sprintf(`token = %q
mode = "webhook"
%swebhook_url = %q
webhook_secret = %q
%s`, testToken, listen, hookURL, strings.Repeat("s3cret-", 6), extra))
	cfg = rewriteJobs(t, cfg)
	body := readFile(t, cfg)
	other := writeFile(t, "cluster2.toml", strings.Replace(body, listen, fmt.Sprintf("webhook_listen = %q\n", addrs[1]), 1))
	return []string{cfg, other}
}

// healthy is whether an instance's webhook listener answers GET /healthz.
func healthy(addr string) bool {
	c := &http.Client{Timeout: time.Second}
	resp, err := c.Get("http://" + addr + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// firstAfter is how long after t the first of times at or after it
// came ("never" when none did).
func firstAfter(times []time.Time, t time.Time) string {
	for _, x := range times {
		if !x.Before(t) {
			return x.Sub(t).Round(time.Millisecond).String()
		}
	}
	return "never"
}

// checkWebhookRun checks the run once everything was answered: each
// update stored once, in each chat's order, and applied once in that
// order; the repeats; and the replies' latency after the kill.
func checkWebhookRun(t *testing.T, db *storage.DB, srv *telegramtest.Server, fl *flood, killed time.Time, killedAt, members, workers int) {
	t.Helper()
	rows, err := db.InboxRows(context.Background(), "telegram")
	if err != nil {
		t.Fatal(err)
	}
	if msg := fl.checkRows(rows); msg != "" {
		t.Error(msg)
	}
	sent := srv.Sent()
	replyAt, replyRepeats, wrong := fl.align(sent)
	if wrong != "" {
		t.Error(wrong)
	}
	seen, repeats := map[int64]bool{}, 0
	for _, m := range sent {
		if strings.Contains(m.Text, crashAnnouncement) {
			if seen[m.ChatID] {
				repeats++
			}
			seen[m.ChatID] = true
		}
	}
	t.Logf("%d updates stored and applied once each, in each chat's order; %d members reached; repeats: %d of the announcement, %d replies (messages sent before the kill: %d)",
		len(rows), len(seen), repeats, replyRepeats, killedAt)
	if repeats+replyRepeats > workers {
		t.Errorf("%d repeats; at most the %d in flight at the kill may repeat", repeats+replyRepeats, workers)
	}
	appliedAt := map[int]time.Time{}
	for _, r := range rows {
		id, _ := strconv.Atoi(r.UpdateKey)
		appliedAt[id] = r.Applied
	}
	before, after := fl.waitsOf(replyAt, appliedAt, killed, true), fl.waitsOf(replyAt, appliedAt, killed, false)
	if len(after.reply) == 0 {
		t.Fatal("no update was delivered after the kill")
	}
	t.Logf("from delivery to reply, the %d updates delivered before the kill: %s; the %d after it: %s",
		len(before.reply), spread(before.reply), len(after.reply), spread(after.reply))
	t.Logf("  of which, after the kill, from delivery to applied: %s; from applied to the reply sent: %s",
		spread(after.apply), spread(after.send))
	// The sending side waits at most for the dead instance's claims; the
	// receiving side's wait is the inbox processors' backlog (both walk
	// every pending row, one applying it, the other finding it applied,
	// each under the write lock), which depends on the machine's load.
	if p := after.send[len(after.send)-1]; p > deadClaimsPause+replySlack {
		t.Errorf("a reply went %s after its update was applied, longer than the dead instance's claims (%s) and %s",
			p, deadClaimsPause, replySlack)
	}
	first, pause := replyFlow(sent, replyAt, killed)
	t.Logf("replies after the kill: the first %s later, the longest pause between two %s", first, pause)
	if first > replyPause || pause > replyPause {
		t.Errorf("replies paused after the kill (first after %s, longest pause %s), want under %s", first, pause, replyPause)
	}
	fl.logDeliveries(t)
}

// replyFlow is, from the kill to the last reply, how long until the
// first reply and the longest time between two.
func replyFlow(sent []telegramtest.SentMessage, replyAt map[int]time.Time, killed time.Time) (first, pause time.Duration) {
	var last time.Time
	for _, at := range replyAt {
		if at.After(last) {
			last = at
		}
	}
	prev := killed
	for _, m := range sent {
		if m.Time.Before(killed) || m.Time.After(last) || replyKind(m.Text) < 0 {
			continue
		}
		if prev.Equal(killed) {
			first = m.Time.Sub(killed)
		}
		pause, prev = max(pause, m.Time.Sub(prev)), m.Time
	}
	return first.Round(time.Millisecond), pause.Round(time.Millisecond)
}
