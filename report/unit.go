package report

import (
	"errors"

	cd "github.com/congdoanbot/congdoanbot"
)

// A grassroots union's own monthly report: its activities kind by kind,
// its campaigns and the members who reported nothing, and its funds,
// signed by its chair.

// The unit's report has six columns.
var (
	unitGrid = sheetGrid{
		widths: []float64{6.5, 32, 16, 14, 14, 17},
		left:   colSpan{1, 2}, right: colSpan{3, 6},
	}
	unitKindCols = kindCols{oneCol(1), oneCol(2), oneCol(3), oneCol(4), oneCol(5), oneCol(6)}
	unitFundCols = fundCols{oneCol(1), oneCol(2), oneCol(3), oneCol(4), oneCol(5), oneCol(6)}
)

// UnitXLSX renders one grassroots union's month (the unit's own report, signed by its chair).
func UnitXLSX(s *cd.ProvinceSummary, u *cd.UnitMonth, chair string, deadline cd.Date) ([]byte, error) {
	if s == nil || u == nil {
		return nil, errors.New("unit report: no summary or no unit")
	}
	w, err := newReportSheet(s, unitGrid, txtXLSXDocTitle(u.Unit.Name, s.Month))
	if err != nil {
		return nil, err
	}
	w.letterhead(s, &u.Unit)
	w.titleBlock(s, deadline)
	loc := s.GeneratedAt.Location()
	status := txtXLSXNotSubmitted
	if u.Report != nil {
		status = txtXLSXSubmittedAt(cd.FormatDateTime(u.Report.SubmittedAt.In(loc)), u.Report.Late)
	}
	w.paragraph(txtXLSXUnitLine(u.ActiveMembers, u.NewMembers, u.Reporters, notReportedCount(u), status),
		cellStyle{align: alignLeft})
	w.blank()

	w.heading(txtXLSXKindsHeading)
	w.kindsTable(unitKindCols, s.Kinds, u.Totals)
	w.blank()

	w.heading(txtXLSXUnitPartHeading)
	w.subheading(txtXLSXCampaignsHeading)
	w.campaignsTable(u.Campaigns)
	w.blank()
	w.subheading(txtXLSXNotReportedHeading(notReportedCount(u)))
	w.namesTable(u.NotReported, notReportedCount(u))
	w.blank()

	w.heading(txtXLSXFundsHeading)
	w.fundsTable(unitFundCols, u.Funds)
	w.blank()

	w.signature(txtXLSXUnitSigner, chair)
	return w.bytes()
}

// notReportedCount is the number of the unit's active members without a
// report: the list when the summary carries it, else from the counts.
func notReportedCount(u *cd.UnitMonth) int {
	if len(u.NotReported) > 0 {
		return len(u.NotReported)
	}
	return max(u.ActiveMembers-u.Reporters, 0)
}

// campaignsTable is a unit's progress in each campaign of the month,
// kind by kind against its target.
func (w *reportSheet) campaignsTable(campaigns []cd.CampaignProgress) {
	cols := []colSpan{oneCol(1), oneCol(2), oneCol(3), oneCol(4), oneCol(5), oneCol(6)}
	w.headerRow(cols, txtXLSXNo, txtXLSXCampaign, txtXLSXCampaignKind, txtXLSXResult, txtXLSXTarget, txtXLSXPercent)
	n := 0
	for _, c := range campaigns {
		if len(c.Lines) == 0 {
			continue
		}
		n++
		first, used, last := w.row, 0, 0
		for i, l := range c.Lines {
			name, no := xlsxCell{}, xlsxCell{}
			if i == 0 {
				name, no = cellText(c.Campaign.Name), cellNumC(int64(n))
				name.spanned = len(c.Lines) > 1
			}
			value, target, pct := cellNum(l.Value), cellCentre(txtXLSXNoTarget), cellCentre(txtXLSXNoTarget)
			if l.Kind.Measure == cd.MeasureAmount {
				value = cellMoney(l.Value)
			}
			if l.Target > 0 {
				target, pct = cellNum(l.Target), cellNum(cd.Percent(l.Value, l.Target))
				if l.Kind.Measure == cd.MeasureAmount {
					target = cellMoney(l.Target)
				}
			}
			last = w.tableRow(cols, []xlsxCell{no, name, cellText(txtXLSXKindMeasure(&l.Kind)), value, target, pct}, false)
			used += last
		}
		if w.row-1 > first {
			// The campaign's number and name span its lines; the last
			// row grows if the name needs more than they give.
			w.do(w.f.MergeCell(w.name, cellName(1, first), cellName(1, w.row-1)))
			w.do(w.f.MergeCell(w.name, cellName(2, first), cellName(2, w.row-1)))
			if need := wrapLines(c.Campaign.Name, w.width(oneCol(2)), false); need > used {
				w.height(w.row-1, last+need-used, rowLineHeight)
			}
		}
	}
	if n == 0 {
		w.tableRow([]colSpan{w.all()}, []xlsxCell{cellCentre(txtXLSXNoCampaigns)}, false)
	}
}

// namesTable lists the members who reported nothing in the month; when
// the summary carries only their number, the heading has said it.
func (w *reportSheet) namesTable(names []string, count int) {
	if count == 0 {
		w.paragraph(txtXLSXAllReported, cellStyle{italic: true, align: alignLeft})
		return
	}
	if len(names) == 0 {
		return
	}
	cols := []colSpan{oneCol(1), {2, len(w.grid.widths)}}
	w.headerRow(cols, txtXLSXNo, txtXLSXMemberName)
	for i, name := range names {
		w.tableRow(cols, []xlsxCell{cellNumC(int64(i + 1)), cellText(name)}, false)
	}
}
