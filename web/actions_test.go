package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
)

// member makes user an active member of unit code (registered in chat,
// approved by the unit's chair).
func (h *harness) member(user, name, code, chair string) *cd.Member {
	h.t.Helper()
	h.register(user, name, code)
	h.approveInChat(chair)
	h.deliver()
	return h.memberNamed(name)
}

var pledgeRE = regexp.MustCompile(`đăng ký ủng hộ số (\d+)`)

// pledge makes user pledge 1.500.000 đ to the first fund in chat.
func (h *harness) pledge(user string) string {
	h.t.Helper()
	out := h.chat("@" + user + " /ungho\n1\n1tr5\n1\n1\n1\n")
	m := pledgeRE.FindStringSubmatch(out)
	if m == nil {
		h.t.Fatalf("pledge of %s: %s", user, out)
	}
	return m[1]
}

func TestConfirmPaymentInPartThenInFull(t *testing.T) {
	h := newHarness(t)
	h.member("an", "Nguyễn Văn An", "STP", "chutich")
	id := h.pledge("an")
	b := h.signIn("chutich")
	page := b.get("/quy/1")
	if !strings.Contains(page.body, "UH "+id) || !strings.Contains(page.body, "/ung-ho/"+id+"/xac-nhan") {
		t.Fatalf("the pledge is not on the fund's page: %s", page.body)
	}
	// In part, typed as people type money, dated.
	done := b.follow(b.form("/ung-ho/"+id+"/xac-nhan", "ngay", "2026-11-19", "cach", "mot-phan", "so_tien", "500k", "quay_lai", "/quy/1"))
	if !strings.Contains(done.body, "500.000 đ") || !strings.Contains(done.body, "19/11/2026") {
		t.Fatalf("partial payment: %s", done.body)
	}
	if out := h.deliver(); !strings.Contains(out, "[bot → @an] Trần Thị Hoa đã xác nhận anh/chị nộp") {
		t.Fatalf("the member was not told: %q", out)
	}
	// More than is left, or in the future: the core's rules refuse.
	tooMuch := b.follow(b.form("/ung-ho/"+id+"/xac-nhan", "ngay", "2026-11-19", "cach", "mot-phan", "so_tien", "5tr"))
	future := b.follow(b.form("/ung-ho/"+id+"/xac-nhan", "ngay", "2026-12-01", "cach", "du"))
	for _, r := range []response{tooMuch, future} {
		if !strings.Contains(r.body, "flash err") {
			t.Fatalf("not refused: %s", r.body)
		}
	}
	// The rest, in full.
	full := b.follow(b.form("/ung-ho/"+id+"/xac-nhan", "ngay", "2026-11-20", "cach", "du"))
	if !strings.Contains(full.body, "1.000.000 đ") {
		t.Fatalf("payment in full: %s", full.body)
	}
	if out := h.deliver(); !strings.Contains(out, "nộp đủ") {
		t.Fatalf("the member was not told of the full payment: %q", out)
	}
	if n := len(h.audit(cd.AuditPaymentRecord)); n != 2 {
		t.Fatalf("%d payments audited", n)
	}
	// A chair of another unit may not confirm it.
	h.chat("@tinh /phanquyen KBNN\n")
	other := h.signIn("tinh")
	if r := other.get("/quy/1"); !strings.Contains(r.body, "UH "+id) {
		t.Fatal("the province does not see the pledge")
	}
}

