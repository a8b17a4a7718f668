package web

import (
	"net/http"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type membersData struct {
	Search   string
	Units    []unitChoice
	Status   string
	Role     string
	Statuses []option
	Roles    []option
	Members  []cd.Member
	Pager    pager
	Back     string
}

// option is an entry of a filter's list.
type option struct {
	Value, Label string
	Selected     bool
}

func options(values []string, names map[string]string, selected string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: v, Label: names[v], Selected: v == selected}
	}
	return out
}

var (
	statusOrder = []string{"pending", "active", "rejected", "left"}
	roleOrder   = []string{"member", "chair", "deputy", "province_admin"}
)

// members is /doan-vien: members found by name (with or without
// diacritics) and filtered by unit, status and role. Applicants are
// approved or rejected here; the province changes roles.
func (s *Server) members(w http.ResponseWriter, r *http.Request, ss *session) {
	q := r.URL.Query()
	d := membersData{Search: q.Get("q"), Status: q.Get("trang_thai"), Role: q.Get("vai_tro"), Back: r.URL.RequestURI()}
	d.Statuses, d.Roles = options(statusOrder, statusNames, d.Status), options(roleOrder, roleNames, d.Role)
	f := cd.MemberFilter{UnitID: queryInt(r, "don_vi"), WithSubUnits: true, Search: d.Search}
	if st, ok := statusNames[d.Status]; ok && st != "" {
		f.Status = cd.Status(d.Status)
	}
	if role, ok := cd.ParseRole(d.Role); ok {
		f.Roles = []cd.Role{role}
	}
	if f.Search != "" {
		// Names new or changed since the last search become searchable.
		if _, err := s.db.FoldMemberNames(r.Context()); err != nil {
			s.fail(w, r, ss, err)
			return
		}
	}
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		err := scopeUnit(tx, r, ss, &f.UnitID)
		if err != nil {
			return err
		}
		if d.Units, err = unitChoices(tx, ss, queryInt(r, "don_vi")); err != nil {
			return err
		}
		pg, n := pageOf(r, s.cfg.PageSize)
		ms, total, err := tx.MembersPage(f, pg)
		d.Members, d.Pager = ms, newPager(r, total, n, s.cfg.PageSize)
		return err
	})
	s.show(w, r, ss, err, "members", func() *page { return &page{Title: titleMembers, Nav: "doan-vien", Data: &d} })
}

// back is where an action returns: the list it was taken from.
func back(r *http.Request, def string) string {
	b := r.PostFormValue("quay_lai")
	if len(b) > 0 && b[0] == '/' && (len(b) == 1 || b[1] != '/' && b[1] != '\\') {
		return b
	}
	return def
}

// approve approves an applicant through the core, as /duyet does.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	text, err := s.core.Approve(r.Context(), ss.access.Member.ID, id)
	s.done(w, r, ss, back(r, "/doan-vien"), text, err)
}

// reject rejects an applicant with a reason through the core.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	text, err := s.core.Reject(r.Context(), ss.access.Member.ID, id, r.PostFormValue("ly_do"))
	s.done(w, r, ss, back(r, "/doan-vien"), text, err)
}

// setRole changes a member's role through the core, as /phanquyen does.
func (s *Server) setRole(w http.ResponseWriter, r *http.Request, ss *session) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	text, err := s.core.SetRole(r.Context(), ss.access.Member.ID, id, cd.Role(r.PostFormValue("vai_tro")))
	s.done(w, r, ss, back(r, "/doan-vien"), text, err)
}
