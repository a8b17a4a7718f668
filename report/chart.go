package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	cd "github.com/congdoanbot/congdoanbot"
)

// The summary chart: reports per unit on top, the funds' progress below,
// in one PNG sized for a phone screen held sideways and for printing.
// Text is drawn in Liberation Serif (gonum/plot's embedded default),
// which covers Vietnamese.

// Chart size in pixels, and the resolution it is drawn at.
const (
	chartWidthPx  = 1200
	chartHeightPx = 900
	chartDPI      = 96
	chartTopUnits = 20 // units shown: those with most reports
	chartTopShare = 0.6
	chartNameMax  = 40 // runes of a fund's name on its bar
)

var (
	chartUnitColor    = color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff} // blue
	chartPledgedColor = color.RGBA{R: 0xf2, G: 0xa5, B: 0x41, A: 0xff} // amber
	chartPaidColor    = color.RGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff} // green
)

// SummaryChart draws a PNG: reports per unit (the 20 units with most reports, horizontal bars, unit codes as labels) and each fund's progress (pledged vs paid, bars), in one image about 1200x900.
func SummaryChart(s *cd.ProvinceSummary) ([]byte, error) {
	if s == nil {
		return nil, errors.New("summary chart: no summary")
	}
	w := vg.Length(chartWidthPx) / chartDPI * vg.Inch
	h := vg.Length(chartHeightPx) / chartDPI * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI))
	dc := draw.New(img)
	margin := vg.Points(20)
	top := draw.Crop(dc, margin, -margin, h*(1-chartTopShare), -margin)
	bottom := draw.Crop(dc, margin, -margin, margin, -h*chartTopShare-margin)

	units, err := chartUnitsPlot(s, top.Max.Y-top.Min.Y)
	if err != nil {
		return nil, fmt.Errorf("summary chart: units: %w", err)
	}
	funds, err := chartFundsPlot(s.Funds, bottom.Max.Y-bottom.Min.Y)
	if err != nil {
		return nil, fmt.Errorf("summary chart: funds: %w", err)
	}
	units.Draw(top)
	funds.Draw(bottom)

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("summary chart: png: %w", err)
	}
	return buf.Bytes(), nil
}

// newChartPlot is a plot with the chart's title and fonts.
func newChartPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	bold := plot.DefaultFont
	bold.Weight = stdfont.WeightBold
	p.Title.TextStyle.Font = font.From(bold, 15)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = 12
		a.Tick.Label.Font.Size = 12
	}
	p.Legend.TextStyle.Font.Size = 12
	return p
}

// chartBarWidth shares a plot's height, less its title and axis, among n slots.
// addUnitBars adds one series of horizontal bars in the units' colour,
// the first value at the bottom.
func addUnitBars(p *plot.Plot, values plotter.Values, height vg.Length) error {
	bars, err := plotter.NewBarChart(values, chartBarWidth(height, len(values), 0.7))
	if err != nil {
		return err
	}
	bars.Horizontal = true
	bars.Color = chartUnitColor
	bars.LineStyle.Width = 0
	p.Add(bars)
	return nil
}

func chartBarWidth(height vg.Length, n int, share float64) vg.Length {
	data := height - vg.Points(70)
	return min(data/vg.Length(max(n, 1))*vg.Length(share), vg.Points(28))
}

// chartUnitsPlot is the units with most reports, the most at the top.
func chartUnitsPlot(s *cd.ProvinceSummary, height vg.Length) (*plot.Plot, error) {
	p := newChartPlot(txtChartUnitsTitle(s.Month))
	units := make([]*cd.UnitMonth, len(s.Units))
	for i := range s.Units {
		units[i] = &s.Units[i]
	}
	slices.SortStableFunc(units, func(a, b *cd.UnitMonth) int { return cmp.Compare(b.Reports, a.Reports) })
	units = units[:min(len(units), chartTopUnits)]
	if len(units) == 0 {
		return chartNoDataPlot(p)
	}
	n := len(units)
	values := make(plotter.Values, n)
	names := make([]string, n)
	var most float64
	for i, u := range units {
		j := n - 1 - i // bottom to top
		values[j] = float64(u.Reports)
		names[j] = u.Unit.Code
		most = max(most, values[j])
	}
	if err := addUnitBars(p, values, height); err != nil {
		return nil, err
	}
	labels := make([]string, n)
	for i, v := range values {
		labels[i] = strconv.FormatFloat(v, 'f', 0, 64)
	}
	if err := chartValueLabels(p, values, labels, 0); err != nil {
		return nil, err
	}
	p.NominalY(names...)
	p.X.Label.Text = txtChartReportsAxis
	p.X.Min, p.X.Max = 0, max(most*1.12, 1)
	p.X.Tick.Marker = chartTicks(true)
	return p, nil
}

