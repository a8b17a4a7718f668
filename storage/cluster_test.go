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

// twoHandles opens a database of engine e and a second handle on it, as a
// second instance would, each with its own clock starting at t0.
func twoHandles(t *testing.T, e storage.Engine, t0 time.Time) (a, b *storage.DB, clockA, clockB *time.Time) {
	t.Helper()
	a, target := storagetest.Open(t, e)
	b, err := storage.Dial(context.Background(), e, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ca, cb := t0, t0
	a.Now = func() time.Time { return ca }
	b.Now = func() time.Time { return cb }
	return a, b, &ca, &cb
}

// TestLeaseTakeover: a lease is one holder's until it expires unrenewed;
// then another takes it; a release hands it over at once.
func TestLeaseTakeover(t *testing.T) {
	storagetest.Run(t, func(t *testing.T, e storage.Engine) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
		a, b, ca, cb := twoHandles(t, e, t0)
		const ttl = 15 * time.Second
		take := func(db *storage.DB, holder string, want bool) {
			t.Helper()
			ok, err := db.AcquireLease(ctx, "jobs", holder, ttl)
			if err != nil || ok != want {
				t.Fatalf("%s takes the lease: %v, %v; want %v", holder, ok, err, want)
			}
		}
		take(a, "a", true)
		take(b, "b", false)
		*ca, *cb = t0.Add(10*time.Second), t0.Add(10*time.Second)
		take(a, "a", true) // renewed until t0+25s
		*cb = t0.Add(20 * time.Second)
		take(b, "b", false)
		*cb = t0.Add(25 * time.Second) // a died after renewing at t0+10s
		take(b, "b", true)
		*ca = t0.Add(26 * time.Second)
		take(a, "a", false)
		if h, err := a.LeaseHolder(ctx, "jobs"); err != nil || h != "b" {
			t.Fatalf("holder %q, %v", h, err)
		}
		if err := b.ReleaseLease(ctx, "jobs", "b"); err != nil {
			t.Fatal(err)
		}
		take(a, "a", true)
		for _, id := range []string{"a", "b"} {
			if ok, err := a.AcquireLease(ctx, storage.InstancePrefix+id, id, ttl); err != nil || !ok {
				t.Fatal(ok, err)
			}
		}
		if n, err := a.LiveInstances(ctx); err != nil || n != 2 {
			t.Fatalf("live instances %d, %v", n, err)
		}
		*ca = t0.Add(time.Minute)
		if n, err := a.LiveInstances(ctx); err != nil || n != 0 {
			t.Fatalf("live instances after their leases expired %d, %v", n, err)
		}
	})
}

