package congdoanbot

import (
	"fmt"
	"math"
	"strings"
)

// Reasons for refusing an amount of money that a person typed.
const (
	ReasonMoneyEmpty     Reason = "money.empty"     // nothing typed
	ReasonMoneyFormat    Reason = "money.format"    // not an amount we can read
	ReasonMoneyAmbiguous Reason = "money.ambiguous" // "1,5" or "1.5" with no unit: 1,5 what?
	ReasonMoneyNegative  Reason = "money.negative"  // "-500k"
	ReasonMoneyZero      Reason = "money.zero"      // "0"
	ReasonMoneyTooSmall  Reason = "money.too_small" // below MoneyLimits.Min
	ReasonMoneyTooLarge  Reason = "money.too_large" // above MoneyLimits.Max, or beyond int64
	ReasonMoneyFraction  Reason = "money.fraction"  // not a whole number of đồng
	// ReasonMoneyTrailing: more than three digits after a unit, "1tr1000":
	// 1.100.000 đ read as decimals, but as likely 1 triệu 1000 đồng.
	ReasonMoneyTrailing Reason = "money.trailing_digits"
)

// maxTrailingDigits is how many digits may follow the last unit and be
// read as its decimals: "1tr5", "1tr25", "1tr250".
const maxTrailingDigits = 3

// Default bounds of an accepted amount, in đồng.
const (
	DefaultMoneyMin int64 = 1_000
	DefaultMoneyMax int64 = 1_000_000_000
)

// MoneyLimits bounds accepted amounts; zero value means use defaults 1.000 đ .. 1.000.000.000 đ.
// Each field defaults on its own: MoneyLimits{Max: 5_000_000} keeps the
// default minimum of 1.000 đ.
type MoneyLimits struct{ Min, Max int64 }

func (l MoneyLimits) withDefaults() MoneyLimits {
	if l.Min == 0 {
		l.Min = DefaultMoneyMin
	}
	if l.Max == 0 {
		l.Max = DefaultMoneyMax
	}
	return l
}

// ParseVND reads an amount of money typed the way Vietnamese write it and
// returns whole đồng. Case and diacritics are ignored (the input is folded
// with Fold), as are spaces between the parts. Accepted forms:
//
//   - plain or grouped digits: "1000000", "1.000.000", "1,000,000". A dot or
//     comma followed by groups of exactly three digits separates thousands.
//     A decimal part is accepted without a unit only when it is unambiguous
//     (the thousands use the other separator): "1,000,000.00" is 1.000.000 đ,
//     "1.000.000,5" is refused as not whole đồng, and "1,5" or "1.5" alone is
//     refused as ambiguous, as is "1,000.000" (three decimals after
//     thousands of the other kind: more likely a slip for 1.000.000).
//   - a number and a unit: k, nghìn, ngàn (×1.000); tr, triệu, củ (×1.000.000);
//     tỷ, tỉ (×1.000.000.000). Before a unit a dot or comma that is not
//     followed by exactly three digits is a decimal point: "1,5tr", "1.5 triệu",
//     "0.5tr". "1.500k" is 1.500 × 1.000 = 1.500.000 đ.
//   - digits after the last unit continue it as decimals, the way people say
//     "một triệu rưỡi" or "một triệu hai": "1tr5" = 1.500.000, "1tr25" =
//     1.250.000, "2k5" = 2.500, "1tr 5" = 1.500.000 (with a space too), and
//     "rưỡi" means a half: "2 triệu rưỡi" = 2.500.000. At most three
//     digits, and no more than the unit has zeros ("1tr250" and "1k500"
//     yes); more are refused as ambiguous ("1tr1000" could be 1.100.000 or
//     1.001.000; "1k5000" is no amount of nghìn).
//   - descending units added up: "1 triệu 500 nghìn", "1tr500k",
//     "1 tỷ 200 triệu"; every part after the first is a plain number below 1000.
//   - a currency word at the end: đ, đồng, vnđ, vnd, ₫ ("1.000.000 đ",
//     "2 triệu đồng"), or "VND" in front ("VND 1,000,000").
//
// Anything else is refused: the error is a *Error with code EINVALID and one
// of the ReasonMoney* reasons. Arithmetic is integer-only; results that are
// not whole đồng, or that overflow int64, are refused rather than rounded or
// wrapped.
func ParseVND(s string, lim MoneyLimits) (int64, error) {
	lim = lim.withDefaults()
	f := Fold(s)
	if f == "" {
		return 0, Invalid(ReasonMoneyEmpty)
	}
	neg := false
	for _, minus := range []string{"-", "−"} { // hyphen-minus, U+2212 minus
		if rest, ok := strings.CutPrefix(f, minus); ok {
			neg, f = true, strings.TrimSpace(rest)
			break
		}
	}
	if f == "" {
		return 0, Errorf(EINVALID, ReasonMoneyFormat, "%q", s)
	}
	toks, ok := lexMoney(f)
	if !ok {
		return 0, Errorf(EINVALID, ReasonMoneyFormat, "%q", s)
	}
	v, err := moneyValue(toks)
	if err != nil {
		if neg && err.Reason != ReasonMoneyFormat && err.Reason != ReasonMoneyAmbiguous && err.Reason != ReasonMoneyTrailing {
			return 0, Errorf(EINVALID, ReasonMoneyNegative, "%q", s)
		}
		if err.Detail == "" {
			err.Detail = fmt.Sprintf("%q", s)
		}
		return 0, err
	}
	switch {
	case v == 0:
		return 0, Errorf(EINVALID, ReasonMoneyZero, "%q", s)
	case neg:
		return 0, Errorf(EINVALID, ReasonMoneyNegative, "value=-%d", v)
	case v < lim.Min:
		return 0, Errorf(EINVALID, ReasonMoneyTooSmall, "value=%d min=%d", v, lim.Min)
	case v > lim.Max:
		return 0, Errorf(EINVALID, ReasonMoneyTooLarge, "value=%d max=%d", v, lim.Max)
	}
	return v, nil
}

