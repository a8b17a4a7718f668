package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

const token = "123:ABC"

var an = telegramtest.User{ID: 42, FirstName: "An", LanguageCode: "vi"}

func newBot(t *testing.T, srv *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(token, srv.Endpoint(), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return bot
}

func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tgbotapi.Error", err, err)
	}
	return e
}

func TestGetMeAndAuth(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	if bot.Self.ID != 123 || !bot.Self.IsBot || bot.Self.UserName != srv.Bot().Username {
		t.Errorf("Self = %+v", bot.Self)
	}
	_, err := tgbotapi.NewBotAPIWithClient("123:WRONG", srv.Endpoint(), http.DefaultClient)
	if e := apiError(t, err); e.Code != 401 || e.Message != "Unauthorized" {
		t.Errorf("wrong token: %+v", e)
	}
	_, err = bot.MakeRequest("sendSticker", nil)
	if e := apiError(t, err); e.Code != 404 || e.Message != "Not Found" {
		t.Errorf("unknown method: %+v", e)
	}
	if srv.Calls("getme") != 1 || srv.Calls("sendSticker") != 1 {
		t.Errorf("calls: getMe %d sendSticker %d", srv.Calls("getMe"), srv.Calls("sendSticker"))
	}
}

func TestGetUpdatesOffset(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	id := srv.SendText(an, "/dangky Nguyễn Văn An")
	for range 2 { // unconfirmed updates are returned again
		ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
		if err != nil || len(ups) != 1 {
			t.Fatalf("GetUpdates = %v, %v", ups, err)
		}
		m := ups[0].Message
		if ups[0].UpdateID != id || m.Chat.ID != 42 || m.From.FirstName != "An" || m.Command() != "dangky" ||
			m.CommandArguments() != "Nguyễn Văn An" {
			t.Fatalf("update = %+v, message = %+v", ups[0], m)
		}
	}
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: id + 1})
	if err != nil || len(ups) != 0 || srv.PendingUpdates() != 0 {
		t.Fatalf("after confirming: %v, %v, pending %d", ups, err, srv.PendingUpdates())
	}
}

func TestLongPollWakesOnInjection(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		if srv.WaitPolling(ctx) == nil {
			srv.SendText(an, "xin chào")
		}
	}()
	start := time.Now()
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 8})
	if err != nil || len(ups) != 1 || ups[0].Message.Text != "xin chào" {
		t.Fatalf("GetUpdates = %v, %v", ups, err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("long poll took %v", d)
	}
}

func TestSecondPollerConflicts(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	errc := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 8})
		errc <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitPolling(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	if e := apiError(t, <-errc); e.Code != 409 || !strings.Contains(e.Message, "terminated by other getUpdates") {
		t.Errorf("first poller: %+v", e)
	}
}

func TestKeyboardCallbackAndEdit(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	msg := tgbotapi.NewMessage(42, "Bạn có tham gia không?")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Có", "ev:1:yes"), tgbotapi.NewInlineKeyboardButtonData("Không", "ev:1:no")))
	sent, err := bot.Send(msg)
	if err != nil || sent.ReplyMarkup == nil || sent.Chat.ID != 42 || sent.From.ID != 123 {
		t.Fatalf("Send = %+v, %v", sent, err)
	}
	got := srv.SentTo(42)
	if len(got) != 1 || got[0].Method != "sendMessage" || got[0].MessageID != sent.MessageID ||
		len(got[0].Buttons()) != 2 || got[0].Buttons()[1] != (telegramtest.InlineButton{Text: "Không", CallbackData: "ev:1:no"}) {
		t.Fatalf("SentTo = %+v", got)
	}

	id := srv.PressButton(an, sent.MessageID, "ev:1:yes")
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 1 || ups[0].CallbackQuery == nil {
		t.Fatalf("GetUpdates = %+v, %v", ups, err)
	}
	cq := ups[0].CallbackQuery
	if cq.Data != "ev:1:yes" || cq.From.ID != 42 || cq.Message.MessageID != sent.MessageID || cq.Message.Chat.ID != 42 {
		t.Fatalf("callback = %+v", cq)
	}
	if _, err := bot.Send(tgbotapi.NewCallback(cq.ID, "Đã ghi nhận")); err == nil {
		t.Error("Send(callback) decoded `true` into a Message?")
	}
	if _, err := bot.Request(tgbotapi.NewCallback(cq.ID, "again")); err == nil {
		t.Error("second answer accepted")
	}
	if a, ok := srv.CallbackAnswer(id); !ok || a.Text != "Đã ghi nhận" {
		t.Errorf("CallbackAnswer = %+v, %v", a, ok)
	}

	// editMessageText without reply_markup removes the keyboard; repeating it is "not modified".
	edit := tgbotapi.NewEditMessageText(42, sent.MessageID, "Cảm ơn!")
	if _, err := bot.Send(edit); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Send(edit)
	if e := apiError(t, err); e.Code != 400 || !strings.HasPrefix(e.Message, "Bad Request: message is not modified") {
		t.Errorf("repeat edit: %+v", e)
	}
	if last := srv.Sent()[1]; last.Method != "editMessageText" || last.Text != "Cảm ơn!" || last.InlineKeyboard != nil {
		t.Errorf("edit recorded as %+v", last)
	}
	_, err = bot.Send(tgbotapi.NewEditMessageText(42, 999, "x"))
	if e := apiError(t, err); e.Message != "Bad Request: message to edit not found" {
		t.Errorf("edit missing: %+v", e)
	}
}

