package zalotest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

var hex20 = regexp.MustCompile(`^[0-9a-f]{20}$`)

// answer is a decoded envelope plus the HTTP status.
type answer struct {
	Status      int
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Body        string
}

// post calls method with a JSON body, as the real client does.
func post(t *testing.T, ctx context.Context, srv *zalotest.Server, token, method string, body any) answer {
	t.Helper()
	a, err := tryPost(ctx, srv, token, method, body)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return a
}

func tryPost(ctx context.Context, srv *zalotest.Server, token, method string, body any) (answer, error) {
	data, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.Endpoint()+"/bot"+token+"/"+method,
		bytes.NewReader(data))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{Status: resp.StatusCode, Body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &a); err != nil {
			return answer{}, err
		}
	}
	return a, nil
}

func call(t *testing.T, srv *zalotest.Server, method string, body any) answer {
	t.Helper()
	return post(t, context.Background(), srv, srv.Token(), method, body)
}

func wantError(t *testing.T, a answer, status, code int, desc string) {
	t.Helper()
	if a.Status != status || a.OK || a.ErrorCode != code || !strings.Contains(a.Description, desc) {
		t.Errorf("answer = HTTP %d %s, want HTTP %d error_code %d %q", a.Status, a.Body, status, code, desc)
	}
}

func wantOK(t *testing.T, a answer) {
	t.Helper()
	if a.Status != 200 || !a.OK {
		t.Fatalf("answer = HTTP %d %s, want ok", a.Status, a.Body)
	}
}

func TestAuthAndGetMe(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	a := call(t, srv, "getMe", nil)
	wantOK(t, a)
	// The id must travel as a JSON string: 19 digits overflow a float64.
	if !strings.Contains(string(a.Result), `"id":"1459232241454765289"`) || !strings.Contains(string(a.Result), `"account_type":"BASIC"`) {
		t.Errorf("getMe result = %s", a.Result)
	}
	// A bad token is HTTP 200 with ok:false 401, as observed live.
	bad := post(t, context.Background(), srv, "1:wrong", "getMe", nil)
	wantError(t, bad, 200, 401, "Unauthorized")
	if strings.Contains(bad.Body, srv.Token()) {
		t.Errorf("answer leaks the token")
	}
	wantError(t, call(t, srv, "sendSticker", nil), 200, 404, "Not Found")
	wantError(t, call(t, srv, "getme", nil), 200, 404, "Not Found") // case-sensitive
	if srv.Calls("getMe") != 1 || srv.Calls("sendSticker") != 1 || srv.Calls("getme") != 1 {
		t.Errorf("calls: getMe %d sendSticker %d", srv.Calls("getMe"), srv.Calls("sendSticker"))
	}

	srv.ResetToken("2:new-token-after-reset")
	wantError(t, post(t, context.Background(), srv, zalotest.DefaultToken, "getMe", nil), 200, 401, "Unauthorized")
	wantOK(t, post(t, context.Background(), srv, "2:new-token-after-reset", "getMe", nil))
}

func TestErrorHTTPStatusOption(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{ErrorHTTPStatus: true, Token: "9:abcdefgh"})
	wantError(t, post(t, context.Background(), srv, "9:zzz", "getMe", nil), 401, 401, "Unauthorized")
	wantError(t, call(t, srv, "sendMessage", map[string]string{"chat_id": "x"}), 400, 400, "text")
	wantOK(t, call(t, srv, "getMe", nil))
}

