package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

func to(chat int64) cd.Address {
	return cd.Address{Platform: cd.PlatformTelegram, ChatID: fmt.Sprint(chat)}
}

// deliver sends one outbox message through the adapter, with no Run.
func (e *env) deliver(id int64, chat int64, m cd.Message) error {
	return e.a.Deliver(context.Background(), cd.OutboxItem{ID: id, To: to(chat), Message: m})
}

func TestLongTextSplit(t *testing.T) {
	e := newEnv(t, withoutRun)
	var lines []string
	for i := 0; len(strings.Join(lines, "\n")) < 10000 || len([]rune(strings.Join(lines, "\n"))) < 10000; i++ {
		lines = append(lines, fmt.Sprintf("%03d. Đoàn viên ủng hộ quỹ Mái ấm Công đoàn 500.000 đ 😀 — ghi chú thêm cho dòng này", i))
	}
	text := strings.Join(lines, "\n")
	choices := []cd.Choice{{ID: "y", Label: "Đã xem"}, {ID: "n", Label: "Xem lại"}}
	if err := e.deliver(1, an.ID, cd.Message{Text: text, Choices: choices}); err != nil {
		t.Fatal(err)
	}
	sent := e.srv.SentTo(an.ID)
	if len(sent) != 3 {
		t.Fatalf("%d messages, want 3:\n%s", len(sent), dump(sent))
	}
	var parts []string
	for i, m := range sent {
		if n := utf16Len(m.Text); n > 4096 {
			t.Errorf("message %d has %d UTF-16 units", i, n)
		}
		if (i == 2) != (len(m.Buttons()) == 2) {
			t.Errorf("message %d has buttons %+v", i, m.Buttons())
		}
		parts = append(parts, m.Text)
	}
	if strings.Join(parts, "\n") != text {
		t.Error("the messages do not add up to the text")
	}
	if b := sent[2].InlineKeyboard; len(b) != 1 || b[0][1].CallbackData != "c:n" { // short labels: two to a row
		t.Errorf("keyboard = %+v", b)
	}
}

func TestSplitText(t *testing.T) {
	long := strings.Repeat("😀", 3000) // 6000 units
	words := strings.Repeat("công đoàn ", 500)
	for _, tc := range []struct {
		name, text string
		limit      int
		want       []string
	}{
		{"short", "a\nb", 10, []string{"a\nb"}},
		{"lines", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"blank chunks dropped", "aaaa\n\n\n\n\n\n\n\n\n\n\n\nbbbb", 5, []string{"aaaa", "bbbb"}},
		{"hard split", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"at a space", "abc defgh ij", 8, []string{"abc ", "defgh ij"}},
		{"surrogates", "😀😀😀", 3, []string{"😀", "😀", "😀"}},
		{"empty", " \n ", 10, nil},
	} {
		if got := splitText(tc.text, tc.limit); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: %q", tc.name, got)
		}
	}
	for _, s := range []string{long, words} {
		chunks := splitText(s, 4096)
		if strings.Join(chunks, "") != s {
			t.Error("content lost")
		}
		for _, c := range chunks {
			if utf16Len(c) > 4096 {
				t.Errorf("chunk of %d units", utf16Len(c))
			}
		}
	}
}

