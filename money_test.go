package congdoanbot

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// parseVNDCases are amounts as people type them, read with the default
// limits (1.000 đ .. 1.000.000.000 đ). want is the amount, or reason the
// refusal.
var parseVNDCases = []struct {
	in     string
	want   int64
	reason Reason
}{
	// Thousands.
	{"500k", 500_000, ""},
	{"500K", 500_000, ""},
	{"500 nghìn", 500_000, ""},
	{"500 ngàn", 500_000, ""},
	{"500 nghin", 500_000, ""},
	{"500 ngan", 500_000, ""},
	{"500 NGHÌN ĐỒNG", 500_000, ""},
	{"500kđ", 500_000, ""},
	{"15k", 15_000, ""},
	{"2k5", 2_500, ""},
	{"1k500", 1_500, ""},
	{"1.5k", 1_500, ""},
	{"1.500k", 1_500_000, ""}, // a dot and three digits groups thousands, even before a unit
	{"1.000,5k", 1_000_500, ""},
	// Millions.
	{"1tr", 1_000_000, ""},
	{"1TR", 1_000_000, ""},
	{"1tr5", 1_500_000, ""},
	{"1tr2", 1_200_000, ""},
	{"1tr25", 1_250_000, ""},
	{"1tr50", 1_500_000, ""}, // decimals of the unit, like 1tr25
	{"1tr05", 1_050_000, ""},
	{"1tr500", 1_500_000, ""},
	{"1tr250", 1_250_000, ""}, // three digits at most after a unit
	{"1tr1", 1_100_000, ""},
	{"1tr100", 1_100_000, ""},
	{"1tr001", 1_001_000, ""},
	{"1k5", 1_500, ""},
	{"1 tỷ 250", 0, ReasonMoneyTooLarge}, // 1.250.000.000, above the default maximum
	{"0 tỷ 250", 250_000_000, ""},
	{"1tr 5", 1_500_000, ""}, // a space changes nothing: "1 triệu 5" is said so
	{"1 triệu 5", 1_500_000, ""},
	{"1tr5 đ", 1_500_000, ""},
	{"1,5tr", 1_500_000, ""},
	{"1.5 triệu", 1_500_000, ""},
	{"0.5tr", 500_000, ""},
	{"0,25 triệu", 250_000, ""},
	{"2 triệu", 2_000_000, ""},
	{"2 trieu", 2_000_000, ""},
	{"  2 triệu  ", 2_000_000, ""},
	{"2 TRIỆU ĐỒNG", 2_000_000, ""},
	{"2 triệu rưỡi", 2_500_000, ""},
	{"1 củ", 1_000_000, ""},
	{"1 cu", 1_000_000, ""},
	{"1 triệu 500 nghìn", 1_500_000, ""},
	{"1tr500k", 1_500_000, ""},
	{"1 triệu 500 nghìn đồng", 1_500_000, ""},
	{"1tr5k", 1_005_000, ""}, // read literally: 1 triệu and 5 nghìn
	// Billions.
	{"1 tỷ", 1_000_000_000, ""},
	{"1 ty", 1_000_000_000, ""},
	{"1 tỉ", 1_000_000_000, ""},
	{"1TỶ", 1_000_000_000, ""},
	{"0.5 tỷ", 500_000_000, ""},
	// Digits.
	{"1.000.000", 1_000_000, ""},
	{"1.000.000đ", 1_000_000, ""},
	{"1.000.000 đ", 1_000_000, ""},
	{"1.000.000 vnđ", 1_000_000, ""},
	{"1.000.000 VNĐ", 1_000_000, ""},
	{"1.000.000 vnd", 1_000_000, ""},
	{"1.000.000 đồng", 1_000_000, ""},
	{"1.000.000₫", 1_000_000, ""},
	{"1,000,000 VND", 1_000_000, ""},
	{"VND 1,000,000", 1_000_000, ""},
	{"1,000,000.00", 1_000_000, ""},
	{"1.000.000,00", 1_000_000, ""},
	{"1000000", 1_000_000, ""},
	{"1.000", 1_000, ""},
	{"1000", 1_000, ""},
	{"10.000", 10_000, ""},
	{"1.000.000.000", 1_000_000_000, ""},
	{"1.500.000 đ", 1_500_000, ""},
	{"1\u00a0000", 0, ReasonMoneyFormat}, // spaces do not group thousands
	// Refused.
	{"", 0, ReasonMoneyEmpty},
	{"   ", 0, ReasonMoneyEmpty},
	{"abc", 0, ReasonMoneyFormat},
	{"1tr5tr", 0, ReasonMoneyFormat},
	{"1tr5abc", 0, ReasonMoneyFormat},
	{"tr5", 0, ReasonMoneyFormat},
	{"k", 0, ReasonMoneyFormat},
	{"đ", 0, ReasonMoneyFormat},
	{"-", 0, ReasonMoneyFormat},
	{"+500k", 0, ReasonMoneyFormat},
	{"500k/tháng", 0, ReasonMoneyFormat},
	{"1e6", 0, ReasonMoneyFormat},
	{"1 000 000", 0, ReasonMoneyFormat},
	{"1.000.5", 0, ReasonMoneyFormat},
	{"1..000", 0, ReasonMoneyFormat},
	{"1.000.", 0, ReasonMoneyFormat},
	{"1.000,000.5", 0, ReasonMoneyFormat},
	// More than three digits after a unit: 1,1 triệu or 1 triệu 1000 đồng?
	{"1k5000", 0, ReasonMoneyTrailing},
	{"1tr1000", 0, ReasonMoneyTrailing},
	{"1tr5000", 0, ReasonMoneyTrailing},
	{"1tr 5000", 0, ReasonMoneyTrailing},
	{"1 triệu 1000", 0, ReasonMoneyTrailing},
	{"1 TRIỆU 2500 đồng", 0, ReasonMoneyTrailing},
	{"1tr250000", 0, ReasonMoneyTrailing},
	{"1 tỷ 2000", 0, ReasonMoneyTrailing},
	{"1 nghìn 5000", 0, ReasonMoneyTrailing},
	{"-1tr1000", 0, ReasonMoneyTrailing},
	{"1tr1000abc", 0, ReasonMoneyFormat},
	{"1.5tr5", 0, ReasonMoneyFormat},
	{"1.5tr 200k", 0, ReasonMoneyFormat},
	{"1 triệu 2000 nghìn", 0, ReasonMoneyFormat},
	{"500k 1tr", 0, ReasonMoneyFormat},
	{"1tr rưỡi 5", 0, ReasonMoneyFormat},
	{"99999999999999999999abc", 0, ReasonMoneyFormat},
	{"-500k", 0, ReasonMoneyNegative},
	{"- 500k", 0, ReasonMoneyNegative},
	{"−500k", 0, ReasonMoneyNegative},
	{"-99999999999999999999", 0, ReasonMoneyNegative},
	{"0", 0, ReasonMoneyZero},
	{"0đ", 0, ReasonMoneyZero},
	{"0k", 0, ReasonMoneyZero},
	{"0.000", 0, ReasonMoneyAmbiguous},
	{"99999999999999999999", 0, ReasonMoneyTooLarge},
	{"99999999999999999999 tỷ", 0, ReasonMoneyTooLarge},
	{"9223372036854775807 tỷ", 0, ReasonMoneyTooLarge},
	{"1.000.000.001", 0, ReasonMoneyTooLarge},
	{"1 tỷ 1", 0, ReasonMoneyTooLarge},
	{"2tỷ5", 0, ReasonMoneyTooLarge},
	{"1.5", 0, ReasonMoneyAmbiguous},
	{"1,5", 0, ReasonMoneyAmbiguous},
	{"1.50", 0, ReasonMoneyAmbiguous},
	{"1,000.000", 0, ReasonMoneyAmbiguous},
	{"1.000,500", 0, ReasonMoneyAmbiguous},
	{"1.000.000,5", 0, ReasonMoneyFraction},
	{"1,000,000.50", 0, ReasonMoneyFraction},
	{"1.2345k", 0, ReasonMoneyFraction},
	{"0,0000000001 tỷ", 0, ReasonMoneyFraction},
	{"500", 0, ReasonMoneyTooSmall},
	{"999", 0, ReasonMoneyTooSmall},
	{"0.5k", 0, ReasonMoneyTooSmall},
}

