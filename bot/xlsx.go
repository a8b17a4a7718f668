package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	cd "github.com/congdoanbot/congdoanbot"
)

// The monthly reports as the union files them: an A4 sheet laid out the
// way Vietnamese administrative documents are (Nghị định 30/2020): the
// issuing body top left, the national motto top right, place and date,
// a centred title, numbered sections of bordered tables, the signature
// block bottom right; Times New Roman 13 throughout. Money is written
// as text ("1.500.000"), as on the union's paper forms, never as a float;
// counts are numbers.

// ProvinceReportXLSX renders the province's monthly summary as the union files it.
func ProvinceReportXLSX(s *cd.ProvinceSummary, deadline cd.Date) ([]byte, error) {
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

// UnitReportXLSX renders one grassroots union's month (the unit's own report, signed by its chair).
func UnitReportXLSX(s *cd.ProvinceSummary, u *cd.UnitMonth, chair string, deadline cd.Date) ([]byte, error) {
	if u == nil {
		return nil, fmt.Errorf("unit report of %s: no unit", s.Month)
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
	w.paragraph(txtXLSXUnitLine(u.ActiveMembers, u.NewMembers, u.Reporters, notReported(u), status),
		cellStyle{align: alignLeft})
	w.blank()

	w.heading(txtXLSXKindsHeading)
	w.kindsTable(unitKindCols, s.Kinds, u.Totals)
	w.blank()

	w.heading(txtXLSXUnitPartHeading)
	w.subheading(txtXLSXCampaignsHeading)
	w.campaignsTable(u.Campaigns)
	w.blank()
	w.subheading(txtXLSXNotReportedHeading(len(u.NotReported)))
	w.namesTable(u.NotReported)
	w.blank()

	w.heading(txtXLSXFundsHeading)
	w.fundsTable(unitFundCols, u.Funds)
	w.blank()

	w.signature(txtXLSXUnitSigner, chair)
	return w.bytes()
}

// notReported is the number of the unit's active members without a
// report: the list when the summary carries it, else from the counts.
func notReported(u *cd.UnitMonth) int {
	if len(u.NotReported) > 0 {
		return len(u.NotReported)
	}
	return max(u.ActiveMembers-u.Reporters, 0)
}

// grid is a sheet's column layout: the widths of columns A, B, ...
// (in Excel's character units), and which columns hold the left
// (issuing body) and right (motto, signature) blocks of the letterhead.
type grid struct {
	widths      []float64
	left, right span
}

// span is a run of grid columns, 1-based and inclusive.
type span struct{ from, to int }

func one(c int) span { return span{c, c} }

// The province report has nine columns (table II is the widest); the
// unit's report six. Tables narrower than the grid span columns.
var (
	provinceGrid = grid{
		widths: []float64{6.5, 30, 10, 11, 11, 11, 11, 11, 20},
		left:   span{1, 3}, right: span{4, 9},
	}
	unitGrid = grid{
		widths: []float64{6.5, 32, 16, 14, 14, 17},
		left:   span{1, 2}, right: span{3, 6},
	}
)

// A table's columns: where each sits on the grid.
type kindCols struct{ no, kind, reports, people, amount, quantity span }
type fundCols struct{ no, fund, pledged, paid, donors, percent span }

var (
	provinceKindCols = kindCols{one(1), one(2), one(3), one(4), span{5, 6}, span{7, 9}}
	unitKindCols     = kindCols{one(1), one(2), one(3), one(4), one(5), one(6)}
	provinceFundCols = fundCols{one(1), one(2), span{3, 4}, span{5, 6}, span{7, 8}, one(9)}
	unitFundCols     = fundCols{one(1), one(2), one(3), one(4), one(5), one(6)}
)

// Type metrics of Times New Roman against Excel's column unit (7 pixels:
// the digit width of the workbook's 11-point default font, plus padding),
// used to size rows of wrapped text: Excel does not grow the rows of a
// generated file to fit wrapped or merged cells by itself. Widths are in
// ems, averaged over Vietnamese letters.
const (
	reportFont      = "Times New Roman"
	reportFontSize  = 13
	reportTitleSize = 14
	lineHeight      = 17.25 // points, one line of 13-point text
	titleLineHeight = 19.5
	unitsPerEm      = reportFontSize * 96.0 / 72 / 7 // column units per em at 13 points
	cellPadding     = 0.8                            // column units lost to the cell's margins
)

// runeEm is the width of r in Times New Roman, in ems.
func runeEm(r rune, bold bool) float64 {
	var em float64
	switch {
	case r == ' ':
		return 0.25
	case unicode.IsDigit(r):
		return 0.5
	case unicode.IsUpper(r):
		em = 0.70
	case unicode.IsLower(r):
		em = 0.45
	default:
		em = 0.33
	}
	if bold {
		em *= 1.05
	}
	return em
}

const (
	alignLeft   = "left"
	alignCenter = "center"
	alignRight  = "right"
)

// cellStyle is what a cell looks like; every style is Times New Roman,
// 13 points unless size says otherwise.
type cellStyle struct {
	bold, italic, underline bool
	size                    float64
	align                   string
	border                  bool
	red                     bool
	numFmt                  string // a custom number format, for numbers with a unit
	shrink                  bool   // shrink to fit rather than wrap: a number too wide shows as ####
}

// reportSheet writes a report top to bottom. The first error sticks:
// later calls do nothing and bytes returns it.
type reportSheet struct {
	f      *excelize.File
	name   string
	grid   grid
	styles map[cellStyle]int
	row    int // the next row to write
	err    error
}

func newReportSheet(s *cd.ProvinceSummary, g grid, title string) (*reportSheet, error) {
	f := excelize.NewFile()
	name := txtXLSXSheetName(s.Month)
	w := &reportSheet{f: f, name: name, grid: g, styles: map[cellStyle]int{}, row: 1}
	w.do(f.SetSheetName("Sheet1", name))
	w.do(f.SetDefaultFont(reportFont))
	made := s.GeneratedAt.UTC().Format(time.RFC3339)
	w.do(f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "congdoanbot", Language: "vi-VN",
		Created: made, Modified: made}))
	last := colName(len(g.widths))
	w.do(f.SetColStyle(name, "A:"+last, w.style(cellStyle{})))
	for i, width := range g.widths {
		c := colName(i + 1)
		w.do(f.SetColWidth(name, c, c, width))
	}
	a4, portrait, fit, tall := 9, "portrait", 1, 0
	w.do(f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &portrait,
		FitToWidth: &fit, FitToHeight: &tall}))
	fitToPage, noGrid, rowHeight := true, false, lineHeight
	w.do(f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fitToPage, DefaultRowHeight: &rowHeight,
		CustomHeight: &fitToPage}))
	w.do(f.SetSheetView(name, 0, &excelize.ViewOptions{ShowGridLines: &noGrid}))
	// Margins of Nghị định 30: left 30 mm, right 15 mm, top and bottom 20 mm.
	left, right, topBottom, header := 30/25.4, 15/25.4, 20/25.4, 10/25.4
	w.do(f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &left, Right: &right,
		Top: &topBottom, Bottom: &topBottom, Header: &header, Footer: &header}))
	if w.err != nil {
		f.Close()
		return nil, fmt.Errorf("report sheet: %w", w.err)
	}
	return w, nil
}

