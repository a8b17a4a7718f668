package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

var errApplied = errors.New("applied already")

// apply is what the core does with a stored update, reduced to its
// bookkeeping: take it (skip it if another instance applied it; leave it
// if another is applying it), queue one reply
// naming it (outbox ids follow the commits, so they record the order the
// updates were applied in), and mark it applied in the same transaction.
func apply(db *storage.DB, applied *atomic.Int64, all chan<- struct{}, total int64) func(context.Context, cd.InboxItem) error {
	return func(ctx context.Context, it cd.InboxItem) error {
		err := db.Update(ctx, func(tx *storage.Tx) error {
			if done, err := tx.InboxTake(it.ID); err != nil || done {
				return cmpErr(err, errApplied)
			}
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: it.ChatKey},
				Kind: cd.OutboxReply, Message: cd.Message{Text: string(it.Payload)}}); err != nil {
				return err
			}
			ok, err := tx.InboxDone(it.ID, "")
			if err == nil && !ok {
				err = errApplied
			}
			return err
		})
		if errors.Is(err, errApplied) {
			return nil
		}
		if err == nil && applied.Add(1) == total {
			close(all)
		}
		return err
	}
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// TestTwoProcessorsOneInbox: two instances (two database handles, two
// processors) receive one platform's updates, each storing some of them,
// and both apply what is pending: every update is applied exactly once,
// and each chat's updates in the order they were stored, whichever
// instance stored or applied each.
func TestTwoProcessorsOneInbox(t *testing.T) {
	dbA, target := storagetest.Open(t, storage.Postgres)
	dbB, err := storage.Dial(context.Background(), storage.Postgres, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dbB.Close() })
	const chats, perChat = 20, 10
	var applied atomic.Int64
	all := make(chan struct{})
	procs := []*inbox.Processor{
		inbox.NewProcessor("telegram", dbA, apply(dbA, &applied, all, chats*perChat), nil),
		inbox.NewProcessor("telegram", dbB, apply(dbB, &applied, all, chats*perChat), nil),
	}
	store := func(from, to int) {
		for i := from; i < to; i++ {
			for c := range chats {
				db := []*storage.DB{dbA, dbB}[(i+c)%2] // the instance that received it
				key := fmt.Sprintf("%d-%d", c, i)
				if _, _, err := db.PutInbox(context.Background(), "telegram", key, fmt.Sprint(c), []byte(key)); err != nil {
					t.Error(err)
				}
			}
			for _, p := range procs {
				p.Wake()
			}
		}
	}
	store(0, perChat/2)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Go(func() { p.Run(ctx) })
	}
	store(perChat/2, perChat)
	<-all
	cancel()
	wg.Wait()
	out, err := dbA.DueOutbox(context.Background(), cd.PlatformTelegram, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != chats*perChat || applied.Load() != chats*perChat {
		t.Fatalf("%d replies, %d applied; want %d each", len(out), applied.Load(), chats*perChat)
	}
	next := map[string]int{}
	for _, it := range out { // in id order: the order applied
		if want := fmt.Sprintf("%s-%d", it.To.ChatID, next[it.To.ChatID]); it.Message.Text != want {
			t.Fatalf("chat %s: applied %s, want %s next", it.To.ChatID, it.Message.Text, want)
		}
		next[it.To.ChatID]++
	}
}

// TestProcessorTakesOverHeldUpdate: an instance applying a chat's update
// holds its row; another instance's processor applies the other chats'
// updates meanwhile, holds that chat's later ones back, and when the first
// instance's transaction ends without applying it (the instance died: its
// connection closed), takes the chat over promptly, in order, without a
// Wake.
func TestProcessorTakesOverHeldUpdate(t *testing.T) {
	dbA, target := storagetest.Open(t, storage.Postgres)
	dbB, err := storage.Dial(context.Background(), storage.Postgres, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dbB.Close() })
	ctx := context.Background()
	var ids []int64
	for _, key := range []string{"x-0", "y-0", "x-1", "y-1"} {
		id, _, err := dbA.PutInbox(ctx, "telegram", key, key[:1], []byte(key))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	held, release, holderDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		holderDone <- dbA.Update(ctx, func(tx *storage.Tx) error {
			if applied, err := tx.InboxTake(ids[0]); err != nil || applied {
				return cmpErr(err, errApplied)
			}
			close(held)
			<-release
			return errors.New("killed")
		})
	}()
	<-held
	var applied atomic.Int64
	all, two := make(chan struct{}), make(chan struct{})
	var once sync.Once
	handle := apply(dbB, &applied, all, 4)
	p := inbox.NewProcessor("telegram", dbB, func(ctx context.Context, it cd.InboxItem) error {
		err := handle(ctx, it)
		if applied.Load() == 2 {
			once.Do(func() { close(two) })
		}
		return err
	}, nil)
	p.Busy = 10 * time.Millisecond
	p.Idle = time.Hour // no tick: only Busy brings it back
	runCtx, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { p.Run(runCtx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	select {
	case <-two: // chat y, while x is held
	case <-time.After(10 * time.Second):
		t.Fatalf("%d of 2 applied while chat x was held", applied.Load())
	}
	close(release)
	if err := <-holderDone; err == nil || err.Error() != "killed" {
		t.Fatalf("holder: %v", err)
	}
	select {
	case <-all:
	case <-time.After(10 * time.Second):
		t.Fatalf("%d of 4 applied: the held chat was not taken over", applied.Load())
	}
	out, err := dbA.DueOutbox(ctx, cd.PlatformTelegram, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out {
		got = append(got, it.Message.Text)
	}
	if fmt.Sprint(got) != "[y-0 y-1 x-0 x-1]" {
		t.Fatalf("applied %v, want [y-0 y-1 x-0 x-1]", got)
	}
}
