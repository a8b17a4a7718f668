package report

import (
	"sort"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// The tables both reports share, and the cells of every table.

// A table's columns: where each sits on the grid.
type kindCols struct{ no, kind, reports, people, amount, quantity colSpan }
type fundCols struct{ no, fund, pledged, paid, donors, percent colSpan }

// xlsxCell is one value of a table row and how it is shown.
type xlsxCell struct {
	v       any // string, int64, or nil
	align   string
	red     bool
	numFmt  string
	spanned bool // merged down over the next rows: not counted in the row's height
}

func cellText(s string) xlsxCell   { return xlsxCell{v: s, align: alignLeft} }
func cellCentre(s string) xlsxCell { return xlsxCell{v: s, align: alignCenter} }
func cellNum(n int64) xlsxCell     { return xlsxCell{v: n, align: alignRight} }
func cellNumC(n int64) xlsxCell    { return xlsxCell{v: n, align: alignCenter} }

// cellMoney is whole đồng as the union writes it on paper: "1.500.000",
// text aligned right.
func cellMoney(n int64) xlsxCell { return xlsxCell{v: cd.GroupThousands(n), align: alignRight} }

// cellQuantity is a number shown with its unit ("12 đơn vị máu") by the
// cell's number format, so that it stays a number.
func cellQuantity(n int64, unit string) xlsxCell {
	c := cellNum(n)
	unit = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(unit))
	if unit != "" {
		c.numFmt = `0" ` + unit + `"`
	}
	return c
}

// tableRow writes one bordered table row, bold for header and totals
// rows, and returns the lines it takes.
func (w *reportSheet) tableRow(cols []colSpan, cells []xlsxCell, bold bool) int {
	n := 1
	for i, sp := range cols {
		c := cells[i]
		_, isNum := c.v.(int64)
		w.put(sp, w.row, c.v, cellStyle{bold: bold, align: c.align, border: true, red: c.red, numFmt: c.numFmt, shrink: isNum})
		if s, ok := c.v.(string); ok && !c.spanned {
			n = max(n, wrapLines(s, w.width(sp), bold))
		}
	}
	w.height(w.row, n, rowLineHeight)
	w.row++
	return n
}

func (w *reportSheet) headerRow(cols []colSpan, titles ...string) {
	cells := make([]xlsxCell, len(titles))
	for i, t := range titles {
		cells[i] = cellCentre(t)
	}
	w.tableRow(cols, cells, true)
}

// kindsTable is table I: one row per kind with reports, in the kinds'
// order, then the totals. Quantities of kinds counted in different
// units are not added up.
func (w *reportSheet) kindsTable(kc kindCols, kinds []cd.ActivityKind, totals map[string]cd.KindTotal) {
	cols := []colSpan{kc.no, kc.kind, kc.reports, kc.people, kc.amount, kc.quantity}
	w.headerRow(cols, txtXLSXNo, txtXLSXKind, txtXLSXReports, txtXLSXPeople, txtXLSXAmount, txtXLSXQuantity)
	type line struct {
		name, unit string
		t          cd.KindTotal
		k          *cd.ActivityKind // nil for a kind the summary does not list
	}
	var rows []line
	seen := map[string]bool{}
	for i := range kinds {
		k := &kinds[i]
		seen[k.Code] = true
		if t := totals[k.Code]; t.Count > 0 {
			rows = append(rows, line{k.Name, k.QuantityUnit, t, k})
		}
	}
	var other []string // totals of kinds the summary does not list
	for code, t := range totals {
		if !seen[code] && t.Count > 0 {
			other = append(other, code)
		}
	}
	sort.Strings(other)
	for _, code := range other {
		rows = append(rows, line{code, "", totals[code], nil})
	}
	var sum cd.KindTotal
	qtyUnit, qtyMixed := "", false
	for i, r := range rows {
		people, amount, qty := cellNum(r.t.People), cellMoney(r.t.Amount), cellQuantity(r.t.Quantity, r.unit)
		// A figure the kind does not ask for is left blank, not 0.
		if r.k != nil && r.t.People == 0 && r.k.AskPeople == "" {
			people = xlsxCell{}
		}
		if r.k != nil && r.t.Amount == 0 && r.k.AskAmount == "" {
			amount = xlsxCell{}
		}
		if r.k != nil && r.t.Quantity == 0 && r.k.AskQuantity == "" {
			qty = xlsxCell{}
		}
		w.tableRow(cols, []xlsxCell{cellNumC(int64(i + 1)), cellText(r.name), cellNum(r.t.Count), people, amount, qty}, false)
		sum.Count += r.t.Count
		sum.People += r.t.People
		sum.Amount += r.t.Amount
		sum.Quantity += r.t.Quantity
		if r.t.Quantity != 0 {
			if qtyUnit != "" && qtyUnit != r.unit {
				qtyMixed = true
			}
			qtyUnit = r.unit
		}
	}
	if len(rows) == 0 {
		w.tableRow([]colSpan{w.all()}, []xlsxCell{cellCentre(txtXLSXNoActivity)}, false)
	}
	qty := cellQuantity(sum.Quantity, qtyUnit)
	if qtyMixed {
		qty = xlsxCell{align: alignRight} // không cộng số lượng khác đơn vị tính
	}
	w.tableRow(cols, []xlsxCell{{}, cellCentre(txtXLSXTotal), cellNum(sum.Count), cellNum(sum.People), cellMoney(sum.Amount), qty}, true)
}

// fundsTable is table III: each fund's pledged and paid totals, donors,
// and what was paid as a share of the fund's target.
func (w *reportSheet) fundsTable(fc fundCols, funds []cd.FundSummary) {
	cols := []colSpan{fc.no, fc.fund, fc.pledged, fc.paid, fc.donors, fc.percent}
	w.headerRow(cols, txtXLSXNo, txtXLSXFund, txtXLSXPledged, txtXLSXPaid, txtXLSXDonors, txtXLSXFundPercent)
	var pledged, paid int64
	for i, f := range funds {
		pct := cellCentre(txtXLSXNoTarget)
		if f.Fund.Target > 0 {
			pct = cellNum(cd.Percent(f.Paid, f.Fund.Target))
		}
		w.tableRow(cols, []xlsxCell{cellNumC(int64(i + 1)), cellText(f.Fund.Name), cellMoney(f.Pledged), cellMoney(f.Paid), cellNum(f.Donors), pct}, false)
		pledged += f.Pledged
		paid += f.Paid
	}
	if len(funds) == 0 {
		w.tableRow([]colSpan{w.all()}, []xlsxCell{cellCentre(txtXLSXNoFunds)}, false)
		return
	}
	// Donors are not added up: a member may give to several funds.
	w.tableRow(cols, []xlsxCell{{}, cellCentre(txtXLSXTotal), cellMoney(pledged), cellMoney(paid), {}, {}}, true)
}
