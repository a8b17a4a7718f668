package zalo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// registration runs the whole registration of An on Zalo, typing the
// numbers of the numbered choices, and its approval by the chair of Sở Tư
// pháp, also on Zalo.
func registration(t *testing.T, e *env) {
	e.linkZalo("chutich", e.chair)
	s, an, chair := e.srv, e.an, e.chair

	e.user(s.SendText(an, "/dangky"))
	consent := e.await("consent question", msg(an.ID, "Để đăng ký đoàn viên"))
	if !strings.HasSuffix(consent.Text, "\n\n1. Đồng ý\n2. Không đồng ý\n"+choiceHint) {
		t.Fatalf("consent = %q", consent.Text)
	}
	e.user(s.SendText(an, "1"))
	e.await("name question", msg(an.ID, "Họ và tên đầy đủ"))
	e.user(s.SendText(an, "Nguyễn Văn An"))
	phone := e.await("phone question", msg(an.ID, "Số điện thoại"))
	if !strings.Contains(phone.Text, "\n1. Bỏ qua\n"+choiceHint) {
		t.Errorf("phone question = %q", phone.Text)
	}
	e.user(s.SendText(an, "bỏ qua"))
	unit := e.await("unit question", msg(an.ID, "Đơn vị (công đoàn cơ sở)"))
	if !strings.Contains(unit.Text, "Sở Tư pháp (STP)") || !strings.Contains(unit.Text, "\n6. ") {
		t.Errorf("unit question = %q", unit.Text)
	}
	e.user(s.SendText(an, "STP"))
	confirm := e.await("confirmation", msg(an.ID, "Kiểm tra lại thông tin đăng ký"))
	if !strings.Contains(confirm.Text, "Sở Tư pháp") || !strings.Contains(confirm.Text, "\n1. Gửi đăng ký\n") {
		t.Errorf("confirmation = %q", confirm.Text)
	}
	e.user(s.SendText(an, "1"))
	e.await("registered", msg(an.ID, "Đã gửi đăng ký vào Sở Tư pháp"))
	e.await("chair notified", msg(chair.ID, "Có đăng ký đoàn viên mới vào Sở Tư pháp: Nguyễn Văn An"))

	e.user(s.SendText(chair, "/duyet"))
	list := e.await("pending list", msg(chair.ID, "Có 1 người chờ duyệt"))
	if !strings.Contains(list.Text, "\n1. Nguyễn Văn An (STP)\n") {
		t.Errorf("pending list = %q", list.Text)
	}
	e.user(s.SendText(chair, "1"))
	e.await("applicant detail", msg(chair.ID, "Duyệt người này?"))
	e.user(s.SendText(chair, "1"))
	e.await("chair told", msg(chair.ID, "Đã duyệt Nguyễn Văn An vào Sở Tư pháp"))
	e.await("member told", msg(an.ID, "Chúc mừng anh/chị! Đăng ký đoàn viên vào Sở Tư pháp đã được duyệt"))

	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformZalo, an.ID)
		if err != nil || m == nil || m.Status != cd.StatusActive || m.FullName != "Nguyễn Văn An" {
			t.Errorf("member = %+v, %v", m, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range e.srv.Sent() {
		if n := UTF16Len(m.Text); n > MaxTextLength {
			t.Errorf("a message of %d UTF-16 units was sent", n)
		}
	}
}

func TestRegistrationPolling(t *testing.T) {
	// Zalo echoing every message the bot sends: all dropped.
	e := newEnv(t, withOptions(zalotest.Options{EchoSends: true}))
	registration(t, e)
	e.await("chair's list empty", msg(e.chair.ID, "Không có ai đang chờ duyệt"))
	// Every echo is taken (and dropped).
	for e.srv.Pending() > 0 {
		// The next getUpdates call takes one. If the last one went between
		// the check and the wait, the poller waits in a long poll: end it
		// (408), so that a call comes at once.
		before := e.srv.Calls("getUpdates")
		e.srv.ExpirePolls()
		if err := e.srv.WaitCalls(e.ctx(), "getUpdates", before+1); err != nil {
			t.Fatalf("%d updates not taken: %v", e.srv.Pending(), err)
		}
	}
	if n, sent := e.stored(), len(e.srv.Sent()); n != 9 || sent < 11 {
		t.Errorf("%d updates stored (want the 9 of the users, no echo), %d messages sent", n, sent)
	}
	if n := e.pending(); n != 0 {
		t.Errorf("%d updates not applied", n)
	}
	if !strings.Contains(e.logs.String(), "echo=true") {
		t.Errorf("no echo dropped:\n%s", e.logs)
	}
	if n := e.srv.Calls("deleteWebhook"); n != 1 {
		t.Errorf("deleteWebhook called %d times", n)
	}
}

func TestRegistrationWebhook(t *testing.T) {
	e := newEnv(t, webhookMode)
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
	if n := e.stored(); n != 9 {
		t.Errorf("%d updates stored, want 9", n)
	}
}

// photoServer serves one JPEG at /p/<name> once; then the URL is expired
// (404), as Zalo's are after a while. It records how many updates were
// stored when the photo was fetched.
type photoServer struct {
	*httptest.Server
	mu           sync.Mutex
	data         []byte
	served       map[string]int
	storedBefore int
	keep         bool // serve the photo every time
}

func newPhotoServer(t *testing.T, e *env, data []byte, contentType string) *photoServer {
	p := &photoServer{data: data, served: map[string]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.served[r.URL.Path]++
		if p.served[r.URL.Path] > 1 && !p.keep {
			http.NotFound(w, r)
			return
		}
		p.storedBefore = e.stored()
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(p.data)
	}))
	t.Cleanup(p.Close)
	return p
}

