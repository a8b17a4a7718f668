package web

import (
	"net/http"
	"sort"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

type auditRow struct {
	E      cd.AuditEntry
	Actor  string
	Target string
	Unit   string
}

type auditData struct {
	MemberID int64
	Units    []unitChoice
	Actions  []option
	Rows     []auditRow
	Pager    pager
}

// audit is /nhat-ky: the audit log, newest first, by member, unit and
// action; a chair sees their unit's entries.
func (s *Server) audit(w http.ResponseWriter, r *http.Request, ss *session) {
	q := storage.AuditQuery{MemberID: queryInt(r, "doan_vien"), UnitID: queryInt(r, "don_vi"), Action: r.URL.Query().Get("hanh_dong")}
	d := auditData{MemberID: q.MemberID}
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		err := scopeUnit(tx, r, ss, &q.UnitID)
		if err != nil {
			return err
		}
		if d.Units, err = unitChoices(tx, ss, q.UnitID); err != nil {
			return err
		}
		d.Actions = actionOptions(q.Action)
		pg, n := pageOf(r, s.cfg.PageSize)
		es, total, err := tx.AuditPage(q, pg)
		if err != nil {
			return err
		}
		d.Pager = newPager(r, total, n, s.cfg.PageSize)
		d.Rows, err = auditRows(tx, es)
		return err
	})
	s.show(w, r, ss, err, "audit", func() *page { return &page{Title: titleAudit, Nav: "nhat-ky", Data: &d} })
}

func actionOptions(selected string) []option {
	keys := make([]string, 0, len(actionNames))
	for k := range actionNames {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return options(keys, actionNames, selected)
}

// auditRows names the members and units of a page of entries.
func auditRows(tx *storage.Tx, es []cd.AuditEntry) ([]auditRow, error) {
	names := map[int64]string{}
	name := func(id int64) (string, error) {
		if id == 0 {
			return "", nil
		}
		if n, ok := names[id]; ok {
			return n, nil
		}
		m, err := tx.MemberByID(id)
		if cd.ErrorCode(err) == cd.ENOTFOUND {
			return "#" + itoa(id), nil
		}
		if err != nil {
			return "", err
		}
		n := m.FullName
		if n == "" {
			n = "(đã xóa dữ liệu) #" + itoa(id)
		}
		names[id] = n
		return n, nil
	}
	units := map[int64]string{}
	rows := make([]auditRow, len(es))
	for i, e := range es {
		rows[i].E = e
		var err error
		if rows[i].Actor, err = name(e.ActorID); err != nil {
			return nil, err
		}
		if rows[i].Target, err = name(e.TargetMember); err != nil {
			return nil, err
		}
		if e.TargetUnit != 0 {
			if _, ok := units[e.TargetUnit]; !ok {
				u, err := tx.UnitByID(e.TargetUnit)
				if err != nil && cd.ErrorCode(err) != cd.ENOTFOUND {
					return nil, err
				}
				if u != nil {
					units[e.TargetUnit] = u.Code
				}
			}
			rows[i].Unit = units[e.TargetUnit]
		}
	}
	return rows, nil
}
