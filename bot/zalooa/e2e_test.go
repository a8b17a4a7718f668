package zalooa

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/zalooa/zalooatest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// jpeg is the start of a JPEG file (what http.DetectContentType needs)
// and some bytes.
var jpeg = append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, []byte(strings.Repeat("ảnh", 3000))...)

// photoServer serves a JPEG at any path, counting downloads.
func photoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(jpeg)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// register runs the registration of a follower of the OA into Sở Tư pháp,
// typing the numbers of the numbered choices, and its approval by the
// chair, also on the OA.
func register(t *testing.T, e *env, an, chair zalooatest.User) {
	s, ctx := e.srv, e.ctx()
	e.deliver(s.SendText(ctx, an, "/dangky"))
	consent := e.await(an, "Để đăng ký đoàn viên")
	if !strings.HasSuffix(consent.Text, "\n\n1. Đồng ý\n2. Không đồng ý\n"+bot.TextChoiceHint) {
		t.Fatalf("consent = %q", consent.Text)
	}
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Họ và tên đầy đủ")
	e.deliver(s.SendText(ctx, an, "Nguyễn Văn An"))
	e.await(an, "Số điện thoại")
	e.deliver(s.SendText(ctx, an, "bỏ qua"))
	e.await(an, "Đơn vị (công đoàn cơ sở)")
	e.deliver(s.SendText(ctx, an, "STP"))
	e.await(an, "Kiểm tra lại thông tin đăng ký")
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Đã gửi đăng ký vào Sở Tư pháp")
	e.await(chair, "Có đăng ký đoàn viên mới vào Sở Tư pháp: Nguyễn Văn An")

	e.deliver(s.SendText(ctx, chair, "/duyet"))
	list := e.await(chair, "Có 1 người chờ duyệt")
	if !strings.Contains(list.Text, "\n1. Nguyễn Văn An (STP)\n") {
		t.Errorf("pending list = %q", list.Text)
	}
	e.deliver(s.SendText(ctx, chair, "1"))
	e.await(chair, "Duyệt người này?")
	e.deliver(s.SendText(ctx, chair, "1"))
	e.await(chair, "Đã duyệt Nguyễn Văn An vào Sở Tư pháp")
	e.await(an, "Chúc mừng anh/chị! Đăng ký đoàn viên vào Sở Tư pháp đã được duyệt")
}

// A follower of the OA registers, the chair (also on the OA) approves, the
// member pledges to a fund and reports an activity with a photo.
func TestFollowerRegistersPledgesReports(t *testing.T) {
	e := newEnv(t)
	s, ctx := e.srv, e.ctx()
	chair := e.follower()
	e.linkOA("chutich", chair)
	an := s.NewUser()
	e.deliver(s.Follow(ctx, an))
	greeting := e.await(an, "Zalo OA của "+province)
	if !strings.Contains(greeting.Text, "/dangky") || !strings.Contains(greeting.Text, "trợ lý tự động") {
		t.Errorf("greeting = %q", greeting.Text)
	}
	register(t, e, an, chair)

	e.deliver(s.SendText(ctx, an, "/ungho"))
	e.await(an, "1. Mái ấm Công đoàn")
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Số tiền anh/chị ủng hộ")
	e.deliver(s.SendText(ctx, an, "1tr5"))
	e.await(an, "1.500.000 đ (một triệu năm trăm nghìn đồng)")
	e.deliver(s.SendText(ctx, an, "1")) // no due date
	e.await(an, "ẩn danh")
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Lưu đăng ký?")
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Đã ghi nhận đăng ký ủng hộ số 1 (UH 1)")

	photos := photoServer(t)
	e.deliver(s.SendText(ctx, an, "/baocao"))
	e.await(an, "Loại hoạt động?")
	e.deliver(s.SendText(ctx, an, "2"))
	e.await(an, "Ngày diễn ra hoạt động?")
	e.deliver(s.SendText(ctx, an, "hôm nay"))
	e.await(an, "Mô tả ngắn")
	e.deliver(s.SendText(ctx, an, "Hiến máu tình nguyện tại Bệnh viện tỉnh"))
	e.await(an, "Số đơn vị máu?")
	e.deliver(s.SendText(ctx, an, "2"))
	e.await(an, "Gửi một ảnh minh họa")
	e.deliver(s.SendImage(ctx, an, photos.URL+"/p/hien-mau.jpg?sig=abc", ""))
	next := e.await(an, "")
	if strings.Contains(next.Text, "phong trào nào") {
		e.deliver(s.SendText(ctx, an, "1"))
		next = e.await(an, "• Loại: Hiến máu")
	}
	if !strings.Contains(next.Text, "• Loại: Hiến máu") {
		t.Fatalf("summary = %q", next.Text)
	}
	e.deliver(s.SendText(ctx, an, "1"))
	e.await(an, "Đã lưu báo cáo số 1.")

	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformZaloOA, an.ID)
		if err != nil || m == nil || m.Status != cd.StatusActive {
			t.Errorf("member = %+v, %v", m, err)
		}
		act, err := tx.ActivityByID(1)
		if err != nil {
			return err
		}
		if _, ok := cd.ParseMediaRef(act.Photo); !ok || act.Quantity != 2 {
			t.Errorf("activity = %+v", act)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Sent() {
		if n := len([]rune(m.Text)); n > MaxTextLength {
			t.Errorf("a message of %d characters was sent", n)
		}
	}
}
