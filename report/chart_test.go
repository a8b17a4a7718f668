package report

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	cd "github.com/congdoanbot/congdoanbot"
)

// reportSaveSample writes a rendered file to $REPORT_SAMPLE_DIR, when set, for
// a person to look at: go test ./report -run 'XLSX|Chart' with the variable.
func reportSaveSample(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("REPORT_SAMPLE_DIR")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// chartDecode decodes a chart and checks its size.
func chartDecode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode chart as PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 900 {
		t.Fatalf("chart size %dx%d, want 1200x900", b.Dx(), b.Dy())
	}
	return img
}

// chartColours counts the distinct chartColours of an image and the pixels of each.
func chartColours(img image.Image) map[color.RGBA]int {
	n := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			n[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	return n
}

func TestSummaryChart(t *testing.T) {
	s, _ := reportFixture()
	data, err := SummaryChart(s)
	if err != nil {
		t.Fatal(err)
	}
	reportSaveSample(t, "chart.png", data)
	px := chartColours(chartDecode(t, data))
	// Text is antialiased: a drawn chart has many shades, a blank one one.
	if len(px) < 50 {
		t.Errorf("%d distinct chartColours: the chart looks blank", len(px))
	}
	// Each series' bars are drawn, in proportion: the units' bars (10,
	// 9 and 0 reports) and both fund series.
	for _, c := range []struct {
		name string
		c    color.RGBA
		min  int
	}{
		{"unit bars", chartUnitColor, 20_000},
		{"pledged bars", chartPledgedColor, 5_000},
		{"paid bars", chartPaidColor, 2_000},
	} {
		if px[c.c] < c.min {
			t.Errorf("%s: %d pixels of %v, want at least %d", c.name, px[c.c], c.c, c.min)
		}
	}
	if px[color.RGBA{255, 255, 255, 255}] < 1200*900/2 {
		t.Errorf("background: %d white pixels, want most of the image", px[color.RGBA{255, 255, 255, 255}])
	}
}

// TestSummaryChartManyUnits: only the 20 units with most reports are
// drawn, whatever their order in the summary.
func TestSummaryChartManyUnits(t *testing.T) {
	s := reportBenchSummary(60, 9, 3)
	// Reverse the ranking: the chart must sort by reports itself.
	for i, j := 0, len(s.Units)-1; i < j; i, j = i+1, j-1 {
		s.Units[i], s.Units[j] = s.Units[j], s.Units[i]
	}
	p, err := chartUnitsPlot(s, 500)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max-p.Y.Min > 21 {
		t.Errorf("y axis %v..%v: more than 20 units", p.Y.Min, p.Y.Max)
	}
	data, err := SummaryChart(s)
	if err != nil {
		t.Fatal(err)
	}
	reportSaveSample(t, "chart-many.png", data)
	chartDecode(t, data)
}

func TestSummaryChartEmpty(t *testing.T) {
	s := &cd.ProvinceSummary{Province: "Công đoàn Viên chức tỉnh", Month: cd.Month{Year: 2027, Month: 1}}
	data, err := SummaryChart(s)
	if err != nil {
		t.Fatal(err)
	}
	reportSaveSample(t, "chart-empty.png", data)
	px := chartColours(chartDecode(t, data))
	if len(px) < 10 {
		t.Errorf("%d distinct chartColours: the titles and notes are missing", len(px))
	}
}

func TestChartMillionsLabel(t *testing.T) {
	for d, want := range map[int64]string{
		0: "0", 1_500_000: "1,5", 1_250_000: "1,3", 1_000_000: "1", 15_000_000: "15",
		40_000: "0", 1_234_567_890: "1.234,6",
	} {
		if got := chartMillionsLabel(d); got != want {
			t.Errorf("chartMillionsLabel(%d) = %q, want %q", d, got, want)
		}
	}
}

func TestChartShorten(t *testing.T) {
	if got := chartShorten("Mái ấm Công đoàn", 40); got != "Mái ấm Công đoàn" {
		t.Errorf("short name changed: %q", got)
	}
	if got := chartShorten("Tiết kiệm vì nữ CNVCLĐ có hoàn cảnh khó khăn", 20); got != "Tiết kiệm vì nữ CNV…" {
		t.Errorf("shorten = %q", got)
	}
}

func TestChartTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		whole  bool
		want   []string
	}{
		{0, 11.2, true, []string{"0", "2", "4", "6", "8", "10"}},
		{0, 1.12, true, []string{"0", "1"}},
		{0, 19.5, false, []string{"0", "5", "10", "15"}},
		{0, 2.6, false, []string{"0", "0,5", "1", "1,5", "2", "2,5"}},
		{0, 4812, false, []string{"0", "1.000", "2.000", "3.000", "4.000"}},
	} {
		var got []string
		for _, tk := range chartTicks(tc.whole).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ticks %v..%v: %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}
