package report

import (
	"errors"

	cd "github.com/congdoanbot/congdoanbot"
)

// The province's monthly report: the union's activities kind by kind
// (table I), the grassroots unions as ranked with who was late (table
// II), and the funds (table III), signed for the standing committee.

// The province report has nine columns (table II is the widest).
var (
	provinceGrid = sheetGrid{
		widths: []float64{6.5, 30, 10, 11, 11, 11, 11, 11, 20},
		left:   colSpan{1, 3}, right: colSpan{4, 9},
	}
	provinceKindCols = kindCols{oneCol(1), oneCol(2), oneCol(3), oneCol(4), colSpan{5, 6}, colSpan{7, 9}}
	provinceFundCols = fundCols{oneCol(1), oneCol(2), colSpan{3, 4}, colSpan{5, 6}, colSpan{7, 8}, oneCol(9)}
)

// ProvinceXLSX renders the province's monthly summary as the union files it.
func ProvinceXLSX(s *cd.ProvinceSummary, deadline cd.Date) ([]byte, error) {
	if s == nil {
		return nil, errors.New("province report: no summary")
	}
	w, err := newReportSheet(s, provinceGrid, txtXLSXDocTitle(s.Province, s.Month))
	if err != nil {
		return nil, err
	}
	w.letterhead(s, nil)
	w.titleBlock(s, deadline)

	w.heading(txtXLSXKindsHeading)
	w.kindsTable(provinceKindCols, s.Kinds, s.Totals)
	w.blank()

	w.heading(txtXLSXUnitsHeading)
	w.unitsTable(s, deadline)
	w.blank()

	w.heading(txtXLSXFundsHeading)
	w.fundsTable(provinceFundCols, s.Funds)
	w.blank()

	w.signature(txtXLSXProvinceSigner, "")
	return w.bytes()
}

// unitsTable is the province's table II, the units as ranked, then the
// units that were late with their reports or have not sent them.
func (w *reportSheet) unitsTable(s *cd.ProvinceSummary, deadline cd.Date) {
	cols := make([]colSpan, 9)
	for i := range cols {
		cols[i] = oneCol(i + 1)
	}
	w.headerRow(cols, txtXLSXNo, txtXLSXUnit, txtXLSXCode, txtXLSXReports, txtXLSXActive, txtXLSXNew,
		txtXLSXReported, txtXLSXNotReported, txtXLSXSubmitted)
	loc := s.GeneratedAt.Location()
	var late []string
	for i := range s.Units {
		u := &s.Units[i]
		rank := u.Rank
		if rank == 0 {
			rank = i + 1
		}
		isLate := u.Late(deadline, s.GeneratedAt, loc)
		sub := xlsxCell{v: txtXLSXNotSubmitted, align: alignCenter, red: isLate}
		if u.Report != nil {
			sub.v = txtXLSXSubmittedAt(cd.FormatDateTime(u.Report.SubmittedAt.In(loc)), u.Report.Late)
			sub.red = u.Report.Late
		}
		w.tableRow(cols, []xlsxCell{cellNumC(int64(rank)), cellText(u.Unit.Name), cellCentre(u.Unit.Code), cellNum(u.Reports),
			cellNum(int64(u.ActiveMembers)), cellNum(int64(u.NewMembers)), cellNum(int64(u.Reporters)),
			cellNum(int64(notReportedCount(u))), sub}, false)
		switch {
		case u.Report != nil && u.Report.Late:
			late = append(late, txtXLSXLateUnit(u.Unit.Name, true))
		case u.Report == nil:
			late = append(late, txtXLSXLateUnit(u.Unit.Name, false))
		}
	}
	if len(s.Units) == 0 {
		w.tableRow([]colSpan{w.all()}, []xlsxCell{cellCentre(txtXLSXNoUnits)}, false)
	}
	w.paragraph(txtXLSXLateList(late), cellStyle{align: alignLeft})
}