func TestGetUpdatesOnePerCallOldestFirst(t *testing.T) {
	now := time.UnixMilli(1750316131602)
	srv := zalotest.NewServer(t, zalotest.Options{Now: func() time.Time { return now }})
	an := srv.NewUser("Nguyễn Văn An")
	if !hex20.MatchString(an.ID) {
		t.Fatalf("user id %q is not 20 hex chars", an.ID)
	}
	id1 := srv.SendText(an, "Xin chào")
	id2 := srv.SendText(an, "báo cáo")
	if !hex20.MatchString(id1) || id1 == id2 || srv.Pending() != 2 {
		t.Fatalf("ids %q %q, pending %d", id1, id2, srv.Pending())
	}
	for _, want := range []struct{ id, text string }{{id1, "Xin chào"}, {id2, "báo cáo"}} {
		a := call(t, srv, "getUpdates", map[string]string{"timeout": "30"})
		wantOK(t, a)
		var u struct {
			EventName string `json:"event_name"`
			Message   struct {
				From struct {
					ID          string `json:"id"`
					DisplayName string `json:"display_name"`
					IsBot       bool   `json:"is_bot"`
				} `json:"from"`
				Chat struct {
					ID       string `json:"id"`
					ChatType string `json:"chat_type"`
				} `json:"chat"`
				Text      string `json:"text"`
				MessageID string `json:"message_id"`
				Date      int64  `json:"date"`
			} `json:"message"`
		}
		if err := json.Unmarshal(a.Result, &u); err != nil { // one object, not an array
			t.Fatalf("result %s: %v", a.Result, err)
		}
		m := u.Message
		if u.EventName != "message.text.received" || m.MessageID != want.id || m.Text != want.text ||
			m.From.ID != an.ID || m.From.DisplayName != "Nguyễn Văn An" || m.From.IsBot ||
			m.Chat.ID != an.ID || m.Chat.ChatType != "PRIVATE" || m.Date != 1750316131602 {
			t.Errorf("update = %+v", u)
		}
	}
	// Nothing left: a zero timeout answers 408 at once (timeout may be a number).
	wantError(t, call(t, srv, "getUpdates", map[string]any{"timeout": 0}), 200, 408, "timeout")
	wantError(t, call(t, srv, "getUpdates", map[string]any{"timeout": "soon"}), 200, 400, "timeout")
	if srv.Pending() != 0 || srv.Calls("getUpdates") != 4 {
		t.Errorf("pending %d, calls %d", srv.Pending(), srv.Calls("getUpdates"))
	}
}

// poll runs getUpdates in a goroutine; the answer arrives on the channel.
func poll(t *testing.T, srv *zalotest.Server, timeout string) <-chan answer {
	t.Helper()
	ch := make(chan answer, 1)
	go func() {
		a, err := tryPost(context.Background(), srv, srv.Token(), "getUpdates", map[string]string{"timeout": timeout})
		if err != nil {
			t.Errorf("getUpdates: %v", err)
		}
		ch <- a
	}()
	return ch
}

func waitPolling(t *testing.T, srv *zalotest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitPolling(ctx); err != nil {
		t.Fatalf("WaitPolling: %v", err)
	}
}

func TestLongPollWakesOnUpdate(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	ch := poll(t, srv, "30")
	waitPolling(t, srv)
	id := srv.SendText(zalotest.User{ID: "6ede9afa66b88fe6d6a9", DisplayName: "Ted"}, "hi")
	a := <-ch
	wantOK(t, a)
	if !strings.Contains(string(a.Result), id) {
		t.Errorf("result %s lacks %s", a.Result, id)
	}
}

func TestLongPollExpires(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	ch := poll(t, srv, "30")
	waitPolling(t, srv)
	srv.ExpirePolls()
	wantError(t, <-ch, 200, 408, "timeout")

	// The real timer too, with a fractional timeout.
	start := time.Now()
	wantError(t, <-poll(t, srv, "0.05"), 200, 408, "timeout")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("poll returned after %v", d)
	}
}

