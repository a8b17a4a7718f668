package web

import (
	"net/http"
	"strconv"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type unitsData struct {
	Month   cd.Month
	Units   []cd.Unit
	Reports map[int64]cd.UnitReport
	Parents []cd.Unit // where the province may add a unit
	Pager   pager
}

// units is /don-vi: the units with their members and this month's report;
// a chair sees their own; the province adds units.
func (s *Server) units(w http.ResponseWriter, r *http.Request, ss *session) {
	var d unitsData
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		d.Month = cd.MonthOf(tx.Now(), s.core.Location())
		all, err := tx.Units(cd.UnitFilter{Search: r.URL.Query().Get("q")})
		if err != nil {
			return err
		}
		var shown []cd.Unit
		for _, u := range all {
			if u.Kind == cd.UnitProvince {
				if ss.access.Province() {
					d.Parents = append(d.Parents, u)
				}
				continue
			}
			if u.Kind == cd.UnitGrassroots && ss.access.Province() {
				d.Parents = append(d.Parents, u)
			}
			if ss.access.SeesUnit(u.ID, u.ParentID) {
				shown = append(shown, u)
			}
		}
		pg, n := pageOf(r, s.cfg.PageSize)
		d.Pager = newPager(r, len(shown), n, s.cfg.PageSize)
		d.Units = shown[min(pg.Offset, len(shown)):min(pg.Offset+pg.Limit, len(shown))]
		d.Reports, err = tx.UnitReports(d.Month)
		return err
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	s.render(w, http.StatusOK, "units", &page{Title: titleUnits, Nav: "don-vi", Access: ss.access, CSRF: ss.csrf, Flash: ss.flash, Data: &d})
}

// addUnit adds a unit through the core, as /donvi does.
func (s *Server) addUnit(w http.ResponseWriter, r *http.Request, ss *session) {
	text, err := s.core.AddUnit(r.Context(), ss.access.Member.ID, r.PostFormValue("ten"), r.PostFormValue("ma"), formInt(r, "cap_tren"))
	s.done(w, r, ss, "/don-vi", text, err)
}

type unitData struct {
	Unit     *cd.Unit
	Month    cd.Month
	Months   []cd.Month
	Totals   []kindTotal
	Report   *cd.UnitReport
	Members  []cd.Member
	Pager    pager
	Deadline cd.Date
}

// unit is /don-vi/{id}: a unit's month and members. A chair may open
// their own unit (and its sub-units) only.
func (s *Server) unit(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	var d unitData
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		u, err := tx.UnitByID(id)
		if err != nil {
			return err
		}
		if !ss.access.SeesUnit(u.ID, u.ParentID) {
			return forbidden(r, ss, cd.ReasonOtherUnit)
		}
		d.Unit = u
		d.Month = monthOf(r, tx.Now(), s.core.Location())
		d.Months = recentMonths(tx.Now(), s.core.Location(), d.Month)
		d.Deadline = s.core.Deadline(d.Month)
		return s.fillUnit(tx, &d, r)
	})
	s.show(w, r, ss, err, "unit", func() *page { return &page{Title: d.Unit.Name, Nav: "don-vi", Data: &d} })
}

func (s *Server) fillUnit(tx *storage.Tx, d *unitData, r *http.Request) error {
	if d.Unit.Kind == cd.UnitGrassroots {
		totals, err := tx.MonthTotals(d.Month, d.Unit.ID)
		if err != nil {
			return err
		}
		kinds, err := tx.ActivityKinds(false)
		if err != nil {
			return err
		}
		for _, k := range kinds {
			if t, ok := totals[d.Unit.ID][k.Code]; ok {
				d.Totals = append(d.Totals, kindTotal{Kind: k, Total: t})
			}
		}
		if d.Report, err = tx.UnitReport(d.Unit.ID, d.Month); err != nil && cd.ErrorCode(err) != cd.ENOTFOUND {
			return err
		}
	}
	pg, n := pageOf(r, s.cfg.PageSize)
	ms, total, err := tx.MembersPage(cd.MemberFilter{UnitID: d.Unit.ID, WithSubUnits: true}, pg)
	if err != nil {
		return err
	}
	d.Members, d.Pager = ms, newPager(r, total, n, s.cfg.PageSize)
	return nil
}

// unitChoices lists the units a member may filter by: a chair's own and
// its sub-units, every unit for the province.
func unitChoices(tx *storage.Tx, ss *session, selected int64) ([]unitChoice, error) {
	all, err := tx.Units(cd.UnitFilter{})
	if err != nil {
		return nil, err
	}
	var out []unitChoice
	for _, u := range all {
		if u.Kind == cd.UnitProvince && !ss.access.Province() || !ss.access.SeesUnit(u.ID, u.ParentID) && u.Kind != cd.UnitProvince {
			continue
		}
		label := u.Name + " (" + u.Code + ")"
		if u.Kind == cd.UnitSub {
			label = "— " + label
		}
		out = append(out, unitChoice{ID: u.ID, Label: label, Selected: u.ID == selected})
	}
	return out, nil
}

// scopeUnit checks the unit a filter asks for: 0 (none) narrows to a
// chair's own unit, another must be one the member sees (else the
// forbidden error, which fail answers with 403).
func scopeUnit(tx *storage.Tx, r *http.Request, ss *session, id *int64) error {
	if *id == 0 {
		*id = ss.access.UnitID() // a chair's own unit; 0 (all) for the province
		return nil
	}
	u, err := tx.UnitByID(*id)
	if err != nil {
		return err
	}
	if !ss.access.SeesUnit(u.ID, u.ParentID) {
		return forbidden(r, ss, cd.ReasonOtherUnit)
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
