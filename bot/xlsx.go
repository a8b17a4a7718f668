package bot

import (
	"errors"
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

// UnitReportXLSX renders one grassroots union's month (the unit's own report, signed by its chair).
func UnitReportXLSX(s *cd.ProvinceSummary, u *cd.UnitMonth, chair string, deadline cd.Date) ([]byte, error) {
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

// sheetGrid is a sheet's column layout: the widths of columns A, B, ...
// (in Excel's character units), and which columns hold the left
// (issuing body) and right (motto, signature) blocks of the letterhead.
type sheetGrid struct {
	widths      []float64
	left, right colSpan
}

// colSpan is a run of grid columns, 1-based and inclusive.
type colSpan struct{ from, to int }

func oneCol(c int) colSpan { return colSpan{c, c} }

// The province report has nine columns (table II is the widest); the
// unit's report six. Tables narrower than the grid span columns.
var (
	provinceGrid = sheetGrid{
		widths: []float64{6.5, 30, 10, 11, 11, 11, 11, 11, 20},
		left:   colSpan{1, 3}, right: colSpan{4, 9},
	}
	unitGrid = sheetGrid{
		widths: []float64{6.5, 32, 16, 14, 14, 17},
		left:   colSpan{1, 2}, right: colSpan{3, 6},
	}
)

// A table's columns: where each sits on the grid.
type kindCols struct{ no, kind, reports, people, amount, quantity colSpan }
type fundCols struct{ no, fund, pledged, paid, donors, percent colSpan }

var (
	provinceKindCols = kindCols{oneCol(1), oneCol(2), oneCol(3), oneCol(4), colSpan{5, 6}, colSpan{7, 9}}
	unitKindCols     = kindCols{oneCol(1), oneCol(2), oneCol(3), oneCol(4), oneCol(5), oneCol(6)}
	provinceFundCols = fundCols{oneCol(1), oneCol(2), colSpan{3, 4}, colSpan{5, 6}, colSpan{7, 8}, oneCol(9)}
	unitFundCols     = fundCols{oneCol(1), oneCol(2), oneCol(3), oneCol(4), oneCol(5), oneCol(6)}
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
	rowLineHeight   = 17.25 // points, one line of 13-point text
	titleLineHeight = 19.5
	unitsPerEm      = reportFontSize * 96.0 / 72 / 7 // column units per em at 13 points
	cellPadding     = 0.8                            // column units lost to the cell's margins
	maxRowHeight    = 409                            // points, Excel's limit
	// paragraphRowLines is the most lines a row of a paragraph holds
	// before the paragraph goes on in the next row (well under 409 pt).
	paragraphRowLines = 12
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
	grid   sheetGrid
	styles map[cellStyle]int
	row    int // the next row to write
	err    error
}

func newReportSheet(s *cd.ProvinceSummary, g sheetGrid, title string) (*reportSheet, error) {
	f := excelize.NewFile()
	name := txtXLSXSheetName(s.Month)
	w := &reportSheet{f: f, name: name, grid: g, styles: map[cellStyle]int{}, row: 1}
	w.do(f.SetSheetName("Sheet1", name))
	w.do(f.SetDefaultFont(reportFont))
	props := &excelize.DocProperties{Title: title, Creator: "congdoanbot", Language: "vi-VN"}
	if !s.GeneratedAt.IsZero() {
		props.Created = s.GeneratedAt.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	w.do(f.SetDocProps(props))
	last := colName(len(g.widths))
	w.do(f.SetColStyle(name, "A:"+last, w.style(cellStyle{})))
	for i, width := range g.widths {
		c := colName(i + 1)
		w.do(f.SetColWidth(name, c, c, width))
	}
	a4, portrait, fit, tall := 9, "portrait", 1, 0
	w.do(f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &portrait,
		FitToWidth: &fit, FitToHeight: &tall}))
	fitToPage, noGrid, rowHeight := true, false, rowLineHeight
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
func (w *reportSheet) put(sp colSpan, row int, v any, st cellStyle) {
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
	}
}

// height sets a row's height for a number of lines, within Excel's
// limit of 409 points.
func (w *reportSheet) height(row int, lines int, lh float64) {
	w.do(w.f.SetRowHeight(w.name, row, min(float64(max(lines, 1))*lh, maxRowHeight)))
}

// width is the width of sp in column units.
func (w *reportSheet) width(sp colSpan) float64 {
	var total float64
	for c := sp.from; c <= sp.to; c++ {
		total += w.grid.widths[c-1]
	}
	return total
}

// cellWrapper lays words into the lines of a cell as Excel wraps them, as
// far as the metrics above tell.
type cellWrapper struct {
	capacity, space, used float64
	bold                  bool
	n                     int // lines so far
}

func newCellWrapper(width float64, bold bool) *cellWrapper {
	return &cellWrapper{capacity: width - cellPadding, space: runeEm(' ', bold) * unitsPerEm, bold: bold, n: 1}
}

func (wr *cellWrapper) add(word string) {
	var l float64
	for _, r := range word {
		l += runeEm(r, wr.bold) * unitsPerEm
	}
	switch {
	case wr.used == 0:
		wr.used = l
	case wr.used+wr.space+l <= wr.capacity:
		wr.used += wr.space + l
	default:
		wr.n++
		wr.used = l
	}
	for wr.used > wr.capacity && wr.capacity > 0 { // a word longer than a line breaks
		wr.n++
		wr.used -= wr.capacity
	}
}

// wrapLines estimates how many lines s takes wrapped in a cell of the given
// width: words laid greedily, each as wide as its letters.
func wrapLines(s string, width float64, bold bool) int {
	n := 0
	for para := range strings.SplitSeq(s, "\n") {
		wr := newCellWrapper(width, bold)
		for _, word := range strings.Fields(para) {
			wr.add(word)
		}
		n += wr.n
	}
	return max(n, 1)
}

// wrapChunks splits s at words into pieces of at most maxLines lines each,
// for text too long for one row (Excel's rows are at most 409 points).
func wrapChunks(s string, width float64, bold bool, maxLines int) []string {
	var out []string
	for para := range strings.SplitSeq(s, "\n") {
		wr := newCellWrapper(width, bold)
		var cur []string
		for _, word := range strings.Fields(para) {
			wr.add(word)
			if wr.n > maxLines && len(cur) > 0 {
				out = append(out, strings.Join(cur, " "))
				cur = cur[:0]
				wr = newCellWrapper(width, bold)
				wr.add(word)
			}
			cur = append(cur, word)
		}
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

func (w *reportSheet) all() colSpan { return colSpan{1, len(w.grid.widths)} }

// blank leaves an empty row.
func (w *reportSheet) blank() { w.row++ }

// paragraph writes text across the whole width, over several rows if
// it is longer than a row can be.
func (w *reportSheet) paragraph(text string, st cellStyle) {
	sp := w.all()
	lh := rowLineHeight
	if st.size > reportFontSize {
		lh = titleLineHeight
	}
	for _, piece := range wrapChunks(text, w.width(sp), st.bold, paragraphRowLines) {
		w.put(sp, w.row, piece, st)
		w.height(w.row, wrapLines(piece, w.width(sp), st.bold), lh)
		w.row++
	}
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
			n = wrapLines(left[i].text, w.width(g.left), left[i].st.bold)
		}
		if i < len(right) {
			w.put(g.right, w.row, right[i].text, right[i].st)
			n = max(n, wrapLines(right[i].text, w.width(g.right), right[i].st.bold))
		}
		w.height(w.row, n, rowLineHeight)
		w.row++
	}
	t := s.GeneratedAt
	date := txtXLSXPlaceDate(txtXLSXPlace(s.Province), t.Day(), int(t.Month()), t.Year())
	w.put(g.right, w.row, date, cellStyle{italic: true, align: alignCenter})
	w.height(w.row, wrapLines(date, w.width(g.right), false), rowLineHeight)
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
