package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

func TestWithoutSessionEveryPageRedirectsToHowToSignIn(t *testing.T) {
	storagetest.Run(t, testWithoutSessionEveryPageRedirectsToHowToSignIn)
}

func testWithoutSessionEveryPageRedirectsToHowToSignIn(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	b := h.browser()
	for _, p := range []string{"/", "/don-vi", "/don-vi/2", "/doan-vien", "/hoat-dong", "/quy", "/quy/1", "/thong-bao",
		"/nhat-ky", "/tai-ve", "/tai-ve/doan-vien.csv", "/bieu-do.png"} {
		if r := b.get(p); r.code != http.StatusSeeOther || r.location != "/dang-nhap" {
			t.Errorf("GET %s without a session: %d %q", p, r.code, r.location)
		}
	}
	if r := b.post("/doan-vien/3/duyet", nil); r.code != http.StatusSeeOther || r.location != "/dang-nhap" {
		t.Errorf("POST without a session: %d %q", r.code, r.location)
	}
	r := b.get("/dang-nhap")
	if r.code != http.StatusOK || !strings.Contains(r.body, "/web") || !strings.Contains(r.body, "Đăng nhập") {
		t.Fatalf("the sign-in help: %d %s", r.code, r.body)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script") {
		t.Errorf("CSP %q", csp)
	}
}

func TestSignInLinkWorksOnceAndForTenMinutes(t *testing.T) {
	storagetest.Run(t, testSignInLinkWorksOnceAndForTenMinutes)
}

func testSignInLinkWorksOnceAndForTenMinutes(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	link := h.link("chutich")
	b := h.browser()
	// Opening the link (a chat app previewing it) spends nothing.
	if r := b.get(link); r.code != http.StatusOK || !strings.Contains(r.body, "Đăng nhập") {
		t.Fatalf("GET link: %d", r.code)
	}
	r := b.post(link, nil)
	if r.code != http.StatusSeeOther || r.location != "/" {
		t.Fatalf("first use: %d %s", r.code, r.body)
	}
	cookie := r.header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Max-Age=43200"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie over http is Secure: %q", cookie)
	}
	if r := b.get("/"); r.code != http.StatusOK || !strings.Contains(r.body, "Trần Thị Hoa") {
		t.Fatalf("overview after sign-in: %d", r.code)
	}
	// Twice: refused, and the session of the first use goes on.
	other := h.browser()
	if r := other.post(link, nil); r.code != http.StatusForbidden || !strings.Contains(r.body, "đã được dùng") {
		t.Fatalf("second use: %d %s", r.code, r.body)
	}
	// After ten minutes: refused.
	late := h.link("chutich")
	h.clock.Advance(cd.WebLinkTTL + time.Second)
	if r := h.browser().post(late, nil); r.code != http.StatusForbidden || !strings.Contains(r.body, "hết hạn") {
		t.Fatalf("use after 10 minutes: %d %s", r.code, r.body)
	}
	// A made-up link: refused.
	if r := h.browser().post("/dang-nhap/khong-co-that", nil); r.code != http.StatusForbidden {
		t.Fatalf("unknown link: %d", r.code)
	}
	if n := len(h.audit(cd.AuditWebSignIn)); n != 1 {
		t.Errorf("%d sign-ins audited, want 1", n)
	}
}

func TestOnlyChairsAndProvinceGetALink(t *testing.T) {
	storagetest.Run(t, testOnlyChairsAndProvinceGetALink)
}

func testOnlyChairsAndProvinceGetALink(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.register("an", "Nguyễn Văn An", "STP")
	if out := h.chat("@an /web\n"); linkRE.MatchString(out) {
		t.Fatalf("an applicant got a link: %s", out)
	}
	h.approveInChat("chutich")
	if out := h.chat("@an /web\n"); linkRE.MatchString(out) || !strings.Contains(out, "không có quyền") {
		t.Fatalf("a member got a link: %s", out)
	}
	if !linkRE.MatchString(h.chat("@tinh /web\n")) {
		t.Fatal("the province admin got no link")
	}
}

func TestChairSeesOwnUnitOnlyWhateverTheURL(t *testing.T) {
	storagetest.Run(t, testChairSeesOwnUnitOnlyWhateverTheURL)
}

