package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestTwoInstancesWake: an announcement's messages queued by another
// instance (here a third database handle, as the instance holding the
// jobs' lease queues a scheduled announcement) are sent by two idle
// instances at once, not at their senders' idle tick (30 s): the queueing
// transaction's notification wakes them. It logs the delay.
func TestTwoInstancesWake(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	const members = 200
	db, url := storagetest.Open(t, storage.Postgres)
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	cfgPath := telegramConfigOn(t, srv, storage.Postgres, url, fmt.Sprintf(`token = %q
[telegram.sender]
messages_per_second = 400
[cluster]
lease_ttl = "3s"
`, testToken))
	seedMembers(t, db, members, false)
	_, logsA := startInstance(t, cfgPath, url)
	_, logsB := startInstance(t, cfgPath, url)
	waitFor(t, "two instances polling and listening", func() bool {
		n, err := db.LiveInstances(context.Background())
		return err == nil && n == 2 && srv.Calls("getUpdates") > 0 &&
			strings.Contains(logsA.String(), "listening for other instances' work") &&
			strings.Contains(logsB.String(), "listening for other instances' work")
	}, logsA, logsB)
	// A first announcement, then a second of quiet: both senders have
	// finished their passes and wait for their idle tick or a wake.
	announce(t, db, "Chào mừng", members)
	waitFor(t, "the first announcement sent", func() bool { return countSent(srv, "Chào mừng") == members }, logsA, logsB)
	waitFor(t, "a second of quiet", func() bool {
		sent := srv.Sent()
		return time.Since(sent[len(sent)-1].Time) > time.Second
	}, logsA, logsB)
	queued := time.Now()
	announce(t, db, crashAnnouncement, members)
	waitFor(t, "the announcement sent", func() bool { return countSent(srv, crashAnnouncement) == members }, logsA, logsB)
	var first, last time.Time
	for _, m := range srv.Sent() {
		if strings.Contains(m.Text, crashAnnouncement) {
			if first.IsZero() {
				first = m.Time
			}
			last = m.Time
		}
	}
	t.Logf("%d messages queued by another instance: the first sent %s later, the last %s later",
		members, first.Sub(queued).Round(time.Millisecond), last.Sub(queued).Round(time.Millisecond))
	if d := first.Sub(queued); d > 5*time.Second {
		t.Errorf("the first message went %s after it was queued, want within 5 s (the idle tick is 30 s)", d)
	}
}

// announce queues an announcement of text to every member, as the
// announcements job of the instance holding the jobs' lease would.
func announce(t *testing.T, db *storage.DB, text string, members int) {
	t.Helper()
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		ann := &cd.Announcement{ReportTo: cd.Address{Platform: cd.PlatformTelegram, ChatID: "400000"},
			Text: text, Audience: cd.AudienceAll, SendAt: tx.Now(), Status: cd.AnnouncementSending}
		if err := tx.CreateAnnouncement(ann); err != nil {
			return err
		}
		_, _, _, err := tx.EnqueueAnnouncementChunk(ann, cd.Message{Text: text}, members, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