// chartFundsPlot is each fund's pledged and paid totals in millions of đồng,
// side by side, the first fund at the top.
func chartFundsPlot(funds []cd.FundSummary, height vg.Length) (*plot.Plot, error) {
	p := newChartPlot(txtChartFundsTitle)
	if len(funds) == 0 {
		return chartNoDataPlot(p)
	}
	n := len(funds)
	pledged, paid := make(plotter.Values, n), make(plotter.Values, n)
	pledgedLabels, paidLabels := make([]string, n), make([]string, n)
	names := make([]string, n)
	var most float64
	for i, f := range funds {
		j := n - 1 - i
		pledged[j], paid[j] = chartMillions(f.Pledged), chartMillions(f.Paid)
		pledgedLabels[j], paidLabels[j] = chartMillionsLabel(f.Pledged), chartMillionsLabel(f.Paid)
		names[j] = chartShorten(f.Fund.Name, chartNameMax)
		most = max(most, pledged[j], paid[j])
	}
	width := chartBarWidth(height, n, 0.38)
	for _, series := range []struct {
		values plotter.Values
		labels []string
		color  color.Color
		offset vg.Length
		legend string
	}{
		{pledged, pledgedLabels, chartPledgedColor, width / 2, txtChartPledged},
		{paid, paidLabels, chartPaidColor, -width / 2, txtChartPaid},
	} {
		bars, err := plotter.NewBarChart(series.values, width)
		if err != nil {
			return nil, err
		}
		bars.Horizontal = true
		bars.Color = series.color
		bars.LineStyle.Width = 0
		bars.Offset = series.offset
		p.Add(bars)
		p.Legend.Add(series.legend, bars)
		if err := chartValueLabels(p, series.values, series.labels, series.offset); err != nil {
			return nil, err
		}
	}
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(4)
	p.Legend.YOffs = -vg.Points(4)
	p.NominalY(names...)
	p.X.Label.Text = txtChartMillionAxis
	p.X.Min, p.X.Max = 0, max(most*1.3, 1)
	p.X.Tick.Marker = chartTicks(false)
	return p, nil
}

// chartValueLabels writes each bar's value just past its end.
func chartValueLabels(p *plot.Plot, values plotter.Values, labels []string, offset vg.Length) error {
	xys := make(plotter.XYs, len(values))
	for i, v := range values {
		xys[i] = plotter.XY{X: v, Y: float64(i)}
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = 11
		l.TextStyle[i].YAlign = draw.YCenter
	}
	l.Offset = vg.Point{X: vg.Points(4), Y: offset}
	p.Add(l)
	return nil
}

// chartNoDataPlot is a plot with its title and a note that there is nothing to draw.
func chartNoDataPlot(p *plot.Plot) (*plot.Plot, error) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0.5, Y: 0.5}}, Labels: []string{txtChartNoData}})
	if err != nil {
		return nil, err
	}
	l.TextStyle[0].Font.Size = 14
	l.TextStyle[0].XAlign = draw.XCenter
	l.TextStyle[0].YAlign = draw.YCenter
	p.Add(l)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.HideAxes()
	return p, nil
}

// chartTicks marks four to seven round values (1, 2 or 5 times a power of
// ten) labelled the Vietnamese way: "1.500", "2,5"; whole numbers only
// when the axis counts things.
func chartTicks(whole bool) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		step := chartNiceStep((hi - lo) / 6)
		if whole {
			step = max(step, 1)
		}
		decimals := max(0, int(-math.Floor(math.Log10(step))))
		var out []plot.Tick
		first := math.Ceil(lo/step - 1e-9)
		for i := 0.0; ; i++ {
			v := (first + i) * step
			if v > hi+step*1e-9 {
				break
			}
			out = append(out, plot.Tick{Value: v, Label: chartNumber(v, decimals)})
		}
		return out
	})
}

// chartNiceStep is the smallest of 1, 2 or 5 times a power of ten not below x.
func chartNiceStep(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// chartNumber writes v with the given decimals, a dot between thousands and
// a decimal comma: 1500 is "1.500", 2.5 is "2,5".
func chartNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := cd.GroupThousands(n)
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		out += "," + frac
	}
	if v < 0 && out != "0" {
		out = "-" + out
	}
	return out
}

// chartMillions is whole đồng in millions, for drawing only: money itself
// stays in int64.
func chartMillions(d int64) float64 { return float64(d) / 1e6 }

// chartMillionsLabel is an amount in millions with one decimal, the
// Vietnamese way: 1.250.000 đ is "1,3"; whole millions drop the decimal.
func chartMillionsLabel(d int64) string {
	tenths := (d + 50_000) / 100_000
	s := cd.GroupThousands(tenths / 10)
	if r := tenths % 10; r != 0 {
		s += "," + strconv.FormatInt(r, 10)
	}
	return s
}

// chartShorten cuts s to n runes, marking the cut with an ellipsis.
func chartShorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