func testChairSeesOwnUnitOnlyWhateverTheURL(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.register("binh", "Lê Văn Bình", "KBNN")
	kbnn, stp := h.unitID("KBNN"), h.unitID("STP")
	binh := h.memberNamed("Lê Văn Bình")
	b := h.signIn("chutich")
	for _, p := range []string{"/don-vi/" + itoa(kbnn), "/doan-vien?don_vi=" + itoa(kbnn), "/hoat-dong?don_vi=" + itoa(kbnn),
		"/nhat-ky?don_vi=" + itoa(kbnn), "/quy/1?don_vi=" + itoa(kbnn), "/thong-bao", "/bieu-do.png"} {
		if r := b.get(p); r.code != http.StatusForbidden && r.code != http.StatusNotFound {
			t.Errorf("chair GET %s: %d", p, r.code)
		}
	}
	if r := b.get("/don-vi/" + itoa(stp)); r.code != http.StatusOK {
		t.Errorf("chair GET own unit: %d", r.code)
	}
	// A refusal says why, in words a chair understands.
	if r := b.get("/don-vi/" + itoa(kbnn)); !strings.Contains(r.body, "chỉ xem và làm việc với đơn vị của mình") {
		t.Errorf("another unit's page does not say why it is refused:\n%s", r.body)
	}
	if r := b.get("/thong-bao"); !strings.Contains(r.body, "chỉ dành cho cán bộ Công đoàn tỉnh") {
		t.Errorf("the announcements page does not say it is the province's:\n%s", r.body)
	}
	// The province-wide lists show the chair's own unit only.
	if r := b.get("/doan-vien"); strings.Contains(r.body, "Lê Văn Bình") || !strings.Contains(r.body, "Trần Thị Hoa") {
		t.Errorf("the chair's member list shows another unit's member, or not their own")
	}
	if r := b.get("/tai-ve/doan-vien.csv"); strings.Contains(r.body, "Bình") || !strings.Contains(r.body, "Hoa") {
		t.Errorf("the chair's export: %s", r.body)
	}
	// Acting on another unit's applicant: refused by the core, audited.
	r := b.form("/doan-vien/"+itoa(binh.ID)+"/duyet", "quay_lai", "/doan-vien")
	if r.code != http.StatusForbidden {
		t.Fatalf("approve another unit's applicant: %d", r.code)
	}
	if h.memberNamed("Lê Văn Bình").Status != cd.StatusPending {
		t.Fatal("the applicant was approved")
	}
	denied := h.audit(cd.AuditDenied)
	if len(denied) == 0 || denied[0].ActorKey != "web:"+itoa(h.memberNamed("Trần Thị Hoa").ID) {
		t.Fatalf("refusal not audited: %+v", denied)
	}
	// Province-only actions.
	if r := b.form("/don-vi", "ten", "Công đoàn Sở Y tế", "ma", "SYT", "cap_tren", "1"); r.code != http.StatusForbidden {
		t.Errorf("a chair adds a unit: %d", r.code)
	}
	if r := b.form("/doan-vien/"+itoa(binh.ID)+"/vai-tro", "vai_tro", "chair"); r.code != http.StatusForbidden {
		t.Errorf("a chair changes a role: %d", r.code)
	}
}

func TestFormWithoutCSRFIsRefused(t *testing.T) { storagetest.Run(t, testFormWithoutCSRFIsRefused) }

func testFormWithoutCSRFIsRefused(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.register("an", "Nguyễn Văn An", "STP")
	an := h.memberNamed("Nguyễn Văn An")
	b := h.signIn("chutich")
	for _, token := range []string{"", "0123456789abcdef0123456789abcdef"} {
		r := b.post("/doan-vien/"+itoa(an.ID)+"/duyet", map[string][]string{"csrf": {token}})
		if r.code != http.StatusForbidden || !strings.Contains(r.body, "Biểu mẫu") {
			t.Fatalf("POST with CSRF %q: %d", token, r.code)
		}
	}
	if h.memberNamed("Nguyễn Văn An").Status != cd.StatusPending {
		t.Fatal("approved without a CSRF token")
	}
	if r := b.post("/dang-xuat", nil); r.code != http.StatusForbidden {
		t.Fatalf("sign out without CSRF: %d", r.code)
	}
}

func TestApproveAndRejectOnTheWebAsInChat(t *testing.T) {
	storagetest.Run(t, testApproveAndRejectOnTheWebAsInChat)
}

