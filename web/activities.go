package web

import (
	"errors"
	"net/http"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type activityRow struct {
	A *cd.Activity
	// PhotoURL serves a photo kept in the database; Elsewhere marks one
	// kept by the chat platform (a Telegram file), not shown here.
	PhotoURL  string
	Elsewhere bool
}

type activitiesData struct {
	Month     cd.Month
	AllMonths bool
	Months    []cd.Month
	Units     []unitChoice
	Kinds     []option
	Campaigns []option
	Rows      []activityRow
	Pager     pager
}

// activities is /hoat-dong: the activity reports with their photos, by
// month, unit, kind and campaign, newest first.
func (s *Server) activities(w http.ResponseWriter, r *http.Request, ss *session) {
	var d activitiesData
	q := storage.ActivityQuery{UnitID: queryInt(r, "don_vi"), Kind: r.URL.Query().Get("loai"), CampaignID: queryInt(r, "phong_trao")}
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		err := scopeUnit(tx, r, ss, &q.UnitID)
		if err != nil {
			return err
		}
		d.Month = monthOf(r, tx.Now(), s.core.Location())
		d.Months = recentMonths(tx.Now(), s.core.Location(), d.Month)
		if d.AllMonths = r.URL.Query().Get("thang") == "tat-ca"; !d.AllMonths {
			q.Month = d.Month
		}
		if err := s.activityFilters(tx, ss, &d, q); err != nil {
			return err
		}
		pg, n := pageOf(r, s.cfg.PageSize)
		as, total, err := tx.ActivitiesPage(q, pg)
		if err != nil {
			return err
		}
		d.Pager = newPager(r, total, n, s.cfg.PageSize)
		for i := range as {
			row := activityRow{A: &as[i]}
			if _, ok := cd.ParseMediaRef(as[i].Photo); ok {
				row.PhotoURL = "/hoat-dong/" + itoa(as[i].ID) + "/anh"
			} else if as[i].Photo != "" {
				row.Elsewhere = true
			}
			d.Rows = append(d.Rows, row)
		}
		return nil
	})
	s.show(w, r, ss, err, "activities", func() *page { return &page{Title: titleActivities, Nav: "hoat-dong", Data: &d} })
}

func (s *Server) activityFilters(tx *storage.Tx, ss *session, d *activitiesData, q storage.ActivityQuery) error {
	var err error
	if d.Units, err = unitChoices(tx, ss, q.UnitID); err != nil {
		return err
	}
	kinds, err := tx.ActivityKinds(false)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		d.Kinds = append(d.Kinds, option{Value: k.Code, Label: k.Name, Selected: k.Code == q.Kind})
	}
	cs, err := tx.Campaigns(cd.Date{})
	if err != nil {
		return err
	}
	for _, c := range cs {
		d.Campaigns = append(d.Campaigns, option{Value: itoa(c.ID), Label: c.Name, Selected: c.ID == q.CampaignID})
	}
	return nil
}

// photo serves the photo of a report the member may see.
func (s *Server) photo(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	var ref string
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		a, err := tx.ActivityByID(id)
		if err != nil {
			return err
		}
		if !ss.access.Province() && a.UnitID != ss.access.UnitID() {
			return forbidden(r, ss, cd.ReasonOtherUnit)
		}
		ref = a.Photo
		return nil
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	mid, ok := cd.ParseMediaRef(ref)
	if !ok {
		s.notFound(w, r)
		return
	}
	mime, data, err := s.db.Media(r.Context(), mid)
	if errors.Is(err, storage.ErrMediaNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	if mime != "image/jpeg" && mime != "image/png" && mime != "image/webp" && mime != "image/gif" {
		mime = "application/octet-stream"
	}
	w.Header().Set("Content-Type", mime)
	_, _ = w.Write(data)
}