type moneyTokKind uint8

const (
	tokNumber   moneyTokKind = iota // digits with '.' or ',' between them
	tokUnit                         // k, nghìn, triệu, tỷ ...
	tokCurrency                     // đ, đồng, vnd
	tokHalf                         // rưỡi
)

type moneyTok struct {
	kind moneyTokKind
	text string // the literal: digits for tokNumber, the word otherwise
	exp  int    // tokUnit: the unit is 10^exp
}

// moneyWords are the words ParseVND knows, after Fold. Longer words come
// first so that a run of letters like "trieud" splits as "trieu" + "d".
var moneyWords = []moneyTok{
	{kind: tokUnit, text: "trieu", exp: 6},
	{kind: tokUnit, text: "nghin", exp: 3},
	{kind: tokUnit, text: "ngan", exp: 3},
	{kind: tokCurrency, text: "dong"},
	{kind: tokHalf, text: "ruoi"},
	{kind: tokCurrency, text: "vnd"},
	{kind: tokUnit, text: "tr", exp: 6},
	{kind: tokUnit, text: "cu", exp: 6}, // "củ", slang for triệu
	{kind: tokUnit, text: "ty", exp: 9},
	{kind: tokUnit, text: "ti", exp: 9}, // "tỉ", the other spelling of tỷ
	{kind: tokUnit, text: "k", exp: 3},
	{kind: tokCurrency, text: "d"},
}

func moneyDigit(c byte) bool { return '0' <= c && c <= '9' }

// lexMoney splits a folded amount into numbers and known words. Spaces only
// separate tokens. It reports false for any other character or word.
func lexMoney(f string) ([]moneyTok, bool) {
	var toks []moneyTok
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == ' ':
			i++
		case moneyDigit(c):
			j := i + 1
			for j < len(f) && (moneyDigit(f[j]) || (f[j] == '.' || f[j] == ',') && j+1 < len(f) && moneyDigit(f[j+1])) {
				j++
			}
			toks = append(toks, moneyTok{kind: tokNumber, text: f[i:j]})
			i = j
		case 'a' <= c && c <= 'z':
			j := i + 1
			for j < len(f) && 'a' <= f[j] && f[j] <= 'z' {
				j++
			}
			for w := f[i:j]; w != ""; {
				found := false
				for _, mw := range moneyWords {
					if strings.HasPrefix(w, mw.text) {
						toks = append(toks, mw)
						w = w[len(mw.text):]
						found = true
						break
					}
				}
				if !found {
					return nil, false
				}
			}
			i = j
		case strings.HasPrefix(f[i:], "₫"):
			toks = append(toks, moneyTok{kind: tokCurrency, text: "₫"})
			i += len("₫")
		default:
			return nil, false
		}
	}
	return toks, true
}

// moneyNum is a number literal split into its integer digits and decimals.
type moneyNum struct {
	whole   string // digits before the decimal point, separators removed
	frac    string // digits after the decimal point
	decimal bool   // the literal has a decimal point
	grouped bool   // the literal has thousands separators
}

// ambiguous reports a literal like "1,000.000" or "1.000,500": read strictly
// it has three decimals, but it is as likely a slip for 1.000.000 or
// 1.000.500, and the two readings differ a thousandfold.
func (n moneyNum) ambiguous() bool { return n.grouped && n.decimal && len(n.frac) == 3 }

