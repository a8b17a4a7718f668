package zalo

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestUTF16Len(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"Xin chào công đoàn 👋", 21}, // 27 bytes, 20 runes
		{"👨‍👩‍👧", 8},
		{"\xff", 1},
	} {
		if got := UTF16Len(tc.s); got != tc.want {
			t.Errorf("UTF16Len(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
	if s := "Xin chào công đoàn 👋"; len(s) != 27 || utf8.RuneCountInString(s) != 20 || len(utf16.Encode([]rune(s))) != 21 {
		t.Errorf("the reference example changed")
	}
}

// vietnameseText is about n characters of Vietnamese prose with line
// breaks every few sentences.
func vietnameseText(n int) string {
	sentences := []string{
		"Công đoàn Viên chức tỉnh phát động phong trào thi đua Lao động giỏi, Lao động sáng tạo.",
		"Đoàn viên đăng ký ủng hộ quỹ Mái ấm Công đoàn 500.000 đồng.",
		"Chủ tịch công đoàn cơ sở xác nhận đã nộp.",
		"Hiến máu tình nguyện: 12 đơn vị máu.",
	}
	var b strings.Builder
	for i := 0; b.Len() < n*13/10; i++ { // Vietnamese averages ~1.3 bytes a character
		b.WriteString(sentences[i%len(sentences)])
		if i%5 == 4 {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	return b.String()
}

func TestSplitText(t *testing.T) {
	decomposed := norm.NFD.String("Công đoàn Việt Nam")
	long := vietnameseText(5000)
	for _, tc := range []struct {
		name string
		s    string
		max  int
		want []string // nil: only the invariants are checked
		n    int      // expected number of chunks when want is nil (0: any)
	}{
		{name: "empty", s: "", max: 0, want: []string{}},
		{name: "fits", s: "Xin chào công đoàn 👋", max: 0, want: []string{"Xin chào công đoàn 👋"}},
		{name: "fits exactly", s: "Xin chào công đoàn 👋", max: 21, want: []string{"Xin chào công đoàn 👋"}},
		{name: "emoji does not fit", s: "Xin chào công đoàn 👋", max: 20, want: []string{"Xin chào công đoàn", "👋"}},
		{name: "words", s: "một hai ba bốn năm", max: 8, want: []string{"một hai", "ba bốn", "năm"}},
		{name: "lines before spaces", s: "dòng một\ndòng hai dài hơn", max: 16,
			want: []string{"dòng một", "dòng hai dài hơn"}},
		{name: "paragraph before line", s: "aaaa bbbb cc\n\ndddd\neeee ffff", max: 20,
			want: []string{"aaaa bbbb cc", "dddd\neeee ffff"}},
		{name: "late space beats early newline", s: "ab\ncdefgh ijklmnop", max: 12,
			want: []string{"ab\ncdefgh", "ijklmnop"}},
		{name: "CRLF", s: "một hai\r\nba bốn", max: 9, want: []string{"một hai", "ba bốn"}},
		{name: "decomposed input is composed first", s: decomposed, max: 18,
			want: []string{"Công đoàn Việt Nam"}},
		{name: "decomposed input split", s: decomposed + " " + decomposed, max: 20,
			want: []string{"Công đoàn Việt Nam", "Công đoàn Việt Nam"}},
		{name: "no surrogate split", s: "👋👋👋", max: 3, want: []string{"👋", "👋", "👋"}},
		{name: "no split before combining mark", s: "aaaax\u0301b", max: 5, want: []string{"aaaa", "x\u0301b"}},
		{name: "no split inside ZWJ sequence", s: "ab👨‍👩‍👧", max: 8, want: []string{"ab", "👨‍👩‍👧"}},
		{name: "flags stay whole", s: "🇻🇳🇻🇳", max: 6, want: []string{"🇻🇳", "🇻🇳"}},
		{name: "skin tone stays", s: "aa👋🏽", max: 5, want: []string{"aa", "👋🏽"}},
		{name: "cluster longer than max", s: "👨‍👩‍👧", max: 4, want: nil},
		{name: "long word", s: strings.Repeat("a", 5000), max: 0,
			want: []string{strings.Repeat("a", 2000), strings.Repeat("a", 2000), strings.Repeat("a", 1000)}},
		{name: "5000 characters of Vietnamese", s: long, max: 0, n: 3},
		{name: "5000 emoji", s: strings.Repeat("🎉", 5000), max: 0, n: 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitText(tc.s, tc.max)
			if tc.want != nil {
				if len(tc.want) == 0 && got != nil {
					t.Fatalf("got %q, want nil", got)
				}
				if strings.Join(got, "|") != strings.Join(tc.want, "|") {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			}
			if tc.n != 0 && len(got) != tc.n {
				t.Errorf("%d chunks, want %d", len(got), tc.n)
			}
			checkChunks(t, tc.s, got, tc.max)
		})
	}
}

// checkChunks verifies the invariants: no chunk is empty or over max
// (unless a single cluster is), each is valid NFC UTF-8 that does not
// start with a combining mark or ZWJ, and together they hold all the
// non-space text in order.
func checkChunks(t *testing.T, s string, chunks []string, max int) {
	t.Helper()
	if max <= 0 {
		max = MaxTextLength
	}
	for i, c := range chunks {
		if c == "" {
			t.Errorf("chunk %d is empty", i)
			continue
		}
		if !utf8.ValidString(c) || !norm.NFC.IsNormalString(c) {
			t.Errorf("chunk %d %q is not valid NFC", i, c)
		}
		if n := UTF16Len(c); n > max && utf8.RuneCountInString(c) > 1 {
			t.Errorf("chunk %d has %d UTF-16 units, max %d", i, n, max)
		}
		first, _ := utf8.DecodeRuneInString(c)
		last, _ := utf8.DecodeLastRuneInString(c)
		if i > 0 && (isExtend(first) && max > 4) {
			t.Errorf("chunk %d starts with %U", i, first)
		}
		if last == '\u200d' && max > 4 {
			t.Errorf("chunk %d ends with ZWJ", i)
		}
		if i > 0 && unicode.IsSpace(first) || i < len(chunks)-1 && unicode.IsSpace(last) {
			t.Errorf("chunk %d %q has whitespace at a cut", i, c)
		}
	}
	strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if got, want := strip(strings.Join(chunks, "")), strip(norm.NFC.String(s)); got != want {
		t.Errorf("chunks lose text: %d vs %d bytes", len(got), len(want))
	}
}

func TestSplitTextPrefersFullChunks(t *testing.T) {
	chunks := SplitText(vietnameseText(5000), 0)
	for i, c := range chunks[:len(chunks)-1] {
		if n := UTF16Len(c); n < MaxTextLength/2 {
			t.Errorf("chunk %d has only %d units", i, n)
		}
		if !strings.HasSuffix(c, ".") { // the text breaks lines and spaces only after sentences
			t.Errorf("chunk %d ends mid-sentence: …%q", i, c[len(c)-20:])
		}
	}
}