func TestAnnouncementToOneUnitWithCountBeforeSending(t *testing.T) {
	h := newHarness(t)
	h.member("an", "Nguyễn Văn An", "STP", "chutich")
	b := h.signIn("tinh")
	stp := itoa(h.unitID("STP"))
	pv := b.form("/thong-bao/xem-truoc", "noi_dung", "Họp <b>toàn thể</b> ngày 05/12.", "doi_tuong", "units", "don_vi", stp, "khi", "ngay")
	if pv.code != http.StatusOK || !strings.Contains(pv.body, `id="so-nguoi">2 người`) {
		t.Fatalf("preview: %d %s", pv.code, pv.body)
	}
	if !strings.Contains(pv.body, "Họp &lt;b&gt;toàn thể&lt;/b&gt;") {
		t.Fatalf("the text is not escaped in the preview: %s", pv.body)
	}
	if out := h.deliver(); out != "" {
		t.Fatalf("the preview sent something: %q", out)
	}
	done := b.follow(b.form("/thong-bao", "noi_dung", "Họp toàn thể ngày 05/12.", "doi_tuong", "units", "don_vi", stp, "khi", "ngay"))
	if !strings.Contains(done.body, "Đang gửi thông báo số 1 tới 2 người") {
		t.Fatalf("send: %s", done.body)
	}
	out := h.deliver()
	for _, who := range []string{"@an", "@chutich"} {
		if !strings.Contains(out, "[bot → "+who+"]") || !strings.Contains(out, "Họp toàn thể") {
			t.Fatalf("%s did not get the announcement: %q", who, out)
		}
	}
	// Scheduled, then cancelled before its time.
	b.follow(b.form("/thong-bao", "noi_dung", "Nhắc lịch họp.", "doi_tuong", "all", "khi", "hen", "luc", "2026-11-25T08:00"))
	list := b.get("/thong-bao")
	if !strings.Contains(list.body, "Đã hẹn giờ") || !strings.Contains(list.body, "/thong-bao/2/huy") {
		t.Fatalf("scheduled announcement not listed: %s", list.body)
	}
	cancelled := b.follow(b.form("/thong-bao/2/huy"))
	if !strings.Contains(cancelled.body, "flash ok") || !strings.Contains(cancelled.body, "Đã dừng") {
		t.Fatalf("cancel: %s", cancelled.body)
	}
	// In the past, or to nobody: the chat's rules refuse.
	past := b.form("/thong-bao/xem-truoc", "noi_dung", "x", "doi_tuong", "all", "khi", "hen", "luc", "2026-11-01T08:00")
	if past.code != http.StatusBadRequest {
		t.Fatalf("announcement in the past: %d", past.code)
	}
}

func TestAddUnitSearchAndPagination(t *testing.T) {
	h := newHarness(t)
	b := h.signIn("tinh")
	done := b.follow(b.form("/don-vi", "ten", "Công đoàn <i>Sở Y tế</i>", "ma", "syt", "cap_tren", "1"))
	if !strings.Contains(done.body, "flash ok") || !strings.Contains(done.body, "&lt;i&gt;Sở Y tế&lt;/i&gt;") ||
		strings.Contains(done.body, "<i>Sở Y tế</i>") {
		t.Fatalf("add unit, escaped: %s", done.body)
	}
	if taken := b.follow(b.form("/don-vi", "ten", "Trùng mã", "ma", "SYT", "cap_tren", "1")); !strings.Contains(taken.body, "đã được đơn vị khác dùng") {
		t.Fatalf("code taken: %s", taken.body)
	}
	if len(h.audit(cd.AuditUnitCreate)) < 2 {
		t.Fatal("unit creation not audited")
	}
	for i, name := range []string{"Nguyễn Thị Lan", "Trần Văn Nam", "Lê Thị Đào"} {
		h.register("u"+itoa(int64(i)), name, "STP")
	}
	if r := b.get("/doan-vien?q=nguyen+thi+lan"); !strings.Contains(r.body, "Nguyễn Thị Lan") || strings.Contains(r.body, "Trần Văn Nam") {
		t.Fatalf("search without diacritics: %s", r.body)
	}
	if r := b.get("/doan-vien?q=Đào"); !strings.Contains(r.body, "Lê Thị Đào") {
		t.Fatal("search with diacritics")
	}
	for i := range 25 {
		h.chat("@tinh /donvi\n2\nĐơn vị thử " + itoa(int64(i)) + "\nT" + itoa(int64(i)) + "\n1\n1\n")
	}
	p1, p2 := b.get("/don-vi"), b.get("/don-vi?trang=2")
	if !strings.Contains(p1.body, "Trang 1/2") || !strings.Contains(p1.body, "trang=2") || !strings.Contains(p2.body, "Trang 2/2") {
		t.Fatalf("units not paginated: %s", p1.body)
	}
}
