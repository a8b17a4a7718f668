package bot_test

import (
	"bytes"
	"context"
	"image"
	_ "image/png" // registers the PNG decoder
	"strings"
	"sync"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/console"
	"github.com/congdoanbot/congdoanbot/bot/outbox"
	"github.com/congdoanbot/congdoanbot/storage"
)

// The demo funds, as SeedDemo numbers them: 1 has a Vietcombank account,
// 2 takes cash only, 3 has a VietinBank account.
const (
	fundHouse   = "Mái ấm Công đoàn"
	fundSavings = "Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn"
	fundCharity = "Quỹ xã hội từ thiện"
)

// fileCatcher delivers like the console printer and keeps every message
// that carries a file, for the tests to look inside.
type fileCatcher struct {
	next outbox.Deliverer
	mu   sync.Mutex
	msgs []cd.Message
}

func (c *fileCatcher) Deliver(ctx context.Context, it cd.OutboxItem) error {
	if it.Message.File != nil {
		c.mu.Lock()
		c.msgs = append(c.msgs, it.Message)
		c.mu.Unlock()
	}
	return c.next.Deliver(ctx, it)
}

func (c *fileCatcher) last(t *testing.T) cd.Message {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.msgs) == 0 {
		t.Fatal("no message with a file was sent")
	}
	return c.msgs[len(c.msgs)-1]
}

func (c *fileCatcher) count() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.msgs) }

// catchFiles routes the harness's deliveries through a fileCatcher.
func (h *harness) catchFiles() *fileCatcher {
	c := &fileCatcher{next: console.NewPrinter(h.out)}
	h.sender = outbox.NewSender(cd.PlatformConsole, h.db, c, outbox.SenderConfig{Now: h.clock.Now, Workers: 1})
	h.sess.Drainer = h.sender
	return c
}

// pledges returns every stored pledge, withdrawn ones included.
func (h *harness) pledges() []cd.Pledge {
	h.t.Helper()
	var out []cd.Pledge
	if err := h.db.ExportPledges(context.Background(), storage.PledgeFilter{}, func(p cd.Pledge) error {
		out = append(out, p)
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// pledge has a member pledge to a fund (by its number in the list) with
// the answers typed as given.
func (h *harness) pledge(user, fund, amount, due, publicity string) {
	h.t.Helper()
	h.expect("@"+user+" /ungho\n"+fund+"\n"+amount+"\n"+due+"\n"+publicity+"\nLưu đăng ký\n", "Đã ghi nhận đăng ký ủng hộ số")
}

// checkQR checks that a message carries a VietQR image that decodes as a
// PNG with a real picture in it, and the payload as text.
func checkQR(t *testing.T, msg cd.Message, name, payload string) {
	t.Helper()
	f := msg.File
	if f.Name != name || f.MIME != "image/png" {
		t.Fatalf("file = %s %s, want %s image/png", f.Name, f.MIME, name)
	}
	img, format, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil || format != "png" {
		t.Fatalf("QR image does not decode as PNG: %s, %v", format, err)
	}
	b := img.Bounds()
	if b.Dx() < 256 || b.Dy() < 256 || b.Dx() != b.Dy() {
		t.Fatalf("QR image is %dx%d", b.Dx(), b.Dy())
	}
	var dark, light int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				dark++
			} else {
				light++
			}
		}
	}
	if total := dark + light; dark < total/10 || light < total/10 {
		t.Fatalf("QR image is nearly blank: %d dark, %d light", dark, light)
	}
	if !strings.Contains(msg.Text, payload) {
		t.Fatalf("message text lacks the payload %s:\n%s", payload, msg.Text)
	}
}