func (w *reportSheet) do(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

func (w *reportSheet) bytes() ([]byte, error) {
	defer w.f.Close()
	if w.err != nil {
		return nil, fmt.Errorf("report sheet: %w", w.err)
	}
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("report sheet: write: %w", err)
	}
	return buf.Bytes(), nil
}

// colName is the letter of a grid column (grids are narrower than 27).
func colName(c int) string { return string(rune('A' + c - 1)) }

func cellName(c, row int) string { return colName(c) + strconv.Itoa(row) }

// style returns the workbook's style id for st, creating it once.
func (w *reportSheet) style(st cellStyle) int {
	if id, ok := w.styles[st]; ok {
		return id
	}
	size := st.size
	if size == 0 {
		size = reportFontSize
	}
	font := &excelize.Font{Family: reportFont, Size: size, Bold: st.bold, Italic: st.italic}
	if st.underline {
		font.Underline = "single"
	}
	if st.red {
		font.Color = "C00000"
	}
	xs := &excelize.Style{Font: font,
		Alignment: &excelize.Alignment{Horizontal: st.align, Vertical: "center", WrapText: !st.shrink, ShrinkToFit: st.shrink}}
	if st.border {
		for _, side := range []string{"left", "right", "top", "bottom"} {
			xs.Border = append(xs.Border, excelize.Border{Type: side, Color: "000000", Style: 1})
		}
	}
	if st.numFmt != "" {
		nf := st.numFmt
		xs.CustomNumFmt = &nf
	}
	id, err := w.f.NewStyle(xs)
	w.do(err)
	w.styles[st] = id
	return id
}

