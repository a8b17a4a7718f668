package congdoanbot

import (
	"sort"
	"strings"
	"testing"
	"time"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Đăng  KÝ":               "dang ky",
		"  Trợ giúp ":            "tro giup",
		"đồng ý":                 "dong y",
		"Huỷ":                    "huy",
		"Hủy":                    "huy",
		"Nghìn":                  "nghin",
		"Tiê\u0301ng Viê\u0323t": "tieng viet", // decomposed input
		"ABC123":                 "abc123",
		"":                       "",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateFullName(t *testing.T) {
	ok := map[string]string{
		"Nguyễn Văn An":            "Nguyễn Văn An",
		"  Lê   Thị  Bình ":        "Lê Thị Bình",
		"Nguye\u0302\u0303n Văn A": "Nguyễn Văn A", // decomposed becomes NFC
		"H'Hen Niê":                "H'Hen Niê",
		"Nguyen Van An":            "Nguyen Van An",
		// Names of ethnic minorities, in the Latin script with Vietnamese
		// diacritics.
		"Y Moan Ênuôl":      "Y Moan Ênuôl",
		"Ksor Phước":        "Ksor Phước",
		"Lò Văn Páo":        "Lò Văn Páo",
		"Nay Y Blốc":        "Nay Y Blốc",
		"H’Hen Niê":         "H'Hen Niê", // a phone's typographic apostrophe
		"Trần Thị Ngọc-Ánh": "Trần Thị Ngọc-Ánh",
		// Full-width forms are folded to ASCII.
		"ＮＧＵＹＥＮ ＶＡＮ":    "NGUYEN VAN",
		"Ｎｇｕｙễｎ　Ｖăｎ　Ａｎ": "Nguyễn Văn An",
	}
	for in, want := range ok {
		got, err := ValidateFullName(in)
		if err != nil || got != want {
			t.Errorf("ValidateFullName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]Reason{
		"":                          ReasonNameEmpty,
		"   ":                       ReasonNameEmpty,
		"An":                        ReasonNameOneWord,
		"12345":                     ReasonNameDigits,
		"Nguyễn Văn 3":              ReasonNameDigits,
		"Lan 🌸 Anh":                 ReasonNameSymbols,
		"Robert'); DROP TABLE x;--": ReasonNameSymbols,
		strings.Repeat("Anh ", 30):  ReasonNameLength,
		"A":                         ReasonNameLength,
		"Lan\u200bAnh Thị":          ReasonNameSymbols,
		// Scripts no member writes a name in.
		"مرحبا بكم":                    ReasonNameScript,
		"שלום עולם":                    ReasonNameScript,
		"Иван Петров":                  ReasonNameScript,
		"王 小明":                         ReasonNameScript,
		"Nguyễn Ｖăｎ 안":                 ReasonNameScript,
		"Jürgen Müller":                ReasonNameScript, // a diaeresis is no Vietnamese mark
		"Søren Ærø":                    ReasonNameScript,
		"ＮＧＵＹＥＮ １２":                    ReasonNameDigits,
		"Nguye\u0301\u0301\u0301n Văn": ReasonNameSymbols, // marks piled on one letter
		"\u0301Nguyen Van":             ReasonNameSymbols,
	}
	for in, want := range bad {
		if _, err := ValidateFullName(in); ErrorReason(err) != want || ErrorCode(err) != EINVALID {
			t.Errorf("ValidateFullName(%q) error = %v, want reason %s", in, err, want)
		}
	}
}

func TestValidatePhone(t *testing.T) {
	ok := map[string]string{"0912345678": "0912345678", "0912 345 678": "0912345678", "+84912345678": "0912345678",
		"84912345678": "0912345678", "091.234.5678": "0912345678"}
	for in, want := range ok {
		if got, err := ValidatePhone(in); err != nil || got != want {
			t.Errorf("ValidatePhone(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "abc", "12345", "091234567890", "1912345678", "09123+45678"} {
		if _, err := ValidatePhone(in); ErrorReason(err) != ReasonPhone {
			t.Errorf("ValidatePhone(%q) error = %v", in, err)
		}
	}
}

func TestCodes(t *testing.T) {
	for in, want := range map[string]string{"stp": "STP", " Sở TP ": "SOTP", "kb-nn": "KB-NN"} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q", in, got)
		}
	}
	for code, want := range map[string]bool{"STP": true, "S1": true, "KB-NN": true, "S": false, "1AB": false,
		"ABCDEFGHIJKLM": false, "A B": false, "-AB": false} {
		if got := ValidCode(code); got != want {
			t.Errorf("ValidCode(%q) = %v", code, got)
		}
	}
}

func TestKeysAndFormats(t *testing.T) {
	p, id, ok := ParseKey("zalo:6ede9afa66b88fe6d6a9")
	if !ok || p != PlatformZalo || id != "6ede9afa66b88fe6d6a9" {
		t.Fatalf("ParseKey zalo = %v %v %v", p, id, ok)
	}
	for _, bad := range []string{"123456", "fax:1", "telegram:", ""} {
		if _, _, ok := ParseKey(bad); ok {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
	if got := FormatVND(1500000); got != "1.500.000 đ" {
		t.Errorf("FormatVND = %q", got)
	}
	if got := GroupThousands(-1234); got != "-1.234" {
		t.Errorf("GroupThousands(-1234) = %q", got)
	}
	loc := time.FixedZone("ICT", 7*3600)
	if got := FormatDateTime(time.Date(2026, 3, 5, 23, 30, 0, 0, time.UTC).In(loc)); got != "06/03/2026 06:30" {
		t.Errorf("FormatDateTime = %q", got)
	}
	if got := Truncate("Nguyễn Văn An", 6); got != "Nguyễ…" {
		t.Errorf("Truncate = %q", got)
	}
	if HasControl("a\tb\nc") || !HasControl("a\x00") || !HasControl("a\u200bb") {
		t.Error("HasControl")
	}
}

func TestVietnameseOrder(t *testing.T) {
	units := []string{"Viện Kiểm sát nhân dân tỉnh", "Văn phòng Tỉnh ủy", "Sở Tư pháp", "Sở Công Thương", "Đài Phát thanh", "Cục Thuế tỉnh"}
	sort.Slice(units, func(i, j int) bool { return CompareVietnamese(units[i], units[j]) < 0 })
	if got := strings.Join(units, " | "); got != "Cục Thuế tỉnh | Đài Phát thanh | Sở Công Thương | Sở Tư pháp | Văn phòng Tỉnh ủy | Viện Kiểm sát nhân dân tỉnh" {
		t.Fatalf("units in order: %s", got)
	}
	names := []string{"Trần Thị Hoa", "Nguyễn Văn An", "Lê Thị Bình", "Đỗ Văn An", "Phạm Ánh"}
	sort.Slice(names, func(i, j int) bool { return CompareNames(names[i], names[j]) < 0 })
	if got := strings.Join(names, " | "); got != "Đỗ Văn An | Nguyễn Văn An | Phạm Ánh | Lê Thị Bình | Trần Thị Hoa" {
		t.Fatalf("names in order: %s", got)
	}
}
