package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// funcs are the template helpers: money as 1.500.000 đ, dates as
// dd/mm/yyyy in the union's zone, names of roles and statuses.
func funcs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"vnd":      cd.FormatVND,
		"num":      func(n any) string { return cd.GroupThousands(toInt64(n)) },
		"date":     func(d cd.Date) string { return d.Display() },
		"datetime": func(t time.Time) string { return cd.FormatDateTime(t.In(loc)) },
		"day":      func(t time.Time) string { return cd.FormatDate(t.In(loc)) },
		"pct":      func(part, whole int64) int64 { return min(cd.Percent(part, whole), 100) },
		"role":     func(r any) string { return roleNames[fmt.Sprint(r)] },
		"status":   func(s any) string { return statusNames[fmt.Sprint(s)] },
		"pstatus":  func(s any) string { return pledgeStatusNames[fmt.Sprint(s)] },
		"audience": func(a any) string { return audienceNames[fmt.Sprint(a)] },
		"astatus":  func(s any) string { return announcementStatusNames[fmt.Sprint(s)] },
		"action": func(a string) string {
			if n, ok := actionNames[a]; ok {
				return n
			}
			return a
		},
		"truncate": cd.Truncate,
		"dur": func(d time.Duration) string {
			if d < time.Minute {
				return "dưới 1 phút"
			}
			return fmt.Sprintf("khoảng %d phút", int(d.Round(time.Minute).Minutes()))
		},
		"add": func(a, b int) int { return a + b },
	}
}

func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

// pager is a list's page: where it is and links to the others, keeping
// the list's filters.
type pager struct {
	Total, Page, Pages int
	Prev, Next         string
	From, To           int
}

// pageOf reads ?trang= and returns the window of a list of size per page.
func pageOf(r *http.Request, size int) (storage.Page, int) {
	n, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	n = max(n, 1)
	return storage.Page{Offset: (n - 1) * size, Limit: size}, n
}

// newPager builds the links of a list of total rows, on page n.
func newPager(r *http.Request, total, n, size int) pager {
	p := pager{Total: total, Page: n, Pages: max((total+size-1)/size, 1)}
	if total > 0 {
		p.From, p.To = (n-1)*size+1, min(n*size, total)
	}
	link := func(k int) string {
		q := r.URL.Query()
		q.Set("trang", strconv.Itoa(k))
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return u.String()
	}
	if n > 1 {
		p.Prev = link(n - 1)
	}
	if n < p.Pages {
		p.Next = link(n + 1)
	}
	return p
}

// queryInt reads a number from the query; 0 when absent or wrong.
func queryInt(r *http.Request, key string) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get(key), 10, 64)
	return n
}

// formInt reads a number from a posted form.
func formInt(r *http.Request, key string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(key), 10, 64)
	return n
}

// pathID reads the {id} of the path.
func pathID(r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return n, err == nil && n > 0
}

// monthOf reads ?thang=YYYY-MM (or mm/yyyy); this month by default.
func monthOf(r *http.Request, now time.Time, loc *time.Location) cd.Month {
	if m, err := cd.ParseMonth(r.URL.Query().Get("thang")); err == nil && r.URL.Query().Get("thang") != "" {
		return m
	}
	return cd.MonthOf(now, loc)
}

// recentMonths are the months offered in a month picker: this one and
// the eleven before, plus m when it is older.
func recentMonths(now time.Time, loc *time.Location, m cd.Month) []cd.Month {
	cur := cd.MonthOf(now, loc)
	var out []cd.Month
	found := false
	for range 12 {
		out = append(out, cur)
		found = found || cur == m
		cur = cur.Prev()
	}
	if !found {
		out = append(out, m)
	}
	return out
}

// unitChoice is a unit in a filter's list.
type unitChoice struct {
	ID       int64
	Label    string
	Selected bool
}