func TestMessageValidation(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	for _, tc := range []struct {
		text, want string
	}{
		{strings.Repeat("a", 4096), ""},
		{strings.Repeat("ấ", 4096), ""}, // 3 bytes, 1 UTF-16 unit each
		{strings.Repeat("a", 4097), "Bad Request: message is too long"},
		{strings.Repeat("😀", 2049), "Bad Request: message is too long"}, // 4098 units
		{"", "Bad Request: message text is empty"},
		{" \n", "Bad Request: message text is empty"},
	} {
		_, err := bot.Send(tgbotapi.NewMessage(42, tc.text))
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || apiError(t, err).Message != tc.want) {
			t.Errorf("text of %d bytes: err %v, want %q", len(tc.text), err, tc.want)
		}
	}
	msg := tgbotapi.NewMessage(42, "x")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("x", "chọn:"+strings.Repeat("Đ", 30))))
	_, err := bot.Send(msg)
	if e := apiError(t, err); e.Code != 400 || e.Message != "Bad Request: BUTTON_DATA_INVALID" {
		t.Errorf("long callback_data: %+v", e)
	}
	msg.ReplyMarkup = tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact("Gửi số điện thoại")))
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	if kb := srv.Sent()[2].ReplyKeyboard; len(kb) != 1 || !kb[0][0].RequestContact {
		t.Errorf("reply keyboard = %+v", kb)
	}
}

