package web

import (
	"net/http"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type fundRow struct {
	Fund                  cd.Fund
	Pledged, Paid         int64
	Pledges, Donors       int64
	Target                int64
	Unit                  bool // the figures are the chair's unit's part
	PaidPercent, OfTarget int64
}

// funds is /quy: every fund with its totals (a chair: their unit's part).
func (s *Server) funds(w http.ResponseWriter, r *http.Request, ss *session) {
	var rows []fundRow
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		funds, err := tx.Funds(false)
		if err != nil {
			return err
		}
		for _, f := range funds {
			ft, err := tx.FundTotals(f.ID)
			if err != nil {
				return err
			}
			row := fundRow{Fund: f, Pledged: ft.Pledged, Paid: ft.Paid, Pledges: ft.Pledges, Donors: ft.Donors, Target: f.Target}
			if !ss.access.Province() {
				row = fundRow{Fund: f, Unit: true}
				for _, ut := range ft.Units {
					if ut.UnitID == ss.access.UnitID() {
						row.Pledged, row.Paid, row.Pledges, row.Donors = ut.Pledged, ut.Paid, ut.Pledges, ut.Donors
					}
				}
			}
			row.PaidPercent = min(cd.Percent(row.Paid, row.Pledged), 100)
			if row.Target > 0 {
				row.OfTarget = min(cd.Percent(row.Paid, row.Target), 100)
			}
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	s.render(w, http.StatusOK, "funds", &page{Title: titleFunds, Nav: "quy", Access: ss.access, CSRF: ss.csrf, Flash: ss.flash, Data: rows})
}

type fundData struct {
	Fund     *cd.Fund
	Totals   *cd.FundTotals
	Units    []unitChoice
	OpenOnly bool
	Pledges  []cd.Pledge
	Pager    pager
	Today    string // yyyy-mm-dd, the default date of a payment
	Back     string
	MeID     int64
}

// fund is /quy/{id}: a fund's pledges (a chair: their unit's), with the
// form that confirms a payment on each open one.
func (s *Server) fund(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	d := fundData{OpenOnly: r.URL.Query().Get("mo") == "1", Back: r.URL.RequestURI(), MeID: ss.access.Member.ID}
	q := storage.PledgeQuery{FundID: id, UnitID: queryInt(r, "don_vi"), OpenOnly: d.OpenOnly}
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		err := scopeUnit(tx, r, ss, &q.UnitID)
		if err != nil {
			return err
		}
		if d.Fund, err = tx.FundByID(id); err != nil {
			return err
		}
		if d.Totals, err = tx.FundTotals(id); err != nil {
			return err
		}
		if d.Units, err = unitChoices(tx, ss, q.UnitID); err != nil {
			return err
		}
		d.Today = cd.DateOf(tx.Now(), s.core.Location()).String()
		pg, n := pageOf(r, s.cfg.PageSize)
		ps, total, err := tx.PledgesPage(q, pg)
		d.Pledges, d.Pager = ps, newPager(r, total, n, s.cfg.PageSize)
		return err
	})
	s.show(w, r, ss, err, "fund", func() *page { return &page{Title: d.Fund.Name, Nav: "quy", Data: &d} })
}

// confirmPayment records a payment through the core, as /xacnhan does:
// the amount as typed ("500k", empty for all that is left) and the date.
func (s *Server) confirmPayment(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := cd.ParseISODate(strings.TrimSpace(r.PostFormValue("ngay")))
	if err != nil {
		s.setFlash(w, false, txtBadDate)
		http.Redirect(w, r, back(r, "/quy"), http.StatusSeeOther)
		return
	}
	amount := strings.TrimSpace(r.PostFormValue("so_tien"))
	if r.PostFormValue("cach") == "du" {
		amount = ""
	} else if amount == "" {
		s.setFlash(w, false, txtBadAmount)
		http.Redirect(w, r, back(r, "/quy"), http.StatusSeeOther)
		return
	}
	text, err := s.core.ConfirmPayment(r.Context(), ss.access.Member.ID, id, amount, d)
	s.done(w, r, ss, back(r, "/quy"), text, err)
}