// jpeg is the start of a JPEG file (what http.DetectContentType needs)
// and some bytes.
var jpeg = append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, []byte(strings.Repeat("ảnh", 3000))...)

// An activity report with a photo: the photo is downloaded when the update
// arrives, before the update is stored, and the activity refers to it.
func TestReportWithPhoto(t *testing.T) {
	for _, mode := range []string{ModePolling, ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			var opts []envOption
			if mode == ModeWebhook {
				opts = append(opts, webhookMode)
			}
			e := newEnv(t, opts...)
			photos := newPhotoServer(t, e, jpeg, "image/jpeg")
			an, s := e.an, e.srv
			e.activeMember(an, "Nguyễn Văn An")

			e.user(s.SendText(an, "/baocao"))
			kinds := e.await("kinds", msg(an.ID, "Loại hoạt động?"))
			if !strings.Contains(kinds.Text, "\n2. Hiến máu\n") {
				t.Fatalf("kinds = %q", kinds.Text)
			}
			e.user(s.SendText(an, "2"))
			e.await("date", msg(an.ID, "Ngày diễn ra hoạt động?"))
			e.user(s.SendText(an, "hôm nay"))
			e.await("description", msg(an.ID, "Mô tả ngắn"))
			e.user(s.SendText(an, "Hiến máu tình nguyện tại Bệnh viện tỉnh"))
			e.await("figure", msg(an.ID, "Số đơn vị máu?"))
			e.user(s.SendText(an, "2"))
			e.await("photo", msg(an.ID, "Gửi một ảnh minh họa"))

			url := photos.URL + "/p/hien-mau.jpg?sig=abc"
			e.user(s.SendPhoto(an, url, ""))
			next := e.await("after the photo", func(m zalotest.SentMessage) bool {
				return m.ChatID == an.ID && (strings.Contains(m.Text, "phong trào nào") || strings.Contains(m.Text, "• Loại: Hiến máu"))
			})
			if strings.Contains(next.Text, "phong trào nào") {
				e.user(s.SendText(an, "1"))
				next = e.await("summary", msg(an.ID, "• Loại: Hiến máu"))
			}
			if !strings.Contains(next.Text, "\n1. Lưu báo cáo\n") {
				t.Fatalf("summary = %q", next.Text)
			}
			e.user(s.SendText(an, "1"))
			e.await("saved", msg(an.ID, "Đã lưu báo cáo số 1."))

			var act *cd.Activity
			err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
				var err error
				act, err = tx.ActivityByID(1)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			id, ok := cd.ParseMediaRef(act.Photo)
			if !ok || act.Quantity != 2 || act.Kind != "hien_mau" {
				t.Fatalf("activity = %+v", act)
			}
			mime, data, err := e.db.Media(context.Background(), id)
			if err != nil || mime != "image/jpeg" || string(data) != string(jpeg) {
				t.Fatalf("media %d = %q, %d bytes, %v", id, mime, len(data), err)
			}
			// The URL expired after the one download, made before the
			// image update was stored (after the 5 updates before it).
			resp, err := http.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			photos.mu.Lock()
			defer photos.mu.Unlock()
			if resp.StatusCode != 404 || photos.served["/p/hien-mau.jpg"] != 2 || photos.storedBefore != 5 {
				t.Errorf("photo URL: %s, fetched %d times, %d updates stored before the download",
					resp.Status, photos.served["/p/hien-mau.jpg"], photos.storedBefore)
			}
		})
	}
}