// splitMoneyNum reads a number literal from lexMoney (digits, with single
// dots or commas between digits).
func splitMoneyNum(s string) (moneyNum, bool) {
	var runs []string
	var seps []byte
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == ',' {
			runs = append(runs, s[start:i])
			seps = append(seps, s[i])
			start = i + 1
		}
	}
	runs = append(runs, s[start:])
	if len(seps) == 0 {
		return moneyNum{whole: s}, true
	}
	// Thousands groups: 1–3 digits not starting with 0, then groups of
	// exactly three. "0.500" is not grouped: it can only be a decimal.
	groups := func(runs []string) bool {
		if len(runs[0]) > 3 || runs[0][0] == '0' {
			return false
		}
		for _, r := range runs[1:] {
			if len(r) != 3 {
				return false
			}
		}
		return true
	}
	same := true
	for _, sp := range seps {
		same = same && sp == seps[0]
	}
	if same && groups(runs) {
		return moneyNum{whole: strings.Join(runs, ""), grouped: true}, true
	}
	// Otherwise the last separator is a decimal point, and any separators
	// before it must be thousands separators of the other kind.
	last := len(seps) - 1
	head := runs[:last+1]
	if last > 0 {
		for _, sp := range seps[:last] {
			if sp != seps[0] || sp == seps[last] {
				return moneyNum{}, false
			}
		}
		if !groups(head) {
			return moneyNum{}, false
		}
	}
	return moneyNum{whole: strings.Join(head, ""), frac: runs[last+1], decimal: true, grouped: last > 0}, true
}

func moneyAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !moneyDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

var moneyPow10 = [...]int64{1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000}