func TestPledgeWithQR(t *testing.T) {
	h := newHarness(t)
	files := h.catchFiles()
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /ungho\n", "Anh/chị muốn ủng hộ quỹ nào?", "[1] "+fundHouse, "[2] "+fundSavings, "[3] "+fundCharity)
	h.expect("1\n", "Số tiền anh/chị ủng hộ quỹ «Mái ấm Công đoàn»?", "từ 1.000 đ đến 1.000.000.000 đ")
	h.expect("1tr5\n", "Số tiền: 1.500.000 đ (một triệu năm trăm nghìn đồng).", "hẹn nộp", "[1] Không hẹn ngày", "[2] Cuối tháng này (30/11)")
	h.expect("2\n", "công khai", "[1] Hiện tên tôi", "[2] Ẩn danh")
	h.expect("1\n", "• Quỹ: Mái ấm Công đoàn", "• Số tiền: 1.500.000 đ (một triệu năm trăm nghìn đồng)", "• Hạn nộp: 30/11/2026",
		"• Công khai: hiện tên", "[1] Lưu đăng ký", "[2] Hủy")
	h.expect("Lưu đăng ký\n", "Đã ghi nhận đăng ký ủng hộ số 1 (UH 1): 1.500.000 đ (một triệu năm trăm nghìn đồng) cho quỹ «Mái ấm Công đoàn». Hạn nộp: 30/11/2026.",
		"• Ngân hàng: Vietcombank", "• Số tài khoản: 1234567890", "• Nội dung chuyển khoản: UH 1", "00020101021238", "[tệp] vietqr-UH1.png")
	payload, err := cd.VietQRPayload("970436", "1234567890", 1_500_000, "UH 1")
	if err != nil {
		t.Fatal(err)
	}
	checkQR(t, files.last(t), "vietqr-UH1.png", payload)
	ps := h.pledges()
	an := h.member("an")
	if len(ps) != 1 || ps[0].Amount != 1_500_000 || ps[0].MemberID != an.ID || ps[0].UnitCode != "STP" || ps[0].Anonymous ||
		ps[0].DueDate.String() != "2026-11-30" || ps[0].Status != cd.PledgePledged || ps[0].FundName != fundHouse {
		t.Fatalf("pledges = %+v", ps)
	}
	if n := h.auditCount(cd.AuditPledgeCreate); n != 1 {
		t.Fatalf("pledge audit entries = %d", n)
	}

	// A fund without a bank account: cash to the chair, no QR code.
	before := files.count()
	out := h.expect("@an /ungho\n2\n500 nghìn\n31/12\nẨn danh\n", "Số tiền: 500.000 đ (năm trăm nghìn đồng).", "• Hạn nộp: 31/12/2026",
		"• Công khai: ẩn danh")
	h.expect("1\n", "Đã ghi nhận đăng ký ủng hộ số 2 (UH 2): 500.000 đ (năm trăm nghìn đồng) cho quỹ «Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn».",
		"nộp tiền mặt cho chủ tịch công đoàn cơ sở")
	h.refuse(out, "[tệp]")
	if files.count() != before {
		t.Fatal("a QR code was sent for a fund without a bank account")
	}
	// A fund whose name says "quỹ" is not called "quỹ «Quỹ …»".
	h.expect("@an /ungho\n3\n200k\nKhông hẹn ngày\n1\n1\n", "200.000 đ (hai trăm nghìn đồng) cho «Quỹ xã hội từ thiện».", "• Ngân hàng: VietinBank", "[tệp] vietqr-UH3.png")
}

