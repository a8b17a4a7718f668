// Package export writes the union's data as CSV files: members, activity
// reports and pledges. The command line (congdoanbot export) and the web
// dashboard (/tai-ve) write the same files through it.
package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// Source is where the rows come from, each on a read snapshot
// (*storage.DB).
type Source interface {
	ExportMembers(ctx context.Context, fn func(cd.Member) error) error
	ExportActivities(ctx context.Context, f storage.ActivityFilter, fn func(cd.Activity) error) error
	ExportPledges(ctx context.Context, f storage.PledgeFilter, fn func(cd.Pledge) error) error
}

// Keep says whether a row of a unit goes into the file; nil keeps every
// row. The web dashboard gives a chair their own unit's rows only.
type Keep func(unitID int64) bool

func (k Keep) keeps(unitID int64) bool { return k == nil || k(unitID) }

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// Members writes id,full_name,unit_code,unit_name,role,status,platforms,registered_at.
func Members(ctx context.Context, src Source, w io.Writer, keep Keep) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "full_name", "unit_code", "unit_name", "role", "status", "platforms", "registered_at"}); err != nil {
		return err
	}
	err := src.ExportMembers(ctx, func(m cd.Member) error {
		if !keep.keeps(m.UnitID) {
			return nil
		}
		return cw.Write([]string{i64(m.ID), m.FullName, m.UnitCode, m.UnitName, string(m.Role),
			string(m.Status), strings.Join(m.Platforms, ";"), m.RegisteredAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Activities writes a month's reports, in date order.
func Activities(ctx context.Context, src Source, f storage.ActivityFilter, w io.Writer, keep Keep) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "date", "kind", "unit_code", "member_id", "member_name", "description", "people",
		"amount_vnd", "quantity", "campaign", "entered_by", "created_at"}); err != nil {
		return err
	}
	err := src.ExportActivities(ctx, f, func(a cd.Activity) error {
		if !keep.keeps(a.UnitID) {
			return nil
		}
		member := ""
		if a.MemberID != 0 {
			member = i64(a.MemberID)
		}
		return cw.Write([]string{i64(a.ID), a.Date.String(), a.Kind, a.UnitCode, member, a.MemberName, a.Description,
			i64(a.People), i64(a.Amount), i64(a.Quantity), a.CampaignName, a.EnteredName, a.CreatedAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Pledges writes the pledges, withdrawn ones included, in the order made.
func Pledges(ctx context.Context, src Source, f storage.PledgeFilter, w io.Writer, keep Keep) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "fund", "unit_code", "member_id", "member_name", "amount_vnd", "paid_vnd", "status",
		"due_date", "anonymous", "created_at"}); err != nil {
		return err
	}
	err := src.ExportPledges(ctx, f, func(p cd.Pledge) error {
		if !keep.keeps(p.UnitID) {
			return nil
		}
		due := ""
		if !p.DueDate.IsZero() {
			due = p.DueDate.String()
		}
		return cw.Write([]string{i64(p.ID), p.FundName, p.UnitCode, i64(p.MemberID), p.MemberName, i64(p.Amount), i64(p.Paid),
			string(p.Status), due, strconv.FormatBool(p.Anonymous), p.CreatedAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
