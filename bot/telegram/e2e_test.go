package telegram

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// registration runs the whole registration of An, through the real
// library against the fake server, and its approval by the chair of Sở Tư
// pháp on Telegram.
func registration(t *testing.T, e *env) {
	e.linkTelegram("chutich", chair)
	s := e.srv

	e.user(s.SendText(an, "/dangky"))
	consent := e.await("consent question", msg(an.ID, "Anh/chị có đồng ý không?"))
	if b := consent.Buttons(); len(b) != 2 || len(consent.InlineKeyboard) != 1 ||
		b[0] != (telegramtest.InlineButton{Text: "Đồng ý", CallbackData: "c:y"}) || b[1].CallbackData != "c:n" {
		t.Fatalf("consent keyboard = %+v", consent.InlineKeyboard)
	}
	press := e.user(s.PressButton(an, consent.MessageID, "c:y"))
	e.await("name question", msg(an.ID, "Họ và tên đầy đủ"))
	if ed := e.await("consent marked", edited(an.ID, consent.MessageID)); !strings.HasSuffix(ed.Text, "\n\n✅ Đồng ý") ||
		ed.Method != "editMessageText" || ed.InlineKeyboard != nil {
		t.Errorf("consent edited to %+v", ed)
	}
	if _, ok := s.CallbackAnswer(press); !ok {
		t.Error("the callback query was not answered")
	}

	e.user(s.SendText(an, "Nguyễn Văn An"))
	phone := e.await("phone question", msg(an.ID, "Số điện thoại"))
	if kb := phone.ReplyKeyboard; len(kb) != 2 || !kb[0][0].RequestContact || kb[0][0].Text != phoneButtonText ||
		kb[1][0].Text != "Bỏ qua" || phone.InlineKeyboard != nil {
		t.Fatalf("phone keyboard = %+v, inline %+v", phone.ReplyKeyboard, phone.InlineKeyboard)
	}
	e.user(s.ShareContact(an, "+84 912 345 678", an.ID))
	unit := e.await("unit question", msg(an.ID, "Đơn vị (công đoàn cơ sở)"))
	if len(unit.Buttons()) != 6 || len(unit.InlineKeyboard) != 6 { // long labels: one per row
		t.Errorf("unit keyboard = %+v", unit.InlineKeyboard)
	}
	e.user(s.SendText(an, "STP"))
	confirm := e.await("confirmation", msg(an.ID, "Kiểm tra lại thông tin đăng ký"))
	if !strings.Contains(confirm.Text, "0912345678") || !strings.Contains(confirm.Text, "Sở Tư pháp") {
		t.Errorf("confirmation = %q", confirm.Text)
	}
	e.user(s.PressButton(an, confirm.MessageID, button(t, confirm, "Gửi đăng ký")))
	done := e.await("registered", msg(an.ID, "Đã gửi đăng ký vào Sở Tư pháp"))
	if !done.RemoveKeyboard {
		t.Errorf("the phone keyboard was not removed: %+v", done)
	}
	e.await("chair notified", msg(chair.ID, "Có đăng ký đoàn viên mới vào Sở Tư pháp: Nguyễn Văn An"))

	e.user(s.SendText(chair, "/duyet"))
	list := e.await("pending list", msg(chair.ID, "Có 1 người chờ duyệt"))
	e.user(s.PressButton(chair, list.MessageID, button(t, list, "Nguyễn Văn An (STP)")))
	detail := e.await("applicant detail", msg(chair.ID, "Duyệt người này?"))
	if !strings.Contains(detail.Text, "0912345678") {
		t.Errorf("detail = %q", detail.Text)
	}
	e.user(s.PressButton(chair, detail.MessageID, button(t, detail, "Duyệt")))
	e.await("chair told", msg(chair.ID, "Đã duyệt Nguyễn Văn An vào Sở Tư pháp"))
	e.await("member told", msg(an.ID, "Chúc mừng anh/chị! Đăng ký đoàn viên vào Sở Tư pháp đã được duyệt"))
}