func TestParseVND(t *testing.T) {
	for _, tc := range parseVNDCases {
		got, err := ParseVND(tc.in, MoneyLimits{})
		if tc.reason == "" {
			if err != nil || got != tc.want {
				t.Errorf("ParseVND(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Reason != tc.reason || got != 0 {
			t.Errorf("ParseVND(%q) = %d, %v; want reason %s", tc.in, got, err, tc.reason)
		}
	}
}

func TestParseVNDLimits(t *testing.T) {
	wide := MoneyLimits{Min: 1, Max: math.MaxInt64}
	cases := []struct {
		in     string
		lim    MoneyLimits
		want   int64
		reason Reason
		detail string
	}{
		{"1.000", MoneyLimits{}, 1_000, "", ""},
		{"1 tỷ", MoneyLimits{}, 1_000_000_000, "", ""},
		{"999", MoneyLimits{}, 0, ReasonMoneyTooSmall, "value=999 min=1000"},
		{"1.000.000.001", MoneyLimits{}, 0, ReasonMoneyTooLarge, "value=1000000001 max=1000000000"},
		{"500", wide, 500, "", ""},
		{"1", wide, 1, "", ""},
		{"2tỷ5", wide, 2_500_000_000, "", ""},
		{"1 tỷ 200 triệu", wide, 1_200_000_000, "", ""},
		{"1 tỷ 2", wide, 1_200_000_000, "", ""},
		{"1000 tỷ", wide, 1_000_000_000_000, "", ""},
		{"9.223.372.036.854.775.807", wide, math.MaxInt64, "", ""},
		{"9223372036854775807 đ", wide, math.MaxInt64, "", ""},
		{"9.223.372.036.854.775.808", wide, 0, ReasonMoneyTooLarge, "overflow"},
		{"9223372036 tỷ 854 triệu 775 nghìn 808", wide, 0, ReasonMoneyTooLarge, "overflow"},
		{"9223372036 tỷ 854 triệu 775 nghìn 807", wide, math.MaxInt64, "", ""},
		{"9.223.372.036,854775807 tỷ", wide, math.MaxInt64, "", ""},
		{"9.223.372.036,854775808 tỷ", wide, 0, ReasonMoneyTooLarge, "overflow"},
		{"5k", MoneyLimits{Min: 10_000}, 0, ReasonMoneyTooSmall, "value=5000 min=10000"},
		{"2 tỷ", MoneyLimits{Min: 10_000}, 0, ReasonMoneyTooLarge, "value=2000000000 max=1000000000"}, // Max still defaults
		{"500", MoneyLimits{Max: 5_000_000}, 0, ReasonMoneyTooSmall, "value=500 min=1000"},            // Min still defaults
		{"5tr", MoneyLimits{Max: 5_000_000}, 5_000_000, "", ""},
		{"5tr1", MoneyLimits{Max: 5_000_000}, 0, ReasonMoneyTooLarge, "value=5100000 max=5000000"},
	}
	for _, tc := range cases {
		got, err := ParseVND(tc.in, tc.lim)
		if tc.reason == "" {
			if err != nil || got != tc.want {
				t.Errorf("ParseVND(%q, %+v) = %d, %v; want %d", tc.in, tc.lim, got, err, tc.want)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Reason != tc.reason || e.Detail != tc.detail {
			t.Errorf("ParseVND(%q, %+v) = %d, %#v; want reason %s detail %q", tc.in, tc.lim, got, err, tc.reason, tc.detail)
		}
	}
}

var vndWordsCases = []struct {
	n    int64
	want string
}{
	{0, "không đồng"},
	{1, "một đồng"},
	{4, "bốn đồng"},
	{5, "năm đồng"},
	{10, "mười đồng"},
	{11, "mười một đồng"},
	{14, "mười bốn đồng"},
	{15, "mười lăm đồng"},
	{20, "hai mươi đồng"},
	{21, "hai mươi mốt đồng"},
	{24, "hai mươi bốn đồng"},
	{25, "hai mươi lăm đồng"},
	{55, "năm mươi lăm đồng"},
	{99, "chín mươi chín đồng"},
	{100, "một trăm đồng"},
	{101, "một trăm linh một đồng"},
	{104, "một trăm linh bốn đồng"},
	{105, "một trăm linh năm đồng"},
	{110, "một trăm mười đồng"},
	{111, "một trăm mười một đồng"},
	{115, "một trăm mười lăm đồng"},
	{121, "một trăm hai mươi mốt đồng"},
	{1_000, "một nghìn đồng"},
	{1_500, "một nghìn năm trăm đồng"},
	{1_001, "một nghìn không trăm linh một đồng"},
	{1_010, "một nghìn không trăm mười đồng"},
	{10_000, "mười nghìn đồng"},
	{15_000, "mười lăm nghìn đồng"},
	{21_000, "hai mươi mốt nghìn đồng"},
	{24_000, "hai mươi bốn nghìn đồng"},
	{31_000, "ba mươi mốt nghìn đồng"},
	{105_000, "một trăm linh năm nghìn đồng"},
	{201_000, "hai trăm linh một nghìn đồng"},
	{500_000, "năm trăm nghìn đồng"},
	{999_999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"},
	{1_000_000, "một triệu đồng"},
	{1_500_000, "một triệu năm trăm nghìn đồng"},
	{1_000_500, "một triệu năm trăm đồng"},
	{1_005_000, "một triệu không trăm linh năm nghìn đồng"},
	{1_000_005, "một triệu không trăm linh năm đồng"},
	{1_000_050, "một triệu không trăm năm mươi đồng"},
	{1_010_000, "một triệu không trăm mười nghìn đồng"},
	{1_250_000, "một triệu hai trăm năm mươi nghìn đồng"},
	{11_000_000, "mười một triệu đồng"},
	{25_750_000, "hai mươi lăm triệu bảy trăm năm mươi nghìn đồng"},
	{1_000_000_000, "một tỷ đồng"},
	{1_200_000_000, "một tỷ hai trăm triệu đồng"},
	{1_000_000_005, "một tỷ không trăm linh năm đồng"},
	{2_500_000_000, "hai tỷ năm trăm triệu đồng"},
	{1_000_000_000_000, "một nghìn tỷ đồng"},
	{1_001_000_000_000, "một nghìn không trăm linh một tỷ đồng"},
	{-1_500, "âm một nghìn năm trăm đồng"},
	{math.MaxInt64, "chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ " +
		"tám trăm năm mươi bốn triệu bảy trăm bảy mươi lăm nghìn tám trăm linh bảy đồng"},
	{math.MinInt64, "âm chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ " +
		"tám trăm năm mươi bốn triệu bảy trăm bảy mươi lăm nghìn tám trăm linh tám đồng"},
}

func TestVNDWords(t *testing.T) {
	for _, tc := range vndWordsCases {
		got := VNDWords(tc.n)
		if got != tc.want {
			t.Errorf("VNDWords(%d) = %q; want %q", tc.n, got, tc.want)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("VNDWords(%d) = %q is not NFC", tc.n, got)
		}
	}
}

func TestFormatVNDWithWords(t *testing.T) {
	if got, want := FormatVNDWithWords(1_500_000), "1.500.000 đ (một triệu năm trăm nghìn đồng)"; got != want {
		t.Errorf("FormatVNDWithWords(1500000) = %q; want %q", got, want)
	}
}

// vndWordsValue reads back what VNDWords writes, to check that no digit is
// lost or misplaced across many numbers.
func vndWordsValue(s string) (int64, bool) {
	ws := strings.Fields(s)
	if len(ws) == 0 || ws[len(ws)-1] != "đồng" {
		return 0, false
	}
	ws = ws[:len(ws)-1]
	neg := len(ws) > 0 && ws[0] == "âm"
	if neg {
		ws = ws[1:]
	}
	var big, seg, cur uint64 // tỷ so far, triệu and nghìn so far, the group being read
	pending := -1            // a digit word waiting for trăm or mươi
	flush := func() {
		if pending >= 0 {
			cur += uint64(pending)
			pending = -1
		}
	}
	for _, w := range ws {
		if d := slices.Index(vndDigitWords[:], w); d >= 0 {
			if pending >= 0 {
				return 0, false
			}
			pending = d
			continue
		}
		switch w {
		case "trăm", "mươi":
			if pending < 0 {
				return 0, false
			}
			if w == "trăm" {
				cur += uint64(pending) * 100
			} else {
				cur += uint64(pending) * 10
			}
			pending = -1
		case "mười":
			cur += 10
		case "linh":
		case "mốt":
			cur++
		case "lăm":
			cur += 5
		case "nghìn", "triệu":
			flush()
			if w == "nghìn" {
				seg += cur * 1_000
			} else {
				seg += cur * 1_000_000
			}
			cur = 0
		case "tỷ":
			flush()
			big = (big + seg + cur) * 1_000_000_000
			seg, cur = 0, 0
		default:
			return 0, false
		}
	}
	flush()
	total := big + seg + cur
	if neg {
		total = -total
	}
	return int64(total), true
}

func TestVNDWordsRoundTrip(t *testing.T) {
	check := func(n int64) {
		if got, ok := vndWordsValue(VNDWords(n)); !ok || got != n {
			t.Fatalf("VNDWords(%d) = %q reads back as %d, %v", n, VNDWords(n), got, ok)
		}
	}
	for n := int64(-1_000); n <= 1_000_000; n++ {
		check(n)
	}
	for _, tc := range vndWordsCases {
		check(tc.n)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		check(r.Int64())
		check(r.Int64N(1_000_000_000_000))
		check(r.Int64N(1_000) * moneyPow10[r.IntN(len(moneyPow10))] * moneyPow10[r.IntN(len(moneyPow10))])
	}
}

func FuzzParseVND(f *testing.F) {
	for _, tc := range parseVNDCases {
		f.Add(tc.in)
	}
	for _, s := range []string{
		"1.000.000 đ", "1,5 tỷ", "1tr250", "12.345.678", "0.0005 tỷ", "1k 1",
		"vnd", "vnd 5k", "5k vnd d", "dđ", "1tr5d", "1 tỷ 2 triệu 3 nghìn 4",
		"\xff", "1\u030100k", "₫1000", "1.000.000.000.000.000.000.000",
		// Kept from a 60 s fuzz run: trailing decimals of tỷ, long zero
		// decimals, separators in trailing digits, long plain numbers.
		"0tY00000001", "0K0,0", "1.000,0000", "21tr1", "100k1", "0.0.0.0.0,0",
		"1000000010000000001", "-10000000000000000", "\f\f0", "1.000.020.020.000",
		"1tr1000", "1 triệu 5000 đồng", "1k5000", "1 tỷ 2000",
	} {
		f.Add(s)
	}
	wide := MoneyLimits{Min: 1, Max: math.MaxInt64}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lim := range []MoneyLimits{{}, wide} {
			v, err := ParseVND(s, lim)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Code != EINVALID || !strings.HasPrefix(string(e.Reason), "money.") || v != 0 {
					t.Fatalf("ParseVND(%q) = %d, %#v", s, v, err)
				}
				continue
			}
			l := lim.withDefaults()
			if v < l.Min || v > l.Max {
				t.Fatalf("ParseVND(%q, %+v) = %d, outside the limits", s, lim, v)
			}
			// Digits after a unit ("1tr250", "1 triệu 500 nghìn") are three
			// at most: "1tr1000" is ambiguous and must have been refused.
			toks, _ := lexMoney(Fold(s))
			for i := 1; i < len(toks); i++ {
				if toks[i].kind == tokNumber && toks[i-1].kind == tokUnit && len(toks[i].text) > maxTrailingDigits {
					t.Fatalf("ParseVND(%q) = %d: accepted %d digits after a unit", s, v, len(toks[i].text))
				}
			}
			for _, back := range []string{GroupThousands(v), FormatVND(v), strconv.FormatInt(v, 10)} {
				if got, err := ParseVND(back, lim); err != nil || got != v {
					t.Fatalf("ParseVND(%q) = %d, but ParseVND(%q) = %d, %v", s, v, back, got, err)
				}
			}
			if got, ok := vndWordsValue(VNDWords(v)); !ok || got != v {
				t.Fatalf("VNDWords(%d) = %q reads back as %d", v, VNDWords(v), got)
			}
		}
	})
}
