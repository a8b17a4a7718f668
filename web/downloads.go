package web

import (
	"bytes"
	"net/http"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/export"
	"github.com/congdoanbot/congdoanbot/storage"
)

type downloadsData struct {
	Month  cd.Month
	Months []cd.Month
	Funds  []cd.Fund
}

// downloads is /tai-ve: the files the command line exports (members,
// activities, pledges as CSV; the monthly report as XLSX), of the
// member's unit for a chair.
func (s *Server) downloads(w http.ResponseWriter, r *http.Request, ss *session) {
	var d downloadsData
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		d.Month = monthOf(r, tx.Now(), s.core.Location())
		d.Months = recentMonths(tx.Now(), s.core.Location(), d.Month)
		var err error
		d.Funds, err = tx.Funds(false)
		return err
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	s.render(w, http.StatusOK, "downloads", &page{Title: titleDownloads, Nav: "tai-ve", Access: ss.access, CSRF: ss.csrf, Flash: ss.flash, Data: &d})
}

// download writes one file, built by the same code as the command line's
// export. A chair's files hold their own unit's rows only.
func (s *Server) download(w http.ResponseWriter, r *http.Request, ss *session) {
	keep, err := s.keeper(r, ss)
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	ctx := r.Context()
	var buf bytes.Buffer
	name := r.PathValue("file")
	var m cd.Month
	if name == "hoat-dong.csv" || name == "bao-cao.xlsx" {
		if m, err = cd.ParseMonth(r.URL.Query().Get("thang")); err != nil {
			s.fail(w, r, ss, err)
			return
		}
	}
	mime := "text/csv; charset=utf-8"
	switch name {
	case "doan-vien.csv":
		err = export.Members(ctx, s.db, &buf, keep)
	case "hoat-dong.csv":
		err = export.Activities(ctx, s.db, storage.ActivityFilter{Month: m, UnitID: ss.access.UnitID()}, &buf, keep)
	case "ung-ho.csv":
		err = export.Pledges(ctx, s.db, storage.PledgeFilter{FundID: queryInt(r, "quy")}, &buf, keep)
	case "bao-cao.xlsx":
		mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = s.view(ctx, func(tx *storage.Tx) error {
			data, err := s.core.ReportXLSX(tx, m, ss.access.UnitID())
			buf.Write(data)
			return err
		})
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	if m != (cd.Month{}) {
		name = strings.Replace(name, ".", "-"+m.String()+".", 1)
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}

// keeper is the rows a member may download: every row for the province,
// the rows of a chair's unit and its sub-units.
func (s *Server) keeper(r *http.Request, ss *session) (export.Keep, error) {
	if ss.access.Province() {
		return nil, nil
	}
	mine := map[int64]bool{}
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		units, err := tx.Units(cd.UnitFilter{})
		for _, u := range units {
			if ss.access.SeesUnit(u.ID, u.ParentID) {
				mine[u.ID] = true
			}
		}
		return err
	})
	return func(unitID int64) bool { return mine[unitID] }, err
}