func TestWebhook(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	type got struct {
		secret string
		body   string
	}
	var mu sync.Mutex
	var gots []got
	status := http.StatusOK
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		gots = append(gots, got{r.Header.Get(zalotest.SecretHeader), string(b)})
		w.WriteHeader(status)
	}))
	defer hook.Close()

	wantError(t, call(t, srv, "setWebhook", map[string]string{"url": hook.URL, "secret_token": "short"}),
		200, 400, "secret_token")
	wantError(t, call(t, srv, "setWebhook", map[string]string{"url": "ftp://x", "secret_token": "long-enough"}),
		200, 400, "url")
	if _, err := srv.DeliverWebhook(context.Background(), ""); err == nil {
		t.Error("DeliverWebhook without webhook: no error")
	}

	// A poll waiting when the webhook is set ends with 400.
	ch := poll(t, srv, "30")
	waitPolling(t, srv)
	a := call(t, srv, "setWebhook", map[string]string{"url": hook.URL, "secret_token": "s3cret-token"})
	wantOK(t, a)
	if !strings.Contains(string(a.Result), `"url":"`+hook.URL+`"`) || !strings.Contains(string(a.Result), "updated_at") {
		t.Errorf("setWebhook result %s", a.Result)
	}
	wantError(t, <-ch, 200, 400, "webhook")
	wantError(t, call(t, srv, "getUpdates", map[string]string{"timeout": "1"}), 200, 400, "webhook")
	if u, s := srv.Webhook(); u != hook.URL || s != "s3cret-token" {
		t.Errorf("Webhook() = %q, %q", u, s)
	}
	if a := call(t, srv, "getWebhookInfo", nil); !strings.Contains(string(a.Result), hook.URL) {
		t.Errorf("getWebhookInfo = %s", a.Result)
	}

	an := srv.NewUser("An")
	id1 := srv.SendText(an, "một")
	id2 := srv.SendText(an, "hai")
	ctx := context.Background()
	deliver := func(id string, opts ...zalotest.DeliverOption) {
		t.Helper()
		code, err := srv.DeliverWebhook(ctx, id, opts...)
		if err != nil || code != status {
			t.Fatalf("DeliverWebhook = %d, %v", code, err)
		}
	}
	status = http.StatusInternalServerError
	deliver(id1, zalotest.WithoutSecret()) // refused: stays pending
	if srv.Pending() != 2 {
		t.Errorf("pending = %d, want 2", srv.Pending())
	}
	status = http.StatusOK
	deliver(id2)
	deliver(id1, zalotest.Unwrapped(), zalotest.WithSecret("wrong-secret"))
	if srv.Pending() != 0 {
		t.Errorf("pending = %d, want 0", srv.Pending())
	}
	if _, err := srv.DeliverWebhook(ctx, id2); err == nil {
		t.Error("delivering a delivered update: no error")
	}
	mu.Lock()
	if len(gots) != 3 || gots[0].secret != "" || gots[1].secret != "s3cret-token" || gots[2].secret != "wrong-secret" ||
		!strings.HasPrefix(gots[1].body, `{"ok":true,"result":{"event_name":"message.text.received"`) ||
		!strings.Contains(gots[1].body, id2) ||
		!strings.HasPrefix(gots[2].body, `{"event_name":"message.text.received"`) || !strings.Contains(gots[2].body, id1) {
		t.Errorf("webhook got %+v", gots)
	}
	mu.Unlock()

	a = call(t, srv, "deleteWebhook", nil)
	wantOK(t, a)
	if !strings.Contains(string(a.Result), `"url":""`) {
		t.Errorf("deleteWebhook = %s", a.Result)
	}
	id3 := srv.SendText(an, "ba")
	a = call(t, srv, "getUpdates", map[string]string{"timeout": "1"})
	if wantOK(t, a); !strings.Contains(string(a.Result), id3) {
		t.Errorf("after deleteWebhook: %s", a.Result)
	}
}

func TestSendMessageAndLimits(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	chat := "6ede9afa66b88fe6d6a9"
	send := func(text string) answer {
		return call(t, srv, "sendMessage", map[string]string{"chat_id": chat, "text": text})
	}
	a := send("Xin chào công đoàn 👋")
	wantOK(t, a)
	var res struct {
		MessageID string `json:"message_id"`
		Date      int64  `json:"date"`
	}
	if err := json.Unmarshal(a.Result, &res); err != nil || !hex20.MatchString(res.MessageID) || res.Date < 1e12 {
		t.Errorf("result %s (%v)", a.Result, err)
	}
	wantOK(t, send(strings.Repeat("a", 2000)))
	wantOK(t, send(strings.Repeat("👋", 1000))) // 2000 UTF-16 units
	wantError(t, send(""), 200, 400, "text")
	wantError(t, send(strings.Repeat("a", 2001)), 200, 400, "text")
	wantError(t, send(strings.Repeat("👋", 1000)+"a"), 200, 400, "text")
	wantError(t, call(t, srv, "sendMessage", map[string]string{"text": "x"}), 200, 400, "chat_id")

	srv.BlockChat(chat)
	wantError(t, send("hello"), 200, 400, "user not found or blocked")
	wantError(t, call(t, srv, "sendChatAction", map[string]string{"chat_id": chat, "action": "typing"}),
		200, 400, "blocked")
	srv.UnblockChat(chat)
	wantOK(t, send("again"))

	sent := srv.SentTo(chat)
	if len(sent) != 4 || sent[0].Method != "sendMessage" || sent[0].Text != "Xin chào công đoàn 👋" ||
		sent[0].MessageID != res.MessageID || sent[3].Text != "again" || len(srv.Sent()) != 4 {
		t.Errorf("sent = %+v", sent)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitSent(ctx, 4); err != nil {
		t.Error(err)
	}
	short, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	if err := srv.WaitSent(short, 5); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitSent(5) = %v", err)
	}
}