func TestPledgeBadInput(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /ungho\n1\n", "Số tiền anh/chị ủng hộ")
	for _, c := range []struct{ text, want string }{
		{"abc", "Bot chưa đọc được số tiền này"},
		{"1tr5tr", "Bot chưa đọc được số tiền này"},
		{"-500k", "Số tiền không được âm"},
		{"0", "Số tiền phải lớn hơn 0"},
		{"99999999999999999999", "Số tiền quá lớn (tối đa 1.000.000.000 đ)"},
		{"2 tỷ", "Số tiền quá lớn (tối đa 1.000.000.000 đ)"},
		{"500", "Số tiền quá nhỏ (tối thiểu 1.000 đ)"},
		{"1,5", "Số tiền chưa rõ"},
		{"1.000.000,5", "số đồng chẵn"},
		// A typed number is an amount, never a numbered choice.
		{"2", "Số tiền quá nhỏ (tối thiểu 1.000 đ)"},
	} {
		out := h.expect(c.text+"\n", c.want)
		h.refuse(out, "Số tiền: ")
	}
	h.expect("500k\n", "Số tiền: 500.000 đ (năm trăm nghìn đồng).")
	for _, c := range []struct{ text, want string }{
		{"20/11", "Ngày hẹn nộp đã qua"},
		{"24/11/2026", "Ngày hẹn nộp đã qua"},
		{"hôm qua", "Ngày hẹn nộp đã qua"},
		{"31/02", "Ngày chưa đúng"},
		{"mai kia", "Ngày chưa đúng"},
	} {
		h.expect(c.text+"\n", c.want)
	}
	h.expect("hôm nay\n", "Hiện tên tôi")
	h.expect("/huy\n", "Đã hủy")
	if ps := h.pledges(); len(ps) != 0 {
		t.Fatalf("stored after bad input: %+v", ps)
	}

	// A fund closed while the member was pledging takes nothing.
	h.expect("@an /ungho\n1\n1tr\n1\n1\n", "Lưu đăng ký?")
	h.expect("@tinh /quy\n1\nĐóng quỹ\nĐóng quỹ\n", "Đã đóng «Mái ấm Công đoàn»")
	h.expect("@an Lưu đăng ký\n", "Quỹ này đã đóng, không nhận đăng ký ủng hộ mới.")
	if ps := h.pledges(); len(ps) != 0 {
		t.Fatalf("pledge to a closed fund stored: %+v", ps)
	}
	// Nor is it offered any more.
	out := h.expect("@an /ungho\n", "[1] "+fundSavings, "[2] "+fundCharity)
	h.refuse(out, fundHouse)
	h.expect("@an /huy\n", "Đã hủy")

	// Configured bounds are the ones named.
	h2 := newHarness(t, func(c *bot.Config) { c.MoneyMin, c.MoneyMax = 10_000, 5_000_000 })
	h2.registerActive("an", "Nguyễn Văn An")
	h2.expect("@an /ungho\n1\n", "(từ 10.000 đ đến 5.000.000 đ)")
	h2.expect("5k\n", "Số tiền quá nhỏ (tối thiểu 10.000 đ)")
	h2.expect("6tr\n", "Số tiền quá lớn (tối đa 5.000.000 đ)")
	h2.expect("5tr\n", "Số tiền: 5.000.000 đ (năm triệu đồng).")
}

