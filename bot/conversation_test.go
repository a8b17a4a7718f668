package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

func TestRegistrationAndApproval(t *testing.T) {
	h := newHarness(t)
	out := h.expect(`
@an /dangky
dong y
Nguyễn Văn An
0912 345 678
stp
gửi đăng ký
`,
		"[bot → @an] Để đăng ký đoàn viên", "  [1] Đồng ý",
		"Họ và tên đầy đủ", "Số điện thoại", "  [1] Bỏ qua",
		"Đơn vị (công đoàn cơ sở)", "Sở Tư pháp (STP)",
		"• Họ và tên: Nguyễn Văn An", "• Số điện thoại: 0912345678", "Gửi đăng ký?",
		"[bot → @an] Đã gửi đăng ký vào Sở Tư pháp. Người duyệt: Trần Thị Hoa (chủ tịch công đoàn cơ sở)",
		"[bot → @chutich] Có đăng ký đoàn viên mới vào Sở Tư pháp: Nguyễn Văn An. Gõ /duyet")
	_ = out
	m := h.member("an")
	if m == nil || m.Status != cd.StatusPending || m.UnitCode != "STP" || m.Phone != "0912345678" || m.ConsentAt.IsZero() {
		t.Fatalf("member after registration = %+v", m)
	}
	if n := h.auditCount(cd.AuditRegister); n != 1 {
		t.Fatalf("register audit entries = %d, want 1", n)
	}

	// A pending member may not use member-only commands yet but sees status.
	h.expect("@an /dangky\n", "đang chờ duyệt")

	h.expect("@chutich duyet\n1\n",
		"Có 1 người chờ duyệt", "  [1] Nguyễn Văn An (STP)", "• Điện thoại: 0912345678", "• Đăng ký lúc: 25/11/2026 09:30",
		"  [1] Duyệt", "  [2] Từ chối")
	h.expect("Duyệt\n",
		"[bot → @chutich] Đã duyệt Nguyễn Văn An vào Sở Tư pháp.",
		"[bot → @an] Chúc mừng anh/chị! Đăng ký đoàn viên vào Sở Tư pháp đã được duyệt.",
		"[bot → @chutich] Không có ai đang chờ duyệt.")
	if m := h.member("an"); m.Status != cd.StatusActive || m.DecidedBy != h.member("chutich").ID {
		t.Fatalf("member after approval = %+v", m)
	}
	if n := h.auditCount(cd.AuditApprove); n != 1 {
		t.Fatalf("approve audit entries = %d, want 1", n)
	}
	h.expect("@an /dangky\n", "Anh/chị đã là đoàn viên của Sở Tư pháp")
	h.expect("@an của tôi\n", "• Họ và tên: Nguyễn Văn An", "• Vai trò: Đoàn viên", "• Trạng thái: đang sinh hoạt", "Console")
}

func TestRejectionWithReasonAndReRegistration(t *testing.T) {
	h := newHarness(t)
	h.register("binh", "Lê Thị Bình", "STP")
	h.expect("@chutich /duyet\n1\n2\n", "Lý do từ chối")
	h.expect(strings.Repeat("x", 201)+"\n", "dài quá 200 ký tự")
	if m := h.member("binh"); m.Status != cd.StatusPending {
		t.Fatalf("too long a reason changed the status to %s", m.Status)
	}
	h.expect("Không thuộc biên chế đơn vị\n",
		"[bot → @chutich] Đã từ chối đăng ký của Lê Thị Bình.",
		"[bot → @binh] Đăng ký đoàn viên vào Sở Tư pháp chưa được duyệt. Lý do: Không thuộc biên chế đơn vị")
	if m := h.member("binh"); m.Status != cd.StatusRejected || m.Note != "Không thuộc biên chế đơn vị" {
		t.Fatalf("member after rejection = %+v", m)
	}
	// A rejected person may register again, into another unit.
	h.register("binh", "Lê Thị Bình", "KBNN")
	m := h.member("binh")
	if m.Status != cd.StatusPending || m.UnitCode != "KBNN" {
		t.Fatalf("re-registration = %+v", m)
	}
	// KBNN has no chair: the province admin is told.
	out := h.run("@binh /cuatoi\n")
	if !strings.Contains(out, "Kho bạc Nhà nước tỉnh") {
		t.Fatalf("profile after re-registration:\n%s", out)
	}
}

