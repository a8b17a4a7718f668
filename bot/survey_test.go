package bot_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
	_ "github.com/jackc/pgx/v5/stdlib" // raw reads of PostgreSQL
)

// makeSurvey has a chair (or, with an audience answer, the province)
// make the test survey: a rating, a multiple choice of three, free text.
func (h *harness) makeSurvey(who, anonOrNamed, audience, closes string) string {
	h.t.Helper()
	return h.expect("@"+who+" /taokhaosat\nÝ kiến đoàn viên về hoạt động năm 2026\n"+
		"Anh/chị hài lòng với hoạt động công đoàn ở mức nào?\n3\n1\n"+
		"Anh/chị muốn có thêm hoạt động nào?\n2\nThể thao; Văn nghệ; Tham quan\n1\n"+
		"Góp ý khác của anh/chị\n4\n2\n"+anonOrNamed+"\n"+audience+closes+"\nGửi khảo sát\n",
		"Đã gửi khảo sát số")
}

// surveyWork runs what the scheduler's surveys job runs.
func (h *harness) surveyWork() int {
	h.t.Helper()
	var n int
	err := h.db.Update(context.Background(), func(tx *storage.Tx) (err error) {
		n, err = h.bot.QueueSurveyWork(tx, tx.Now())
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// raw opens the database as any reader of it would.
func (h *harness) raw() *sql.DB {
	h.t.Helper()
	driver := "sqlite"
	if h.engine == storage.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, h.path)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	return db
}

func TestSurveyNamedAnswerChangeAndResults(t *testing.T) {
	storagetest.Run(t, testSurveyNamedAnswerChangeAndResults)
}

func testSurveyNamedAnswerChangeAndResults(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.addMember("kb", "Đặng Văn Kho", "KBNN", cd.RoleMember, cd.StatusActive)
	out := h.makeSurvey("chutich", "Ghi tên", "", "30/11")
	// The members of the chair's unit are invited, no one else.
	for _, want := range []string{"[bot → @an] 📋 Công đoàn Sở Tư pháp mời anh/chị trả lời khảo sát «Ý kiến đoàn viên về hoạt động năm 2026» (3 câu, ghi tên), hạn hết ngày 30/11/2026. Gõ /khaosat_1",
		"[bot → @binh] 📋", "Đã gửi khảo sát số 1 tới 2 người"} {
		if !strings.Contains(out, want) {
			t.Fatalf("want %q in:\n%s", want, out)
		}
	}
	h.refuse(out, "@kb]")
	h.expect("@kb /khaosat_1\n", "Khảo sát này không dành cho anh/chị")

	// A member alone with one open survey goes straight to it.
	h.expect("@an /khaosat\n", "Khảo sát ghi tên", "Câu 1/3: Anh/chị hài lòng", "  [5] 5")
	h.expect("4\n", "Câu 2/3", "Chọn một hoặc nhiều", "  [1] Thể thao", "  [4] Xong")
	h.expect("1,3\n", "Câu 3/3: Góp ý khác", "  [1] Bỏ qua")
	h.expect("Nên tổ chức sớm hơn trong năm\n", "Câu trả lời của anh/chị:", "→ 4 điểm", "→ Thể thao; Tham quan",
		"→ Nên tổ chức sớm hơn trong năm", "  [1] Gửi câu trả lời")
	h.expect("1\n", "Cảm ơn anh/chị đã trả lời khảo sát", "Muốn sửa, gõ /khaosat_1 trước hết ngày 30/11/2026")
	h.expect("@binh /khaosat_1\n2\nVăn nghệ\nbỏ qua\n1\n", "Cảm ơn anh/chị")

	// An changes the answer; the old one is shown at each question.
	h.expect("@an /khaosat_1\n", "Anh/chị đã trả lời khảo sát này; trả lời lại sẽ thay câu trả lời cũ", "Lần trước anh/chị trả lời: 4 điểm")
	h.expect("5\n", "Lần trước anh/chị trả lời: Thể thao; Tham quan")
	h.expect("2 3\n", "Lần trước anh/chị trả lời: Nên tổ chức sớm hơn trong năm")
	h.expect("bỏ qua\nGửi câu trả lời\n", "Cảm ơn anh/chị")

	files := h.catchFiles()
	h.expect("@chutich /ketquakhaosat_1\n",
		"📊 Kết quả khảo sát số 1 «Ý kiến đoàn viên về hoạt động năm 2026» (ghi tên; hạn hết ngày 30/11/2026, đang mở).",
		"Đã trả lời: 2/2 (100%) người.",
		"Câu 1. Anh/chị hài lòng với hoạt động công đoàn ở mức nào? (chấm điểm; trung bình 3,5/5; 2 người trả lời)",
		"• 5 điểm: 1 (50%)", "• 2 điểm: 1 (50%)",
		"Câu 2. Anh/chị muốn có thêm hoạt động nào? (nhiều lựa chọn; tỉ lệ trên 2 người trả lời)",
		"• Thể thao: 0 (0%)", "• Văn nghệ: 2 (100%)", "• Tham quan: 1 (50%)",
		"Câu 3. Góp ý khác của anh/chị (trả lời tự do; 0 ý kiến)",
		"[tệp] khao-sat-1.png", "[tệp] khao-sat-1.xlsx")
	if f := files.last(t).File; f.Name != "khao-sat-1.xlsx" || len(f.Data) == 0 {
		t.Fatalf("last file %q, %d bytes", f.Name, len(f.Data))
	}
	// Members see no results; a chair of another unit neither.
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)
	h.expect("@chairkb /ketquakhaosat_1\n", "Kết quả khảo sát này chỉ người tạo khảo sát và Công đoàn tỉnh xem được")
	h.expect("@an /ketquakhaosat_1\n", "không có quyền")
}

func TestSurveyAnonymousStoresNoLink(t *testing.T) {
	storagetest.Run(t, testSurveyAnonymousStoresNoLink)
}

func testSurveyAnonymousStoresNoLink(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	for _, m := range []struct{ user, name string }{{"an", "Nguyễn Văn An"}, {"binh", "Lê Thị Bình"}, {"cuc", "Trần Thị Cúc"}} {
		h.registerActive(m.user, m.name)
	}
	h.makeSurvey("chutich", "Ẩn danh", "", "27/11")
	h.expect("@an /khaosat\n", "Khảo sát ẩn danh: câu trả lời không gắn với tên hay tài khoản", "câu trả lời đã gửi là cuối cùng, không sửa được")
	out := h.expect("4\n1,3\nBí mật của An\n", "Anh/chị đã trả lời đủ 3 câu. Đây là khảo sát ẩn danh", "sau khi gửi anh/chị không xem lại hay sửa được")
	h.refuse(out, "Bí mật của An", "Thể thao; Tham quan") // not read back: no kept message holds it
	h.expect("Gửi câu trả lời\n", "Câu trả lời đã được lưu ẩn danh")
	h.expect("@an /khaosat_1\n", "Anh/chị đã gửi câu trả lời cho khảo sát ẩn danh này")
	h.expect("@binh /khaosat_1\n2\nVăn nghệ\nBí mật của Bình\n1\n", "lưu ẩn danh")

	// While it is open nobody sees what was answered, not even its author.
	h.expect("@chutich /ketquakhaosat_1\n", "Đã trả lời: 2/3 (67%) người.", "kết quả xem được sau khi khảo sát đóng")
	h.refuse(h.run("@tinh /ketquakhaosat_1\n"), "Bí mật", "• Văn nghệ")

	// The tables: answers carry no member and no time, under random keys;
	// who answered is kept apart, with neither time nor order.
	db := h.raw()
	rows, err := db.Query(`SELECT response_key, member_id IS NULL, updated_at IS NULL, answers FROM survey_responses WHERE survey_id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var key, answers string
		var noMember, noTime bool
		if err := rows.Scan(&key, &noMember, &noTime, &answers); err != nil {
			t.Fatal(err)
		}
		if b, err := hex.DecodeString(key); err != nil || len(b) != 16 || !noMember || !noTime {
			t.Fatalf("response %q: member NULL %t, time NULL %t", key, noMember, noTime)
		}
		n++
	}
	rows.Close()
	if n != 2 {
		t.Fatalf("%d responses", n)
	}
	if cols := columns(t, h.engine, db, "survey_respondents"); strings.Join(cols, ",") != "survey_id,member_id" {
		t.Fatalf("survey_respondents has %v", cols)
	}
	for _, table := range []string{"survey_respondents", "survey_responses"} {
		if h.engine != storage.SQLite {
			break // PostgreSQL: the answers are written again when it closes (below)
		}
		var sqlText string
		if err := db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = ?`, table).Scan(&sqlText); err != nil || !strings.Contains(sqlText, "WITHOUT ROWID") {
			t.Fatalf("%s keeps the order rows came in: %s %v", table, sqlText, err)
		}
	}
	// No message, flow, audit entry or log of the bot holds an answer.
	for _, q := range []string{`SELECT COUNT(*) FROM outbox WHERE body LIKE '%Bí mật%'`, `SELECT COUNT(*) FROM flows WHERE state LIKE '%Bí mật%'`,
		`SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Bí mật%'`, `SELECT COUNT(*) FROM flows`} {
		var c int
		if err := db.QueryRow(q).Scan(&c); err != nil || c != 0 {
			t.Fatalf("%s: %d %v", q, c, err)
		}
	}

	// After the closing day: the author gets the results (three answered),
	// and who answered is forgotten.
	h.expect("@cuc /khaosat_1\n5\n2\nbỏ qua\n1\n", "lưu ẩn danh")
	h.clock.Advance(3 * 24 * time.Hour)
	if n := h.surveyWork(); n != 3 {
		t.Fatalf("closing queued %d messages", n)
	}
	out = h.expect("", "[bot → @chutich] Khảo sát số 1 «Ý kiến đoàn viên về hoạt động năm 2026» đã đóng.",
		"Đã trả lời: 3/3 (100%) người.", "• Văn nghệ: 2 (67%)", "(trả lời tự do; 2 ý kiến)")
	for _, want := range []string{"\n– Bí mật của An\n", "\n– Bí mật của Bình\n"} { // in no particular order, with no name
		if !strings.Contains(out, want) {
			t.Fatalf("want %q in:\n%s", want, out)
		}
	}
	var left int
	if err := db.QueryRow(`SELECT COUNT(*) FROM survey_respondents WHERE survey_id = 1`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d respondents kept after closing (%v)", left, err)
	}
	if n := h.surveyWork(); n != 0 {
		t.Fatalf("closed twice: %d", n)
	}
	h.expect("@binh /khaosat_1\n", "Khảo sát này đã đóng")
	if h.engine == storage.Postgres {
		rewrittenOnClose(t, db)
	}
}

