package bot_test

import (
	"context"
	"strings"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// TestMonthlySummaryNumbers checks the summary against reports and
// pledges made through the chat, counted by hand.
func TestMonthlySummaryNumbers(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.addMember("kb", "Đặng Văn Kho", "KBNN", cd.RoleChair, cd.StatusActive)
	report := func(user, script string) {
		t.Helper()
		h.expect("@"+user+" /baocao\n"+script, "Đã lưu báo cáo")
	}
	report("an", "Hiến máu\nhôm nay\nHiến máu đợt 2\n2\nbỏ qua\n2\nLưu báo cáo\n")
	report("an", "Từ thiện, thăm hỏi\nhôm qua\nThăm đồng nghiệp\n1\n500k\nbỏ qua\n3\nLưu báo cáo\n")
	report("binh", "Hiến máu\nhôm nay\nHiến máu tình nguyện\n1\nbỏ qua\n2\nLưu báo cáo\n")
	report("kb", "1\nSáng kiến\nhôm nay\nSố hóa chứng từ\nbỏ qua\n2\nLưu báo cáo\n")
	h.expect("@chutich /nopbaocao\n1\n", "Đã nộp báo cáo tháng 11/2026")
	h.expect("@an /ungho\n1\n2tr\n1\n1\n1\n", "Đã ghi nhận đăng ký ủng hộ")

	var s *cd.ProvinceSummary
	err := h.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		s, err = h.bot.Summary(tx, cd.Month{Year: 2026, Month: 11}, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Totals["hien_mau"]; got.Count != 2 || got.Quantity != 3 {
		t.Fatalf("blood: %+v, want 2 reports, 3 units", got)
	}
	if got := s.Totals["tu_thien"]; got.Count != 1 || got.Amount != 500_000 || got.People != 1 {
		t.Fatalf("charity: %+v", got)
	}
	byCode := map[string]cd.UnitMonth{}
	for _, u := range s.Units {
		byCode[u.Unit.Code] = u
	}
	stp, kb := byCode["STP"], byCode["KBNN"]
	if stp.Rank != 1 || stp.Reports != 3 || stp.Reporters != 2 || stp.ActiveMembers != 3 || stp.NewMembers != 3 || stp.Report == nil {
		t.Fatalf("STP: rank %d, %d reports, %d reporters, %d active, %d new, report %v", stp.Rank, stp.Reports, stp.Reporters,
			stp.ActiveMembers, stp.NewMembers, stp.Report)
	}
	if kb.Rank != 2 || kb.Reports != 1 || kb.Report != nil {
		t.Fatalf("KBNN: %+v", kb)
	}
	var home cd.FundSummary
	for _, f := range s.Funds {
		if f.Fund.Name == "Mái ấm Công đoàn" {
			home = f
		}
	}
	if home.Pledged != 2_000_000 || home.Paid != 0 || home.Donors != 1 {
		t.Fatalf("fund: %+v", home)
	}
	// The chair's summary in chat says who did not report.
	h.expect("@chutich /tonghop\n", "Tổng hợp tháng 11/2026 của Sở Tư pháp:", "• Hiến máu: 2 báo cáo, 3 đơn vị máu",
		"• Đoàn viên: 3 đang sinh hoạt, 3 kết nạp mới trong tháng; 2 người đã báo cáo.", "• Chưa báo cáo (1): Trần Thị Hoa.",
		"• Mái ấm Công đoàn: 2.000.000 đ / 0 đ, 1 người ủng hộ", "Báo cáo tháng: đã nộp lúc 25/11/2026 09:30.")
	out := h.expect("@tinh /tonghop 11/2026\n", "Tổng hợp tháng 11/2026 toàn", "1. Sở Tư pháp (STP): 3 báo cáo, 2/3 đoàn viên đã báo cáo",
		"2. Kho bạc Nhà nước tỉnh (KBNN): 1 báo cáo, 1/1 đoàn viên đã báo cáo", "bao-cao-thang-202611.xlsx", "bieu-do-thang-202611.png")
	if !strings.Contains(out, "Chưa nộp (hạn 25/11/2026) (5): KBNN, CT, SCT, VKS, VPTU.") {
		t.Fatalf("submission line:\n%s", out)
	}
}