func TestAnonymousPledgeAndTransparency(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.addMember("kb", "Đặng Văn Kho", "KBNN", cd.RoleMember, cd.StatusActive)
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)
	h.pledge("an", "1", "1tr5", "Không hẹn ngày", "Hiện tên tôi")
	h.pledge("binh", "1", "2 triệu", "Không hẹn ngày", "Ẩn danh")
	h.pledge("kb", "1", "3.000.000đ", "Không hẹn ngày", "Hiện tên tôi")
	h.pledge("an", "2", "700k", "Không hẹn ngày", "Hiện tên tôi")

	// Hand-computed: fund 1 has 1.500.000 + 2.000.000 + 3.000.000 =
	// 6.500.000 đ pledged by 3 people, 2% of 300.000.000 đ; STP has
	// 3.500.000 đ from 2 people, KBNN 3.000.000 đ from 1.
	totals := []string{"«Mái ấm Công đoàn» (01/01/2026 – 31/12/2026)", "• Đã đăng ký: 6.500.000 đ — 3 người ủng hộ", "• Đã nộp: 0 đ",
		"• Mục tiêu: 300.000.000 đ — đã nộp đạt 0%, đã đăng ký đạt 2%",
		"– Kho bạc Nhà nước tỉnh: đăng ký 3.000.000 đ, đã nộp 0 đ (1 người)",
		"– Sở Tư pháp: đăng ký 3.500.000 đ, đã nộp 0 đ (2 người)",
		"«Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn»", "• Đã đăng ký: 700.000 đ — 1 người ủng hộ"}
	h.expect("@kb /quy\n", totals...)
	// Another member sees «Ẩn danh», without a unit.
	for _, user := range []string{"an", "kb", "chairkb"} {
		out := h.expect("@"+user+" /quy\n1\n", "Danh sách ủng hộ:", "• Đặng Văn Kho (KBNN): 3.000.000 đ — chưa nộp",
			"• Nguyễn Văn An (STP): 1.500.000 đ — chưa nộp", "• Ẩn danh: 2.000.000 đ — chưa nộp")
		h.refuse(out, "Lê Thị Bình", "Ẩn danh (STP)")
	}
	// Her chair, the province and she herself see her name, marked.
	for _, user := range []string{"chutich", "tinh", "binh"} {
		h.expect("@"+user+" /quy\n1\n", "• Lê Thị Bình (ẩn danh) (STP): 2.000.000 đ — chưa nộp")
		h.run("@" + user + " /huy\n")
	}

	// The chair confirms a partial payment, then the rest; An is told each time.
	h.expect("@chutich /xacnhan\n", "Đăng ký ủng hộ chờ nộp tiền của Sở Tư pháp (3):",
		"• UH 1 Nguyễn Văn An — Mái ấm Công đoàn: chưa nộp, còn 1.500.000 đ",
		"• UH 2 Lê Thị Bình (ẩn danh) — Mái ấm Công đoàn", "• UH 4 Nguyễn Văn An — Tiết kiệm",
		"[1] Nguyễn Văn An: còn 1.500.000 đ (UH 1)", "[2] Lê Thị Bình (ẩn danh): còn 2.000.000 đ (UH 2)")
	h.expect("1\n", "Đăng ký UH 1 của Nguyễn Văn An", "• Còn phải nộp: 1.500.000 đ", "[1] Nộp đủ số còn lại: 1.500.000 đ", "[2] Nộp một phần")
	h.expect("2\n", "Số tiền đoàn viên đã nộp?", "(tối đa 1.500.000 đ)")
	h.expect("2tr\n", "lớn hơn số còn phải nộp (1.500.000 đ)")
	h.expect("500k\n", "Số tiền: 500.000 đ (năm trăm nghìn đồng).", "[1] Hôm nay (25/11)", "[2] Hôm qua (24/11)")
	h.expect("26/11/2026\n", "ở tương lai")
	h.expect("Hôm nay\n", "Ghi nhận khoản nộp?", "• Số tiền nộp: 500.000 đ (năm trăm nghìn đồng)", "• Ngày nộp: 25/11/2026",
		"• Sau khi ghi: đã nộp 500.000 đ trên 1.500.000 đ, còn 1.000.000 đ")
	h.expect("Ghi nhận\n", "Đã ghi nhận Nguyễn Văn An nộp 500.000 đ ngày 25/11/2026 cho đăng ký UH 1",
		"[bot → @an] Trần Thị Hoa đã xác nhận anh/chị nộp 500.000 đ (năm trăm nghìn đồng) ngày 25/11/2026 cho quỹ «Mái ấm Công đoàn» (đăng ký UH 1). Tình hình: đã nộp 500.000 đ trên 1.500.000 đ, còn 1.000.000 đ.")
	h.expect("@chutich /xacnhan UH 1\n", "• Đã nộp: 500.000 đ", "[1] Nộp đủ số còn lại: 1.000.000 đ")
	h.expect("1\n", "Số tiền: 1.000.000 đ (một triệu đồng).")
	h.expect("Hôm qua\nGhi nhận\n", "cho đăng ký UH 1: đã nộp đủ 1.500.000 đ.", "[bot → @an] Trần Thị Hoa đã xác nhận anh/chị nộp 1.000.000 đ (một triệu đồng) ngày 24/11/2026",
		"Anh/chị đã nộp đủ 1.500.000 đ. Cảm ơn anh/chị đã ủng hộ!")
	h.expect("@chutich /xacnhan UH 1\n", "Đăng ký này đã nộp đủ.")
	// Binh pays 2.000.000 in full by the province.
	h.expect("@tinh /xacnhan STP\n", "Đăng ký ủng hộ chờ nộp tiền của Sở Tư pháp (2):")
	h.expect("UH 2\n1\n1\n1\n", "Đã ghi nhận Lê Thị Bình nộp 2.000.000 đ", "[bot → @binh] Nguyễn Văn Tỉnh đã xác nhận")

	// Paid 1.500.000 + 2.000.000 = 3.500.000 đ of 300.000.000 đ: 1%.
	h.expect("@kb /quy\n", "• Đã đăng ký: 6.500.000 đ — 3 người ủng hộ", "• Đã nộp: 3.500.000 đ",
		"đã nộp đạt 1%, đã đăng ký đạt 2%", "– Sở Tư pháp: đăng ký 3.500.000 đ, đã nộp 3.500.000 đ (2 người)")
	h.expect("1\n", "• Nguyễn Văn An (STP): 1.500.000 đ — đã nộp đủ", "• Ẩn danh: 2.000.000 đ — đã nộp đủ")
	ps := h.pledges()
	if ps[0].Paid != 1_500_000 || ps[0].Status != cd.PledgePaid || ps[1].Paid != 2_000_000 || ps[2].Paid != 0 {
		t.Fatalf("pledges = %+v", ps)
	}
	if n := h.auditCount(cd.AuditPaymentRecord); n != 3 {
		t.Fatalf("payment audit entries = %d", n)
	}
}