func TestNoChairNotifiesProvinceAdmins(t *testing.T) {
	h := newHarness(t)
	h.expect("@cuong /dangky\n1\nPhạm Văn Cường\n1\nVKS\n1\n",
		"Người duyệt: Ban Thường vụ Công đoàn tỉnh",
		"[bot → @tinh] Có đăng ký đoàn viên mới vào Viện Kiểm sát nhân dân tỉnh: Phạm Văn Cường")
	// The chair of another unit may not approve; the province admin may.
	out := h.run("@chutich /duyet\n")
	h.refuse(out, "Phạm Văn Cường")
	h.expect("@tinh /duyet\n1\n1\n", "Đã duyệt Phạm Văn Cường vào Viện Kiểm sát nhân dân tỉnh",
		"[bot → @cuong] Chúc mừng")
}

func TestChoicesByNumberLabelAndStaleButtons(t *testing.T) {
	h := newHarness(t)
	h.expect("@dung /dangky\n9\n", "chọn một mục trong danh sách")
	h.expect("ĐỒNG Ý\n", "Họ và tên đầy đủ")
	// A pressed button that the current step did not offer is stale.
	ctx := context.Background()
	if err := h.bot.Handle(ctx, bot.Update{Platform: cd.PlatformConsole, UserID: "dung", ChatID: "dung", Choice: "u:1"}); err != nil {
		t.Fatal(err)
	}
	h.expect("", "Lựa chọn này đã hết hạn")
	// The flow is still where it was.
	h.expect("@dung Đỗ Văn Dũng\n", "Số điện thoại")
}

func TestUnitSearchByName(t *testing.T) {
	h := newHarness(t)
	h.expect("@em /dangky\n1\nTrịnh Thị Em\n1\nkho bac\n", "• Đơn vị: Kho bạc Nhà nước tỉnh (KBNN)")
	h.expect("@em /huy\n", "Đã hủy")
	h.expect("@em /dangky\n1\nTrịnh Thị Em\n1\nsở\n", "Có 2 đơn vị khớp", "Sở Công Thương (SCT)", "Sở Tư pháp (STP)")
	h.expect("Sở Tư pháp (STP)\n", "• Đơn vị: Sở Tư pháp (STP)")
	h.expect("@em /huy\n@em /dangky\n1\nTrịnh Thị Em\n1\nXYZ\n", "Không tìm thấy đơn vị này")
}

func TestCancelAndHelp(t *testing.T) {
	h := newHarness(t)
	h.expect("@giang /huy\n", "Không có thao tác nào đang làm")
	h.expect("@giang /dangky\nhủy\n", "Đã hủy thao tác đang làm")
	if m := h.member("giang"); m != nil {
		t.Fatalf("cancelled registration stored a member: %+v", m)
	}
	out := h.expect("@giang /trogiup\n", "/dangky", "/huy", "/trogiup")
	h.refuse(out, "/duyet", "/phanquyen", "/donvi", "/cuatoi")
	out = h.expect("@chutich tro giup\n", "/baocao", "/cuatoi", "/duyet", "/donvi", "/nopbaocao", "/trogiup")
	h.refuse(out, "/phanquyen", "/mokhoa", "/dangky")
	h.expect("@tinh Trợ Giúp\n", "/cuatoi", "/duyet", "/donvi", "/phanquyen")
}

func TestUnknownInputHints(t *testing.T) {
	h := newHarness(t)
	h.expect("@hai xin chào\n", "Gõ /dangky để đăng ký")
	h.expect("@chutich xin chào\n", "Bot chưa hiểu tin nhắn này. Gõ /trogiup")
	h.expect("@chutich /khongcolenh\n", "Bot chưa hiểu")
}

