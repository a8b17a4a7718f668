package bot_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestDiskFullUpdateWaits: when applying an update fails because the disk
// is full, the core neither apologises nor marks the update applied (even
// if the smaller apology would fit): it returns the error, the update stays
// in the inbox, and it is applied once when tried again with room.
func TestDiskFullUpdateWaits(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	full := true
	// The update's own transaction fails at commit, as on a full disk; any
	// other (an apology) would succeed.
	store := bot.StoreOf(func(ctx context.Context, fn func(*storage.Tx) error) error {
		return h.db.Update(ctx, func(tx *storage.Tx) error {
			if err := fn(tx); err != nil || !full {
				return err
			}
			full = false
			return fmt.Errorf("commit transaction: %w", storage.ErrDiskFull)
		})
	})
	b := bot.New(store, h.cfg)
	id, _, err := h.db.PutInbox(ctx, "console", "u1", "an", []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	u := bot.Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Text: "/trogiup", InboxID: id}
	if err := b.Handle(ctx, u); !errors.Is(err, storage.ErrDiskFull) {
		t.Fatalf("Handle on a full disk = %v, want ErrDiskFull", err)
	}
	if items, _ := h.db.PendingInbox(ctx, "console", 10); len(items) != 1 {
		t.Fatalf("the update left the inbox: %d pending", len(items))
	}
	if items, _ := h.db.DueOutbox(ctx, cd.PlatformConsole, 10); len(items) != 0 {
		t.Fatalf("replies queued on a full disk: %+v", items)
	}
	// Room again (full was reset by the failed commit).
	if err := b.Handle(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := b.Handle(ctx, u); err != nil { // applied once: a second try is a duplicate
		t.Fatal(err)
	}
	items, _ := h.db.DueOutbox(ctx, cd.PlatformConsole, 10)
	if len(items) != 1 || items[0].Message.Text == "" {
		t.Fatalf("replies after space returned: %+v", items)
	}
	if items, _ := h.db.PendingInbox(ctx, "console", 10); len(items) != 0 {
		t.Fatalf("%d updates still pending", len(items))
	}
}
