package report

import (
	"fmt"
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

// sheetGrid is a sheet's column layout: the widths of columns A, B, ...
// (in Excel's character units), and which columns hold the left
// (issuing body) and right (motto, signature) blocks of the letterhead.
type sheetGrid struct {
	widths      []float64
	left, right colSpan
}

// colSpan is a run of grid columns, 1-based and inclusive: tables
// narrower than the grid span columns.
type colSpan struct{ from, to int }

func oneCol(c int) colSpan { return colSpan{c, c} }

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