func TestPaymentCorrection(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.pledge("an", "1", "1tr5", "Không hẹn ngày", "Hiện tên tôi")
	h.expect("@chutich /xacnhan UH 1\n2\n500k\n1\n1\n", "Đã ghi nhận Nguyễn Văn An nộp 500.000 đ")
	h.expect("@chutich /xacnhan UH 1\n2\n600k\n2\n1\n", "Đã ghi nhận Nguyễn Văn An nộp 600.000 đ")

	h.expect("@chutich /xacnhan\n", "[1] Nguyễn Văn An: còn 400.000 đ (UH 1)", "[2] Sửa một khoản nộp đã ghi")
	h.expect("2\n", "Chọn khoản nộp cần sửa", "[1] UH 1 Nguyễn Văn An: 600.000 đ, 24/11", "[2] UH 1 Nguyễn Văn An: 500.000 đ, 25/11")
	h.expect("2\n", "Khoản nộp 500.000 đ ngày 25/11/2026 của Nguyễn Văn An", "[1] Sửa số tiền, ngày nộp", "[2] Hủy khoản nộp này (ghi nhầm)")
	h.expect("1\n", "Số tiền đúng của khoản nộp này? (đang ghi 500.000 đ; tối đa 900.000 đ)")
	h.expect("1 triệu\n", "lớn hơn số còn phải nộp (900.000 đ)")
	h.expect("300k\n", "Số tiền: 300.000 đ (ba trăm nghìn đồng).", "[1] Giữ ngày cũ (25/11)")
	h.expect("Giữ ngày cũ\n", "• Trước: 500.000 đ, ngày 25/11/2026", "• Sau: 300.000 đ (ba trăm nghìn đồng), ngày 25/11/2026",
		"• Sau khi sửa: đã nộp 900.000 đ trên 1.500.000 đ, còn 600.000 đ")
	h.expect("Lưu sửa đổi\n", "Đã sửa khoản nộp: 500.000 đ ngày 25/11/2026 → 300.000 đ ngày 25/11/2026 của Nguyễn Văn An (UH 1)",
		"[bot → @an] Trần Thị Hoa đã sửa khoản nộp của anh/chị từ 500.000 đ ngày 25/11/2026 thành 300.000 đ ngày 25/11/2026",
		"Tình hình: đã nộp 900.000 đ trên 1.500.000 đ, còn 600.000 đ.")
	// Cancel the 600.000 recorded by mistake.
	h.expect("@chutich /xacnhan\n2\n", "[1] UH 1 Nguyễn Văn An: 300.000 đ, 25/11", "[2] UH 1 Nguyễn Văn An: 600.000 đ, 24/11")
	h.expect("2\n2\n", "Hủy khoản nộp 600.000 đ ngày 24/11/2026 của Nguyễn Văn An (UH 1)? Sau khi hủy: đã nộp 300.000 đ trên 1.500.000 đ, còn 1.200.000 đ.")
	h.expect("1\n", "Đã hủy khoản nộp 600.000 đ ngày 24/11/2026", "[bot → @an] Trần Thị Hoa đã hủy khoản nộp 600.000 đ ngày 24/11/2026 (ghi nhầm)")
	ps := h.pledges()
	if len(ps) != 1 || ps[0].Paid != 300_000 || ps[0].Status != cd.PledgePartial {
		t.Fatalf("pledge after corrections = %+v", ps)
	}
	if h.auditCount(cd.AuditPaymentCorrect) != 1 || h.auditCount(cd.AuditPaymentCancel) != 1 || h.auditCount(cd.AuditPaymentRecord) != 2 {
		t.Fatalf("audit: correct %d, cancel %d, record %d", h.auditCount(cd.AuditPaymentCorrect), h.auditCount(cd.AuditPaymentCancel),
			h.auditCount(cd.AuditPaymentRecord))
	}
	// The member cannot withdraw a pledge with payments any more.
	out := h.expect("@an /ungho UH 1\n", "Tình hình: đã nộp 300.000 đ trên 1.500.000 đ", "không đổi số tiền hay rút được nữa", "[1] Mã QR chuyển khoản")
	h.refuse(out, "Rút đăng ký", "Đổi số tiền")
}