// TestClaimHeads: two instances claiming an outbox's heads get disjoint
// messages; a claimed message holds its chat's next one back until it is
// sent; a claim that expired is taken over; on SQLite (one instance)
// ClaimHeads is DueHeads.
func TestClaimHeads(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	a, b, ca, cb := twoHandles(t, storage.Postgres, t0)
	heartbeat(t, a, "a", time.Hour)
	heartbeat(t, b, "b", time.Hour)
	err := a.Update(ctx, func(tx *storage.Tx) error {
		for i := range 2 {
			for _, chat := range []string{"1", "2", "3", "4"} {
				if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: chat},
					Message: cd.Message{Text: chat + string(rune('a'+i))}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	claim := func(db *storage.DB, holder string, limit int) []string {
		t.Helper()
		items, err := db.ClaimHeads(ctx, cd.PlatformTelegram, cd.LaneBulk, limit, holder, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			out = append(out, it.Message.Text)
		}
		return out
	}
	if got := claim(a, "a", 2); len(got) != 2 || got[0] != "1a" || got[1] != "2a" {
		t.Fatalf("a claimed %v", got)
	}
	if got := claim(b, "b", 10); len(got) != 2 || got[0] != "3a" || got[1] != "4a" {
		t.Fatalf("b claimed %v, want the heads a did not claim", got)
	}
	if got := claim(b, "b", 10); len(got) != 2 {
		t.Fatalf("b claimed again %v, want its own claims back", got)
	}
	heads, _ := a.DueHeads(ctx, cd.PlatformTelegram, cd.LaneBulk, 10)
	if err := a.MarkSent(ctx, heads[0].ID); err != nil { // 1a sent by a
		t.Fatal(err)
	}
	if got := claim(b, "b", 10); len(got) != 3 || got[0] != "3a" || got[2] != "1b" {
		t.Fatalf("after 1a was sent b claimed %v, want 3a 4a 1b", got)
	}
	*cb = t0.Add(2 * time.Minute) // a's claim on 2a expired (a stuck, its heartbeat still live)
	if got := claim(b, "b", 10); len(got) != 4 || got[0] != "2a" {
		t.Fatalf("after a's claim expired b claimed %v", got)
	}
	*ca = *cb
	if got := claim(a, "a", 10); len(got) != 0 {
		t.Fatalf("a claimed %v while b holds every head", got)
	}
	if err := b.ReleaseClaims(ctx, "b"); err != nil { // b stopped cleanly
		t.Fatal(err)
	}
	if got := claim(a, "a", 10); len(got) != 4 {
		t.Fatalf("after b released its claims a claimed %v", got)
	}
}

// TestClaimHeadsSkipsHeldChats: in the interactive lane's first read, a
// chat whose head another live instance holds does not take a slot: the
// second instance, reading one chat at a time, gets the next chat's head.
func TestClaimHeadsSkipsHeldChats(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	a, b, _, _ := twoHandles(t, storage.Postgres, t0)
	heartbeat(t, a, "a", time.Hour)
	heartbeat(t, b, "b", time.Hour)
	for _, m := range []struct{ chat, text string }{{"1", "b1"}, {"2", "b2"}, {"1", "r1"}, {"1", "r1'"}, {"2", "r2"}} {
		lane := cd.LaneInteractive
		if m.text[0] == 'b' {
			lane = cd.LaneBulk
		}
		enqueueTo(t, a, m.chat, m.text, lane)
	}
	claim := func(db *storage.DB, holder string) string {
		t.Helper()
		items, err := db.ClaimHeads(ctx, cd.PlatformTelegram, cd.LaneInteractive, 1, holder, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Message.Text)
		}
		return fmt.Sprint(got)
	}
	if got := claim(a, "a"); got != "[b1]" {
		t.Fatalf("a claimed %s, want [b1]", got)
	}
	if got := claim(b, "b"); got != "[b2]" {
		t.Fatalf("b claimed %s, want [b2] (chat 1 is a's)", got)
	}
}

// heartbeat renews the lease that keeps instance id alive, for ttl from
// db's clock.
func heartbeat(t *testing.T, db *storage.DB, id string, ttl time.Duration) {
	t.Helper()
	if ok, err := db.AcquireLease(context.Background(), storage.InstancePrefix+id, id, ttl); err != nil || !ok {
		t.Fatalf("heartbeat of %s: %v, %v", id, ok, err)
	}
}

// TestClaimEndsWithHeartbeat: a claim lasts while its holder's heartbeat
// lease does, however long claim_until is: another instance cannot take
// it while the lease lives, takes it once the lease expired, and takes it
// at once when the lease is gone (released); a claim by an instance
// without a heartbeat holds nothing.
func TestClaimEndsWithHeartbeat(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	a, b, ca, cb := twoHandles(t, storage.Postgres, t0)
	const ttl = 15 * time.Second
	err := a.Update(ctx, func(tx *storage.Tx) error {
		for _, text := range []string{"1a", "2a", "1b", "2b"} {
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: text[:1]},
				Message: cd.Message{Text: text}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	claim := func(db *storage.DB, holder string, limit int, want ...string) {
		t.Helper()
		items, err := db.ClaimHeads(ctx, cd.PlatformTelegram, cd.LaneBulk, limit, holder, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Message.Text)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s claimed %v, want %v", holder, got, want)
		}
	}
	heartbeat(t, a, "a", ttl) // until t0+15s
	claim(a, "a", 1, "1a")
	*cb = t0.Add(10 * time.Second)
	heartbeat(t, b, "b", time.Hour)
	claim(b, "b", 10, "2a") // 1a is a's, and holds 1b back
	*ca = t0.Add(10 * time.Second)
	heartbeat(t, a, "a", ttl) // renewed until t0+25s
	*cb = t0.Add(24 * time.Second)
	claim(b, "b", 10, "2a")
	if held, err := a.Claimed(ctx, "a", 10); err != nil || len(held) != 1 || held[0].Message.Text != "1a" {
		t.Fatalf("a's claims %v, %v; want 1a", held, err)
	}
	*cb = t0.Add(25 * time.Second) // a died after renewing at t0+10s
	claim(b, "b", 10, "1a", "2a")
	*ca = t0.Add(26 * time.Second)
	heartbeat(t, a, "a", ttl) // a is back (a pause, not a death): b keeps what it took
	claim(a, "a", 10)
	if err := b.ReleaseLease(ctx, storage.InstancePrefix+"b", "b"); err != nil { // b's heartbeat is gone
		t.Fatal(err)
	}
	claim(a, "a", 10, "1a", "2a") // at once, though b's claims run for an hour
	claim(b, "b", 10)             // a's claims hold
}
