package storage_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// A migration not recorded is applied even when a higher one was: numbers
// developed in parallel land in any order.
func TestMigrationFilledIn(t *testing.T) {
	db, path := openDB(t)
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TABLE link_codes; DELETE FROM schema_migrations WHERE version = 7`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db2, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	raw, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n, v7 int
	if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM link_codes), (SELECT COUNT(*) FROM schema_migrations WHERE version = 7)`).
		Scan(&n, &v7); err != nil || v7 != 1 {
		t.Fatalf("migration 7 not applied again: %d, %v", v7, err)
	}
}

// The reply window moves forward only; a late older event changes
// nothing; an unfollow, then a follow, is followed again.
func TestOAContacts(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	put := func(at time.Time, follow int) {
		t.Helper()
		if _, _, err := db.PutOAEvent(ctx, "zalo_oa", cd.OAEvent{UserID: "u1", At: at, Interaction: follow >= 0, Follow: follow}); err != nil {
			t.Fatal(err)
		}
	}
	put(t0.Add(-time.Hour), 0)
	put(t0.Add(-2*time.Hour), 0) // late and older
	c, err := db.OAContact(ctx, "u1")
	if err != nil || !c.Known || !c.Followed || !c.LastInteraction.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("contact = %+v, %v", c, err)
	}
	put(t0.Add(-30*time.Minute), -1)
	if c, _ := db.OAContact(ctx, "u1"); c.Followed || c.InWindow(t0, time.Hour) {
		t.Errorf("after unfollow: %+v", c)
	}
	put(t0.Add(-40*time.Minute), 1) // a follow from before the unfollow, late
	if c, _ := db.OAContact(ctx, "u1"); c.Followed {
		t.Errorf("a late older follow undid the unfollow: %+v", c)
	}
	put(t0.Add(-10*time.Minute), 1)
	if c, _ := db.OAContact(ctx, "u1"); !c.Followed || !c.InWindow(t0, time.Hour) {
		t.Errorf("after follow: %+v", c)
	}
	if c, _ := db.OAContact(ctx, "nobody"); c.Known || c.InWindow(t0, time.Hour) {
		t.Errorf("unknown contact: %+v", c)
	}
}

// A claim is exclusive for the lease; the same process may claim again;
// storing marks the old row used and the new one current.
func TestOATokenSteps(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	first, err := db.SaveOAAuthorization(ctx, cd.OAToken{AccessToken: "a1", RefreshToken: "r1", AccessExpiresAt: t0.Add(time.Hour),
		RefreshExpiresAt: t0.Add(90 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimOAToken(ctx, first.ID, "p1", time.Minute)
	if err != nil || claimed == nil || claimed.Status != cd.OATokenExchanging || claimed.Attempts != 1 {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	if other, err := db.ClaimOAToken(ctx, first.ID, "p2", time.Minute); err != nil || other != nil {
		t.Errorf("a second process claimed within the lease: %+v, %v", other, err)
	}
	if again, err := db.ClaimOAToken(ctx, first.ID, "p1", time.Minute); err != nil || again == nil || again.Attempts != 2 {
		t.Errorf("the same process claims again: %+v, %v", again, err)
	}
	db.Now = func() time.Time { return t0.Add(2 * time.Minute) }
	if late, err := db.ClaimOAToken(ctx, first.ID, "p2", time.Minute); err != nil || late == nil {
		t.Errorf("after the lease: %+v, %v", late, err)
	}
	next, err := db.StoreOARefresh(ctx, first.ID, cd.OAToken{AccessToken: "a2", RefreshToken: "r2", AccessExpiresAt: t0.Add(25 * time.Hour),
		RefreshExpiresAt: t0.Add(90 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	live, err := db.OAToken(ctx)
	if err != nil || live.ID != next.ID || live.RefreshToken != "r2" || live.Status != cd.OATokenCurrent {
		t.Errorf("live = %+v, %v", live, err)
	}
	if stale, err := db.ClaimOAToken(ctx, first.ID, "p1", time.Minute); err != nil || stale != nil {
		t.Errorf("the used row was claimed: %+v, %v", stale, err)
	}
	if err := db.LoseOAToken(ctx, next.ID, "refused"); err != nil {
		t.Fatal(err)
	}
	if live, _ := db.OAToken(ctx); live.Status != cd.OATokenLost || live.Note != "refused" {
		t.Errorf("lost = %+v", live)
	}
}
