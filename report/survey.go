package report

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	cd "github.com/congdoanbot/congdoanbot"
)

// A survey's results: a chart of its choice and rating questions, one
// horizontal bar plot a question, stacked (PNG); and a workbook with the
// counts and percentages question by question, and every response, one
// a row (XLSX). An anonymous survey's responses carry no name and no
// time, and come in the order of their random keys.

// SurveyChart is the package's SurveyChart.
func (Renderer) SurveyChart(res *cd.SurveyResults) ([]byte, error) { return SurveyChart(res) }

// SurveyXLSX is the package's SurveyXLSX.
func (Renderer) SurveyXLSX(res *cd.SurveyResults) ([]byte, error) { return SurveyXLSX(res) }

// Sizes of the survey chart: each question's plot gets a band whose
// height follows its number of bars.
const (
	surveyChartBarPx   = 34
	surveyChartExtraPx = 110 // a plot's title and axis
	surveyChartMaxPx   = 4000
	surveyLabelMax     = 45 // runes of an option on its bar
)

// SurveyChart draws the choice and rating questions of a survey's
// results: per question, a bar per option (or rating) with its count and
// percentage, the first option at the top.
func SurveyChart(res *cd.SurveyResults) ([]byte, error) {
	if res == nil || res.Withheld {
		return nil, errors.New("survey chart: no results to draw")
	}
	var qs []int
	heightPx := 0
	for i, q := range res.Questions {
		if q.Question.Kind != cd.QuestionText {
			qs = append(qs, i)
			heightPx += len(q.Counts)*surveyChartBarPx + surveyChartExtraPx
		}
	}
	if len(qs) == 0 {
		return nil, errors.New("survey chart: no choice or rating question")
	}
	heightPx = min(heightPx, surveyChartMaxPx)
	w := vg.Length(chartWidthPx) / chartDPI * vg.Inch
	h := vg.Length(heightPx) / chartDPI * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI))
	dc := draw.New(img)
	margin := vg.Points(16)
	top := h
	for _, i := range qs {
		q := &res.Questions[i]
		band := h * vg.Length(len(q.Counts)*surveyChartBarPx+surveyChartExtraPx) / vg.Length(heightPx)
		pad := vg.Points(6)
		c := draw.Crop(dc, margin, -margin, top-band-dc.Min.Y+pad, -(h-top)-pad)
		top -= band
		p, err := surveyQuestionPlot(i, q, c.Max.Y-c.Min.Y)
		if err != nil {
			return nil, fmt.Errorf("survey chart: question %d: %w", i+1, err)
		}
		p.Draw(c)
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("survey chart: png: %w", err)
	}
	return buf.Bytes(), nil
}

// surveyQuestionPlot is one question's bars.
func surveyQuestionPlot(i int, q *cd.QuestionResult, height vg.Length) (*plot.Plot, error) {
	p := newChartPlot(chartShorten(txtSurveyChartTitle(i, q), 110))
	n := len(q.Counts)
	values := make(plotter.Values, n)
	labels, names := make([]string, n), make([]string, n)
	var most float64
	for k := range n {
		j := n - 1 - k // the first option at the top; ratings from 5 down
		if q.Question.Kind == cd.QuestionRating {
			j = k
		}
		values[j] = float64(q.Counts[k])
		labels[j] = txtSurveyCount(q.Counts[k], q.Percent(q.Counts[k]))
		names[j] = chartShorten(surveyOptionName(q, k), surveyLabelMax)
		most = max(most, values[j])
	}
	if err := addUnitBars(p, values, height); err != nil {
		return nil, err
	}
	if err := chartValueLabels(p, values, labels, 0); err != nil {
		return nil, err
	}
	p.NominalY(names...)
	p.X.Label.Text = txtSurveyChartAxis
	p.X.Min, p.X.Max = 0, max(most*1.25, 1)
	p.X.Tick.Marker = chartTicks(true)
	return p, nil
}

// surveyOptionName is option k of a question: its text, or "5 điểm".
func surveyOptionName(q *cd.QuestionResult, k int) string {
	if q.Question.Kind == cd.QuestionRating {
		return txtSurveyRating(k + 1)
	}
	return q.Question.Options[k]
}