func TestPledgeChangeAndWithdraw(t *testing.T) {
	h := newHarness(t)
	files := h.catchFiles()
	h.registerActive("an", "Nguyễn Văn An")
	h.registerActive("binh", "Lê Thị Bình")
	h.pledge("an", "1", "1tr", "Không hẹn ngày", "Hiện tên tôi")
	h.expect("@an /ungho\n", "[4] Đăng ký của tôi (đổi, rút, mã QR)")
	h.expect("4\n", "[1] UH 1 — Mái ấm Công đoàn: 1.000.000 đ (chưa nộp)")
	h.expect("1\n", "Đăng ký số 1 (UH 1) — quỹ «Mái ấm Công đoàn»", "• Số tiền: 1.000.000 đ (một triệu đồng)",
		"[1] Đổi số tiền", "[2] Rút đăng ký", "[3] Mã QR chuyển khoản")
	h.expect("Đổi số tiền\n", "Số tiền mới cho đăng ký UH 1 (đang là 1.000.000 đ)?")
	h.expect("abc\n", "Bot chưa đọc được số tiền này")
	h.expect("2 triệu\n", "Đổi số tiền đăng ký UH 1 (quỹ «Mái ấm Công đoàn») từ 1.000.000 đ thành 2.000.000 đ (hai triệu đồng)?")
	h.expect("Lưu số tiền mới\n", "Đã đổi số tiền đăng ký UH 1 thành 2.000.000 đ (hai triệu đồng).", "Cách nộp: chuyển khoản 2.000.000 đ", "[tệp] vietqr-UH1.png")
	payload, _ := cd.VietQRPayload("970436", "1234567890", 2_000_000, "UH 1")
	checkQR(t, files.last(t), "vietqr-UH1.png", payload)
	h.expect("@an /ungho UH 1\nMã QR chuyển khoản\n", "[tệp] vietqr-UH1.png")
	checkQR(t, files.last(t), "vietqr-UH1.png", payload)

	// Someone else's pledge is not theirs to see or change.
	h.expect("@binh /ungho UH 1\n", "Đây không phải đăng ký ủng hộ của anh/chị.")
	h.expect("@an /ungho 1\nRút đăng ký\n", "Rút đăng ký UH 1: 2.000.000 đ cho quỹ «Mái ấm Công đoàn»?", "[1] Rút đăng ký", "[2] Giữ đăng ký")
	h.expect("Giữ đăng ký\n", "Đã hủy")
	h.expect("@an /ungho 1\nRút đăng ký\nRút đăng ký\n", "Đã rút đăng ký UH 1 (2.000.000 đ cho quỹ «Mái ấm Công đoàn»)")
	ps := h.pledges()
	if len(ps) != 1 || ps[0].Status != cd.PledgeWithdrawn || ps[0].Amount != 2_000_000 {
		t.Fatalf("pledges = %+v", ps)
	}
	if h.auditCount(cd.AuditPledgeChange) != 1 || h.auditCount(cd.AuditPledgeWithdraw) != 1 {
		t.Fatal("change or withdrawal not audited")
	}
	// A withdrawn pledge counts nowhere, and is not offered to confirm.
	h.expect("@an /quy\n", "«Mái ấm Công đoàn» (01/01/2026 – 31/12/2026)\n• Chưa có ai đăng ký ủng hộ.")
	h.expect("@chutich /xacnhan\n", "Sở Tư pháp chưa có đăng ký ủng hộ nào chờ nộp tiền.")
	h.expect("@chutich /xacnhan UH 1\n", "Đăng ký này đã được rút.")
	h.expect("@an /ungho 1\n", "• Trạng thái: đã rút")
}