// A photo that cannot be downloaded, or is not a photo, or is too big, or
// that cannot be stored: the update keeps its caption, the problem is
// logged.
func TestPhotoNotStored(t *testing.T) {
	rec := newRecorder(0)
	e := newEnv(t, withHandler(rec))
	e.a.maxPhoto = 1000
	good := newPhotoServer(t, e, jpeg[:500], "image/jpeg")
	big := newPhotoServer(t, e, jpeg, "image/jpeg")
	html := newPhotoServer(t, e, []byte("<html><body>login</body></html>"), "text/html")
	heic := newPhotoServer(t, e, []byte("\x00\x00\x00\x18ftypheic...."), "image/heic")
	for _, tc := range []struct {
		name, url, caption, mime string
		stored                   bool
	}{
		{"ok", good.URL + "/a.jpg", "ảnh đẹp", "image/jpeg", true},
		{"expired", good.URL + "/a.jpg", "lần hai", "", false},
		{"too big", big.URL + "/b.jpg", "to quá", "", false},
		{"not an image", html.URL + "/c", "", "", false},
		{"heic by its content type", heic.URL + "/d.heic", "", "image/heic", true},
		{"not http", "ftp://example.com/x.jpg", "ftp", "", false},
		{"no server", "http://127.0.0.1:1/x.jpg", "không tới", "", false},
	} {
		e.srv.SendPhoto(e.an, tc.url, tc.caption)
		u := rec.next(t, e)
		if u.Text != tc.caption || u.InboxID == 0 || u.UserID != e.an.ID || u.Unsupported {
			t.Errorf("%s: handled %+v", tc.name, u)
		}
		id, ok := cd.ParseMediaRef(u.Photo)
		if ok != tc.stored {
			t.Errorf("%s: photo %q", tc.name, u.Photo)
			continue
		}
		if ok {
			if mime, _, err := e.db.Media(context.Background(), id); err != nil || mime != tc.mime {
				t.Errorf("%s: media = %q, %v", tc.name, mime, err)
			}
		}
	}
	if n := strings.Count(e.logs.String(), "keeping its caption only"); n != 5 {
		t.Errorf("%d photos logged as lost, want 5:\n%s", n, e.logs)
	}
	if strings.Contains(e.logs.String(), "/a.jpg") {
		t.Errorf("a photo URL was logged:\n%s", e.logs)
	}
}

// Without a media store, photos are dropped and the captions kept.
func TestPhotoWithoutMediaStore(t *testing.T) {
	rec := newRecorder(0)
	e := newEnv(t, withHandler(rec), withoutMedia)
	p := newPhotoServer(t, e, jpeg, "image/jpeg")
	e.srv.SendPhoto(e.an, p.URL+"/x.jpg", "chú thích")
	if u := rec.next(t, e); u.Text != "chú thích" || u.Photo != "" {
		t.Errorf("handled %+v", u)
	}
	if !strings.Contains(e.logs.String(), "no media store") {
		t.Errorf("not logged:\n%s", e.logs)
	}
}