func TestRegistrationPolling(t *testing.T) { storagetest.Run(t, testRegistrationPolling) }

func testRegistrationPolling(t *testing.T, engine storage.Engine) {
	e := newEnv(t, onEngine(engine))
	registration(t, e)
	// Everything received was applied, and the offset in the database is
	// what the waiting long poll confirmed to Telegram.
	if err := e.srv.WaitPolling(e.ctx()); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.PendingUpdates(); n != 0 {
		t.Errorf("%d updates unconfirmed", n)
	}
	last := e.srv.SendText(an, "/cuatoi") // the id after the last one
	e.await("profile", msg(an.ID, "Nguyễn Văn An"))
	off, err := e.db.KV(context.Background(), OffsetKey)
	if err != nil || off != strconv.Itoa(last+1) {
		t.Errorf("offset = %q, %v; want %d", off, err, last+1)
	}
	if got := e.srv.AllowedUpdates(); strings.Join(got, ",") != "message,callback_query" {
		t.Errorf("allowed_updates = %v", got)
	}
	if e.srv.Calls("deleteWebhook") != 1 {
		t.Errorf("deleteWebhook called %d times", e.srv.Calls("deleteWebhook"))
	}
}

func TestRegistrationWebhook(t *testing.T) { storagetest.Run(t, testRegistrationWebhook) }

func testRegistrationWebhook(t *testing.T, engine storage.Engine) {
	e := newEnv(t, webhookMode, onEngine(engine))
	if url, secret := e.srv.Webhook(); url != e.a.cfg.WebhookURL || secret != hookSecret {
		t.Fatalf("webhook = %q, %q", url, secret)
	}
	if addr := e.a.WebhookAddr(); addr == nil || !strings.Contains(e.a.cfg.WebhookURL, addr.String()) {
		t.Errorf("WebhookAddr = %v", addr)
	}
	registration(t, e)
	if n := e.srv.Calls("getUpdates"); n != 0 {
		t.Errorf("getUpdates called %d times in webhook mode", n)
	}
}

// Cancelling Run ends a long poll in progress at once.
func TestPollingStopsAtOnce(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	if err := e.srv.WaitPolling(e.ctx()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Run took %v to stop", d)
	}
}

// In a group only commands count, and they are answered in private.
func TestGroupMessages(t *testing.T) {
	e := newEnv(t)
	group := telegramtest.Chat{ID: -500, Type: "supergroup", Title: "CĐCS Sở Tư pháp"}
	e.user(e.srv.SendTextInChat(an, group, "chào cả nhà"))
	e.user(e.srv.SendTextInChat(an, group, "/start@other_bot"))
	e.user(e.srv.SendTextInChat(an, group, "/trogiup@"+e.srv.Bot().Username))
	e.await("help", msg(an.ID, "Các lệnh anh/chị dùng được"))
	for _, m := range e.srv.Sent() {
		if m.ChatID == group.ID || strings.Contains(m.Text, "Chào anh/chị!") || strings.Contains(m.Text, "Để đăng ký") {
			t.Errorf("answered a group message that is not ours: %+v", m)
		}
	}
}

// One update that tgbotapi cannot decode does not wedge polling: it is
// logged and passed over, and the next one is handled.
func TestPollingSkipsUndecodable(t *testing.T) {
	e := newEnv(t)
	bad := e.srv.InjectUpdate("message", "not an object")
	e.srv.SendText(an, "/trogiup")
	e.await("help", msg(an.ID, "Các lệnh anh/chị dùng được"))
	if !strings.Contains(e.logs.String(), "dropping an update that cannot be decoded") {
		t.Errorf("not logged:\n%s", e.logs)
	}
	if err := e.srv.WaitPolling(e.ctx()); err != nil {
		t.Fatal(err)
	}
	if off, _ := e.db.KV(context.Background(), OffsetKey); off != strconv.Itoa(bad+2) {
		t.Errorf("offset %s, want %d", off, bad+2)
	}
}