func TestFaults(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	send := func() error { _, err := bot.Send(tgbotapi.NewMessage(42, "hi")); return err }

	srv.FailNext("sendMessage", 1, telegramtest.TooManyRequests(7))
	e := apiError(t, send())
	if e.Code != 429 || e.RetryAfter != 7 || srv.Count429() != 1 {
		t.Errorf("429: %+v, count %d", e, srv.Count429())
	}
	// The multipart path (UploadFiles) drops the error code: only Message and RetryAfter survive.
	srv.FailNext("sendDocument", 1, telegramtest.TooManyRequests(5))
	_, err := bot.Send(tgbotapi.NewDocument(42, tgbotapi.FileBytes{Name: "a.csv", Bytes: []byte("x")}))
	if e := apiError(t, err); e.Code != 0 || e.RetryAfter != 5 {
		t.Errorf("429 on upload: %+v", e)
	}

	srv.BlockChat(42)
	if e := apiError(t, send()); e.Code != 403 || e.Message != "Forbidden: bot was blocked by the user" {
		t.Errorf("blocked: %+v", e)
	}
	srv.MarkChatNotFound(42)
	if e := apiError(t, send()); e.Code != 400 || e.Message != "Bad Request: chat not found" {
		t.Errorf("not found: %+v", e)
	}
	srv.ClearChat(42)

	srv.FailNext("*", 1, telegramtest.BadGateway())
	srv.FailNext("sendMessage", 1, telegramtest.InternalError())
	if e := apiError(t, send()); e.Code != 500 {
		t.Errorf("500: %+v", e)
	}
	var apiErr *tgbotapi.Error
	if err := send(); err == nil || errors.As(err, &apiErr) { // HTML body: a JSON syntax error
		t.Errorf("502: %v", err)
	}
	srv.FailNext("sendMessage", 1, telegramtest.DropConnection())
	var uerr *url.Error
	if err := send(); !errors.As(err, &uerr) || !strings.Contains(err.Error(), token) {
		t.Errorf("drop: %v (the library's url.Error carries the token)", err)
	}
	if err := send(); err != nil || len(srv.Sent()) != 1 {
		t.Errorf("after faults: %v, sent %d", err, len(srv.Sent()))
	}
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	run := func() string {
		srv := telegramtest.NewServer(t, telegramtest.Options{Token: token, Seed: 7,
			Faults: telegramtest.FaultRates{TooManyRequests: 0.2, InternalError: 0.2, Blocked: 0.2}})
		bot := newBot(t, srv)
		var b strings.Builder
		for range 30 {
			_, err := bot.Send(tgbotapi.NewMessage(42, "x"))
			var e *tgbotapi.Error
			if errors.As(err, &e) {
				b.WriteString(string(rune('0' + e.Code%10)))
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b := run(), run()
	if a != b || !strings.Contains(a, ".") || strings.Count(a, ".") == len(a) {
		t.Errorf("runs %q and %q", a, b)
	}
}

func TestLatencyRespectsClientTimeout(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	srv.SetLatency(time.Minute)
	bot.Client = &http.Client{Timeout: 50 * time.Millisecond}
	if _, err := bot.GetMe(); err == nil {
		t.Fatal("no timeout")
	}
	srv.SetLatency(0)
	if _, err := bot.GetMe(); err != nil {
		t.Fatal(err)
	}
}

func TestFloodLimits(t *testing.T) {
	start := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	setup := func() (*telegramtest.Server, *telegramtest.Clock, *tgbotapi.BotAPI) {
		clock := telegramtest.NewClock(start)
		srv := telegramtest.NewServer(t, telegramtest.Options{Token: token, Now: clock.Now,
			Limits: telegramtest.Limits{Enabled: true}})
		return srv, clock, newBot(t, srv)
	}
	srv, clock, bot := setup()
	failed := 0
	for i := range int64(40) {
		if _, err := bot.Send(tgbotapi.NewMessage(1000+i, "tin")); err != nil {
			if e := apiError(t, err); e.Code != 429 || e.RetryAfter < 1 {
				t.Fatalf("limit error %+v", e)
			}
			failed++
		}
	}
	if failed != 10 || srv.Count429() != 10 || len(srv.Sent()) != 30 {
		t.Errorf("40 at once: %d failed, Count429 %d, sent %d", failed, srv.Count429(), len(srv.Sent()))
	}

	srv, clock, bot = setup()
	for i := range int64(40) {
		if _, err := bot.Send(tgbotapi.NewMessage(1000+i, "tin")); err != nil {
			t.Fatalf("spaced message %d: %v", i, err)
		}
		clock.Advance(time.Second / 30)
	}
	// One private chat: a burst of 3, then 1/s.
	clock.Advance(time.Second)
	for i := range 4 {
		_, err := bot.Send(tgbotapi.NewMessage(42, "a"))
		if (i < 3) != (err == nil) {
			t.Fatalf("private message %d: %v", i, err)
		}
	}
	clock.Advance(time.Second)
	if _, err := bot.Send(tgbotapi.NewMessage(42, "a")); err != nil {
		t.Fatal(err)
	}
	// A group: 20 per minute, then one every 3 s.
	for i := range 20 {
		if _, err := bot.Send(tgbotapi.NewMessage(-100123, "g")); err != nil {
			t.Fatalf("group message %d: %v", i, err)
		}
		clock.Advance(time.Second / 20)
	}
	_, err := bot.Send(tgbotapi.NewMessage(-100123, "g"))
	if e := apiError(t, err); e.Code != 429 || e.RetryAfter != 2 {
		t.Errorf("21st group message: %+v", e)
	}
}

func TestWebhook(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	var mu sync.Mutex
	var gotSecret []string
	var gotUpdates []tgbotapi.Update
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u tgbotapi.Update
		_ = json.NewDecoder(r.Body).Decode(&u)
		mu.Lock()
		defer mu.Unlock()
		gotSecret = append(gotSecret, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		gotUpdates = append(gotUpdates, u)
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cr3t_-" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer hook.Close()

	waited := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		waited <- srv.WaitWebhook(ctx)
	}()
	// WebhookConfig has no secret_token: MakeRequest with raw params.
	resp, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL + "/tg", "secret_token": "s3cr3t_-"})
	if err != nil || string(resp.Result) != "true" || resp.Description != "Webhook was set" {
		t.Fatalf("setWebhook = %+v, %v", resp, err)
	}
	if u, s := srv.Webhook(); u != hook.URL+"/tg" || s != "s3cr3t_-" {
		t.Errorf("Webhook() = %q, %q", u, s)
	}
	if err := <-waited; err != nil {
		t.Errorf("WaitWebhook: %v", err)
	}
	_, err = bot.GetUpdates(tgbotapi.UpdateConfig{})
	if e := apiError(t, err); e.Code != 409 || !strings.Contains(e.Message, "webhook is active") {
		t.Errorf("getUpdates with webhook: %+v", e)
	}

	ctx := context.Background()
	id := srv.SendText(an, "/start")
	for _, opt := range []telegramtest.DeliverOption{telegramtest.WithSecret("wrong"), telegramtest.WithoutSecret()} {
		r, err := srv.DeliverWebhook(ctx, id, opt)
		if err != nil || r.StatusCode != 401 {
			t.Fatalf("bad secret delivery: %v, %v", r, err)
		}
		r.Body.Close()
	}
	info, err := bot.GetWebhookInfo()
	if err != nil || info.PendingUpdateCount != 1 || !strings.Contains(info.LastErrorMessage, "401") {
		t.Errorf("webhook info = %+v, %v", info, err)
	}
	r, err := srv.DeliverWebhook(ctx, id)
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("delivery: %v, %v", r, err)
	}
	r.Body.Close()
	mu.Lock()
	if strings.Join(gotSecret, ",") != "wrong,,s3cr3t_-" || gotUpdates[2].UpdateID != id || gotUpdates[2].Message.Text != "/start" {
		t.Errorf("hook saw secrets %q, updates %+v", gotSecret, gotUpdates)
	}
	mu.Unlock()
	if srv.PendingUpdates() != 0 {
		t.Errorf("pending after delivery: %d", srv.PendingUpdates())
	}
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
}