// put writes v (a string, an int64, or nil for none) over the columns of
// sp on row, merging them when more than one, with the style on all of
// them (borders of merged cells are drawn cell by cell).
func (w *reportSheet) put(sp span, row int, v any, st cellStyle) {
	if w.err != nil {
		return
	}
	first, last := cellName(sp.from, row), cellName(sp.to, row)
	if sp.to > sp.from {
		w.do(w.f.MergeCell(w.name, first, last))
	}
	w.do(w.f.SetCellStyle(w.name, first, last, w.style(st)))
	switch v := v.(type) {
	case string:
		w.do(w.f.SetCellStr(w.name, first, v))
	case int64:
		w.do(w.f.SetCellInt(w.name, first, v))
	case int:
		w.do(w.f.SetCellInt(w.name, first, int64(v)))
	}
}

func (w *reportSheet) height(row int, lines int, lh float64) {
	w.do(w.f.SetRowHeight(w.name, row, float64(max(lines, 1))*lh))
}

// width is the width of sp in column units.
func (w *reportSheet) width(sp span) float64 {
	var total float64
	for c := sp.from; c <= sp.to; c++ {
		total += w.grid.widths[c-1]
	}
	return total
}

// lines estimates how many lines s takes wrapped in a cell of the given
// width: words laid greedily, each as wide as its letters.
func lines(s string, width float64, bold bool) int {
	n := 0
	for para := range strings.SplitSeq(s, "\n") {
		n += paraLines(para, width, bold)
	}
	return max(n, 1)
}

func paraLines(s string, width float64, bold bool) int {
	capacity := width - cellPadding
	space := runeEm(' ', bold) * unitsPerEm
	n, used := 1, 0.0
	for _, word := range strings.Fields(s) {
		var l float64
		for _, r := range word {
			l += runeEm(r, bold) * unitsPerEm
		}
		switch {
		case used == 0:
			used = l
		case used+space+l <= capacity:
			used += space + l
		default:
			n++
			used = l
		}
		for used > capacity && capacity > 0 { // a word longer than a line breaks
			n++
			used -= capacity
		}
	}
	return n
}

func (w *reportSheet) all() span { return span{1, len(w.grid.widths)} }

// blank leaves an empty row.
func (w *reportSheet) blank() { w.row++ }

// paragraph writes text across the whole width.
func (w *reportSheet) paragraph(text string, st cellStyle) {
	sp := w.all()
	w.put(sp, w.row, text, st)
	lh := lineHeight
	if st.size > reportFontSize {
		lh = titleLineHeight
	}
	w.height(w.row, lines(text, w.width(sp), st.bold), lh)
	w.row++
}

func (w *reportSheet) heading(text string) {
	w.paragraph(text, cellStyle{bold: true, align: alignLeft})
}

func (w *reportSheet) subheading(text string) {
	w.paragraph(text, cellStyle{bold: true, italic: true, align: alignLeft})
}

// letterhead writes the issuing body on the left (for a unit's report:
// the province, then the unit) and the national name and motto on the
// right, then the place and date.
func (w *reportSheet) letterhead(s *cd.ProvinceSummary, unit *cd.Unit) {
	g := w.grid
	type line struct {
		text string
		st   cellStyle
	}
	issuer := cellStyle{bold: true, underline: true, align: alignCenter}
	left := []line{{strings.ToUpper(s.Province), issuer}}
	if unit != nil {
		left = []line{{strings.ToUpper(s.Province), cellStyle{align: alignCenter}}, {strings.ToUpper(unit.Name), issuer}}
	}
	right := []line{
		{txtXLSXNation, cellStyle{bold: true, align: alignCenter}},
		{txtXLSXMotto, cellStyle{bold: true, underline: true, align: alignCenter}},
	}
	for i := range max(len(left), len(right)) {
		n := 1
		if i < len(left) {
			w.put(g.left, w.row, left[i].text, left[i].st)
			n = lines(left[i].text, w.width(g.left), left[i].st.bold)
		}
		if i < len(right) {
			w.put(g.right, w.row, right[i].text, right[i].st)
			n = max(n, lines(right[i].text, w.width(g.right), right[i].st.bold))
		}
		w.height(w.row, n, lineHeight)
		w.row++
	}
	t := s.GeneratedAt
	date := txtXLSXPlaceDate(txtXLSXPlace(s.Province), t.Day(), int(t.Month()), t.Year())
	w.put(g.right, w.row, date, cellStyle{italic: true, align: alignCenter})
	w.height(w.row, lines(date, w.width(g.right), false), lineHeight)
	w.row += 2
}