func TestChoices(t *testing.T) {
	e := newEnv(t)
	s := e.srv
	e.user(s.SendText(an, "/dangky"))
	m1 := e.await("consent", msg(an.ID, "có đồng ý không"))
	for _, b := range m1.Buttons() {
		if len(b.CallbackData) > 64 || !strings.HasPrefix(b.CallbackData, "c:") {
			t.Errorf("callback data %q", b.CallbackData)
		}
	}
	// Answered by typing: the buttons of m1 are stale. Pressing one gets the
	// core's "expired", and m1 loses its keyboard without a ✅.
	e.user(s.SendText(an, "1"))
	e.await("name question", msg(an.ID, "Họ và tên"))
	e.user(s.PressButton(an, m1.MessageID, "c:n"))
	e.await("expired", msg(an.ID, "Lựa chọn này đã hết hạn"))
	if ed := e.await("keyboard removed", edited(an.ID, m1.MessageID)); ed.Method != "editMessageReplyMarkup" ||
		ed.InlineKeyboard != nil || strings.Contains(ed.Text, "✅") {
		t.Errorf("stale press edited the message into %+v", ed)
	}

	// A fresh press is marked; a second press on the same message (a
	// double tap, or Telegram re-sending) does not change the mark.
	e.user(s.SendText(an, "/huy"))
	e.await("cancelled", msg(an.ID, "Đã hủy"))
	e.user(s.SendText(an, "/dangky"))
	m2 := e.await("consent again", msg(an.ID, "có đồng ý không"))
	e.user(s.PressButton(an, m2.MessageID, "c:n"))
	e.await("declined", msg(an.ID, "Bot không lưu gì"))
	if ed := e.await("marked", edited(an.ID, m2.MessageID)); !strings.HasSuffix(ed.Text, "✅ Không đồng ý") {
		t.Errorf("fresh press edited into %q", ed.Text)
	}
	e.user(s.ForgeCallback(an, an.ID, m2.MessageID, "c:y"))
	e.await("expired again", msg(an.ID, "Lựa chọn này đã hết hạn"))
	e.user(s.SendText(an, "/huy")) // handled after the press is finished
	e.await("nothing to cancel", msg(an.ID, "Không có thao tác nào"))
	for _, m := range s.SentTo(an.ID) {
		if m.MessageID == m2.MessageID && strings.Contains(m.Text, "✅ Đồng ý") {
			t.Errorf("second press re-marked the message: %q", m.Text)
		}
	}
	if n := s.Calls("answerCallbackQuery"); n != 3 {
		t.Errorf("answerCallbackQuery called %d times, want 3", n)
	}
}

func TestChoiceDataTooLong(t *testing.T) {
	e := newEnv(t, withoutRun)
	err := e.deliver(1, an.ID, cd.Message{Text: "Chọn", Choices: []cd.Choice{{ID: strings.Repeat("đ", 32), Label: "x"}}})
	var de *outbox.DeliveryError
	if !errors.As(err, &de) || !de.Permanent {
		t.Fatalf("err = %v, want a permanent DeliveryError", err)
	}
	if n := len(e.srv.Sent()); n != 0 {
		t.Errorf("%d messages sent", n)
	}
	// 62 bytes of ID plus "c:" is exactly 64: accepted.
	if err := e.deliver(2, an.ID, cd.Message{Text: "Chọn", Choices: []cd.Choice{{ID: strings.Repeat("a", 62), Label: "x"}}}); err != nil {
		t.Errorf("64 bytes refused: %v", err)
	}
}

func TestForeignContact(t *testing.T) {
	e := newEnv(t)
	s := e.srv
	e.user(s.SendText(an, "/dangky"))
	m := e.await("consent", msg(an.ID, "có đồng ý không"))
	e.user(s.PressButton(an, m.MessageID, "c:y"))
	e.await("name", msg(an.ID, "Họ và tên"))
	e.user(s.SendText(an, "Nguyễn Văn An"))
	e.await("phone", msg(an.ID, "Số điện thoại của anh/chị"))
	e.user(s.ShareContact(an, "0987654321", binh.ID)) // someone else's card
	if r := e.await("refused", msg(an.ID, "chỉ nhận số điện thoại của chính anh/chị")); len(r.ReplyKeyboard) == 0 {
		t.Errorf("the refusal does not offer the share button again: %+v", r)
	}
	e.user(s.ShareContact(an, "0912345678", an.ID)) // own number: accepted
	e.await("unit", msg(an.ID, "Đơn vị (công đoàn cơ sở)"))
	e.user(s.SendText(an, "STP"))
	if c := e.await("confirmation", msg(an.ID, "Kiểm tra lại")); !strings.Contains(c.Text, "0912345678") ||
		strings.Contains(c.Text, "0987654321") {
		t.Errorf("confirmation: %q", c.Text)
	}
}

