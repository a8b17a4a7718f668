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

// activities returns the stored, not withdrawn reports of a month.
func (h *harness) activities(m string) []cd.Activity {
	h.t.Helper()
	month, err := cd.ParseMonth(m)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []cd.Activity
	if err := h.db.ExportActivities(context.Background(), storage.ActivityFilter{Month: month}, func(a cd.Activity) error {
		out = append(out, a)
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func TestReportFlowUndoAndProfile(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an bao cao\nHiến máu\nhôm qua\nHiến máu tình nguyện đợt 2 tại Bệnh viện tỉnh\n2\n",
		"Loại hoạt động?", "  [2] Hiến máu", "Ngày diễn ra hoạt động?", "Hôm qua (24/11)",
		"Mô tả ngắn", "Số đơn vị máu? Gõ một số nguyên", "Gửi một ảnh minh họa")
	h.expect("bỏ qua\n1\n",
		"Hoạt động này tính cho phong trào nào?", "Học tập và làm theo tư tưởng",
		"• Của: Nguyễn Văn An", "• Loại: Hiến máu", "• Ngày: 24/11/2026", "• Số liệu: 2 đơn vị máu",
		"• Phong trào: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
	h.expect("Lưu báo cáo\n", "Đã lưu báo cáo số 1.", "  [1] Hoàn tác")
	acts := h.activities("2026-11")
	if len(acts) != 1 {
		t.Fatalf("activities = %+v", acts)
	}
	a := acts[0]
	an := h.member("an")
	if a.Kind != "hien_mau" || a.Quantity != 2 || a.MemberID != an.ID || a.EnteredBy != an.ID || a.UnitCode != "STP" ||
		a.Date.String() != "2026-11-24" || a.CampaignID == 0 {
		t.Fatalf("stored activity = %+v", a)
	}
	h.expect("@an /cuatoi\n", "#1 24/11 Hiến máu: Hiến máu tình nguyện đợt 2 tại Bệnh viện tỉnh (2 đơn vị máu)",
		"Cả năm 2026:", "• Hiến máu: 1 báo cáo, 2 đơn vị máu")

	// Undo within 15 minutes by the button of the receipt (still the
	// current step, since /cuatoi ended the flow: use /hoantac).
	h.clock.Advance(10 * time.Minute)
	h.expect("@an hoàn tác\n", "Đã hoàn tác")
	if acts := h.activities("2026-11"); len(acts) != 0 {
		t.Fatalf("undone report still counts: %+v", acts)
	}
	if n := h.auditCount(cd.AuditActivityUndo); n != 1 {
		t.Fatalf("undo audit entries = %d", n)
	}
	h.expect("@an /hoantac\n", "Không có báo cáo nào của anh/chị hoàn tác được")

	// A second report, undone by its receipt's button; a third, too late.
	h.expect("@an /baocao\nViệc làm theo Bác\nhôm nay\nGiúp đồng nghiệp ốm trực thay\nbỏ qua\n1\n1\n", "Đã lưu báo cáo số 2.")
	h.expect("Hoàn tác\n", "Đã hoàn tác")
	h.expect("@an /baocao\nSáng kiến\nhôm nay\nSố hóa hồ sơ lý lịch tư pháp\nbỏ qua\n1\n1\n", "Đã lưu báo cáo số 3.")
	h.clock.Advance(16 * time.Minute)
	h.expect("@an /hoantac 3\n", "Đã quá 15 phút")
	if acts := h.activities("2026-11"); len(acts) != 1 || acts[0].ID != 3 {
		t.Fatalf("reports after late undo = %+v", acts)
	}
	// Text after a receipt is a new conversation, not an undo.
	h.expect("@an /baocao\nKhác\nhôm nay\nDọn vệ sinh cơ quan\nbỏ qua\n2\nLưu báo cáo\nxin chào\n", "Đã lưu báo cáo số 4.", "Bot chưa hiểu")
}

func TestReportEdit(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.expect("@an /baocao\nTừ thiện, thăm hỏi\nhôm nay\nThăm đồng nghiệp ốm\n1\n1tr5\nbỏ qua\n3\n1\n",
		"Số người được giúp?", "Số tiền trao tặng? Ví dụ 500k", "• Số liệu: 1 người, 1.500.000 đ", "Đã lưu báo cáo số 1.")
	h.expect("@an /suabaocao 1\n", "Báo cáo số 1: Từ thiện, thăm hỏi", "  [1] Nội dung", "  [2] Ngày", "  [3] Số liệu")
	h.expect("Nội dung\nThăm và tặng quà đồng nghiệp ốm nặng\n", "Đã sửa báo cáo.")
	h.expect("@an /suabaocao 1\nSố liệu\n2\n2 triệu\n", "Đã sửa báo cáo.")
	h.expect("@an /suabaocao 1\nNgày\n20/11\n", "Đã sửa báo cáo.")
	a := h.activities("2026-11")[0]
	if a.Description != "Thăm và tặng quà đồng nghiệp ốm nặng" || a.People != 2 || a.Amount != 2_000_000 || a.Date.String() != "2026-11-20" {
		t.Fatalf("edited activity = %+v", a)
	}
	if n := h.auditCount(cd.AuditActivityUpdate); n != 3 {
		t.Fatalf("update audit entries = %d", n)
	}
	// Someone else's report may not be edited; the chair of the unit may.
	h.expect("@binh /suabaocao 1\n", "chỉ sửa được báo cáo của mình")
	h.expect("@chutich /suabaocao 1\nNgày\nhôm qua\n", "Đã sửa báo cáo.")
	h.expect("@an /suabaocao\n", "Gõ /suabaocao kèm số báo cáo")
	h.expect("@an /suabaocao 99\n", "Không tìm thấy báo cáo này")
}

func TestReportBadInput(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /baocao\nTập huấn\n", "Ngày diễn ra")
	for _, c := range []struct{ text, want string }{
		{"30/11/2026", "ở tương lai"},
		{"01/09/2026", "quá hạn báo cáo"},
		{"32/13", "Ngày chưa đúng"},
		{"30/02/2026", "Ngày chưa đúng"},
		{"ngày mai", "Ngày chưa đúng"},
	} {
		h.expect(c.text+"\n", c.want)
	}
	h.expect("20/11\n", "Mô tả ngắn")
	h.expect(strings.Repeat("chữ ", 300)+"\n", "dài quá 1.000 ký tự")
	h.expect("Tập huấn nghiệp vụ công đoàn\n", "Số lớp?")
	for _, c := range []struct{ text, want string }{
		{"-3", "không được âm"},
		{"ba", "Cần một số nguyên"},
		{"1,5", "Cần một số nguyên"},
		{"999999999", "Số quá lớn"},
	} {
		h.expect(c.text+"\n", c.want)
	}
	h.expect("2\n", "Số người dự?")
	h.expect("40\nbỏ qua\n", "Hoạt động này tính cho phong trào nào?")
	h.expect("Không tính cho phong trào nào\n", "• Số liệu: 2 lớp, 40 người")
	h.expect("Hủy\n", "Đã hủy")
	if acts := h.activities("2026-11"); len(acts) != 0 {
		t.Fatalf("stored after bad input and cancel: %+v", acts)
	}
	// Amounts are parsed as money.
	h.expect("@an /baocao\nTừ thiện, thăm hỏi\nhôm nay\nỦng hộ\n0\nabc\n", "Số tiền trao tặng?")
	h.expect("-500k\n", "")
	h.expect("@an /huy\n", "Đã hủy")
	// A pending member cannot report.
	h.register("cuong", "Phạm Văn Cường", "STP")
	h.expect("@cuong /baocao\n", "đang chờ chủ tịch công đoàn cơ sở duyệt")
}

func TestChairReportsForMemberAndUnit(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.addMember("kb", "Đặng Văn Kho", "KBNN", cd.RoleMember, cd.StatusActive)
	h.expect("@chutich /baocao\nCho một đoàn viên (báo cáo hộ)\n", "Báo cáo hộ đoàn viên nào?", "Nguyễn Văn An", "Trần Thị Hoa")
	// A member of another unit cannot be found from here.
	h.expect("Đặng Văn Kho\n", "Không tìm thấy đoàn viên này")
	h.expect("Nguyễn Văn An\nKết nạp đoàn viên\nhôm nay\nGiới thiệu 2 đồng nghiệp vào công đoàn\n2\nbỏ qua\n", "• Của: Nguyễn Văn An", "• Số liệu: 2 người")
	h.expect("Lưu báo cáo\n", "Đã lưu báo cáo số 1.",
		"[bot → @an] Trần Thị Hoa đã báo cáo hộ anh/chị: Kết nạp đoàn viên ngày 25/11/2026 (báo cáo số 1).")
	h.expect("@chutich /baocao\nCho cả đơn vị\nSinh hoạt định kỳ\nhôm nay\nSinh hoạt công đoàn tháng 11\n25\nbỏ qua\n", "• Của: cả đơn vị Sở Tư pháp")
	h.expect("1\n", "Đã lưu báo cáo số 2.")
	acts := h.activities("2026-11")
	chair, an := h.member("chutich"), h.member("an")
	if len(acts) != 2 || acts[0].MemberID != an.ID || acts[0].EnteredBy != chair.ID || acts[1].MemberID != 0 || acts[1].EnteredBy != chair.ID {
		t.Fatalf("activities = %+v", acts)
	}
	h.expect("@chutich /donvi\n", "Sở Tư pháp — tháng 11/2026 (chưa nộp)", "• Sinh hoạt định kỳ: 1 báo cáo, 25 người",
		"• Kết nạp đoàn viên: 1 báo cáo, 2 người", "Đã báo cáo (1): Nguyễn Văn An (1)", "Chưa báo cáo (1): Trần Thị Hoa")
}

func TestMonthLock(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /baocao\nKhác\nhôm nay\nTrực cơ quan ngày lễ\nbỏ qua\n2\nLưu báo cáo\n", "Đã lưu báo cáo số 1.")
	h.expect("@chutich /nopbaocao\n", "Báo cáo tháng 11/2026 của Sở Tư pháp — chưa nộp", "• Khác: 1 báo cáo",
		"#1 25/11 Khác: Trực cơ quan ngày lễ — Nguyễn Văn An", "Hạn nộp: 25/11/2026")
	h.expect("Nộp báo cáo tháng\n", "Đã nộp báo cáo tháng 11/2026 của Sở Tư pháp.")
	out := h.run("@chutich /nopbaocao\n")
	if !strings.Contains(out, "đã nộp lúc 25/11/2026 09:30") || strings.Contains(out, "Nộp báo cáo tháng") || strings.Contains(out, "nộp muộn") {
		t.Fatalf("after submission:\n%s", out)
	}
	// The month is locked for new reports, edits and undo.
	h.expect("@an /baocao\nKhác\nhôm nay\n", "đã nộp nên đã khóa")
	h.expect("@an /huy\n@an /suabaocao 1\n", "đã nộp nên đã khóa")
	h.expect("@an /hoantac 1\n", "đã nộp nên đã khóa")
	// Reports dated in the month before are not locked by it.
	h.expect("@an /baocao\nKhác\n31/10\nHọp tổ công đoàn\nbỏ qua\n2\nLưu báo cáo\n", "Đã lưu báo cáo số 2.")
	// Only a province admin unlocks; the chair is told.
	h.expect("@chutich /mokhoa STP 11/2026\n", "không có quyền")
	h.expect("@tinh /mokhoa STP 11/2026\n", "Đã mở khóa báo cáo tháng 11/2026 của Sở Tư pháp",
		"[bot → @chutich] Công đoàn tỉnh đã mở khóa báo cáo tháng 11/2026")
	h.expect("@tinh /mokhoa STP 11/2026\n", "chưa nộp hoặc đang mở khóa")
	h.expect("@an /suabaocao 1\nNội dung\nTrực cơ quan dịp 20/11\n", "Đã sửa báo cáo.")
	// Submitted again after the deadline day: late.
	h.clock.Advance(2 * 24 * time.Hour)
	h.expect("@chutich /nopbaocao 11/2026\n1\n", "Lưu ý: nộp sau hạn 25/11/2026.")
	h.expect("@chutich /nopbaocao 11/2026\n", "(nộp muộn)")
	if n := h.auditCount(cd.AuditReportSubmit); n != 2 {
		t.Fatalf("submit audit entries = %d", n)
	}
	h.expect("@chutich /nopbaocao 13/2026\n", "Tháng không hợp lệ")
	h.expect("@tinh /mokhoa\n", "Gõ /mokhoa kèm mã đơn vị")
}

func TestCampaignProgressAndScoreboard(t *testing.T) {
	h := newHarness(t, func(c *bot.Config) { c.FloodPerMinute = 1000 })
	h.addMember("kb", "Đặng Văn Kho", "KBNN", cd.RoleChair, cd.StatusActive)
	// Create a campaign through the chat: two kinds with targets.
	h.expect("@tinh /phongtrao\n", "Phong trào thi đua", "Lao động giỏi, Lao động sáng tạo", "Tạo phong trào mới")
	h.expect("Tạo phong trào mới\nXuân tình nguyện 2026\nbỏ qua\n01/11/2026\n01/10/2026\n", "Ngày kết thúc phải sau ngày bắt đầu")
	h.expect("31/12/2026\nHiến máu\nSáng kiến\n", "✓ Sáng kiến", "✓ Hiến máu")
	h.expect("Xong\n", "Chỉ tiêu «Sáng kiến» cho mỗi công đoàn cơ sở (tính bằng báo cáo)")
	h.expect("4\n", "Chỉ tiêu «Hiến máu» cho mỗi công đoàn cơ sở (tính bằng đơn vị máu)")
	h.expect("10\n", "• Tên: Xuân tình nguyện 2026", "• Thời gian: 01/11/2026 – 31/12/2026",
		"– Sáng kiến: chỉ tiêu 4 báo cáo mỗi CĐCS", "– Hiến máu: chỉ tiêu 10 đơn vị máu mỗi CĐCS")
	h.expect("Tạo phong trào\n", "Đã tạo phong trào «Xuân tình nguyện 2026» (số 4)")

	// STP: 2 initiatives (50%) and 10 units of blood (100%) → 75%.
	// KBNN: 1 initiative (25%), 3 units (30%) → 27.5% (rounds to 28%).
	report := func(user, kind, figures string) {
		h.expect("@"+user+" /baocao\n1\n"+kind+"\nhôm nay\nHoạt động thi đua\n"+figures+"bỏ qua\nXuân tình nguyện 2026\nLưu báo cáo\n", "Đã lưu báo cáo")
	}
	report("chutich", "Sáng kiến", "")
	report("chutich", "Sáng kiến", "")
	report("chutich", "Hiến máu", "6\n")
	report("chutich", "Hiến máu", "4\n")
	report("kb", "Sáng kiến", "")
	report("kb", "Hiến máu", "3\n")
	// A report not counted towards the campaign does not count.
	h.expect("@kb /baocao\n1\nSáng kiến\nhôm nay\nKhông tính\nbỏ qua\nKhông tính cho phong trào nào\nLưu báo cáo\n", "Đã lưu báo cáo")

	h.expect("@tinh /phongtrao\nXuân tình nguyện 2026\n",
		"Bảng thi đua «Xuân tình nguyện 2026» (01/11/2026 – 31/12/2026):",
		"1. Sở Tư pháp (STP): 75% chỉ tiêu, 4 báo cáo",
		"2. Kho bạc Nhà nước tỉnh (KBNN): 28% chỉ tiêu, 2 báo cáo",
		"3. Cục Thuế tỉnh (CT): 0% chỉ tiêu, 0 báo cáo",
		"Tổng toàn tỉnh:", "• Sáng kiến: 3 báo cáo", "• Hiến máu: 13 đơn vị máu")
	h.expect("@chutich /phongtrao\n", "«Xuân tình nguyện 2026» (01/11/2026 – 31/12/2026) — Sở Tư pháp:",
		"• Sáng kiến: 2/4 báo cáo (50%)", "• Hiến máu: 10/10 đơn vị máu (100%)")
}

func TestUnitTargetOverride(t *testing.T) {
	h := newHarness(t)
	// The demo's "Lao động giỏi, Lao động sáng tạo" asks 10 initiatives of
	// every CĐCS; Sở Tư pháp gets 4 of its own.
	h.expect("@tinh /phongtrao\nLao động giỏi, Lao động sáng tạo\n", "Bảng thi đua", "  [1] Đặt chỉ tiêu riêng cho một đơn vị")
	h.expect("1\nSTP\n", "Chỉ tiêu riêng của Sở Tư pháp cho loại hoạt động nào?", "  [1] Sáng kiến")
	h.expect("Sáng kiến\n0\n", "không được âm")
	h.expect("4\n", "Đã đặt chỉ tiêu riêng của Sở Tư pháp trong «Lao động giỏi, Lao động sáng tạo»: Sáng kiến 4 báo cáo")
	h.expect("@chutich /baocao\n1\nSáng kiến\nhôm nay\nMột sáng kiến\nbỏ qua\n1\nLưu báo cáo\n", "Đã lưu báo cáo")
	h.expect("@chutich /phongtrao\n", "• Sáng kiến: 1/4 báo cáo (25%)")
	// Other units keep the common target.
	h.addMember("kb", "Đặng Văn Kho", "KBNN", "chair", "active")
	h.expect("@kb /phongtrao\n", "• Sáng kiến: 0/10 báo cáo (0%)")
	// Any other answer after the scoreboard is a new conversation.
	h.expect("@tinh /phongtrao\n1\n/trogiup\n", "Các lệnh anh/chị dùng được")
}