// titleBlock writes the title, "(gửi bù)" for a summary made late, and
// the deadline of the units' reports.
func (w *reportSheet) titleBlock(s *cd.ProvinceSummary, deadline cd.Date) {
	w.paragraph(txtXLSXTitle(s.Month), cellStyle{bold: true, size: reportTitleSize, align: alignCenter})
	if s.CatchUp {
		w.paragraph(txtXLSXCatchUp, cellStyle{italic: true, align: alignCenter})
	}
	if !deadline.IsZero() {
		w.paragraph(txtXLSXDeadline(deadline.Display()), cellStyle{italic: true, align: alignCenter})
	}
	w.blank()
}

// cell is one value of a table row and how it is shown.
type cell struct {
	v       any // string, int64, or nil
	align   string
	red     bool
	numFmt  string
	spanned bool // merged down over the next rows: not counted in the row's height
}

func text(s string) cell   { return cell{v: s, align: alignLeft} }
func centre(s string) cell { return cell{v: s, align: alignCenter} }
func num(n int64) cell     { return cell{v: n, align: alignRight} }
func numC(n int64) cell    { return cell{v: n, align: alignCenter} }

// money is whole đồng as the union writes it on paper: "1.500.000",
// text aligned right.
func money(n int64) cell { return cell{v: cd.GroupThousands(n), align: alignRight} }

// quantity is a number shown with its unit ("12 đơn vị máu") by the
// cell's number format, so that it stays a number.
func quantity(n int64, unit string) cell {
	c := num(n)
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
func (w *reportSheet) tableRow(cols []span, cells []cell, bold bool) int {
	n := 1
	for i, sp := range cols {
		c := cells[i]
		_, isNum := c.v.(int64)
		w.put(sp, w.row, c.v, cellStyle{bold: bold, align: c.align, border: true, red: c.red, numFmt: c.numFmt, shrink: isNum})
		if s, ok := c.v.(string); ok && !c.spanned {
			n = max(n, lines(s, w.width(sp), bold))
		}
	}
	w.height(w.row, n, lineHeight)
	w.row++
	return n
}

func (w *reportSheet) headerRow(cols []span, titles ...string) {
	cells := make([]cell, len(titles))
	for i, t := range titles {
		cells[i] = centre(t)
	}
	w.tableRow(cols, cells, true)
}

// kindsTable is table I: one row per kind with reports, in the kinds'
// order, then the totals. Quantities of kinds counted in different
// units are not added up.
func (w *reportSheet) kindsTable(kc kindCols, kinds []cd.ActivityKind, totals map[string]cd.KindTotal) {
	cols := []span{kc.no, kc.kind, kc.reports, kc.people, kc.amount, kc.quantity}
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
		people, amount, qty := num(r.t.People), money(r.t.Amount), quantity(r.t.Quantity, r.unit)
		// A figure the kind does not ask for is left blank, not 0.
		if r.k != nil && r.t.People == 0 && r.k.AskPeople == "" {
			people = cell{}
		}
		if r.k != nil && r.t.Amount == 0 && r.k.AskAmount == "" {
			amount = cell{}
		}
		if r.k != nil && r.t.Quantity == 0 && r.k.AskQuantity == "" {
			qty = cell{}
		}
		w.tableRow(cols, []cell{numC(int64(i + 1)), text(r.name), num(r.t.Count), people, amount, qty}, false)
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
		w.tableRow([]span{w.all()}, []cell{centre(txtXLSXNoActivity)}, false)
	}
	qty := quantity(sum.Quantity, qtyUnit)
	if qtyMixed {
		qty = cell{align: alignRight} // không cộng số lượng khác đơn vị tính
	}
	w.tableRow(cols, []cell{{}, centre(txtXLSXTotal), num(sum.Count), num(sum.People), money(sum.Amount), qty}, true)
}