func TestConvert(t *testing.T) {
	e := newEnv(t, withoutRun)
	self := e.srv.Bot().Username
	from := &tgbotapi.User{ID: 7, FirstName: "Lan", LastName: "Trần"}
	private := &tgbotapi.Chat{ID: 7, Type: "private"}
	group := &tgbotapi.Chat{ID: -100, Type: "supergroup"}
	for _, tc := range []struct {
		name string
		up   tgbotapi.Update
		want *bot.Update // nil: ignored
	}{
		{"text", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: private, Text: "xin chào"}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", Text: "xin chào"}},
		{"own contact", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: private,
			Contact: &tgbotapi.Contact{PhoneNumber: "84912345678", UserID: 7}}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", Phone: "84912345678"}},
		{"foreign contact", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: private,
			Contact: &tgbotapi.Contact{PhoneNumber: "84912345678", UserID: 8}}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", ForeignContact: true}},
		{"contact without account", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: private,
			Contact: &tgbotapi.Contact{PhoneNumber: "84912345678"}}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", ForeignContact: true}},
		{"photo", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: private, Caption: "hiến máu",
			Photo: []tgbotapi.PhotoSize{{FileID: "s", Width: 90, Height: 60}, {FileID: "l", Width: 1280, Height: 960}, {FileID: "m", Width: 320, Height: 240}}}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", Text: "hiến máu", Photo: "l"}},
		{"group command", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: group, Text: "/trogiup@" + self}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", Text: "/trogiup@" + self}},
		{"group command, no bot named", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: group, Text: "/trogiup"}},
			&bot.Update{UserID: "7", ChatID: "7", DisplayName: "Lan Trần", Text: "/trogiup"}},
		{"group command for another bot", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: group, Text: "/start@other_bot"}}, nil},
		{"group chatter", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: group, Text: "chào cả nhà"}}, nil},
		{"channel", tgbotapi.Update{Message: &tgbotapi.Message{From: from, Chat: &tgbotapi.Chat{ID: -5, Type: "channel"}, Text: "/x"}}, nil},
		{"bot", tgbotapi.Update{Message: &tgbotapi.Message{From: &tgbotapi.User{ID: 9, IsBot: true}, Chat: private, Text: "hi"}}, nil},
		{"callback", tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{ID: "q", From: from, Data: "c:u:12",
			Message: &tgbotapi.Message{MessageID: 5, Chat: group}}},
			&bot.Update{UserID: "7", ChatID: "-100", DisplayName: "Lan Trần", Choice: "u:12"}},
		{"foreign callback", tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{ID: "q", From: from, Data: "x:1",
			Message: &tgbotapi.Message{MessageID: 5, Chat: private}}}, nil},
		{"inline callback", tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{ID: "q", From: from, Data: "c:y", InlineMessageID: "i"}}, nil},
		{"edited", tgbotapi.Update{EditedMessage: &tgbotapi.Message{From: from, Chat: private, Text: "sửa"}}, nil},
	} {
		got, ok := e.a.convert(tc.up)
		switch {
		case tc.want == nil && ok:
			t.Errorf("%s: not ignored: %+v", tc.name, got)
		case tc.want != nil && !ok:
			t.Errorf("%s: ignored", tc.name)
		case tc.want != nil:
			tc.want.Platform = cd.PlatformTelegram
			if got != *tc.want {
				t.Errorf("%s: got %+v, want %+v", tc.name, got, *tc.want)
			}
		}
	}
}

func TestDeliverFiles(t *testing.T) {
	e := newEnv(t, withoutRun)
	png := &cd.File{Name: "qr.png", MIME: "image/png", Data: []byte("\x89PNG fake")}
	pdf := &cd.File{Name: "bao-cao.csv", MIME: "text/csv", Data: []byte("a,b\n1,2\n")}
	if err := e.deliver(1, an.ID, cd.Message{Text: "Mã QR ủng hộ quỹ", File: png}); err != nil {
		t.Fatal(err)
	}
	if err := e.deliver(2, an.ID, cd.Message{Text: strings.Repeat("Báo cáo tháng. ", 100), File: pdf,
		Choices: []cd.Choice{{ID: "ok", Label: "Đã nhận"}}}); err != nil {
		t.Fatal(err)
	}
	sent := e.srv.SentTo(an.ID)
	if len(sent) != 3 {
		t.Fatalf("sent:\n%s", dump(sent))
	}
	if p := sent[0]; p.Method != "sendPhoto" || p.Text != "Mã QR ủng hộ quỹ" || p.File == nil || !p.File.Uploaded ||
		string(p.File.Data) != string(png.Data) || p.File.Name != "qr.png" {
		t.Errorf("photo: %+v", p)
	}
	// A caption over 1024 units goes first as a message; the choices go on
	// the file, the last message.
	if m := sent[1]; m.Method != "sendMessage" || !strings.HasPrefix(m.Text, "Báo cáo tháng.") || m.Buttons() != nil {
		t.Errorf("text: %+v", m)
	}
	if d := sent[2]; d.Method != "sendDocument" || d.Text != "" || d.File.Name != "bao-cao.csv" || len(d.Buttons()) != 1 {
		t.Errorf("document: %+v", d)
	}
}

