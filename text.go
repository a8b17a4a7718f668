package congdoanbot

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Fold reduces s to a key for matching what people type: Unicode NFC,
// lower case, Vietnamese diacritics removed (đ becomes d), runs of spaces
// collapsed and the ends trimmed. "Đăng  KÝ" and "dang ky" fold alike.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// CleanText normalises text a person typed: NFC, trimmed, inner whitespace
// runs collapsed to one space. It keeps diacritics and case.
func CleanText(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// HasControl reports whether s holds a control or format character other
// than ordinary whitespace (tab, newline, carriage return).
func HasControl(s string) bool {
	for _, r := range s {
		if r == '\n' || r == '\t' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// Truncate shortens s to at most n runes, ending with "…" when cut.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for pos := range s {
		if i == n-1 {
			if len([]rune(s[pos:])) > 1 {
				return s[:pos] + "…"
			}
			return s
		}
		i++
	}
	return s
}

// trimLines normalises a multi-line text: NFC, each line's inner spaces
// collapsed and ends trimmed, runs of blank lines kept to one.
func trimLines(s string) string {
	var out []string
	blank := false
	for _, line := range strings.Split(norm.NFC.String(s), "\n") {
		line = CleanText(line)
		if line == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// viCollator orders Vietnamese text as a Vietnamese reader expects (a, ă,
// â, b, …, đ after d; tones after the letter). A Collator is not safe for
// concurrent use, hence the lock.
var (
	viMu       sync.Mutex
	viCollator = collate.New(language.Vietnamese)
)

// CompareVietnamese compares two texts in Vietnamese alphabetical order.
func CompareVietnamese(a, b string) int {
	viMu.Lock()
	defer viMu.Unlock()
	return viCollator.CompareString(a, b)
}

// CompareNames compares two full names the way Vietnamese lists are
// ordered: by given name (the last word), then by the whole name.
func CompareNames(a, b string) int {
	if c := CompareVietnamese(givenName(a), givenName(b)); c != 0 {
		return c
	}
	return CompareVietnamese(a, b)
}

func givenName(full string) string {
	f := strings.Fields(full)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}