func TestOwnPaymentAndUnitsOfConfirmation(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.addMember("deputy", "Phó Chủ Tịch", "STP", cd.RoleDeputy, cd.StatusActive)
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)
	h.pledge("chutich", "1", "200k", "Không hẹn ngày", "Hiện tên tôi") // UH 1, the chair's own
	h.pledge("an", "1", "300k", "Không hẹn ngày", "Hiện tên tôi")      // UH 2
	denied := h.auditCount(cd.AuditDenied)
	h.expect("@chutich /xacnhan UH 1\n", "không tự xác nhận khoản ủng hộ của chính mình")
	h.expect("@chutich /xacnhan\n1\n", "không tự xác nhận khoản ủng hộ của chính mình")
	h.expect("@tinh /xacnhan STP\n1\n1\n1\n1\n", "Đã ghi nhận Trần Thị Hoa nộp 200.000 đ")
	if n := h.auditCount(cd.AuditDenied); n != denied+2 {
		t.Fatalf("denied audit entries = %d, want %d", n, denied+2)
	}
	// The chair of another unit may not, neither by number nor by code.
	h.expect("@chairkb /xacnhan UH 2\n", "không có quyền")
	h.expect("@chairkb /xacnhan STP\n", "không có quyền")
	h.expect("@chairkb /xacnhan\n", "Kho bạc Nhà nước tỉnh chưa có đăng ký ủng hộ nào chờ nộp tiền.")
	// The deputy of the unit may.
	h.expect("@deputy /xacnhan UH 2\n1\n1\n1\n", "Đã ghi nhận Nguyễn Văn An nộp 300.000 đ", "[bot → @an] Phó Chủ Tịch đã xác nhận")
	for _, p := range h.pledges() {
		if p.Status != cd.PledgePaid {
			t.Fatalf("pledge = %+v", p)
		}
	}
	// A province admin who pledged cannot confirm it either.
	h.pledge("tinh", "1", "1tr", "Không hẹn ngày", "Hiện tên tôi")
	h.expect("@tinh /xacnhan UH 3\n", "không tự xác nhận khoản ủng hộ của chính mình")
}

func TestFundAdmin(t *testing.T) {
	h := newHarness(t)
	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@tinh /quy\n", "[1] "+fundHouse, "[4] Tạo quỹ mới")
	h.expect("4\n", "Tên quỹ")
	h.expect("Q\n", "Tên quỹ cần từ 3 đến 200 ký tự.")
	h.expect("Quỹ khuyến học\n", "Mô tả ngắn", "[1] Bỏ qua")
	h.expect("Khen thưởng con đoàn viên học giỏi.\n", "Mục tiêu vận động")
	h.expect("abc\n", "Bot chưa đọc được số tiền này")
	h.expect("50 triệu\n", "Quỹ nhận ủng hộ từ ngày nào?", "[1] Không giới hạn thời gian")
	h.expect("1/1/2027\n", "Đến ngày nào")
	h.expect("1/12/2026\n", "Ngày kết thúc phải sau ngày bắt đầu")
	h.expect("31/12/2027\n", "chọn ngân hàng", "[1] Vietcombank", "[3] BIDV", "[10] Không nhận chuyển khoản")
	h.expect("Ngân hàng Mặt Trăng\n", "Bot chưa nhận ra ngân hàng này")
	h.expect("bidv\n", "Số tài khoản tại BIDV:")
	h.expect("12/34\n", "Số tài khoản gồm 1 đến 19 chữ số")
	h.expect("123 456 789\n", "Tên chủ tài khoản")
	h.expect("CONG DOAN TINH\n", "Tạo quỹ?", "• Tên: Quỹ khuyến học", "• Mô tả: Khen thưởng con đoàn viên học giỏi.",
		"• Mục tiêu: 50.000.000 đ (năm mươi triệu đồng)", "• Thời gian: 01/01/2027 – 31/12/2027",
		"• Nhận chuyển khoản: BIDV 123456789 — CONG DOAN TINH", "[1] Tạo quỹ")
	h.expect("Tạo quỹ\n", "Đã tạo quỹ «Quỹ khuyến học» (số 4).")
	// Not yet in its period: not offered for pledges.
	out := h.expect("@an /ungho\n", fundCharity)
	h.refuse(out, "Quỹ khuyến học")
	h.run("@an /huy\n")
	// Edit: no period, then another bank by BIN.
	h.expect("@tinh /quy\n4\n", "«Quỹ khuyến học» (01/01/2027 – 31/12/2027)", "[1] Sửa thông tin quỹ", "[2] Đóng quỹ")
	h.expect("1\n", "Sửa thông tin nào", "[4] Thời gian")
	h.expect("4\nKhông giới hạn thời gian\n", "Đã lưu thông tin quỹ «Quỹ khuyến học».")
	h.expect("@an /ungho\n", "[4] Quỹ khuyến học")
	h.run("@an /huy\n")
	h.expect("@tinh /quy\n4\n1\n5\n970448\n", "Số tài khoản tại BIN 970448:")
	h.expect("abc 123\nQUY KHUYEN HOC\n", "Đã lưu thông tin quỹ")
	h.expect("@tinh /quy\n4\n", "• Nhận chuyển khoản: BIN 970448 ABC123 — QUY KHUYEN HOC")
	h.expect("1\nMục tiêu\n0\n", "Đã lưu thông tin quỹ")
	h.expect("@tinh /quy\n4\n1\nTên quỹ\nQuỹ Khuyến học Công đoàn\n", "Đã lưu thông tin quỹ «Quỹ Khuyến học Công đoàn».")
	// Close and reopen.
	h.expect("@tinh /quy\n1\nĐóng quỹ\n", "Đóng «Mái ấm Công đoàn»?")
	h.expect("Đóng quỹ\n", "Đã đóng «Mái ấm Công đoàn»")
	h.expect("@an /quy\n", "«Mái ấm Công đoàn» (01/01/2026 – 31/12/2026) — đã đóng")
	h.run("@an /huy\n")
	// Closed funds are listed last.
	h.expect("@tinh /quy\n", "[4] Mái ấm Công đoàn", "[5] Tạo quỹ mới")
	h.expect("Mái ấm Công đoàn\n", "[2] Mở lại quỹ")
	h.expect("Mở lại quỹ\nMở lại quỹ\n", "Đã mở lại «Mái ấm Công đoàn»")
	for action, want := range map[string]int{cd.AuditFundCreate: 1, cd.AuditFundUpdate: 4, cd.AuditFundClose: 1, cd.AuditFundReopen: 1} {
		if n := h.auditCount(action); n != want {
			t.Errorf("%s audit entries = %d, want %d", action, n, want)
		}
	}
}

