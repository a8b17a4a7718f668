package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type announcementRow struct {
	A        cd.Announcement
	Delivery *cd.Delivery // for one being sent or sent
	Open     bool         // scheduled or sending: may be cancelled
}

// draftForm is the compose form as posted, shown again with the preview.
type draftForm struct {
	Text     string
	Audience string
	UnitIDs  []int64
	When     string // "ngay" or "hen"
	At       string // datetime-local value
}

type announceData struct {
	Draft   draftForm
	Units   []unitChoice
	Preview *bot.AnnouncementPreview
	Rows    []announcementRow
	Pager   pager
}

// announcements is /thong-bao (province only): compose an announcement,
// follow those sent or scheduled, cancel what is not yet sent.
func (s *Server) announcements(w http.ResponseWriter, r *http.Request, ss *session) {
	s.announcePage(w, r, ss, &announceData{Draft: draftForm{Audience: "all", When: "ngay"}}, http.StatusOK)
}

func (s *Server) announcePage(w http.ResponseWriter, r *http.Request, ss *session, d *announceData, status int) {
	if !ss.access.Province() {
		s.fail(w, r, ss, forbidden(r, ss, cd.ReasonProvinceOnly))
		return
	}
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		var err error
		if d.Units, err = unitChoices(tx, ss, 0); err != nil {
			return err
		}
		for i := range d.Units {
			for _, id := range d.Draft.UnitIDs {
				d.Units[i].Selected = d.Units[i].Selected || d.Units[i].ID == id
			}
		}
		pg, n := pageOf(r, 20)
		as, total, err := tx.AnnouncementsPage(pg)
		if err != nil {
			return err
		}
		d.Pager = newPager(r, total, n, 20)
		for _, a := range as {
			row := announcementRow{A: a, Open: a.Status == cd.AnnouncementScheduled || a.Status == cd.AnnouncementSending ||
				a.Status == cd.AnnouncementQueueing}
			if a.Status != cd.AnnouncementScheduled {
				if row.Delivery, err = tx.AnnouncementDelivery(a.ID); err != nil {
					return err
				}
			}
			d.Rows = append(d.Rows, row)
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	s.render(w, status, "announce", &page{Title: titleAnnouncements, Nav: "thong-bao", Access: ss.access, CSRF: ss.csrf, Flash: ss.flash, Data: d})
}

// readDraft reads the compose form.
func (s *Server) readDraft(r *http.Request) (draftForm, bot.AnnouncementDraft, error) {
	f := draftForm{Text: r.PostFormValue("noi_dung"), Audience: r.PostFormValue("doi_tuong"), When: r.PostFormValue("khi"),
		At: r.PostFormValue("luc")}
	for _, v := range r.PostForm["don_vi"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			f.UnitIDs = append(f.UnitIDs, n)
		}
	}
	d := bot.AnnouncementDraft{Text: f.Text, Audience: cd.Audience(f.Audience), UnitIDs: f.UnitIDs}
	if f.When == "hen" {
		at, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(f.At), s.core.Location())
		if err != nil {
			return f, d, cd.Invalid(cd.ReasonAnnouncementTime)
		}
		d.At = at
	}
	return f, d, nil
}

// previewAnnouncement shows how many members a draft reaches and how long
// sending takes, before anything is sent, as /thongbao does.
func (s *Server) previewAnnouncement(w http.ResponseWriter, r *http.Request, ss *session) {
	form, draft, err := s.readDraft(r)
	d := &announceData{Draft: form}
	if err == nil {
		var pv bot.AnnouncementPreview
		pv, err = s.core.PreviewAnnouncement(r.Context(), ss.access.Member.ID, draft)
		d.Preview = &pv
	}
	status := http.StatusOK
	if err != nil {
		if cd.ErrorCode(err) == cd.EINTERNAL || cd.ErrorCode(err) == cd.EFORBIDDEN {
			s.fail(w, r, ss, err)
			return
		}
		d.Preview, status = nil, http.StatusBadRequest
		ss.flash = &flash{Text: bot.ErrorText(err)}
	}
	s.announcePage(w, r, ss, d, status)
}

// sendAnnouncement sends or schedules a previewed draft through the core.
func (s *Server) sendAnnouncement(w http.ResponseWriter, r *http.Request, ss *session) {
	_, draft, err := s.readDraft(r)
	text := ""
	if err == nil {
		text, err = s.core.Announce(r.Context(), ss.access.Member.ID, draft)
	}
	s.done(w, r, ss, "/thong-bao", text, err)
}

// cancelAnnouncement stops what is not yet sent, as /huythongbao does.
func (s *Server) cancelAnnouncement(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	text, err := s.core.CancelAnnouncement(r.Context(), ss.access.Member.ID, id)
	s.done(w, r, ss, "/thong-bao", text, err)
}
