package congdoanbot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a civil date (no time, no zone), as written on a report.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseISODate reads "2006-01-02".
func ParseISODate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: %w", s, err)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String is the ISO form "2006-01-02", used for storage.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Display is the Vietnamese form "dd/mm/yyyy".
func (d Date) Display() string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// Short is "dd/mm".
func (d Date) Short() string { return fmt.Sprintf("%02d/%02d", d.Day, d.Month) }

// IsZero reports whether d is the zero date.
func (d Date) IsZero() bool { return d == Date{} }

// Time is midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.String() < e.String() }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.String() > e.String() }

// DaysSince is the number of days from e to d.
func (d Date) DaysSince(e Date) int {
	return int(d.Time(time.UTC).Sub(e.Time(time.UTC)).Hours() / 24)
}

// Month is the month d falls in.
func (d Date) MonthOf() Month { return Month{d.Year, d.Month} }

// ParseDateInput reads a date as people type it, relative to today:
// "hôm nay", "hôm qua", "hôm kia", "25/11", "25/11/2026", "25-11-2026",
// "25.11.26". Without a year, the date is taken in today's year, or the
// year before when that would put it in the future.
func ParseDateInput(s string, today Date) (Date, error) {
	f := Fold(s)
	switch f {
	case "hom nay", "nay", "today":
		return today, nil
	case "hom qua", "qua", "yesterday":
		return today.AddDays(-1), nil
	case "hom kia":
		return today.AddDays(-2), nil
	}
	parts := strings.FieldsFunc(f, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) < 2 || len(parts) > 3 {
		return Date{}, Invalid(ReasonDateFormat)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, Invalid(ReasonDateFormat)
		}
		nums[i] = n
	}
	day, month, year := nums[0], nums[1], today.Year
	yearGiven := len(nums) == 3
	if yearGiven {
		year = nums[2]
		if len(parts[2]) == 2 {
			year += 2000
		} else if len(parts[2]) != 4 {
			return Date{}, Invalid(ReasonDateFormat)
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return Date{}, Invalid(ReasonDateFormat)
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // 31/02 and the like
		return Date{}, Invalid(ReasonDateFormat)
	}
	d := Date{t.Year(), t.Month(), t.Day()}
	if !yearGiven && d.After(today) {
		d.Year--
	}
	return d, nil
}

// Month is a calendar month, the period of unit reports.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month of t in loc.
func MonthOf(t time.Time, loc *time.Location) Month {
	y, m, _ := t.In(loc).Date()
	return Month{y, m}
}

// ParseMonth reads "2026-11" (storage, command line) or "11/2026",
// "11-2026", "11/26" (chat).
func ParseMonth(s string) (Month, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01", s); err == nil {
		return Month{t.Year(), t.Month()}, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) == 2 {
		m, err1 := strconv.Atoi(parts[0])
		y, err2 := strconv.Atoi(parts[1])
		if len(parts[1]) == 2 {
			y += 2000
		}
		if err1 == nil && err2 == nil && m >= 1 && m <= 12 && y >= 2000 && y <= 9999 {
			return Month{y, time.Month(m)}, nil
		}
	}
	return Month{}, Invalid(ReasonMonthFormat)
}

// String is "2006-01".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// Display is "mm/yyyy".
func (m Month) Display() string { return fmt.Sprintf("%02d/%04d", m.Month, m.Year) }

// First and Last are the month's first and last days.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last is the month's last day.
func (m Month) Last() Date { return m.Next().First().AddDays(-1) }

// Next is the month after m.
func (m Month) Next() Month {
	if m.Month == 12 {
		return Month{m.Year + 1, 1}
	}
	return Month{m.Year, m.Month + 1}
}

// Prev is the month before m.
func (m Month) Prev() Month {
	if m.Month == 1 {
		return Month{m.Year - 1, 12}
	}
	return Month{m.Year, m.Month - 1}
}

// Day returns day n of the month, clamped to its last day.
func (m Month) Day(n int) Date {
	last := m.Last()
	if n > last.Day {
		return last
	}
	return Date{m.Year, m.Month, n}
}
