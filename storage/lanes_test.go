package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

func enqueueTo(t *testing.T, db *storage.DB, chat, text string, lane cd.Lane) int64 {
	t.Helper()
	it := &cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: chat}, Lane: lane, Message: cd.Message{Text: text}}
	update(t, db, func(tx *storage.Tx) error { _, err := tx.Enqueue(it); return err })
	return it.ID
}

func texts(items []cd.OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Message.Text)
	}
	return out
}

// TestDueHeadsLanes: each lane in its order; only the first waiting
// message of a chat; an interactive message brings its chat's earlier
// bulk message forward; a message waiting to be retried holds its chat
// back; replies default to the interactive lane.
func TestDueHeadsLanes(t *testing.T) { storagetest.Run(t, testDueHeadsLanes) }

func testDueHeadsLanes(t *testing.T, e storage.Engine) {
	db, _ := openOn(t, e)
	ctx := context.Background()
	enqueueTo(t, db, "1", "b1", cd.LaneBulk)
	enqueueTo(t, db, "2", "b2", cd.LaneBulk)
	enqueueTo(t, db, "1", "b1'", cd.LaneBulk)
	enqueueTo(t, db, "3", "i3", cd.LaneInteractive)
	enqueueTo(t, db, "2", "i2", cd.LaneInteractive)
	update(t, db, func(tx *storage.Tx) error {
		_, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "4"}, Kind: cd.OutboxReply,
			Message: cd.Message{Text: "r4"}})
		return err
	})
	heads := func(lane cd.Lane) []string {
		t.Helper()
		items, err := db.DueHeads(ctx, cd.PlatformTelegram, lane, 10)
		if err != nil {
			t.Fatal(err)
		}
		return texts(items)
	}
	if got := fmt.Sprint(heads(cd.LaneBulk)); got != "[b1 b2]" {
		t.Fatalf("bulk heads %s", got)
	}
	// Chat 2's bulk message goes first, at the interactive priority.
	if got := fmt.Sprint(heads(cd.LaneInteractive)); got != "[b2 i3 r4]" {
		t.Fatalf("interactive heads %s", got)
	}
	if got := fmt.Sprint(heads("")); got != "[b1 b2 i3 r4]" {
		t.Fatalf("one-queue heads %s", got)
	}
	// b1 fails and waits a minute: chat 1 waits with it.
	items, _ := db.DueHeads(ctx, cd.PlatformTelegram, cd.LaneBulk, 1)
	if err := db.MarkRetry(ctx, items[0].ID, "502", t0.Add(time.Minute), true); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(heads(cd.LaneBulk)); got != "[b2]" {
		t.Fatalf("bulk heads while b1 waits: %s", got)
	}
	if next, ok, err := db.NextDue(ctx, cd.PlatformTelegram); err != nil || !ok || !next.Equal(t0.Add(time.Minute)) {
		t.Fatalf("next due %v %v %v", next, ok, err)
	}
	db.Now = func() time.Time { return t0.Add(time.Minute) }
	if got := fmt.Sprint(heads(cd.LaneBulk)); got != "[b2 b1]" {
		t.Fatalf("bulk heads after the retry time: %s", got)
	}
	// A message queued for later does not hold its chat back.
	update(t, db, func(tx *storage.Tx) error {
		_, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "5"}, NotBefore: t0.Add(time.Hour),
			Message: cd.Message{Text: "later"}})
		return err
	})
	enqueueTo(t, db, "5", "now5", cd.LaneInteractive)
	if got := fmt.Sprint(heads(cd.LaneInteractive)); got != "[b2 i3 r4 now5]" {
		t.Fatalf("interactive heads %s", got)
	}
}

// TestAnnouncementChunks queues an announcement chunk by chunk: each
// recipient once, on the account of a running platform when they have
// one, resuming after the cursor; then messages waiting on a platform
// that is not running go to the member's other account, or are given up.
func TestAnnouncementChunks(t *testing.T) { storagetest.Run(t, testAnnouncementChunks) }