// Protected users' messages (withheld by Zalo) and stickers get the core's
// generic answers.
func TestUnsupportedAndSticker(t *testing.T) {
	e := newEnv(t)
	e.srv.SendUnsupported(e.an)
	e.await("unsupported", msg(e.an.ID, "bot chưa đọc được loại tin nhắn này"))
	e.srv.SendSticker(e.an, "sticker-123")
	e.await("sticker", msg(e.an.ID, "Tin nhắn trống"))
	e.srv.InjectRaw([]byte(`{"event_name":"message.voice.received","message":{"from":{"id":"` + e.an.ID +
		`","display_name":"An"},"chat":{"id":"` + e.an.ID + `","chat_type":"PRIVATE"},"message_id":"v1","voice_url":"https://x/v.aac","date":1750316131602}}`))
	e.await("voice", msg(e.an.ID, "bot chưa đọc được loại tin nhắn này"))
}

// In a group, only commands count (mention or not), answered in the group.
func TestGroupMessages(t *testing.T) {
	// Group messages are never taken: the answer would go to the group.
	e := newEnv(t)
	const group = "9a8b7c6d5e4f3a2b1c0d"
	e.srv.SendGroupText(e.an, group, "@Bot Công đoàn /cuatoi")
	e.srv.SendGroupText(e.an, group, "/dangky")
	e.srv.SendText(e.an, "/trogiup") // a private message after them is answered
	e.await("help", msg(e.an.ID, "Các lệnh anh/chị dùng được"))
	for _, m := range e.srv.Sent() {
		if m.ChatID == group {
			t.Errorf("answered in the group: %+v", m)
		}
	}
	if n := e.stored(); n != 1 {
		t.Errorf("%d updates stored, want 1 (the private one)", n)
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

// Zalo's 408 (nothing new) loops at once, without backing off or logging;
// the same message delivered twice is applied once.
func TestPollingIdleAndDuplicates(t *testing.T) {
	rec := newRecorder(0)
	e := newEnv(t, withHandler(rec), withoutRun)
	e.a.proc.Backoff = inbox.Backoff{Min: time.Hour, Max: time.Hour} // a backoff would hang the test
	e.run()
	for i := range 5 {
		if err := e.srv.WaitPolling(e.ctx()); err != nil {
			t.Fatal(err)
		}
		before := e.srv.Calls("getUpdates")
		e.srv.ExpirePolls()
		if err := e.srv.WaitCalls(e.ctx(), "getUpdates", before+1); err != nil {
			t.Fatalf("poll %d: %v", i, err)
		}
	}
	if strings.Contains(e.logs.String(), "level=WARN") {
		t.Errorf("408 logged as a failure:\n%s", e.logs)
	}

	raw := []byte(`{"event_name":"message.text.received","message":{"from":{"id":"` + e.an.ID +
		`","display_name":"An"},"chat":{"id":"` + e.an.ID + `","chat_type":"PRIVATE"},"message_id":"dup-1","text":"một lần","date":1750316131602}}`)
	e.srv.InjectRaw(raw)
	e.srv.InjectRaw(raw)
	e.srv.SendText(e.an, "sau đó")
	if u := rec.next(t, e); u.Text != "một lần" || u.ChatID != e.an.ID || u.DisplayName != "An" {
		t.Errorf("first: %+v", u)
	}
	if u := rec.next(t, e); u.Text != "sau đó" {
		t.Errorf("second: %+v (the duplicate was handled?)", u)
	}
	if n := rec.count(); n != 2 {
		t.Errorf("%d updates handled, want 2", n)
	}
	if n := e.stored(); n != 2 {
		t.Errorf("%d updates stored, want 2", n)
	}
	if !strings.Contains(e.logs.String(), "stored once") {
		t.Errorf("duplicate not logged:\n%s", e.logs)
	}
}

// A token reset in Bot Creator (401) ends Run with an error naming the
// key, without the token.
func TestPollingTokenRevoked(t *testing.T) {
	e := newEnv(t, withoutRun)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	if err := e.srv.WaitPolling(e.ctx()); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetToken("1:new-token-0000")
	e.srv.ExpirePolls()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "zalo.token") || strings.Contains(err.Error(), tokenSecret) {
			t.Errorf("Run = %v", err)
		}
	case <-e.ctx().Done():
		t.Fatal("Run did not return after a 401")
	}
}

