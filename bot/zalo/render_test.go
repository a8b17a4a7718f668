package zalo

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

func to(chat string) cd.Address { return cd.Address{Platform: cd.PlatformZalo, ChatID: chat} }

func TestRender(t *testing.T) {
	yesNo := []cd.Choice{{ID: "y", Label: "Đồng ý"}, {ID: "n", Label: "Không đồng ý"}}
	for _, tc := range []struct {
		name string
		m    cd.Message
		want []string
	}{
		{"text", cd.Message{Text: "Xin chào"}, []string{"Xin chào"}},
		{"choices", cd.Message{Text: "Anh/chị có đồng ý không?\n", Choices: yesNo},
			[]string{"Anh/chị có đồng ý không?\n\n1. Đồng ý\n2. Không đồng ý\n(Trả lời bằng số thứ tự)"}},
		{"choices only", cd.Message{Choices: yesNo}, []string{"1. Đồng ý\n2. Không đồng ý\n(Trả lời bằng số thứ tự)"}},
		{"label missing", cd.Message{Text: "Chọn", Choices: []cd.Choice{{ID: "x", Label: " "}}},
			[]string{"Chọn\n\n1. x\n(Trả lời bằng số thứ tự)"}},
		{"phone request adds nothing", cd.Message{Text: "Số điện thoại?", RequestPhone: true,
			Choices: []cd.Choice{{ID: "skip", Label: "Bỏ qua"}}}, []string{"Số điện thoại?\n\n1. Bỏ qua\n(Trả lời bằng số thứ tự)"}},
		{"file: the text only", cd.Message{Text: "Mã QR: 00020101021238...", File: &cd.File{Name: "qr.png", MIME: "image/png", Data: []byte("png")}},
			[]string{"Mã QR: 00020101021238..."}},
		{"invalid UTF-8", cd.Message{Text: "a\xffb"}, []string{"a\uFFFDb"}},
		{"decomposed diacritics", cd.Message{Text: "Công đoàn"}, []string{"Công đoàn"}},
	} {
		got, err := render(tc.m)
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: render = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	for _, m := range []cd.Message{{}, {Text: " \n "}, {File: &cd.File{Name: "qr.png", Data: []byte("x")}}} {
		if got, err := render(m); err == nil {
			t.Errorf("render(%+v) = %q, want an error", m, got)
		}
	}
}

// A long text goes in several messages of at most 2000 UTF-16 units,
// cut at line ends, with the numbered choices kept whole in the last one.
func TestDeliverLongText(t *testing.T) {
	e := newEnv(t, withoutRun)
	var b strings.Builder
	for i := range 120 {
		b.WriteString("Đoàn viên số ")
		b.WriteString(strings.Repeat("ư", i%7))
		b.WriteString(" đã ủng hộ quỹ Mái ấm Công đoàn 👍 500.000 đ\n")
	}
	text := b.String()
	choices := []cd.Choice{{ID: "a", Label: "Xem tiếp"}, {ID: "b", Label: "Dừng"}}
	if err := e.a.Deliver(context.Background(), cd.OutboxItem{ID: 1, To: to(e.an.ID), Message: cd.Message{Text: text, Choices: choices}}); err != nil {
		t.Fatal(err)
	}
	sent := e.srv.SentTo(e.an.ID)
	if len(sent) < 3 {
		t.Fatalf("%d messages for %d UTF-16 units", len(sent), UTF16Len(text))
	}
	var joined []string
	for i, m := range sent {
		if n := UTF16Len(m.Text); n > MaxTextLength || n < MaxTextLength/2 && i < len(sent)-1 {
			t.Errorf("part %d: %d UTF-16 units", i, n)
		}
		if !utf8.ValidString(m.Text) {
			t.Errorf("part %d is not valid UTF-8", i)
		}
		joined = append(joined, m.Text)
	}
	last := sent[len(sent)-1].Text
	if !strings.HasSuffix(last, "\n\n1. Xem tiếp\n2. Dừng\n"+choiceHint) {
		t.Errorf("last part ends %q", last[max(0, len(last)-80):])
	}
	if got, want := strings.Join(joined, "\n"), strings.TrimRight(text, "\n")+"\n\n1. Xem tiếp\n2. Dừng\n"+choiceHint; got != want {
		t.Errorf("the parts do not add up to the text")
	}
}

// A message of several parts that fails halfway resumes after the parts
// sent when the sender tries the same row again.
func TestDeliverResumes(t *testing.T) {
	var calls atomic.Int32
	var srv *zalotest.Server
	hook := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/sendMessage") && calls.Add(1) == 2 {
			srv.FailNext("sendMessage", 1, zalotest.BadGateway) // the second part
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	e := newEnv(t, withoutRun, withHTTPClient(&http.Client{Transport: hook}))
	srv = e.srv
	text := strings.Repeat("Thông báo của Công đoàn tỉnh về phong trào thi đua.\n", 100)
	item := cd.OutboxItem{ID: 42, To: to(e.an.ID), Message: cd.Message{Text: text}}
	parts, _ := render(item.Message)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	err := e.a.Deliver(context.Background(), item)
	var de *outbox.DeliveryError
	if err == nil || errors.As(err, &de) || !strings.Contains(err.Error(), "part 2 of 3") {
		t.Fatalf("first attempt: %v", err)
	}
	if err := e.a.Deliver(context.Background(), item); err != nil {
		t.Fatal(err)
	}
	sent := e.srv.SentTo(e.an.ID)
	if len(sent) != 3 || sent[0].Text != parts[0] || sent[1].Text != parts[1] || sent[2].Text != parts[2] {
		t.Errorf("sent %d messages in %d calls", len(sent), calls.Load())
	}
	// A permanent failure forgets the progress: the next try starts over.
	e.srv.BlockChat(e.an.ID)
	err = e.a.Deliver(context.Background(), cd.OutboxItem{ID: 43, To: to(e.an.ID), Message: cd.Message{Text: text}})
	if !errors.As(err, &de) || !de.Unreachable {
		t.Fatalf("blocked: %v", err)
	}
	if n := e.a.parts.Pending(); n != 0 {
		t.Errorf("progress kept: %d rows", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestDeliverRefuses(t *testing.T) {
	e := newEnv(t, withoutRun)
	for _, tc := range []struct {
		name string
		item cd.OutboxItem
	}{
		{"other platform", cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "1"}, Message: cd.Message{Text: "x"}}},
		{"no chat", cd.OutboxItem{To: to(""), Message: cd.Message{Text: "x"}}},
		{"chat with a space", cd.OutboxItem{To: to("a b"), Message: cd.Message{Text: "x"}}},
		{"empty", cd.OutboxItem{To: to(e.an.ID)}},
		{"file alone", cd.OutboxItem{To: to(e.an.ID), Message: cd.Message{File: &cd.File{Name: "qr.png", Data: []byte("x")}}}},
	} {
		err := e.a.Deliver(context.Background(), tc.item)
		var de *outbox.DeliveryError
		if !errors.As(err, &de) || !de.Permanent {
			t.Errorf("%s: %v, want a permanent DeliveryError", tc.name, err)
		}
	}
	if n := e.srv.Calls("sendMessage"); n != 0 {
		t.Errorf("%d sends", n)
	}
	// A file with text: the text goes, logged at debug.
	err := e.a.Deliver(context.Background(), cd.OutboxItem{ID: 7, To: to(e.an.ID), Message: cd.Message{Text: "Mã QR ủng hộ quỹ",
		File: &cd.File{Name: "qr.png", MIME: "image/png", Data: []byte("png")}}})
	if err != nil {
		t.Fatal(err)
	}
	if sent := e.srv.Sent(); len(sent) != 1 || sent[0].Text != "Mã QR ủng hộ quỹ" || sent[0].Method != "sendMessage" {
		t.Errorf("sent %+v", sent)
	}
	if !strings.Contains(e.logs.String(), "Zalo cannot send files") {
		t.Errorf("not logged:\n%s", e.logs)
	}
}