// unitsTable is the province's table II, the units as ranked, then the
// units that were late with their reports or have not sent them.
func (w *reportSheet) unitsTable(s *cd.ProvinceSummary, deadline cd.Date) {
	cols := make([]span, 9)
	for i := range cols {
		cols[i] = one(i + 1)
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
		sub := cell{v: txtXLSXNotSubmitted, align: alignCenter, red: isLate}
		if u.Report != nil {
			sub.v = txtXLSXSubmittedAt(cd.FormatDateTime(u.Report.SubmittedAt.In(loc)), u.Report.Late)
			sub.red = u.Report.Late
		}
		w.tableRow(cols, []cell{numC(int64(rank)), text(u.Unit.Name), centre(u.Unit.Code), num(u.Reports),
			num(int64(u.ActiveMembers)), num(int64(u.NewMembers)), num(int64(u.Reporters)),
			num(int64(notReported(u))), sub}, false)
		switch {
		case u.Report != nil && u.Report.Late:
			late = append(late, txtXLSXLateUnit(u.Unit.Name, true))
		case u.Report == nil:
			late = append(late, txtXLSXLateUnit(u.Unit.Name, false))
		}
	}
	if len(s.Units) == 0 {
		w.tableRow([]span{w.all()}, []cell{centre(txtXLSXNoUnits)}, false)
	}
	w.paragraph(txtXLSXLateList(late), cellStyle{align: alignLeft})
}

// campaignsTable is a unit's progress in each campaign of the month,
// kind by kind against its target.
func (w *reportSheet) campaignsTable(campaigns []cd.CampaignProgress) {
	cols := []span{one(1), one(2), one(3), one(4), one(5), one(6)}
	w.headerRow(cols, txtXLSXNo, txtXLSXCampaign, txtXLSXCampaignKind, txtXLSXResult, txtXLSXTarget, txtXLSXPercent)
	n := 0
	for _, c := range campaigns {
		if len(c.Lines) == 0 {
			continue
		}
		n++
		first, used, last := w.row, 0, 0
		for i, l := range c.Lines {
			name, no := cell{}, cell{}
			if i == 0 {
				name, no = text(c.Campaign.Name), numC(int64(n))
				name.spanned = len(c.Lines) > 1
			}
			value, target, pct := num(l.Value), centre(txtXLSXNoTarget), centre(txtXLSXNoTarget)
			if l.Kind.Measure == cd.MeasureAmount {
				value = money(l.Value)
			}
			if l.Target > 0 {
				target, pct = num(l.Target), num(cd.Percent(l.Value, l.Target))
				if l.Kind.Measure == cd.MeasureAmount {
					target = money(l.Target)
				}
			}
			last = w.tableRow(cols, []cell{no, name, text(txtXLSXKindMeasure(&l.Kind)), value, target, pct}, false)
			used += last
		}
		if w.row-1 > first {
			// The campaign's number and name span its lines; the last
			// row grows if the name needs more than they give.
			w.do(w.f.MergeCell(w.name, cellName(1, first), cellName(1, w.row-1)))
			w.do(w.f.MergeCell(w.name, cellName(2, first), cellName(2, w.row-1)))
			if need := lines(c.Campaign.Name, w.width(one(2)), false); need > used {
				w.height(w.row-1, last+need-used, lineHeight)
			}
		}
	}
	if n == 0 {
		w.tableRow([]span{w.all()}, []cell{centre(txtXLSXNoCampaigns)}, false)
	}
}

// namesTable lists the members who reported nothing in the month.
func (w *reportSheet) namesTable(names []string) {
	if len(names) == 0 {
		w.paragraph(txtXLSXAllReported, cellStyle{italic: true, align: alignLeft})
		return
	}
	cols := []span{one(1), {2, len(w.grid.widths)}}
	w.headerRow(cols, txtXLSXNo, txtXLSXMemberName)
	for i, name := range names {
		w.tableRow(cols, []cell{numC(int64(i + 1)), text(name)}, false)
	}
}

