package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// addMembers adds n active members of STP, each with one account on p.
func (h *harness) addMembers(prefix string, n int, p cd.Platform) {
	h.t.Helper()
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		u, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		for i := range n {
			id := fmt.Sprintf("%s%d", prefix, i)
			if err := tx.CreateMember(&cd.Member{FullName: "Đoàn Viên " + id, UnitID: u.ID, Role: cd.RoleMember, Status: cd.StatusActive},
				cd.Identity{Platform: p, UserID: id, ChatID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// announcementRows counts an announcement's outbox rows per member.
func (h *harness) announcementRows(id int64) map[int64]int {
	h.t.Helper()
	out := map[int64]int{}
	for _, p := range []cd.Platform{cd.PlatformConsole, cd.PlatformZalo, cd.PlatformTelegram} {
		items, err := h.db.DueOutbox(context.Background(), p, 1_000_000)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, it := range items {
			if it.AnnouncementID == id {
				out[it.MemberID]++
			}
		}
	}
	return out
}

var errCrash = errors.New("killed before commit")

// crashingStore is a store whose crashAt-th transaction dies after doing
// its work and before committing, as a killed process does.
type crashingStore struct {
	db      *storage.DB
	mu      sync.Mutex
	txs     int
	crashAt int
}

func (s *crashingStore) update(ctx context.Context, fn func(*storage.Tx) error) error {
	s.mu.Lock()
	s.txs++
	n := s.txs
	s.mu.Unlock()
	return s.db.Update(ctx, func(tx *storage.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if n == s.crashAt {
			return errCrash
		}
		return nil
	})
}

// TestAnnouncementQueuedInChunks: confirming queues the first chunk with
// the confirmation (an interactive message) and the rest a chunk per
// transaction; a crash in any chunk, then a restart, queues every
// recipient exactly once.
func TestAnnouncementQueuedInChunks(t *testing.T) { storagetest.Run(t, testAnnouncementQueuedInChunks) }

func testAnnouncementQueuedInChunks(t *testing.T, engine storage.Engine) {
	const extra, chunk = 45, 10
	recipients := extra + 1                     // and the seeded chair of STP
	for crashAt := 1; crashAt <= 5; crashAt++ { // four chunks, and the transaction finding none left
		t.Run(fmt.Sprint("crash in transaction ", crashAt), func(t *testing.T) {
			h := newHarnessOn(t, engine, func(c *bot.Config) { c.QueueChunk = chunk })
			h.addMembers("dv", extra, cd.PlatformConsole)
			want := fmt.Sprintf("tới %d người", recipients)
			h.expect("@tinh /thongbao\nHọp toàn thể.\nTất cả đoàn viên\nGửi ngay\n", "Thông báo sẽ gửi ngay "+want)
			ctx := context.Background()
			if err := h.bot.Handle(ctx, bot.Update{Platform: cd.PlatformConsole, UserID: "tinh", ChatID: "tinh", Text: "Gửi thông báo"}); err != nil {
				t.Fatal(err)
			}
			// The confirmation is interactive: the first in line.
			heads, err := h.db.DueHeads(ctx, cd.PlatformConsole, cd.LaneInteractive, 10)
			if err != nil || len(heads) != 1 || !strings.Contains(heads[0].Message.Text, "Đang gửi thông báo số 1 "+want) {
				t.Fatalf("interactive lane: %+v, %v", heads, err)
			}
			if rows := h.announcementRows(1); len(rows) != chunk {
				t.Fatalf("%d recipients queued with the confirmation; want the first chunk, %d", len(rows), chunk)
			}
			cs := &crashingStore{db: h.db, crashAt: crashAt}
			crashing := bot.New(bot.StoreOf(cs.update), h.cfg)
			if _, err := crashing.QueueAnnouncements(ctx); !errors.Is(err, errCrash) {
				t.Fatalf("queueing with a crash at transaction %d: %v", crashAt, err)
			}
			// A new process resumes.
			h.restart()
			if _, err := h.bot.QueueAnnouncements(ctx); err != nil {
				t.Fatal(err)
			}
			rows := h.announcementRows(1)
			for m, n := range rows {
				if n != 1 {
					t.Fatalf("member %d queued %d times", m, n)
				}
			}
			if len(rows) != recipients {
				t.Fatalf("%d of %d recipients queued", len(rows), recipients)
			}
			// Every one gets it once, then the report.
			h.announcementsJob()
			out := h.run("")
			if n := strings.Count(out, "Họp toàn thể."); n != recipients {
				t.Fatalf("delivered %d times to %d recipients", n, recipients)
			}
			h.announcementsJob()
			h.expect("", fmt.Sprintf("Kết quả gửi thông báo số 1: %d người nhận được.", recipients))
		})
	}
}

// TestAnnouncementChunkTransactions: past the first chunk, each chunk is a
// transaction of its own.
func TestAnnouncementChunkTransactions(t *testing.T) {
	storagetest.Run(t, testAnnouncementChunkTransactions)
}

func testAnnouncementChunkTransactions(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine, func(c *bot.Config) { c.QueueChunk = 10 })
	h.addMembers("dv", 45, cd.PlatformConsole)
	h.expect("@tinh /thongbao\nHọp.\nTất cả đoàn viên\nGửi ngay\nGửi thông báo\n", "Đang gửi thông báo số 1 tới 46 người")
	cs := &crashingStore{db: h.db}
	core := bot.New(bot.StoreOf(cs.update), h.cfg)
	n, err := core.QueueAnnouncements(context.Background())
	if err != nil || n != 36 {
		t.Fatalf("queued %d, %v", n, err)
	}
	if cs.txs != 5 { // 10, 10, 10, 6, and one finding nothing left
		t.Fatalf("%d transactions for 36 recipients in chunks of 10", cs.txs)
	}
}

// TestAnnouncementFinishesWithPlatformOff: recipients whose only account
// is on a platform without a sender are not reached, a member with
// another account gets it there, and the report comes: the announcement
// does not wait for ever.
func TestAnnouncementFinishesWithPlatformOff(t *testing.T) {
	storagetest.Run(t, testAnnouncementFinishesWithPlatformOff)
}

func testAnnouncementFinishesWithPlatformOff(t *testing.T, engine storage.Engine) {
	var mu sync.Mutex
	running := []cd.Platform{cd.PlatformConsole, cd.PlatformTelegram}
	h := newHarnessOn(t, engine, func(c *bot.Config) {
		c.Running = func() []cd.Platform { mu.Lock(); defer mu.Unlock(); return running }
	})
	h.addMembers("zl", 2, cd.PlatformZalo)     // Zalo only, never running
	h.addMembers("tg", 1, cd.PlatformTelegram) // Telegram, stopped after queueing
	// One on the console and on Zalo, Zalo used last: it goes to the console.
	h.addMembers("both", 1, cd.PlatformZalo)
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformZalo, "both0")
		if err != nil {
			return err
		}
		if err := tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformConsole, UserID: "both", ChatID: "both"}); err != nil {
			return err
		}
		return tx.TouchIdentity(cd.PlatformZalo, "both0", "both0", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	h.expect("@tinh /thongbao\nHọp.\nTất cả đoàn viên\nGửi ngay\nGửi thông báo\n", "[bot → @both] 📢",
		"Đang gửi thông báo số 1 tới 5 người")
	mu.Lock()
	running = []cd.Platform{cd.PlatformConsole} // Telegram's token revoked
	mu.Unlock()
	h.announcementsJob()
	h.announcementsJob()
	out := h.expect("", "Kết quả gửi thông báo số 1: 2 người nhận được.",
		"Chưa nhận được: ", "3 người không nhận được vì chỉ dùng nền tảng mà bot đang không chạy")
	h.refuse(out, "gửi lỗi")
	var a *cd.Announcement
	err = h.db.Update(context.Background(), func(tx *storage.Tx) (err error) { a, err = tx.AnnouncementByID(1); return err })
	if err != nil || a.Status != cd.AnnouncementDone {
		t.Fatalf("announcement %+v, %v", a, err)
	}
}
