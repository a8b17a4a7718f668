package web

import (
	"net/http"
	"sort"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// unitRow is a grassroots union's line of the month.
type unitRow struct {
	U         *cd.UnitMonth
	Status    string // "nop", "muon", "chua", "tre" (not submitted, past the deadline)
	Submitted string
}

// scoreRow is a unit's place in a campaign.
type scoreRow struct {
	Rank  int
	Unit  cd.Unit
	Score float64
	Lines []cd.ProgressLine
}

// scoreboard is one campaign's ranking.
type scoreboard struct {
	Campaign cd.Campaign
	Rows     []scoreRow
}

type overviewData struct {
	Month                    cd.Month
	Months                   []cd.Month
	Summary                  *cd.ProvinceSummary
	KindTotals               []kindTotal
	Rows                     []unitRow
	Pager                    pager
	Active, Reporters        int
	Submitted, Late, Missing int
	Deadline                 cd.Date
	Scoreboards              []scoreboard
	Funds                    []cd.FundSummary
	NotReported              []string
	Province                 bool
	ChartURL                 string
}

type kindTotal struct {
	Kind  cd.ActivityKind
	Total cd.KindTotal
}

// overview is / (Tổng quan): the month of the province, or of a chair's
// unit, by the same summary the chat's /tonghop gives.
func (s *Server) overview(w http.ResponseWriter, r *http.Request, ss *session) {
	loc := s.core.Location()
	var d overviewData
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		now := tx.Now()
		d.Month = monthOf(r, now, loc)
		d.Months = recentMonths(now, loc, d.Month)
		sum, err := s.core.Summary(tx, d.Month, false)
		if err != nil {
			return err
		}
		d.Summary, d.Deadline, d.Province = sum, s.core.Deadline(d.Month), ss.access.Province()
		return s.fillOverview(tx, &d, ss, r, now)
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	s.render(w, http.StatusOK, "overview", &page{Title: titleOverview, Nav: "tong-quan", Access: ss.access, CSRF: ss.csrf,
		Flash: ss.flash, Data: &d})
}

func (s *Server) fillOverview(tx *storage.Tx, d *overviewData, ss *session, r *http.Request, now time.Time) error {
	sum := d.Summary
	units := sum.Units
	d.Funds = sum.Funds
	totals := sum.Totals
	if !d.Province {
		units = nil
		for i := range sum.Units {
			if sum.Units[i].Unit.ID == ss.access.UnitID() {
				units = sum.Units[i : i+1]
			}
		}
		if len(units) == 1 {
			if err := s.core.UnitNotReported(tx, &units[0], d.Month); err != nil {
				return err
			}
			d.NotReported, d.Funds, totals = units[0].NotReported, units[0].Funds, units[0].Totals
		}
	} else {
		d.ChartURL = "/bieu-do.png?thang=" + d.Month.String()
	}
	for _, k := range sum.Kinds {
		if t, ok := totals[k.Code]; ok && t.Count > 0 {
			d.KindTotals = append(d.KindTotals, kindTotal{Kind: k, Total: t})
		}
	}
	rows := make([]unitRow, len(units))
	for i := range units {
		u := &units[i]
		d.Active += u.ActiveMembers
		d.Reporters += u.Reporters
		rows[i] = unitRow{U: u, Status: "chua"}
		switch {
		case u.Report != nil && u.Report.Late:
			rows[i].Status, rows[i].Submitted = "muon", cd.FormatDate(u.Report.SubmittedAt.In(s.core.Location()))
			d.Submitted++
			d.Late++
		case u.Report != nil:
			rows[i].Status, rows[i].Submitted = "nop", cd.FormatDate(u.Report.SubmittedAt.In(s.core.Location()))
			d.Submitted++
		default:
			d.Missing++
			if u.Late(d.Deadline, now, s.core.Location()) {
				rows[i].Status = "tre"
			}
		}
	}
	pg, n := pageOf(r, s.cfg.PageSize)
	d.Pager = newPager(r, len(rows), n, s.cfg.PageSize)
	d.Rows = rows[min(pg.Offset, len(rows)):min(pg.Offset+pg.Limit, len(rows))]
	d.Scoreboards = scoreboards(units)
	return nil
}

// scoreboards ranks the units of each campaign by score, the first ten.
func scoreboards(units []cd.UnitMonth) []scoreboard {
	if len(units) == 0 {
		return nil
	}
	var out []scoreboard
	for j, c := range units[0].Campaigns {
		sb := scoreboard{Campaign: c.Campaign}
		for i := range units {
			cp := units[i].Campaigns[j]
			sb.Rows = append(sb.Rows, scoreRow{Unit: units[i].Unit, Score: cp.Score, Lines: cp.Lines})
		}
		sort.SliceStable(sb.Rows, func(a, b int) bool { return sb.Rows[a].Score > sb.Rows[b].Score })
		for i := range sb.Rows {
			sb.Rows[i].Rank = i + 1
			if i > 0 && sb.Rows[i].Score == sb.Rows[i-1].Score {
				sb.Rows[i].Rank = sb.Rows[i-1].Rank
			}
		}
		sb.Rows = sb.Rows[:min(len(sb.Rows), 10)]
		out = append(out, sb)
	}
	return out
}

// chart is the month's chart (province only), as /tonghop sends it.
func (s *Server) chart(w http.ResponseWriter, r *http.Request, ss *session) {
	if !ss.access.Province() {
		s.fail(w, r, ss, forbidden(r, ss, cd.ReasonProvinceOnly))
		return
	}
	var png []byte
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		sum, err := s.core.Summary(tx, monthOf(r, tx.Now(), s.core.Location()), false)
		if err != nil {
			return err
		}
		png, err = s.core.Chart(sum)
		return err
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}