// fundsTable is table III: each fund's pledged and paid totals, donors,
// and what was paid as a share of the fund's target.
func (w *reportSheet) fundsTable(fc fundCols, funds []cd.FundSummary) {
	cols := []span{fc.no, fc.fund, fc.pledged, fc.paid, fc.donors, fc.percent}
	w.headerRow(cols, txtXLSXNo, txtXLSXFund, txtXLSXPledged, txtXLSXPaid, txtXLSXDonors, txtXLSXFundPercent)
	var pledged, paid int64
	for i, f := range funds {
		pct := centre(txtXLSXNoTarget)
		if f.Fund.Target > 0 {
			pct = num(cd.Percent(f.Paid, f.Fund.Target))
		}
		w.tableRow(cols, []cell{numC(int64(i + 1)), text(f.Fund.Name), money(f.Pledged), money(f.Paid), num(f.Donors), pct}, false)
		pledged += f.Pledged
		paid += f.Paid
	}
	if len(funds) == 0 {
		w.tableRow([]span{w.all()}, []cell{centre(txtXLSXNoFunds)}, false)
		return
	}
	// Donors are not added up: a member may give to several funds.
	w.tableRow(cols, []cell{{}, centre(txtXLSXTotal), money(pledged), money(paid), {}, {}}, true)
}

// signature writes the signing block at the bottom right: on behalf of
// the committee, the chair, room to sign, and the chair's name.
func (w *reportSheet) signature(onBehalf, name string) {
	r := w.grid.right
	w.put(r, w.row, onBehalf, cellStyle{bold: true, align: alignCenter})
	w.row++
	w.put(r, w.row, txtXLSXChair, cellStyle{bold: true, align: alignCenter})
	w.row++
	w.put(r, w.row, txtXLSXSignHint, cellStyle{italic: true, align: alignCenter})
	w.row += 5 // room for the signature and the seal
	if name = strings.TrimSpace(name); name != "" {
		w.put(r, w.row, name, cellStyle{bold: true, align: alignCenter})
	}
	w.row++
}

// Monthly report sheets (XLSX) and the summary chart (PNG): the labels
// of documents filed the way Nghị định 30/2020 lays them out.

const (
	txtXLSXNation           = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	txtXLSXMotto            = "Độc lập - Tự do - Hạnh phúc"
	txtXLSXCatchUp          = "(gửi bù)"
	txtXLSXKindsHeading     = "I. Kết quả hoạt động theo loại"
	txtXLSXUnitsHeading     = "II. Các công đoàn cơ sở"
	txtXLSXUnitPartHeading  = "II. Phong trào thi đua và báo cáo của đoàn viên"
	txtXLSXCampaignsHeading = "1. Tiến độ các phong trào thi đua"
	txtXLSXFundsHeading     = "III. Các quỹ"
	txtXLSXNo               = "STT"
	txtXLSXRank             = "Hạng"
	txtXLSXKind             = "Loại hoạt động"
	txtXLSXReports          = "Số báo cáo"
	txtXLSXPeople           = "Số người"
	txtXLSXAmount           = "Số tiền (đ)"
	txtXLSXQuantity         = "Số lượng (đơn vị)"
	txtXLSXTotal            = "Tổng cộng"
	txtXLSXUnit             = "Đơn vị"
	txtXLSXCode             = "Mã"
	txtXLSXActive           = "Đoàn viên"
	txtXLSXNew              = "Kết nạp mới"
	txtXLSXReported         = "Đã báo cáo"
	txtXLSXNotReported      = "Chưa báo cáo"
	txtXLSXSubmitted        = "Nộp báo cáo"
	txtXLSXNotSubmitted     = "Chưa nộp"
	txtXLSXCampaign         = "Phong trào"
	txtXLSXCampaignKind     = "Loại"
	txtXLSXResult           = "Kết quả"
	txtXLSXTarget           = "Chỉ tiêu"
	txtXLSXPercent          = "%"
	txtXLSXNoTarget         = "-"
	txtXLSXMemberName       = "Họ và tên"
	txtXLSXFund             = "Quỹ"
	txtXLSXPledged          = "Đã đăng ký (đ)"
	txtXLSXPaid             = "Đã nộp (đ)"
	txtXLSXDonors           = "Số người ủng hộ"
	txtXLSXFundPercent      = "% chỉ tiêu"
	txtXLSXNoActivity       = "Không có báo cáo hoạt động nào trong tháng."
	txtXLSXNoUnits          = "Chưa có công đoàn cơ sở nào."
	txtXLSXNoCampaigns      = "Không có phong trào thi đua nào trong tháng."
	txtXLSXNoFunds          = "Chưa có quỹ nào."
	txtXLSXAllReported      = "Tất cả đoàn viên đã báo cáo hoạt động trong tháng."
	txtXLSXProvinceSigner   = "TM. BAN THƯỜNG VỤ"
	txtXLSXUnitSigner       = "TM. BAN CHẤP HÀNH"
	txtXLSXChair            = "CHỦ TỊCH"
	txtXLSXSignHint         = "(Ký, ghi rõ họ tên)"
	txtChartFundsTitle      = "Tiến độ các quỹ (triệu đồng)"
	txtChartReportsAxis     = "Số báo cáo"
	txtChartMillionAxis     = "Triệu đồng"
	txtChartPledged         = "Đã đăng ký"
	txtChartPaid            = "Đã nộp"
	txtChartNoData          = "Chưa có số liệu"
)