func TestPhoneKeyboardRemoved(t *testing.T) {
	e := newEnv(t, withoutRun)
	ask := cd.Message{Text: "Số điện thoại?", RequestPhone: true, Choices: []cd.Choice{{ID: "skip", Label: "Bỏ qua"}}}
	choose := cd.Message{Text: "Đơn vị?", Choices: []cd.Choice{{ID: "u:1", Label: "Sở Tư pháp (STP)"}}}
	for i, m := range []cd.Message{ask, choose, {Text: "Cảm ơn"}, {Text: "Còn gì nữa không?"}} {
		if err := e.deliver(int64(i+1), an.ID, m); err != nil {
			t.Fatal(err)
		}
	}
	sent := e.srv.SentTo(an.ID)
	if len(sent[0].ReplyKeyboard) != 2 || sent[0].RemoveKeyboard {
		t.Errorf("ask: %+v", sent[0])
	}
	// One message with inline choices cannot also remove the keyboard; the
	// next plain one does, once.
	if sent[1].RemoveKeyboard || len(sent[1].Buttons()) != 1 || !sent[2].RemoveKeyboard || sent[3].RemoveKeyboard {
		t.Errorf("removal on the wrong message:\n%s", dump(sent))
	}
}

// failingTransport fails the nth request (1-based) with a network error.
type failingTransport struct {
	n, calls atomic.Int32
	next     http.RoundTripper
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.calls.Add(1) == f.n.Load() {
		return nil, errors.New("connection reset by peer")
	}
	return f.next.RoundTrip(r)
}

// A message of three parts that fails on the second resumes there when the
// sender retries it: no part is sent twice.
func TestDeliverResumes(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	ft := &failingTransport{next: http.DefaultTransport}
	a, err := New(Config{Token: testToken, APIEndpoint: srv.Endpoint(), HTTPTimeout: 5 * time.Second}, nil, nil, nil,
		&http.Client{Transport: ft})
	if err != nil {
		t.Fatal(err)
	}
	ft.n.Store(ft.calls.Load() + 2) // getMe done; fail the second part
	text := strings.Repeat("x", 4000) + "\n" + strings.Repeat("y", 4090) + "\n" + strings.Repeat("z", 10)
	item := cd.OutboxItem{ID: 7, To: to(an.ID), Message: cd.Message{Text: text}}
	err = a.Deliver(context.Background(), item)
	var de *outbox.DeliveryError
	if err == nil || errors.As(err, &de) || strings.Contains(err.Error(), tokenSecret) {
		t.Fatalf("first attempt: %v, want a plain transient error", err)
	}
	if err := a.Deliver(context.Background(), item); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range srv.Sent() {
		got = append(got, m.Text[:1])
	}
	if strings.Join(got, "") != "xyz" {
		t.Errorf("parts sent: %v", got)
	}
}

// An announcement with a photo sent on Telegram goes with the photo, by
// its file_id; a Zalo photo reference is left out.
func TestDeliverPhotoReference(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx := e.ctx()
	err := e.a.Deliver(ctx, cd.OutboxItem{ID: 1, To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "1001"},
		Message: cd.Message{Text: "Ảnh Ngày hội", Photo: "telegram:AgACAgUAAxk-file-id"}})
	if err != nil {
		t.Fatal(err)
	}
	err = e.a.Deliver(ctx, cd.OutboxItem{ID: 2, To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "1001"},
		Message: cd.Message{Text: "Không ảnh", Photo: "zalo:media:7"}})
	if err != nil {
		t.Fatal(err)
	}
	sent := e.srv.SentTo(1001)
	if len(sent) != 2 || sent[0].Method != "sendPhoto" || sent[0].File == nil || sent[0].File.FileID != "AgACAgUAAxk-file-id" ||
		sent[0].Text != "Ảnh Ngày hội" || sent[1].Method != "sendMessage" {
		t.Fatalf("sent = %+v", sent)
	}
}
