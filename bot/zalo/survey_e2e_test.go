package zalo

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

// A named survey on Zalo, typed: numbered choices, several options at
// once as "1,3", a free-text answer, then the answer changed; the chair
// reads the results.
func TestSurveyOnZalo(t *testing.T) {
	e := newEnv(t)
	registration(t, e)
	s, an, chair := e.srv, e.an, e.chair
	say := func(u zalotest.User, text, want string) zalotest.SentMessage {
		t.Helper()
		e.user(s.SendText(u, text))
		return e.await(want, msg(u.ID, want))
	}
	say(chair, "/taokhaosat", "Tên khảo sát")
	say(chair, "Hoạt động năm 2027", "Câu hỏi số 1")
	kind := say(chair, "Anh/chị muốn có thêm hoạt động nào?", "Trả lời câu này bằng cách nào?")
	if !strings.Contains(kind.Text, "\n2. Chọn nhiều phương án\n") || !strings.HasSuffix(kind.Text, choiceHint) {
		t.Fatalf("kind question = %q", kind.Text)
	}
	say(chair, "2", "Các phương án trả lời")
	say(chair, "Thể thao; Văn nghệ; Tham quan", "Thêm câu hỏi nữa")
	say(chair, "1", "Câu hỏi số 2")
	say(chair, "Góp ý khác", "Trả lời câu này bằng cách nào?")
	say(chair, "4", "Thêm câu hỏi nữa")
	say(chair, "2", "Khảo sát ẩn danh hay ghi tên?")
	say(chair, "2", "Hạn trả lời")
	say(chair, "1", "Gửi khảo sát?")
	say(chair, "1", "Đã gửi khảo sát số 1 tới 1 người")
	e.await("invitation", msg(an.ID, "Gõ /khaosat_1 để trả lời"))

	q := say(an, "/khaosat_1", "Câu 1/2")
	if !strings.Contains(q.Text, "gõ các số, cách nhau bằng dấu phẩy, ví dụ 1,3") || !strings.Contains(q.Text, "\n3. Tham quan\n4. Xong\n") {
		t.Fatalf("question = %q", q.Text)
	}
	say(an, "1, 5", "Có lựa chọn không có trong danh sách")
	say(an, "1,3", "Câu 2/2")
	review := say(an, "Tổ chức vào cuối tuần", "Câu trả lời của anh/chị")
	if !strings.Contains(review.Text, "→ Thể thao; Tham quan") || !strings.Contains(review.Text, "→ Tổ chức vào cuối tuần") {
		t.Fatalf("review = %q", review.Text)
	}
	say(an, "1", "Cảm ơn anh/chị đã trả lời khảo sát «Hoạt động năm 2027»")
	// Changed: only Văn nghệ now.
	say(an, "/khaosat_1", "Lần trước anh/chị trả lời: Thể thao; Tham quan")
	say(an, "2", "Lần trước anh/chị trả lời: Tổ chức vào cuối tuần")
	say(an, "bỏ qua", "→ (bỏ qua)")
	say(an, "Gửi câu trả lời", "Cảm ơn anh/chị")

	res := say(chair, "/ketquakhaosat_1", "📊 Kết quả khảo sát số 1 «Hoạt động năm 2027» (ghi tên")
	for _, want := range []string{"Đã trả lời: 1/1 (100%) người.", "• Thể thao: 0 (0%)", "• Văn nghệ: 1 (100%)", "(trả lời tự do; 0 ý kiến)"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("want %q in results %q", want, res.Text)
		}
	}
}

var zaloCode = regexp.MustCompile(`Mã điểm danh «[^»]*»: (\d{6})`)

// An event on Zalo: RSVP by number, the organiser's code as text (Zalo
// takes no files), check-in with /diemdanh CODE, and a wrong code.
func TestEventOnZalo(t *testing.T) {
	e := newEnv(t)
	registration(t, e)
	s, an, chair := e.srv, e.an, e.chair
	say := func(u zalotest.User, text, want string) zalotest.SentMessage {
		t.Helper()
		e.user(s.SendText(u, text))
		return e.await(want, msg(u.ID, want))
	}
	start := time.Now().In(time.FixedZone("ICT", 7*3600)).Add(20 * time.Minute)
	say(chair, "/taosukien", "Tên sự kiện")
	say(chair, "Giải bóng bàn công đoàn", "Bắt đầu lúc nào?")
	say(chair, start.Format("02/01/2006 15:04"), "Kết thúc lúc nào?")
	say(chair, start.Add(3*time.Hour).Format("02/01/2006 15:04"), "Địa điểm")
	say(chair, "Nhà thi đấu tỉnh", "Số người tham gia tối đa?")
	say(chair, "20", "Sự kiện tính là loại hoạt động nào?")
	e.user(s.SendText(chair, "Văn nghệ, thể thao"))
	next := e.await("campaign or preview", func(m zalotest.SentMessage) bool {
		return m.ChatID == chair.ID && (strings.Contains(m.Text, "tính cho phong trào nào") || strings.Contains(m.Text, "Gửi lời mời?"))
	})
	if strings.Contains(next.Text, "phong trào nào") {
		say(chair, "Không tính cho phong trào nào", "Gửi lời mời?")
	}
	say(chair, "1", "Đã gửi lời mời sự kiện số 1 tới 1 người")
	e.await("invitation", msg(an.ID, "mời anh/chị tham gia «Giải bóng bàn công đoàn»"))

	rsvp := say(an, "/sukien", "Anh/chị có tham gia không?")
	if !strings.Contains(rsvp.Text, "• Số chỗ: 20, đã đăng ký 0") || !strings.Contains(rsvp.Text, "\n1. Tham gia\n2. Không tham gia\n3. Chưa chắc\n") {
		t.Fatalf("rsvp = %q", rsvp.Text)
	}
	say(an, "1", "Đã ghi: anh/chị tham gia «Giải bóng bàn công đoàn»")
	say(chair, "/quanlysukien_1", "📅 Giải bóng bàn công đoàn")
	code := zaloCode.FindStringSubmatch(say(chair, "1", "Mã điểm danh «Giải bóng bàn công đoàn»").Text)[1]
	say(an, "/diemdanh 99999", "Mã điểm danh không đúng")
	say(an, "/diemdanh "+code, "✅ Đã điểm danh: «Giải bóng bàn công đoàn»")
	list := say(chair, "/quanlysukien_1", "📅 Giải bóng bàn công đoàn")
	if !strings.Contains(list.Text, "\n3. Danh sách tham dự\n") {
		t.Fatalf("menu = %q", list.Text)
	}
	att := say(chair, "3", "Danh sách tham dự «Giải bóng bàn công đoàn»")
	if !strings.Contains(att.Text, "đã điểm danh 1.") || !strings.Contains(att.Text, "1. Nguyễn Văn An (STP) — tham gia — ✅ ") {
		t.Fatalf("attendance = %q", att.Text)
	}
}