func TestSendPhotoAndChatAction(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	chat := "6ede9afa66b88fe6d6a9"
	wantOK(t, call(t, srv, "sendPhoto", map[string]string{"chat_id": chat, "photo": "https://example.com/a.jpg",
		"caption": "Ảnh hoạt động"}))
	wantError(t, call(t, srv, "sendPhoto", map[string]string{"chat_id": chat, "photo": "/tmp/a.jpg"}), 200, 400, "URL")
	wantError(t, call(t, srv, "sendPhoto", map[string]string{"chat_id": chat, "photo": "https://example.com/a.jpg",
		"caption": strings.Repeat("x", 2001)}), 200, 400, "caption")
	wantOK(t, call(t, srv, "sendChatAction", map[string]string{"chat_id": chat, "action": "typing"}))
	wantError(t, call(t, srv, "sendChatAction", map[string]string{"chat_id": chat, "action": "upload_photo"}),
		200, 400, "action")
	sent := srv.Sent()
	if len(sent) != 1 || sent[0].Method != "sendPhoto" || sent[0].Photo != "https://example.com/a.jpg" ||
		sent[0].Caption != "Ảnh hoạt động" || sent[0].Text != "" {
		t.Errorf("sent = %+v", sent)
	}
	if acts := srv.ChatActions(); len(acts) != 1 || acts[0].ChatID != chat || acts[0].Action != "typing" {
		t.Errorf("actions = %+v", acts)
	}
}

func TestRequireKnownChatsAndUpdates(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{RequireKnownChats: true, PhotoField: "photo", EchoSends: true})
	an := srv.NewUser("An")
	wantError(t, call(t, srv, "sendMessage", map[string]string{"chat_id": an.ID, "text": "hi"}), 200, 400, "blocked")
	srv.SendPhoto(an, "https://zalo.example/p.jpg", "ảnh")
	srv.SendUnsupported(an)
	wantOK(t, call(t, srv, "sendMessage", map[string]string{"chat_id": an.ID, "text": "chào An"}))
	want := []string{
		`"event_name":"message.image.received"`, `"event_name":"message.unsupported.received"`,
		`"event_name":"message.text.received"`,
	}
	contains := [][]string{
		{`"photo":"https://zalo.example/p.jpg"`, `"caption":"ảnh"`, `"is_bot":false`},
		{`"from":{"display_name":"An","id":"` + an.ID},
		{`"from":{"display_name":"` + zalotest.DefaultAccountName + `","id":"` + zalotest.DefaultBotID + `","is_bot":true}`,
			`"text":"chào An"`, `"chat":{"chat_type":"PRIVATE","id":"` + an.ID},
	}
	for i := range want {
		a := call(t, srv, "getUpdates", map[string]string{"timeout": "0"})
		wantOK(t, a)
		for _, c := range append(contains[i], want[i]) {
			if !strings.Contains(string(a.Result), c) {
				t.Errorf("update %d = %s, lacks %s", i, a.Result, c)
			}
		}
	}
	srv.EchoBotMessage(an.ID, "tự gửi")
	srv.InjectRaw(json.RawMessage(`[{"event_name":"x"},{}]`))
	if a := call(t, srv, "getUpdates", nil); !strings.Contains(string(a.Result), `"tự gửi"`) {
		t.Errorf("echo = %s", a.Result)
	}
	if a := call(t, srv, "getUpdates", nil); string(a.Result) != `[{"event_name":"x"},{}]` {
		t.Errorf("raw = %s", a.Result)
	}
}