func TestRoles(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	// Make An the chair of STP: the old chair becomes a member.
	h.expect("@tinh /phanquyen\nSTP\n",
		"Chọn đoàn viên của Sở Tư pháp", "Nguyễn Văn An", "Trần Thị Hoa (chủ tịch công đoàn cơ sở)")
	h.expect("Nguyễn Văn An\n", "Nguyễn Văn An hiện là đoàn viên", "  [1] Chủ tịch công đoàn cơ sở")
	h.expect("1\n",
		"Đã phân quyền: Nguyễn Văn An là chủ tịch công đoàn cơ sở (Sở Tư pháp).",
		"Trần Thị Hoa không còn là chủ tịch",
		"[bot → @chutich] Vai trò của anh/chị trong bot đã đổi thành: đoàn viên",
		"[bot → @an] Vai trò của anh/chị trong bot đã đổi thành: chủ tịch công đoàn cơ sở")
	if m := h.member("an"); m.Role != cd.RoleChair {
		t.Fatalf("an's role = %s", m.Role)
	}
	if m := h.member("chutich"); m.Role != cd.RoleMember {
		t.Fatalf("old chair's role = %s", m.Role)
	}
	if n := h.auditCount(cd.AuditRoleChange); n != 2 {
		t.Fatalf("role audit entries = %d, want 2", n)
	}
	// The old chair has lost /duyet.
	h.expect("@chutich /duyet\n", "không có quyền")
	// The last province admin cannot be demoted.
	h.expect("@tinh /phanquyen TINH\n1\n3\n", "cán bộ tỉnh cuối cùng")
	if m := h.member("tinh"); m.Role != cd.RoleProvinceAdmin {
		t.Fatalf("last admin demoted to %s", m.Role)
	}
}

func TestUnitsAdmin(t *testing.T) {
	h := newHarness(t)
	h.expect("@tinh /donvi\n1\n", "Danh sách đơn vị:", "TINH — Công đoàn Viên chức tỉnh (demo)", "STP — Sở Tư pháp: 1 đoàn viên, 0 chờ duyệt")
	h.expect("@tinh đơn vị\nthêm đơn vị\nSở Tài chính\nstc\n1\n", "• Tên: Sở Tài chính", "• Mã: STC", "• Trực thuộc: Công đoàn Viên chức tỉnh (demo)")
	h.expect("1\n", "Đã tạo đơn vị Sở Tài chính, mã STC")
	// Codes are unique; bad codes are refused with the rule.
	h.expect("@tinh /donvi\n2\nPhòng Kế toán\nSTC\n", "Mã này đã được đơn vị khác dùng")
	h.expect("Kế toán!\n", "Mã đơn vị gồm 2–12 chữ cái")
	// A sub-unit inside a grassroots union.
	h.expect("KT\nSTC\n", "• Trực thuộc: Sở Tài chính")
	h.expect("1\n", "Đã tạo đơn vị Phòng Kế toán, mã KT")
	h.expect("@tinh /donvi\n1\n", "STC — Sở Tài chính", "↳ KT — Phòng Kế toán")
	if n := h.auditCount(cd.AuditUnitCreate); n < 2 {
		t.Fatalf("unit audit entries = %d", n)
	}
	// Members can register into the new unit by its code.
	h.register("lan", "Vũ Thị Lan", "STC")
}

