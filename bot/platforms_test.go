package bot_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/bot/zalo"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestAnnouncementFallsBackToZalo: a member who used Telegram last but
// blocked the bot there gets the province's announcement on Zalo, through
// the real adapters and the fake Bot APIs of both platforms; the delivery
// report counts them as reached.
func TestAnnouncementFallsBackToZalo(t *testing.T) {
	ctx := context.Background()
	const tgToken, zaloToken = "777:tg-secret-token", "888:zalo-secret-token"
	tg := telegramtest.NewServer(t, telegramtest.Options{Token: tgToken})
	zl := zalotest.NewServer(t, zalotest.Options{Token: zaloToken})
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.EnsureProvince(ctx, "Công đoàn Viên chức tỉnh"); err != nil {
		t.Fatal(err)
	}
	if err := storage.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	anZalo := zl.NewUser("Nguyễn Văn An")
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	err = db.Update(ctx, func(tx *storage.Tx) error {
		u, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		m := &cd.Member{FullName: "Nguyễn Văn An", UnitID: u.ID, Role: cd.RoleMember, Status: cd.StatusActive}
		if err := tx.CreateMember(m, cd.Identity{Platform: cd.PlatformZalo, UserID: anZalo.ID, ChatID: anZalo.ID}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Telegram linked later: the account used last.
	now = now.Add(time.Hour)
	err = db.Update(ctx, func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformZalo, anZalo.ID)
		if err != nil {
			return err
		}
		return tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: cd.PlatformTelegram, UserID: "1001", ChatID: "1001"})
	})
	if err != nil {
		t.Fatal(err)
	}
	tg.BlockChat(1001)

	log := slog.New(slog.DiscardHandler)
	core := bot.New(bot.StoreOf(db.Update), bot.Config{Now: func() time.Time { return now }, Logger: log})
	ta, err := telegram.New(telegram.Config{Token: tgToken, APIEndpoint: tg.Endpoint()}, nil, nil, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	za, err := zalo.New(zalo.Config{Token: zaloToken, APIEndpoint: zl.Endpoint()}, nil, nil, nil, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	quick := outbox.SenderConfig{Now: func() time.Time { return now }}
	tgSender := outbox.NewSender(cd.PlatformTelegram, db, ta, quick)
	zaloSender := outbox.NewSender(cd.PlatformZalo, db, za, quick)
	var out strings.Builder
	consoleSender := outbox.NewSender(cd.PlatformConsole, db, console.NewPrinter(&out), outbox.SenderConfig{Now: quick.Now, Workers: 1})

	script := "@tinh /thongbao\nTổ chức Ngày hội Gia đình công đoàn ngày 07/12.\n1\n1\nGửi thông báo\n"
	if err := console.Run(ctx, core, consoleSender, strings.NewReader(script)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Đang gửi thông báo số 1 tới 2 người") {
		t.Fatalf("announcement not sent:\n%s", out.String())
	}
	for _, s := range []*outbox.Sender{tgSender, zaloSender} {
		if _, err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := zl.SentTo(anZalo.ID)
	if len(got) != 1 || !strings.Contains(got[0].Text, "Ngày hội Gia đình công đoàn") {
		t.Fatalf("on Zalo An got %+v", got)
	}
	if n := len(tg.SentTo(1001)); n != 0 {
		t.Fatalf("the blocked Telegram chat got %d messages", n)
	}
	// The report counts An as reached (the chair on the console too).
	if _, err := consoleSender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *storage.Tx) error { _, err := core.ReportAnnouncements(tx, now); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := consoleSender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Kết quả gửi thông báo số 1: 2 người nhận được.") {
		t.Fatalf("report:\n%s", out.String())
	}
}
