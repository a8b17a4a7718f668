package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestJobsRunAnnouncementsAt: `jobs run announcements -at TIME` sends
// what is due at TIME, not at the clock's time: an announcement set for
// 05/12/2026 08:00 waits at 07:59 and goes at 08:01.
func TestJobsRunAnnouncementsAt(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	seedUnit(t, storage.SQLite, dbPath)
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	ict := time.FixedZone("ICT", 7*3600)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		for i := range 3 {
			id := fmt.Sprint(3000 + i)
			if err := tx.CreateMember(&cd.Member{FullName: "Đoàn Viên " + id, UnitID: 2, Role: cd.RoleMember, Status: cd.StatusActive},
				cd.Identity{Platform: cd.PlatformTelegram, UserID: id, ChatID: id}); err != nil {
				return err
			}
		}
		return tx.CreateAnnouncement(&cd.Announcement{ReportTo: cd.Address{Platform: cd.PlatformTelegram, ChatID: "3000"},
			Text: "Họp", Audience: cd.AudienceAll, SendAt: time.Date(2026, 12, 5, 8, 0, 0, 0, ict), Status: cd.AnnouncementScheduled})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, "jobs.toml", fmt.Sprintf("[storage]\npath = %q\n", dbPath))
	// The test's clock reads 25/11/2026.
	if r := exec(t, "", nil, "jobs", "run", "announcements", "-at", "2026-12-05T07:59", "-config", cfg); r.code != 0 ||
		!strings.Contains(r.stdout, "announcements: queued 0 messages") {
		t.Fatalf("at 07:59: %+v", r)
	}
	if r := exec(t, "", nil, "jobs", "run", "announcements", "-at", "2026-12-05T08:01", "-config", cfg); r.code != 0 ||
		!strings.Contains(r.stdout, "announcements: queued 4 messages") { // three members and the start notice
		t.Fatalf("at 08:01: %+v", r)
	}
	db, err = storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	due, err := db.DueOutbox(ctx, cd.PlatformTelegram, 100)
	if err != nil || len(due) != 4 {
		t.Fatalf("outbox %d, %v", len(due), err)
	}
}