// TestFundPermissions: who may use the fund commands, and who may manage
// funds in /quy.
func TestFundPermissions(t *testing.T) {
	h := newHarness(t)
	h.addMember("pending", "Người Chờ Duyệt", "STP", cd.RoleMember, cd.StatusPending)
	h.addMember("member", "Đoàn Viên Thường", "STP", cd.RoleMember, cd.StatusActive)
	h.addMember("deputy", "Phó Chủ Tịch", "STP", cd.RoleDeputy, cd.StatusActive)
	h.addMember("chairkb", "Chủ Tịch Kho Bạc", "KBNN", cd.RoleChair, cd.StatusActive)
	refusal := map[string]string{"stranger": "dành cho đoàn viên đã đăng ký", "pending": "đang chờ chủ tịch công đoàn cơ sở duyệt"}
	users := []string{"stranger", "pending", "member", "deputy", "chutich", "chairkb", "tinh"}
	const ok, denied, manages = "ok", "denied", "manages"
	table := []struct {
		cmd  string
		want map[string]string // missing users: ok
	}{
		{"/quy", map[string]string{"stranger": denied, "pending": denied, "tinh": manages}},
		{"/ungho", map[string]string{"stranger": denied, "pending": denied}},
		{"/xacnhan", map[string]string{"stranger": denied, "pending": denied, "member": denied}},
		{"/xacnhan STP", map[string]string{"stranger": denied, "pending": denied, "member": denied, "chairkb": denied}},
		{"/xacnhan KBNN", map[string]string{"stranger": denied, "pending": denied, "member": denied, "deputy": denied, "chutich": denied}},
	}
	for _, row := range table {
		for _, user := range users {
			want := ok
			if w, found := row.want[user]; found {
				want = w
			}
			t.Run(strings.ReplaceAll(strings.TrimPrefix(row.cmd, "/"), " ", "_")+"/"+user, func(t *testing.T) {
				out := h.run("@" + user + " " + row.cmd + "\n/huy\n")
				msg := refusal[user]
				if msg == "" {
					msg = "không có quyền"
				}
				got := ok
				switch {
				case strings.Contains(out, msg):
					got = denied
				case strings.Contains(out, "Tạo quỹ mới"):
					got = manages
				}
				if got != want {
					t.Fatalf("%s by %s: got %s, want %s:\n%s", row.cmd, user, got, want, out)
				}
			})
		}
	}
	// Only a province admin is offered to edit or close a fund.
	for _, user := range []string{"member", "chutich", "tinh"} {
		out := h.run("@" + user + " /quy\n1\n/huy\n")
		if got := strings.Contains(out, "Sửa thông tin quỹ"); got != (user == "tinh") {
			t.Errorf("%s is offered to edit a fund: %t\n%s", user, got, out)
		}
	}
	// Typing the label of a choice not offered does not manage funds.
	out := h.run("@chutich /quy\nTạo quỹ mới\n/huy\n")
	h.refuse(out, "Tên quỹ")
	if n := h.auditCount(cd.AuditFundCreate); n != 0 {
		t.Fatalf("fund created by a chair: %d", n)
	}
}