// The processor retries an update the handler failed on, keeps the order,
// and sets an update aside after maxFailures.
func TestProcessorRetries(t *testing.T) {
	rec := newRecorder(2)
	e := newEnv(t, withHandler(rec), withoutRun)
	e.a.proc.MaxFailures = 3
	e.run()
	e.srv.SendText(e.an, "một")
	e.srv.SendText(e.an, "hai")
	if u := rec.next(t, e); u.Text != "một" {
		t.Errorf("first handled: %q", u.Text)
	}
	if u := rec.next(t, e); u.Text != "hai" {
		t.Errorf("second handled: %q", u.Text)
	}
	if !strings.Contains(e.logs.String(), "will retry") {
		t.Errorf("failures not logged:\n%s", e.logs)
	}
	rec.mu.Lock()
	rec.failFirst = rec.calls + 3 // the next update fails for good
	rec.mu.Unlock()
	e.srv.SendText(e.an, "ba")
	e.srv.SendText(e.an, "bốn")
	if u := rec.next(t, e); u.Text != "bốn" {
		t.Errorf("after the failing one, handled %q", u.Text)
	}
	if !strings.Contains(e.logs.String(), "giving up on an update") {
		t.Errorf("giving up not logged:\n%s", e.logs)
	}
	// Set aside for good: not pending any more.
	if n := e.pending(); n != 3 {
		t.Errorf("%d pending, want 3 (the recorder applies nothing; the failed one is set aside)", n)
	}
}

// A pledge on Zalo: money typed the Vietnamese way, numbered choices, and
// a receipt whose VietQR payload is in the text (Zalo cannot send the
// PNG: it sends photos by public URL only).
func TestPledgeOnZalo(t *testing.T) {
	for _, mode := range []string{ModePolling, ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			var opts []envOption
			if mode == ModeWebhook {
				opts = append(opts, webhookMode)
			}
			e := newEnv(t, opts...)
			registration(t, e)
			s, an := e.srv, e.an
			e.user(s.SendText(an, "ủng hộ quỹ"))
			e.await("funds", msg(an.ID, "1. Mái ấm Công đoàn"))
			e.user(s.SendText(an, "1"))
			e.await("amount question", msg(an.ID, "Số tiền anh/chị ủng hộ"))
			e.user(s.SendText(an, "1tr5"))
			e.await("amount echoed", msg(an.ID, "1.500.000 đ (một triệu năm trăm nghìn đồng)"))
			e.user(s.SendText(an, "1")) // no due date
			e.await("anonymity", msg(an.ID, "ẩn danh"))
			e.user(s.SendText(an, "1")) // named
			e.await("confirm", msg(an.ID, "Lưu đăng ký?"))
			e.user(s.SendText(an, "1"))
			receipt := e.await("receipt", msg(an.ID, "Đã ghi nhận đăng ký ủng hộ số 1 (UH 1)"))
			if !strings.Contains(receipt.Text, "000201") || !strings.Contains(receipt.Text, "UH 1") {
				t.Errorf("receipt without the VietQR payload: %q", receipt.Text)
			}
			for _, m := range s.Sent() {
				if m.Method == "sendPhoto" {
					t.Errorf("a photo was sent: %+v", m)
				}
			}
		})
	}
}
