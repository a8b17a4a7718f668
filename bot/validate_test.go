package bot_test

import (
	"testing"
)

// TestNameScriptAndAmbiguousMoney: a name in another script and an amount
// with too many digits after its unit are refused with a Vietnamese
// explanation and an example, and nothing is kept.
func TestNameScriptAndAmbiguousMoney(t *testing.T) {
	h := newHarness(t)
	h.expect("@x1 /dangky\n1\n", "Họ và tên đầy đủ")
	for _, name := range []string{"مرحبا بكم", "שלום עולם"} {
		out := h.expect(name+"\n", "chữ cái tiếng Việt", "ví dụ: Nguyễn Thị Lan")
		h.refuse(out, "Số điện thoại")
	}
	h.expect("ＮＧＵＹＥＮ ＶＡＮ\nbỏ qua\nSTP\n", "• Họ và tên: NGUYEN VAN")
	h.expect("/huy\n", "Đã hủy")
	if m := h.member("x1"); m != nil {
		t.Fatalf("member stored: %+v", m)
	}

	h.registerActive("an", "Nguyễn Văn An")
	h.expect("@an /ungho\n1\n", "Số tiền anh/chị ủng hộ")
	for _, amount := range []string{"1tr1000", "1tr5000", "1 triệu 2500", "1k5000"} {
		out := h.expect(amount+"\n", "Số tiền chưa rõ", "1tr250 là 1.250.000 đ")
		h.refuse(out, "Số tiền: ")
	}
	h.expect("1tr250\n", "Số tiền: 1.250.000 đ")
	h.expect("/huy\n", "Đã hủy")
	if ps := h.pledges(); len(ps) != 0 {
		t.Fatalf("pledges stored: %+v", ps)
	}
}