// txtXLSXSheetName is the sheet's name: ASCII, no '/', under Excel's 31
// characters.
func txtXLSXSheetName(m cd.Month) string {
	return fmt.Sprintf("Bao cao thang %02d-%04d", m.Month, m.Year)
}

func txtXLSXDocTitle(who string, m cd.Month) string {
	return fmt.Sprintf("Báo cáo kết quả hoạt động tháng %s - %s", m.Display(), who)
}

func txtXLSXTitle(m cd.Month) string {
	return "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG " + m.Display()
}

func txtXLSXDeadline(date string) string { return "Hạn nộp báo cáo tháng: " + date }

// txtXLSXPlace is the place name of a document from the union's name:
// what follows "tỉnh" or "thành phố" ("Công đoàn Viên chức tỉnh Quảng
// Trị": "Quảng Trị"); "" when the name has none.
func txtXLSXPlace(province string) string {
	words := strings.Fields(province)
	for i := len(words) - 1; i >= 0; i-- {
		w := strings.ToLower(words[i])
		if w == "tỉnh" || w == "phố" && i > 0 && strings.ToLower(words[i-1]) == "thành" {
			return strings.Join(words[i+1:], " ")
		}
	}
	return ""
}

// txtXLSXPlaceDate is the place and date line of Nghị định 30/2020: a
// day below 10, and the months 1 and 2, are written with a leading zero
// ("Quảng Trị, ngày 05 tháng 3 năm 2026", "ngày 15 tháng 02 năm 2026").
func txtXLSXPlaceDate(place string, day, month, year int) string {
	m := fmt.Sprint(month)
	if month <= 2 {
		m = fmt.Sprintf("%02d", month)
	}
	date := fmt.Sprintf("ngày %02d tháng %s năm %d", day, m, year)
	if place == "" {
		return "N" + strings.TrimPrefix(date, "n")
	}
	return place + ", " + date
}

func txtXLSXSubmittedAt(at string, late bool) string {
	if late {
		return at + " (Muộn)"
	}
	return at
}

func txtXLSXLateUnit(name string, submitted bool) string {
	if submitted {
		return name + " (nộp muộn)"
	}
	return name + " (chưa nộp)"
}

func txtXLSXLateList(units []string) string {
	if len(units) == 0 {
		return "Các đơn vị nộp muộn hoặc chưa nộp: không có."
	}
	return "Các đơn vị nộp muộn hoặc chưa nộp: " + strings.Join(units, ", ") + "."
}

func txtXLSXUnitLine(active, admitted, reporters, notReported int, status string) string {
	return fmt.Sprintf("Đoàn viên: %d; kết nạp mới trong tháng: %d; đã báo cáo hoạt động: %d; chưa báo cáo: %d. Nộp báo cáo tháng: %s.",
		active, admitted, reporters, notReported, status)
}

func txtXLSXNotReportedHeading(n int) string {
	if n == 0 {
		return "2. Đoàn viên chưa báo cáo hoạt động trong tháng"
	}
	return fmt.Sprintf("2. Đoàn viên chưa báo cáo hoạt động trong tháng (%d người)", n)
}

// txtXLSXKindMeasure is a kind with what its campaign figures count:
// "Hiến máu (đơn vị máu)".
func txtXLSXKindMeasure(k *cd.ActivityKind) string {
	return fmt.Sprintf("%s (%s)", k.Name, measureUnit(k))
}

func txtChartUnitsTitle(m cd.Month) string {
	return "Số báo cáo theo đơn vị, tháng " + m.Display()
}