func testApproveAndRejectOnTheWebAsInChat(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.register("an", "Nguyễn Văn An", "STP")
	h.register("cuong", "Phạm Văn Cường", "STP")
	h.deliver()
	an, cuong := h.memberNamed("Nguyễn Văn An"), h.memberNamed("Phạm Văn Cường")
	b := h.signIn("chutich")
	page := b.get("/doan-vien?trang_thai=pending")
	if !strings.Contains(page.body, "Nguyễn Văn An") || !strings.Contains(page.body, "/doan-vien/"+itoa(an.ID)+"/duyet") {
		t.Fatalf("the pending applicant is not listed: %s", page.body)
	}
	done := b.follow(b.form("/doan-vien/"+itoa(an.ID)+"/duyet", "quay_lai", "/doan-vien?trang_thai=pending"))
	if !strings.Contains(done.body, "Đã duyệt Nguyễn Văn An") {
		t.Fatalf("no confirmation: %s", done.body)
	}
	if out := h.deliver(); !strings.Contains(out, "[bot → @an] Chúc mừng") {
		t.Fatalf("the member was not told in chat: %q", out)
	}
	// Deciding twice: the core says the state changed.
	again := b.follow(b.form("/doan-vien/"+itoa(an.ID)+"/duyet", "quay_lai", "/doan-vien"))
	if !strings.Contains(again.body, "flash err") {
		t.Fatalf("second approval not refused: %s", again.body)
	}
	// A rejection needs a reason; the applicant hears it.
	b.follow(b.form("/doan-vien/"+itoa(cuong.ID)+"/tu-choi", "ly_do", "Không thuộc đơn vị"))
	if out := h.deliver(); !strings.Contains(out, "[bot → @cuong]") || !strings.Contains(out, "Không thuộc đơn vị") {
		t.Fatalf("rejection not told: %q", out)
	}
	ap := h.audit(cd.AuditApprove)
	if len(ap) != 1 || ap[0].TargetMember != an.ID || !strings.HasPrefix(ap[0].ActorKey, "web:") {
		t.Fatalf("approval audit: %+v", ap)
	}
}

func TestSessionEndsWhenTheRoleGoesTheMemberIsErasedOrSignsOut(t *testing.T) {
	storagetest.Run(t, testSessionEndsWhenTheRoleGoesTheMemberIsErasedOrSignsOut)
}

func testSessionEndsWhenTheRoleGoesTheMemberIsErasedOrSignsOut(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	chair := h.memberNamed("Trần Thị Hoa")
	b := h.signIn("chutich")
	admin := h.signIn("tinh")
	// The province makes the chair a plain member (on the web, as /phanquyen).
	done := admin.follow(admin.form("/doan-vien/"+itoa(chair.ID)+"/vai-tro", "vai_tro", "member"))
	if !strings.Contains(done.body, "flash ok") {
		t.Fatalf("role change: %s", done.body)
	}
	if r := b.get("/"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.location, "/dang-nhap") {
		t.Fatalf("a demoted chair's session goes on: %d", r.code)
	}
	if r := b.get("/"); r.location != "/dang-nhap" {
		t.Fatalf("the session was not ended: %q", r.location)
	}
	// Erased: the session ends at once.
	h.chat("@tinh /phanquyen STP\n1\n1\n")
	b = h.signIn("chutich")
	h.chat("@chutich /xoataikhoan\n1\n")
	if r := b.get("/doan-vien"); r.code != http.StatusSeeOther {
		t.Fatalf("an erased member's session goes on: %d", r.code)
	}
	// Signing out, and idling twelve hours.
	out := admin.form("/dang-xuat")
	if out.code != http.StatusSeeOther || !strings.Contains(out.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("sign out: %d %v", out.code, out.header)
	}
	if r := admin.get("/"); r.code != http.StatusSeeOther {
		t.Fatalf("after signing out: %d", r.code)
	}
	idle := h.signIn("tinh")
	h.clock.Advance(cd.WebSessionIdle + time.Minute)
	if r := idle.get("/"); r.code != http.StatusSeeOther {
		t.Fatalf("after 12 idle hours: %d", r.code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestEveryPageRendersForTheProvinceAndAChair(t *testing.T) {
	storagetest.Run(t, testEveryPageRendersForTheProvinceAndAChair)
}

func testEveryPageRendersForTheProvinceAndAChair(t *testing.T, engine storage.Engine) {
	h := newHarnessOn(t, engine)
	h.member("an", "Nguyễn Văn An", "STP", "chutich")
	h.pledge("an")
	h.chat("@an /baocao\n1\n1\nHiến máu nhân đạo tại bệnh viện tỉnh\n1\n1\n1\n")
	stp := itoa(h.unitID("STP"))
	for _, user := range []string{"tinh", "chutich"} {
		b := h.signIn(user)
		pages := []string{"/", "/?thang=2026-10", "/don-vi", "/don-vi/" + stp, "/doan-vien", "/doan-vien?q=an&trang_thai=active",
			"/hoat-dong", "/hoat-dong?thang=tat-ca&loai=hien_mau", "/quy", "/quy/1?mo=1", "/nhat-ky", "/nhat-ky?hanh_dong=member.",
			"/tai-ve", "/tai-ve/doan-vien.csv", "/tai-ve/hoat-dong.csv?thang=2026-11", "/tai-ve/ung-ho.csv?quy=1",
			"/tai-ve/bao-cao.xlsx?thang=2026-11"}
		if user == "tinh" {
			pages = append(pages, "/thong-bao", "/bieu-do.png")
		}
		for _, p := range pages {
			r := b.get(p)
			if r.code != http.StatusOK {
				t.Errorf("%s GET %s: %d %s", user, p, r.code, r.body)
			}
			if r.header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s GET %s: no CSP", user, p)
			}
		}
	}
}