func testAnnouncementChunks(t *testing.T, e storage.Engine) {
	db, _ := openOn(t, e)
	var ann cd.Announcement
	update(t, db, func(tx *storage.Tx) error {
		for i := range 25 {
			m := &cd.Member{FullName: fmt.Sprintf("Đoàn viên %d", i), UnitID: 1, Role: cd.RoleMember, Status: cd.StatusActive}
			p, id := cd.PlatformTelegram, fmt.Sprint(1000+i)
			if i%5 == 0 {
				p = cd.PlatformZalo // only on Zalo
			}
			if err := tx.CreateMember(m, cd.Identity{Platform: p, UserID: id, ChatID: id}); err != nil {
				return err
			}
			if i%5 == 1 { // on both, Zalo used last
				if err := tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformZalo, UserID: "z" + id, ChatID: "z" + id}); err != nil {
					return err
				}
			}
		}
		n, err := tx.CountRecipients(cd.AudienceAll, nil, 0)
		if n != 25 || err != nil {
			t.Fatalf("count %d, %v", n, err)
		}
		ann = cd.Announcement{ReportTo: cd.Address{Platform: cd.PlatformConsole, ChatID: "tinh"}, Text: "Họp", Audience: cd.AudienceAll,
			SendAt: t0, Status: cd.AnnouncementQueueing}
		return tx.CreateAnnouncement(&ann)
	})
	// Zalo is not running: members on both get it on Telegram; the cursor
	// moves chunk by chunk; a chunk queued again adds nothing.
	running := []cd.Platform{cd.PlatformTelegram}
	total := 0
	for chunk := 0; ; chunk++ {
		var done bool
		update(t, db, func(tx *storage.Tx) error {
			n, upto, d, err := tx.EnqueueAnnouncementChunk(&ann, cd.Message{Text: "Họp"}, 10, running)
			if err != nil {
				return err
			}
			if again, _, _, err := tx.EnqueueAnnouncementChunk(&ann, cd.Message{Text: "Họp"}, 10, running); err != nil || again != 0 {
				t.Fatalf("the same chunk queued %d again, %v", again, err)
			}
			total, done, ann.QueuedUpto = total+n, d, upto
			return nil
		})
		if done {
			break
		}
		if chunk > 3 {
			t.Fatal("queueing does not end")
		}
	}
	if total != 25 {
		t.Fatalf("queued %d of 25", total)
	}
	zalo, err := db.DueOutbox(context.Background(), cd.PlatformZalo, 100)
	if err != nil || len(zalo) != 5 {
		t.Fatalf("on Zalo: %d (%v); want the 5 members who have only Zalo", len(zalo), err)
	}
	ann.Status, ann.QueuedAt = cd.AnnouncementSending, t0
	update(t, db, func(tx *storage.Tx) error {
		if err := tx.UpdateAnnouncement(&ann); err != nil {
			return err
		}
		// Zalo is off: the members only on Zalo are not reached.
		rerouted, offline, err := tx.RerouteOffline(ann.ID, running)
		if err != nil || rerouted != 0 || offline != 5 {
			t.Fatalf("rerouted %d, offline %d, %v", rerouted, offline, err)
		}
		// Then Telegram stops and Zalo runs: members on both get it on
		// Zalo; the others are not reached.
		rerouted, offline, err = tx.RerouteOffline(ann.ID, []cd.Platform{cd.PlatformZalo})
		if err != nil || rerouted != 5 || offline != 15 {
			t.Fatalf("rerouted %d, offline %d, %v", rerouted, offline, err)
		}
		d, err := tx.AnnouncementDelivery(ann.ID)
		if err != nil {
			return err
		}
		if d.Offline != 20 || d.Pending != 5 || len(d.Missed) != 20 || d.Total() != 25 {
			t.Fatalf("delivery %+v", d)
		}
		return nil
	})
}

// TestInteractiveLaneCountsChats: the interactive lane's limit counts
// chats, not messages: a chat with three replies behind an announcement
// takes one slot, and the next chat's announcement comes forward too.
func TestInteractiveLaneCountsChats(t *testing.T) { storagetest.Run(t, testInteractiveLaneCountsChats) }

func testInteractiveLaneCountsChats(t *testing.T, e storage.Engine) {
	db, _ := openOn(t, e)
	enqueueTo(t, db, "1", "b1", cd.LaneBulk)
	enqueueTo(t, db, "2", "b2", cd.LaneBulk)
	for i := range 3 {
		enqueueTo(t, db, "1", fmt.Sprintf("r1-%d", i), cd.LaneInteractive)
	}
	enqueueTo(t, db, "2", "r2", cd.LaneInteractive)
	items, err := db.DueHeads(context.Background(), cd.PlatformTelegram, cd.LaneInteractive, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(texts(items)); got != "[b1 b2]" {
		t.Fatalf("interactive heads with a limit of 2: %s, want [b1 b2]", got)
	}
}