func TestFilesCommandsAndInjections(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	doc := tgbotapi.NewDocument(42, tgbotapi.FileBytes{Name: "danh-sach.csv", Bytes: []byte("id,ten\n1,An\n")})
	doc.Caption = "Danh sách đoàn viên"
	m, err := bot.Send(doc)
	if err != nil || m.Document == nil || m.Document.FileName != "danh-sach.csv" || !strings.HasPrefix(m.Document.MimeType, "text/csv") {
		t.Fatalf("sendDocument = %+v, %v", m.Document, err)
	}
	path := filepath.Join(t.TempDir(), "anh.jpg")
	if err := os.WriteFile(path, []byte("jpeg!"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewPhoto(42, tgbotapi.FilePath(path))); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewPhoto(42, tgbotapi.FileID("AgACAgIAAxk"))); err != nil {
		t.Fatal(err)
	}
	s := srv.Sent()
	if f := s[0].File; f.Name != "danh-sach.csv" || f.Size != 12 || string(f.Data) != "id,ten\n1,An\n" || s[0].Text != doc.Caption {
		t.Errorf("document = %+v", s[0])
	}
	if f := s[1].File; f.Name != "anh.jpg" || f.Size != 5 || !f.Uploaded {
		t.Errorf("photo upload = %+v", f)
	}
	if f := s[2].File; f.FileID != "AgACAgIAAxk" || f.Uploaded {
		t.Errorf("photo by id = %+v", f)
	}

	cmds := tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "dangky", Description: "Đăng ký đoàn viên"})
	if _, err := bot.Request(cmds); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands(); len(got) != 1 || got[0].Command != "dangky" {
		t.Errorf("Commands() = %+v", got)
	}
	if _, err := bot.Request(tgbotapi.NewChatAction(42, tgbotapi.ChatTyping)); err != nil {
		t.Fatal(err)
	}

	// JSON clients are accepted too.
	body := `{"chat_id":-100123,"text":"họp lúc 9h","reply_markup":{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}}`
	resp, err := http.Post(srv.URL()+"/bot"+token+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(raw, []byte(`"ok":true`)) || srv.SentTo(-100123)[0].Buttons()[0].CallbackData != "ok" {
		t.Errorf("JSON sendMessage: %d %s", resp.StatusCode, raw)
	}

	srv.SendPhoto(an, "ảnh thẻ")
	srv.ShareContact(an, "+84901234567", an.ID)
	srv.SendTextInChat(an, telegramtest.Chat{ID: -100123, Type: "supergroup", Title: "Công đoàn"}, "chào cả nhà")
	ups, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(ups) != 3 {
		t.Fatalf("GetUpdates = %v, %v", ups, err)
	}
	if p := ups[0].Message.Photo; len(p) != 3 || p[2].Width != 1280 || ups[0].Message.Caption != "ảnh thẻ" {
		t.Errorf("photo = %+v", ups[0].Message)
	}
	if c := ups[1].Message.Contact; c == nil || c.PhoneNumber != "+84901234567" || c.UserID != 42 {
		t.Errorf("contact = %+v", c)
	}
	if m := ups[2].Message; m.Chat.Type != "supergroup" || m.Chat.Title != "Công đoàn" || m.From.ID != 42 {
		t.Errorf("group message = %+v", m)
	}
}

func TestWaitSent(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	bot := newBot(t, srv)
	go func() {
		for i := range 3 {
			_, _ = bot.Send(tgbotapi.NewMessage(int64(50+i), "x"))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitSent(ctx, 3); err != nil || len(srv.Sent()) != 3 {
		t.Fatalf("WaitSent: %v, %d sent", err, len(srv.Sent()))
	}
	short, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	if err := srv.WaitSent(short, 4); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitSent(4) = %v", err)
	}
}