// SurveyXLSX writes a survey's results as a workbook: a sheet of counts
// and percentages per question (with the free-text answers), and a sheet
// of the responses, one a row.
func SurveyXLSX(res *cd.SurveyResults) ([]byte, error) {
	if res == nil || res.Withheld {
		return nil, errors.New("survey workbook: no results to write")
	}
	f := excelize.NewFile()
	defer f.Close()
	w := &surveyBook{f: f}
	w.summary(res)
	w.responses(res.Survey, res.Rows)
	if w.err != nil {
		return nil, fmt.Errorf("survey workbook: %w", w.err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("survey workbook: write: %w", err)
	}
	return buf.Bytes(), nil
}

// surveyBook writes a survey workbook; the first error sticks.
type surveyBook struct {
	f    *excelize.File
	bold int
	err  error
}

func (w *surveyBook) do(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

// row writes values (strings or ints) in a row of a sheet from column A.
func (w *surveyBook) row(sheet string, r int, bold bool, values ...any) {
	cell, err := excelize.CoordinatesToCellName(1, r)
	w.do(err)
	w.do(w.f.SetSheetRow(sheet, cell, &values))
	if bold && w.err == nil {
		last, err := excelize.CoordinatesToCellName(max(len(values), 1), r)
		w.do(err)
		w.do(w.f.SetCellStyle(sheet, cell, last, w.bold))
	}
}

func (w *surveyBook) summary(res *cd.SurveyResults) {
	s := res.Survey
	sheet := txtSurveySheetSummary
	w.do(w.f.SetSheetName("Sheet1", sheet))
	id, err := w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	w.do(err)
	w.bold = id
	w.do(w.f.SetColWidth(sheet, "A", "A", 60))
	w.do(w.f.SetColWidth(sheet, "B", "C", 14))
	w.row(sheet, 1, true, txtSurveyBookTitle(s))
	w.row(sheet, 2, false, txtSurveyBookInfo(s, res.Responses))
	r := 4
	for i := range res.Questions {
		q := &res.Questions[i]
		w.row(sheet, r, true, txtSurveyChartTitle(i, q), txtSurveyBookCount, txtSurveyBookPercent)
		r++
		for k := range q.Counts {
			w.row(sheet, r, false, surveyOptionName(q, k), q.Counts[k], q.Percent(q.Counts[k]))
			r++
		}
		if q.Question.Kind == cd.QuestionRating {
			avg := q.AverageTenths()
			w.row(sheet, r, false, txtSurveyBookAverage, fmt.Sprintf("%d,%d", avg/10, avg%10))
			r++
		}
		for _, t := range q.Texts {
			w.row(sheet, r, false, surveyFreeText(t))
			r++
		}
		r++
	}
}

func surveyFreeText(t cd.FreeAnswer) string {
	if t.Name == "" {
		return t.Text
	}
	return t.Text + " (" + t.Name + ", " + t.UnitCode + ")"
}

// responses writes the responses sheet: a named survey's with who and
// when, an anonymous survey's with neither.
func (w *surveyBook) responses(s *cd.Survey, rs []cd.SurveyResponse) {
	sheet := txtSurveySheetResponses
	_, err := w.f.NewSheet(sheet)
	w.do(err)
	var head []any
	if !s.Anonymous {
		head = append(head, txtSurveyBookName, txtSurveyBookUnit, txtSurveyBookUpdated)
	}
	for i := range s.Questions {
		head = append(head, txtSurveyBookQuestion(i))
	}
	w.row(sheet, 1, true, head...)
	for j, resp := range rs {
		var vals []any
		if !s.Anonymous {
			vals = append(vals, resp.MemberName, resp.UnitCode, resp.UpdatedAt.Format("2006-01-02 15:04"))
		}
		for i := range s.Questions {
			vals = append(vals, surveyAnswerCell(&s.Questions[i], resp.Answers, i))
		}
		w.row(sheet, j+2, false, vals...)
	}
}

// surveyAnswerCell is an answer as the workbook shows it.
func surveyAnswerCell(q *cd.SurveyQuestion, as []cd.SurveyAnswer, i int) any {
	if i >= len(as) {
		return ""
	}
	a := as[i]
	switch q.Kind {
	case cd.QuestionRating:
		return a.Rating
	case cd.QuestionText:
		return a.Text
	}
	var picked []string
	for _, o := range a.Options {
		if o >= 0 && o < len(q.Options) {
			picked = append(picked, q.Options[o])
		}
	}
	return strings.Join(picked, "; ")
}

// txtSurveyCount is a bar's label: "5 (42%)".
func txtSurveyCount(n, percent int) string {
	return strconv.Itoa(n) + " (" + strconv.Itoa(percent) + "%)"
}