func TestEraseOwnData(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	id := h.member("an").ID
	h.expect("@an /xoataikhoan\n2\n", "Dữ liệu của anh/chị được giữ nguyên")
	h.expect("@an xóa tài khoản\n1\n", "Đã xóa dữ liệu cá nhân")
	if m := h.member("an"); m != nil {
		t.Fatalf("identity still linked after erase: %+v", m)
	}
	var erased *cd.Member
	if err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		erased, err = tx.MemberByID(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if erased.FullName != "" || erased.Phone != "" || erased.Status != cd.StatusLeft || erased.DeletedAt.IsZero() {
		t.Fatalf("erased member = %+v", erased)
	}
	// The row stays, anonymised: the unit still counts a member who left.
	units, err := h.db.Units(context.Background(), cd.UnitFilter{Search: "STP"})
	if err != nil || len(units) != 1 {
		t.Fatalf("units: %v %v", units, err)
	}
	if units[0].ActiveMembers != 1 { // only the chair is active now
		t.Fatalf("active members of STP = %d, want 1", units[0].ActiveMembers)
	}
	if n := h.auditCount(cd.AuditDeleteData); n != 1 {
		t.Fatalf("delete audit entries = %d", n)
	}
	// The same person can start afresh.
	h.expect("@an /dangky\n", "Để đăng ký đoàn viên")
}

func TestAdminFromConfig(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.Admins = []string{"console:quang"} })
	h.expect("@quang xin chào\n", "Bot nhận anh/chị là cán bộ Công đoàn Viên chức tỉnh (demo)", "Bot chưa hiểu")
	m := h.member("quang")
	if m == nil || m.Role != cd.RoleProvinceAdmin || m.Status != cd.StatusActive || m.UnitCode != "TINH" {
		t.Fatalf("admin from config = %+v", m)
	}
	h.expect("@quang /donvi\n1\n", "Danh sách đơn vị")
	if n := h.auditCount(cd.AuditAdminBootstrap); n != 1 {
		t.Fatalf("bootstrap audit entries = %d", n)
	}
	// Recognised once: the greeting is not repeated.
	out := h.run("@quang /trogiup\n")
	h.refuse(out, "Bot nhận anh/chị")
}

func TestFlowSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	h.expect("@an /dangky\n1\nNguyễn Văn An\n", "Số điện thoại")
	h.restart()
	h.expect("@an 0987654321\n", "Đơn vị (công đoàn cơ sở)")
	h.restart()
	h.expect("@an STP\n", "• Số điện thoại: 0987654321")
	h.restart()
	h.expect("@an 1\n", "Đã gửi đăng ký", "[bot → @chutich] Có đăng ký đoàn viên mới")
	// The chair's half-done approval survives too.
	h.expect("@chutich /duyet\n1\n", "Duyệt người này?")
	h.restart()
	h.expect("@chutich 1\n", "Đã duyệt Nguyễn Văn An")
}

func TestOutboxSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	// Handle without draining: the replies wait in the outbox.
	ctx := context.Background()
	if err := h.bot.Handle(ctx, bot.Update{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an", Text: "/trogiup"}); err != nil {
		t.Fatal(err)
	}
	h.restart()
	n, err := h.sender.Drain(ctx)
	if err != nil || n != 1 || !strings.Contains(h.out.String(), "[bot → @an] Các lệnh anh/chị dùng được") {
		t.Fatalf("drain after restart: n=%d err=%v out=%q", n, err, h.out.String())
	}
	// Delivered once: nothing left.
	if n, _ := h.sender.Drain(ctx); n != 0 {
		t.Fatalf("second drain delivered %d", n)
	}
}

func TestFloodGuard(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.FloodPerMinute = 3 })
	out := h.run("@an xin chào\n@an a\n@an b\n@an c\n@an d\n@an e\n")
	if got := strings.Count(out, "Gõ /dangky"); got != 3 {
		t.Fatalf("answered %d of the first messages, want 3:\n%s", got, out)
	}
	if got := strings.Count(out, "gửi quá nhiều tin nhắn"); got != 1 {
		t.Fatalf("warnings = %d, want 1:\n%s", got, out)
	}
	// Someone else is not affected; after a minute the person is heard again.
	h.expect("@binh xin chào\n", "[bot → @binh]")
	h.clock.Advance(time.Minute)
	h.expect("@an xin chào\n", "[bot → @an] Chào anh/chị!")
}

func TestStaleFlowIsForgotten(t *testing.T) {
	h := newHarness(t)
	h.expect("@an /dangky\n1\n", "Họ và tên đầy đủ")
	// An answer within a day still counts...
	h.clock.Advance(23 * time.Hour)
	h.expect("@an Nguyễn Văn An\n", "Số điện thoại")
	// ...but two days later "bỏ qua" is not taken as the answer to a
	// question long gone.
	h.clock.Advance(48 * time.Hour)
	out := h.expect("@an bỏ qua\n", "Gõ /dangky để đăng ký")
	h.refuse(out, "Đơn vị (công đoàn cơ sở)")
}