func TestForcedFaults(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	chat := map[string]string{"chat_id": "6ede9afa66b88fe6d6a9", "text": "hi"}
	srv.FailNext("sendMessage", 1, zalotest.TooManyRequests)
	srv.FailNext("sendMessage", 1, zalotest.InternalError)
	srv.FailNext("sendMessage", 1, zalotest.ServerError)
	srv.FailNext("sendMessage", 1, zalotest.BadGateway)
	srv.FailNext("sendMessage", 1, zalotest.GatewayTimeout)
	srv.FailNext("sendMessage", 1, zalotest.Unauthorized)
	srv.FailNext("*", 1, zalotest.DropConnection)
	wantError(t, call(t, srv, "sendMessage", chat), 200, 429, "")
	wantError(t, call(t, srv, "sendMessage", chat), 200, 403, "Internal server error")
	for _, want := range []struct {
		status int
		body   string
	}{{500, "<title>500"}, {502, "502 Bad Gateway"}, {504, ""}} {
		a := call(t, srv, "sendMessage", chat)
		if a.Status != want.status || !strings.Contains(a.Body, want.body) || (want.body == "" && a.Body != "") {
			t.Errorf("answer HTTP %d %q, want %d %q", a.Status, a.Body, want.status, want.body)
		}
	}
	wantError(t, call(t, srv, "sendMessage", chat), 200, 401, "Unauthorized")
	if _, err := tryPost(context.Background(), srv, srv.Token(), "getMe", nil); err == nil {
		t.Error("dropped connection: no error")
	}
	wantOK(t, call(t, srv, "sendMessage", chat))
	if len(srv.Sent()) != 1 || srv.Calls("sendMessage") != 7 {
		t.Errorf("sent %d, calls %d", len(srv.Sent()), srv.Calls("sendMessage"))
	}
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	run := func() []string {
		srv := zalotest.NewServer(t, zalotest.Options{Seed: 42, Faults: zalotest.FaultRates{
			TooManyRequests: 0.2, InternalError: 0.1, BadGateway: 0.1, GatewayTimeout: 0.05, Drop: 0.05,
		}})
		var out []string
		for range 40 {
			a, err := tryPost(context.Background(), srv, srv.Token(), "sendMessage",
				map[string]string{"chat_id": "6ede9afa66b88fe6d6a9", "text": "x"})
			switch {
			case err != nil:
				out = append(out, "drop")
			case a.OK:
				out = append(out, "ok")
			case a.ErrorCode != 0:
				out = append(out, http.StatusText(a.ErrorCode))
			default:
				out = append(out, http.StatusText(a.Status))
			}
		}
		// getMe is exempt by default.
		wantOK(t, call(t, srv, "getMe", nil))
		return out
	}
	a, b := run(), run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	kinds := map[string]int{}
	for _, k := range a {
		kinds[k]++
	}
	if kinds["ok"] == 0 || kinds["ok"] == len(a) || len(kinds) < 3 {
		t.Errorf("fault mix %v", kinds)
	}
}

func TestLatencyEndsWithTheRequest(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := tryPost(ctx, srv, srv.Token(), "getMe", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	srv.SetLatency(0)
	wantOK(t, call(t, srv, "getMe", nil))
}

func TestSeededIDs(t *testing.T) {
	a := zalotest.NewServer(t, zalotest.Options{Seed: 7}).NewUser("x")
	b := zalotest.NewServer(t, zalotest.Options{Seed: 7}).NewUser("x")
	c := zalotest.NewServer(t, zalotest.Options{Seed: 8}).NewUser("x")
	if a != b || a == c || !hex20.MatchString(a.ID) {
		t.Errorf("ids %v %v %v", a, b, c)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			u := srv.NewUser("u")
			for range 5 {
				srv.SendText(u, "x")
				if _, err := tryPost(context.Background(), srv, srv.Token(), "sendMessage",
					map[string]string{"chat_id": u.ID, "text": "y"}); err != nil {
					t.Errorf("worker %d: %v", i, err)
				}
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := 0
	for got < 40 {
		a, err := tryPost(ctx, srv, srv.Token(), "getUpdates", map[string]string{"timeout": "5"})
		if err != nil {
			t.Fatal(err)
		}
		if a.OK {
			got++
		}
	}
	wg.Wait()
	if len(srv.Sent()) != 40 || srv.Pending() != 0 {
		t.Errorf("sent %d, pending %d", len(srv.Sent()), srv.Pending())
	}
}
