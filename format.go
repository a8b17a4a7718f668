package congdoanbot

import (
	"strconv"
	"time"
)

// DefaultTimeZone is the zone of the union's members (UTC+7, no DST).
const DefaultTimeZone = "Asia/Ho_Chi_Minh"

// FormatVND formats whole đồng the way Vietnamese write money: "1.500.000 đ".
func FormatVND(amount int64) string {
	return GroupThousands(amount) + " đ"
}

// GroupThousands writes n with dots between groups of three digits.
func GroupThousands(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	s := strconv.FormatUint(u, 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// FormatDate writes t as dd/mm/yyyy in t's location.
func FormatDate(t time.Time) string { return t.Format("02/01/2006") }

// FormatDateTime writes t as dd/mm/yyyy hh:mm in t's location.
func FormatDateTime(t time.Time) string { return t.Format("02/01/2006 15:04") }