// moneyDigitsValue parses ASCII digits, reporting false on overflow.
func moneyDigitsValue(s string) (int64, bool) {
	var v int64
	for i := 0; i < len(s); i++ {
		d := int64(s[i] - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

func moneyMul(a, b int64) (int64, bool) { // a, b >= 0
	if a != 0 && b > math.MaxInt64/a {
		return 0, false
	}
	return a * b, true
}

func moneyAdd(a, b int64) (int64, bool) { // a, b >= 0
	if a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

func moneyOverflow() *Error { return Errorf(EINVALID, ReasonMoneyTooLarge, "overflow") }

// scaled returns n × 10^exp in whole đồng.
func (n moneyNum) scaled(exp int) (int64, *Error) {
	frac := strings.TrimRight(n.frac, "0")
	if len(frac) > exp {
		return 0, Invalid(ReasonMoneyFraction)
	}
	w, ok := moneyDigitsValue(n.whole)
	if !ok {
		return 0, moneyOverflow()
	}
	if w, ok = moneyMul(w, moneyPow10[exp]); !ok {
		return 0, moneyOverflow()
	}
	fv, _ := moneyDigitsValue(frac) // at most 9 digits
	if w, ok = moneyAdd(w, fv*moneyPow10[exp-len(frac)]); !ok {
		return 0, moneyOverflow()
	}
	return w, nil
}

type moneyTerm struct {
	num moneyNum
	exp int
}

// moneyValue checks the shape of the whole amount first, so that junk is
// reported as junk even when it also holds a huge number, then adds it up.
func moneyValue(toks []moneyTok) (int64, *Error) {
	format := Invalid(ReasonMoneyFormat)
	if len(toks) > 1 && toks[0].kind == tokCurrency && toks[0].text == "vnd" {
		toks = toks[1:] // "VND 1,000,000"
	} else if len(toks) > 1 && toks[len(toks)-1].kind == tokCurrency {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 || toks[0].kind != tokNumber {
		return 0, format
	}
	first, ok := splitMoneyNum(toks[0].text)
	if !ok {
		return 0, format
	}
	if first.ambiguous() {
		return 0, Invalid(ReasonMoneyAmbiguous)
	}
	if len(toks) == 1 {
		if first.decimal && !first.grouped {
			return 0, Invalid(ReasonMoneyAmbiguous)
		}
		return first.scaled(0)
	}
	if toks[1].kind != tokUnit {
		return 0, format
	}
	terms := []moneyTerm{{first, toks[1].exp}}
	exp := toks[1].exp
	for i := 2; i < len(toks); {
		t := toks[i]
		switch {
		case first.decimal:
			return 0, format // "1.5tr 200k", "1.5tr5"
		case t.kind == tokNumber && i+1 < len(toks) && toks[i+1].kind == tokUnit:
			// "1 triệu 500 nghìn": a smaller unit with a plain number below 1000.
			next := toks[i+1].exp
			if next >= exp || !moneyAllDigits(t.text) || len(t.text) > 3 {
				return 0, format
			}
			terms = append(terms, moneyTerm{moneyNum{whole: t.text}, next})
			exp = next
			i += 2
		case t.kind == tokNumber && i == len(toks)-1:
			// "1tr5", "1tr25": decimals of the last unit.
			if !moneyAllDigits(t.text) {
				return 0, format
			}
			if len(t.text) > min(exp, maxTrailingDigits) {
				return 0, Invalid(ReasonMoneyTrailing)
			}
			terms = append(terms, moneyTerm{moneyNum{whole: "0", frac: t.text, decimal: true}, exp})
			i++
		case t.kind == tokHalf && i == len(toks)-1:
			terms = append(terms, moneyTerm{moneyNum{whole: "0", frac: "5", decimal: true}, exp})
			i++
		default:
			return 0, format
		}
	}
	var total int64
	for _, t := range terms {
		v, err := t.num.scaled(t.exp)
		if err != nil {
			return 0, err
		}
		if total, ok = moneyAdd(total, v); !ok {
			return 0, moneyOverflow()
		}
	}
	return total, nil
}

var vndDigitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// VNDWords reads an amount of đồng in Vietnamese words, all lower case, the
// way it is written on receipts and vouchers ("bằng chữ"):
// 1.500.000 → "một triệu năm trăm nghìn đồng".
//
// Conventions: "linh" for a zero tens digit (105 → "một trăm linh năm"),
// "mốt" for 1 after a tens word of 20 and above (21 → "hai mươi mốt"),
// "lăm" for 5 after any tens word (15 → "mười lăm", 25 → "hai mươi lăm"),
// "bốn" (not "tư") for 4, "nghìn" (not "ngàn") and "tỷ" (not "tỉ"). Groups of
// three digits that are all zero are left out (1.000.500 → "một triệu năm
// trăm đồng"); a later group is read in full with "không trăm" when its
// hundreds digit is zero (1.005.000 → "một triệu không trăm linh năm nghìn
// đồng"). Above 999 tỷ the count of tỷ is read like any number: "một nghìn
// tỷ". Negative amounts start with "âm".
func VNDWords(n int64) string {
	if n == 0 {
		return "không đồng"
	}
	var w []string
	u := uint64(n)
	if n < 0 {
		w = append(w, "âm")
		u = uint64(-(n + 1)) + 1
	}
	w = vndReadNumber(w, u, true)
	w = append(w, "đồng")
	return strings.Join(w, " ")
}

// vndReadNumber appends the words for u > 0. lead says nothing has been read
// before it, so its first group is read short ("năm", not "không trăm linh
// năm").
func vndReadNumber(w []string, u uint64, lead bool) []string {
	const billion = 1_000_000_000
	if u >= billion {
		w = vndReadNumber(w, u/billion, lead)
		w = append(w, "tỷ")
		if u%billion != 0 {
			w = vndReadBelowBillion(w, u%billion, false)
		}
		return w
	}
	return vndReadBelowBillion(w, u, lead)
}

func vndReadBelowBillion(w []string, u uint64, lead bool) []string {
	groups := [3]uint64{u / 1_000_000, u / 1_000 % 1_000, u % 1_000}
	scales := [3]string{"triệu", "nghìn", ""}
	for i, g := range groups {
		if g == 0 {
			continue
		}
		w = vndReadTriple(w, int(g), !lead)
		lead = false
		if scales[i] != "" {
			w = append(w, scales[i])
		}
	}
	return w
}

// vndReadTriple appends the words for 1 <= g <= 999. full reads the hundreds
// and "linh" even when the hundreds digit is zero, as for every group after
// the first.
func vndReadTriple(w []string, g int, full bool) []string {
	a, b, c := g/100, g/10%10, g%10
	if a > 0 || full {
		w = append(w, vndDigitWords[a], "trăm")
	}
	switch {
	case b == 0:
		if c == 0 {
			break
		}
		if a > 0 || full {
			w = append(w, "linh")
		}
		w = append(w, vndDigitWords[c])
	case b == 1:
		w = append(w, "mười")
		switch c {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, vndDigitWords[c])
		}
	default:
		w = append(w, vndDigitWords[b], "mươi")
		switch c {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, vndDigitWords[c])
		}
	}
	return w
}

// FormatVNDWithWords writes an amount in digits and words, for confirming
// what a person typed: "1.500.000 đ (một triệu năm trăm nghìn đồng)".
func FormatVNDWithWords(n int64) string {
	return FormatVND(n) + " (" + VNDWords(n) + ")"
}
