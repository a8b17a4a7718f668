package zalo

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTextLength is Zalo's limit for a message text or a photo caption. The
// docs say "2000 characters"; we count UTF-16 units (as openclaw does),
// which is never fewer than characters, so a text within it is accepted
// whichever way Zalo counts.
const MaxTextLength = 2000

// UTF16Len is the length of s in UTF-16 code units (characters outside the
// Basic Multilingual Plane, such as most emoji, count 2). Invalid UTF-8
// bytes count 1 each, as the U+FFFD they decode to.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if w := utf16.RuneLen(r); w > 0 {
			n += w
		} else {
			n++
		}
	}
	return n
}

// SplitText cuts s into chunks of at most max UTF-16 units (MaxTextLength
// when max <= 0) for sendMessage. The text is first normalised to NFC, so
// decomposed Vietnamese diacritics (e + U+0302 + U+0301) count as the one
// precomposed letter they display as. Each chunk ends, by preference, at a
// paragraph break, then a line break, then a space, provided that leaves
// the chunk at least half full; failing that at the last of them anywhere;
// failing that (one long word) between two characters, never inside a
// surrogate pair, between a letter and its combining marks, or inside an
// emoji sequence. The whitespace at a cut is dropped. A text that fits is
// returned whole, untouched but for NFC; "" gives nil. Only an absurdly
// small max bends the rules: an emoji sequence longer than max is cut
// between its characters, and a character longer than max (an emoji, 2
// units, with max 1) makes a chunk of its own.
func SplitText(s string, max int) []string {
	if max <= 0 {
		max = MaxTextLength
	}
	s = norm.NFC.String(s)
	var out []string
	for s != "" {
		limit, fits := prefixWithin(s, max)
		if fits {
			out = append(out, s)
			break
		}
		cut, atSpace := cutPoint(s, limit, max)
		if cut == 0 { // the first cluster alone exceeds max: cut inside it
			cut = limit
			if cut == 0 { // so does its first character
				_, cut = utf8.DecodeRuneInString(s)
			}
		}
		chunk, rest := s[:cut], s[cut:]
		if atSpace {
			chunk = strings.TrimRight(chunk, " \t\r\n")
			rest = strings.TrimLeft(rest, " \t\r\n")
		}
		if chunk != "" {
			out = append(out, chunk)
		}
		s = rest
	}
	return out
}

// prefixWithin returns the byte length of the longest prefix of s, ending
// on a rune boundary, that is at most max UTF-16 units, and whether that is
// all of s.
func prefixWithin(s string, max int) (int, bool) {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > max {
			return i, false
		}
		units += w
	}
	return len(s), true
}

// cutPoint chooses where to end a chunk of s within its first limit bytes
// (which fit in max units and are followed by more text). atSpace says the
// cut is at whitespace, which is then trimmed; 0 means no place was found.
func cutPoint(s string, limit, max int) (cut int, atSpace bool) {
	window, half := s[:limit], max/2
	best := 0
	for _, sep := range []string{"\n\n", "\n", " ", "\t"} {
		i := strings.LastIndex(window, sep)
		if i <= 0 {
			continue
		}
		if UTF16Len(window[:i]) >= half {
			return i, true
		}
		best = maxInt(best, i)
	}
	if best > 0 {
		return best, true
	}
	// One long word: cut at the last cluster boundary.
	for i := limit; i > 0; {
		if isBoundary(s, i) {
			return i, false
		}
		_, size := utf8.DecodeLastRuneInString(window[:i])
		i -= size
	}
	return 0, false
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// isBoundary reports whether a chunk may end at byte i of s, 0 < i <=
// len(s). It is a simplified grapheme-cluster rule: no break
// before a combining mark, ZWJ, variation selector, emoji modifier or tag,
// after a ZWJ, inside CR LF, or inside a pair of regional indicators.
func isBoundary(s string, i int) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	if i == len(s) {
		return true
	}
	if prev == '\u200d' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[i:])
	if prev == '\r' && next == '\n' {
		return false
	}
	if isExtend(next) {
		return false
	}
	if isRegional(next) && isRegional(prev) {
		// Break only after an even number of regional indicators.
		n := 0
		for j := i; j > 0; {
			r, size := utf8.DecodeLastRuneInString(s[:j])
			if !isRegional(r) {
				break
			}
			n++
			j -= size
		}
		return n%2 == 0
	}
	return true
}

func isExtend(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r == '\u200d' || // zero width joiner
		r >= 0x1F3FB && r <= 0x1F3FF || // emoji skin tone modifiers
		r >= 0xE0020 && r <= 0xE007F // tag characters (flag sequences)
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