// rewrittenOnClose checks that a closed anonymous survey's answers on
// PostgreSQL were all written by one transaction (xmin), the closing one,
// and lie in the order of their random keys (ctid), so that neither says
// who answered when.
func rewrittenOnClose(t *testing.T, db *sql.DB) {
	t.Helper()
	var writers int
	var inKeyOrder bool
	err := db.QueryRow(`SELECT COUNT(DISTINCT xmin::text), COALESCE(array_agg(response_key ORDER BY ctid) =
		array_agg(response_key ORDER BY response_key), true) FROM survey_responses WHERE survey_id = 1`).Scan(&writers, &inKeyOrder)
	if err != nil || writers != 1 || !inKeyOrder {
		t.Fatalf("after closing: %d writing transactions, in key order %t (%v)", writers, inKeyOrder, err)
	}
}

// columns lists a table's columns.
func columns(t *testing.T, engine storage.Engine, db *sql.DB, table string) []string {
	t.Helper()
	q := `SELECT name FROM pragma_table_info(?)`
	if engine == storage.Postgres {
		q = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
			ORDER BY ordinal_position`
	}
	rows, err := db.Query(q, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func TestSurveyAnonymousFewAnswersStayHidden(t *testing.T) {
	storagetest.Run(t, testSurveyAnonymousFewAnswersStayHidden)
}

func testSurveyAnonymousFewAnswersStayHidden(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.makeSurvey("tinh", "Ẩn danh", "Tất cả đoàn viên\n", "26/11")
	h.expect("@an /khaosat_1\n3\n1\nChỉ mình tôi\n1\n", "lưu ẩn danh")
	h.clock.Advance(2 * 24 * time.Hour)
	h.surveyWork()
	out := h.expect("", "[bot → @tinh] Khảo sát số 1", "đã đóng", "dưới 3 người trả lời nên kết quả không công bố")
	h.refuse(out, "Chỉ mình tôi")
	h.refuse(h.run("@tinh /ketquakhaosat_1\n"), "Chỉ mình tôi", "3 điểm: 1")
}

func TestSurveyReminderOnceToThoseWhoDidNotAnswer(t *testing.T) {
	storagetest.Run(t, testSurveyReminderOnceToThoseWhoDidNotAnswer)
}

func testSurveyReminderOnceToThoseWhoDidNotAnswer(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.makeSurvey("chutich", "Ẩn danh", "", "27/11") // reminded at 08:00 on 26/11
	h.expect("@an /khaosat_1\n3\n1\nbỏ qua\n1\n", "lưu ẩn danh")
	if n := h.surveyWork(); n != 0 {
		t.Fatalf("reminded early: %d", n)
	}
	// The bot was down at 08:00; it catches up at 10:00, once.
	h.clock.Advance(24*time.Hour + 30*time.Minute)
	h.restart()
	if n := h.surveyWork(); n != 1 {
		t.Fatalf("reminders: %d", n)
	}
	out := h.expect("", "[bot → @binh] ⏰ Nhắc: khảo sát «Ý kiến đoàn viên về hoạt động năm 2026» đóng vào cuối ngày 27/11/2026 mà anh/chị chưa trả lời. Gõ /khaosat_1")
	h.refuse(out, "@an]", "@chutich]")
	if n := h.surveyWork(); n != 0 {
		t.Fatalf("reminded twice: %d", n)
	}
	// A survey closing before the bot came back is not reminded at all.
	h.makeSurvey("chutich", "Ghi tên", "", "27/11")
	h.clock.Advance(3 * 24 * time.Hour)
	h.surveyWork()
	h.refuse(h.run(""), "⏰")
}

func TestHelpListsSurveysAndEvents(t *testing.T) { storagetest.Run(t, testHelpListsSurveysAndEvents) }

func testHelpListsSurveysAndEvents(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	out := h.expect("@an /trogiup\n", "/khaosat — ", "/sukien — ", "/diemdanh — ")
	h.refuse(out, "/taokhaosat", "/taosukien", "/ketquakhaosat", "/quanlysukien")
	h.expect("@chutich /trogiup\n", "/khaosat — ", "/taokhaosat — ", "/sukien — ", "/taosukien — ", "/diemdanh — ")
	h.refuse(h.run("@guest /trogiup\n"), "/khaosat", "/sukien", "/diemdanh")
}

func TestSurveyBadInputChangesNothing(t *testing.T) {
	storagetest.Run(t, testSurveyBadInputChangesNothing)
}

func testSurveyBadInputChangesNothing(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /taokhaosat\n", "không có quyền")
	h.expect("@chutich /taokhaosat\nKS\n", "Tên khảo sát cần từ 3 đến 200 ký tự")
	h.expect("Khảo sát nhanh\nA?\n", "Câu hỏi cần từ 3 đến 300 ký tự")
	h.expect("Anh/chị chọn món nào?\n9\n", "Anh/chị chọn một mục")
	h.expect("1\nPhở\n", "Cần từ 2 đến 10 phương án")
	h.expect("Phở; phở\n", "Có hai phương án giống nhau")
	h.expect("Phở; "+strings.Repeat("Bún ", 30)+"\n", "Mỗi phương án tối đa 100 ký tự")
	h.expect("Phở; Bún; Cơm\n2\n2\n", "Hạn trả lời")
	h.expect("20/11\n", "Hạn trả lời cần từ hôm nay đến 90 ngày tới")
	h.expect("01/06/2027\n", "Hạn trả lời cần từ hôm nay đến 90 ngày tới")
	h.expect("1\n", "Khảo sát «Khảo sát nhanh», 1 câu hỏi:", "1. Anh/chị chọn món nào? (một lựa chọn: Phở / Bún / Cơm)",
		"Hạn trả lời: hết ngày 02/12/2026")
	h.expect("1\n", "Đã gửi khảo sát số 1 tới 1 người")
	// Answers out of the list, or not a choice, are refused and asked again.
	h.expect("@an /khaosat_1\n", "Câu 1/1")
	h.expect("7\n", "Anh/chị chọn một mục")
	h.expect("Lẩu\n", "Anh/chị chọn một mục")
	h.expect("2\n", "→ Bún")
	h.expect("Hủy\n", "Đã hủy")
	var responses int
	if err := h.raw().QueryRow(`SELECT COUNT(*) FROM survey_responses`).Scan(&responses); err != nil || responses != 0 {
		t.Fatalf("%d responses stored (%v)", responses, err)
	}
}

func TestSurveyFreeTextRulesAndMultipleChoiceTyped(t *testing.T) {
	storagetest.Run(t, testSurveyFreeTextRulesAndMultipleChoiceTyped)
}

func testSurveyFreeTextRulesAndMultipleChoiceTyped(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.makeSurvey("chutich", "Ghi tên", "", "30/11")
	h.expect("@an /khaosat_1\n4\n", "Câu 2/3")
	h.expect("1,7\n", "Có lựa chọn không có trong danh sách")
	h.expect("Xong\n", "Anh/chị chưa chọn phương án nào")
	h.expect("Văn nghệ, Tham quan\n", "Câu 3/3")
	h.expect(strings.Repeat("dài ", 300)+"\n", "Câu trả lời dài quá 1.000 ký tự")
	h.expect("ý kiến\u0007\n", "ký tự không hợp lệ")
	h.expect("Ý kiến ngắn\n", "→ Văn nghệ; Tham quan", "→ Ý kiến ngắn")
}

func TestSurveyTicksOnButtons(t *testing.T) { storagetest.Run(t, testSurveyTicksOnButtons) }

func testSurveyTicksOnButtons(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.registerActive("an", "Nguyễn Văn An")
	h.makeSurvey("chutich", "Ẩn danh", "", "30/11")
	h.expect("@an /khaosat_1\n4\n", "Câu 2/3")
	press := func(choice string) bot.Result {
		t.Helper()
		res, err := h.bot.HandleResult(context.Background(), bot.Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Choice: choice})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := press("t1.1:2")
	if !res.ChoiceAccepted || len(res.Keyboard) != 4 || res.Keyboard[2].Label != "✅ Tham quan" || res.Keyboard[0].Label != "Thể thao" {
		t.Fatalf("tick: %+v", res)
	}
	res = press("t1.1:0")
	res = press("t1.1:2") // untick
	if res.Keyboard[0].Label != "✅ Thể thao" || res.Keyboard[2].Label != "Tham quan" {
		t.Fatalf("untick: %+v", res)
	}
	if out := h.run(""); out != "" {
		t.Fatalf("a tick sent messages:\n%s", out)
	}
	// A button of another question counts for nothing.
	if res := press("t1.0:1"); res.ChoiceAccepted {
		t.Fatalf("stale press accepted")
	}
	res = press("x1.1")
	if !res.ChoiceAccepted || res.Keyboard != nil {
		t.Fatalf("done: %+v", res)
	}
	h.expect("", "Câu 3/3")
}
