package telegram

import (
	"database/sql"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

// An anonymous survey on Telegram: the chair makes it with buttons, An
// ticks two options of a multiple-choice question (✅ on the buttons,
// redrawn in place), presses «Xong» and sends; what the updates carried is
// not kept beside An's account.
func TestSurveyOnTelegram(t *testing.T) {
	e := newEnv(t)
	registration(t, e)
	s := e.srv

	e.user(s.SendText(chair, "/taokhaosat"))
	e.await("title question", msg(chair.ID, "Tên khảo sát"))
	e.user(s.SendText(chair, "Hoạt động năm 2027"))
	e.await("question", msg(chair.ID, "Câu hỏi số 1"))
	e.user(s.SendText(chair, "Anh/chị muốn có thêm hoạt động nào?"))
	kind := e.await("kind", msg(chair.ID, "Trả lời câu này bằng cách nào?"))
	e.user(s.PressButton(chair, kind.MessageID, button(t, kind, "Chọn nhiều phương án")))
	e.await("options", msg(chair.ID, "Các phương án trả lời"))
	e.user(s.SendText(chair, "Thể thao; Văn nghệ; Tham quan"))
	more := e.await("more", msg(chair.ID, "Thêm câu hỏi nữa"))
	e.user(s.PressButton(chair, more.MessageID, button(t, more, "Đủ câu hỏi")))
	anon := e.await("anonymous", msg(chair.ID, "Khảo sát ẩn danh hay ghi tên?"))
	e.user(s.PressButton(chair, anon.MessageID, button(t, anon, "Ẩn danh")))
	closes := e.await("closing day", msg(chair.ID, "Hạn trả lời"))
	e.user(s.PressButton(chair, closes.MessageID, closes.Buttons()[0].CallbackData))
	preview := e.await("preview", msg(chair.ID, "Gửi khảo sát?"))
	e.user(s.PressButton(chair, preview.MessageID, button(t, preview, "Gửi khảo sát")))
	e.await("sent", msg(chair.ID, "Đã gửi khảo sát số 1 tới 1 người"))
	e.await("invitation", msg(an.ID, "mời anh/chị trả lời khảo sát «Hoạt động năm 2027»"))

	e.user(s.SendText(an, "/khaosat_1"))
	q := e.await("question", msg(an.ID, "Câu 1/1: Anh/chị muốn có thêm hoạt động nào?"))
	if b := q.Buttons(); len(b) != 4 || b[3].Text != "Xong" {
		t.Fatalf("buttons %+v", b)
	}
	e.user(s.SendText(an, "1, 9"))
	e.await("refused", msg(an.ID, "Có lựa chọn không có trong danh sách"))
	e.user(s.PressButton(an, q.MessageID, button(t, q, "Thể thao")))
	ed := e.await("ticked", edited(an.ID, q.MessageID))
	if ed.Method != "editMessageReplyMarkup" || ed.Buttons()[0].Text != "✅ Thể thao" || ed.Buttons()[2].Text != "Tham quan" {
		t.Fatalf("after one tick: %s %+v", ed.Method, ed.Buttons())
	}
	e.user(s.PressButton(an, q.MessageID, ed.Buttons()[2].CallbackData))
	ed = e.await("ticked twice", edited(an.ID, q.MessageID))
	if ed.Buttons()[0].Text != "✅ Thể thao" || ed.Buttons()[2].Text != "✅ Tham quan" || ed.Buttons()[1].Text != "Văn nghệ" {
		t.Fatalf("after two ticks: %+v", ed.Buttons())
	}
	e.user(s.PressButton(an, q.MessageID, ed.Buttons()[3].CallbackData))
	review := e.await("review", msg(an.ID, "Anh/chị đã trả lời đủ 1 câu. Đây là khảo sát ẩn danh"))
	if ed := e.await("done", edited(an.ID, q.MessageID)); !strings.HasSuffix(ed.Text, "✅ Xong") || ed.InlineKeyboard != nil {
		t.Errorf("after Xong: %+v", ed)
	}
	e.user(s.PressButton(an, review.MessageID, button(t, review, "Gửi câu trả lời")))
	e.await("thanks", msg(an.ID, "Câu trả lời đã được lưu ẩn danh"))

	raw, err := sql.Open("sqlite", e.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var answers, kept, emptied int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM survey_responses WHERE member_id IS NULL AND answers = '[{"o":[0,2]}]'`).Scan(&answers); err != nil || answers != 1 {
		t.Fatalf("responses %d (%v)", answers, err)
	}
	if err := raw.QueryRow(`SELECT COUNT(*) FROM inbox WHERE CAST(payload AS TEXT) LIKE '%t1.0:%' OR CAST(payload AS TEXT) LIKE '%x1.0%' OR CAST(payload AS TEXT) LIKE '%1, 9%'`).Scan(&kept); err != nil || kept != 0 {
		t.Fatalf("%d updates keep what An pressed (%v)", kept, err)
	}
	if err := raw.QueryRow(`SELECT COUNT(*) FROM inbox WHERE length(payload) = 0`).Scan(&emptied); err != nil || emptied != 5 {
		t.Fatalf("%d updates emptied, want the 5 answering steps, the refused one too (%v)", emptied, err)
	}
}

var codeInCaption = regexp.MustCompile(`Mã điểm danh «[^»]*»: (\d{6})`)

// An event on Telegram: invitation, RSVP with a button, the organiser's
// code as a QR of the deep link, check-in through the link, and the
// organiser unticking and ticking An from the list.
func TestEventOnTelegram(t *testing.T) {
	e := newEnv(t)
	registration(t, e)
	e.core.SetTelegramBot(e.srv.Bot().Username)
	s := e.srv
	ict := time.FixedZone("ICT", 7*3600)
	start := time.Now().In(ict).Add(30 * time.Minute)

	e.user(s.SendText(chair, "/taosukien"))
	e.await("name", msg(chair.ID, "Tên sự kiện"))
	e.user(s.SendText(chair, "Giao lưu văn nghệ"))
	e.await("start", msg(chair.ID, "Bắt đầu lúc nào?"))
	e.user(s.SendText(chair, start.Format("02/01/2006 15:04")))
	e.await("end", msg(chair.ID, "Kết thúc lúc nào?"))
	e.user(s.SendText(chair, start.Add(2*time.Hour).Format("02/01/2006 15:04")))
	e.await("place", msg(chair.ID, "Địa điểm"))
	e.user(s.SendText(chair, "Hội trường Sở Tư pháp"))
	capacity := e.await("capacity", msg(chair.ID, "Số người tham gia tối đa?"))
	e.user(s.PressButton(chair, capacity.MessageID, button(t, capacity, "Không giới hạn")))
	kind := e.await("kind", msg(chair.ID, "Sự kiện tính là loại hoạt động nào?"))
	e.user(s.PressButton(chair, kind.MessageID, button(t, kind, "Văn nghệ, thể thao")))
	next := e.await("campaign or preview", func(m telegramtest.SentMessage) bool {
		return m.ChatID == chair.ID && (strings.Contains(m.Text, "tính cho phong trào nào") || strings.Contains(m.Text, "Gửi lời mời?"))
	})
	if strings.Contains(next.Text, "phong trào nào") {
		e.user(s.PressButton(chair, next.MessageID, button(t, next, "Không tính cho phong trào nào")))
		next = e.await("preview", msg(chair.ID, "Gửi lời mời?"))
	}
	e.user(s.PressButton(chair, next.MessageID, button(t, next, "Gửi lời mời")))
	e.await("created", msg(chair.ID, "Đã gửi lời mời sự kiện số 1 tới 1 người"))
	e.await("invitation", msg(an.ID, "mời anh/chị tham gia «Giao lưu văn nghệ»"))

	e.user(s.SendText(an, "/sukien_1"))
	rsvp := e.await("rsvp", msg(an.ID, "Anh/chị có tham gia không?"))
	e.user(s.PressButton(an, rsvp.MessageID, button(t, rsvp, "Tham gia")))
	e.await("going", msg(an.ID, "Đã ghi: anh/chị tham gia «Giao lưu văn nghệ»"))

	e.user(s.SendText(chair, "/quanlysukien_1"))
	menu := e.await("menu", msg(chair.ID, "📅 Giao lưu văn nghệ"))
	e.user(s.PressButton(chair, menu.MessageID, button(t, menu, "Mã điểm danh")))
	code := e.await("code", msg(chair.ID, "Mã điểm danh «Giao lưu văn nghệ»"))
	link := "https://t.me/" + s.Bot().Username + "?start=dd_"
	if code.Method != "sendPhoto" || code.File == nil || !strings.Contains(code.Text, link) {
		t.Fatalf("code message: %s %q", code.Method, code.Text)
	}
	c := codeInCaption.FindStringSubmatch(code.Text)[1]
	e.user(s.SendText(an, "/start dd_"+c)) // what the link sends
	e.await("checked in", msg(an.ID, "✅ Đã điểm danh: «Giao lưu văn nghệ»"))

	e.user(s.SendText(chair, "/quanlysukien_1"))
	menu = e.await("menu again", msg(chair.ID, "📅 Giao lưu văn nghệ"))
	e.user(s.PressButton(chair, menu.MessageID, button(t, menu, "Điểm danh hộ")))
	list := e.await("tick list", msg(chair.ID, "Chọn người để điểm danh"))
	e.user(s.PressButton(chair, list.MessageID, button(t, list, "✅ Nguyễn Văn An (STP)")))
	ed := e.await("unticked", edited(chair.ID, list.MessageID))
	if ed.Buttons()[0].Text != "Nguyễn Văn An (STP)" {
		t.Fatalf("after untick: %+v", ed.Buttons())
	}
	e.user(s.PressButton(chair, list.MessageID, ed.Buttons()[0].CallbackData))
	if ed := e.await("ticked", edited(chair.ID, list.MessageID)); ed.Buttons()[0].Text != "✅ Nguyễn Văn An (STP)" {
		t.Fatalf("after tick: %+v", ed.Buttons())
	}
}
