package report

import (
	"fmt"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// reportBenchSummary is a synthetic month of a large province: units grassroots
// unions, kinds kinds of activity, funds funds, every unit with reports
// of every kind, a campaign and a part of each fund; every fifth unit
// late, every seventh without a report.
func reportBenchSummary(units, kinds, funds int) *cd.ProvinceSummary {
	m := cd.Month{Year: 2026, Month: 7}
	s := &cd.ProvinceSummary{Province: "Công đoàn Viên chức tỉnh Quảng Trị", Month: m,
		GeneratedAt: time.Date(2026, 8, 6, 8, 0, 0, 0, reportZone), Totals: map[string]cd.KindTotal{}}
	measures := []cd.Measure{cd.MeasureCount, cd.MeasurePeople, cd.MeasureAmount, cd.MeasureQuantity}
	for k := range kinds {
		s.Kinds = append(s.Kinds, cd.ActivityKind{Code: fmt.Sprintf("kind%d", k), Name: fmt.Sprintf("Hoạt động loại %d", k+1),
			QuantityUnit: "đơn vị", Measure: measures[k%len(measures)], Position: k, Active: true})
	}
	for f := range funds {
		s.Funds = append(s.Funds, cd.FundSummary{Fund: cd.Fund{ID: int64(f + 1), Name: fmt.Sprintf("Quỹ hỗ trợ đoàn viên số %d", f+1),
			Target: 500_000_000}, Pledged: int64(f+1) * 123_400_000, Paid: int64(f+1) * 98_700_000, Donors: int64(f+1) * 1000})
	}
	campaign := cd.Campaign{ID: 1, Name: "Lao động giỏi, Lao động sáng tạo"}
	for u := range units {
		um := cd.UnitMonth{
			Unit: cd.Unit{ID: int64(u + 2), ParentID: 1, Kind: cd.UnitGrassroots,
				Name: fmt.Sprintf("Công đoàn cơ sở Sở, ban, ngành số %d của tỉnh", u+1), Code: fmt.Sprintf("U%03d", u+1)},
			Rank: u + 1, Totals: map[string]cd.KindTotal{}, ActiveMembers: 20 + u%50, NewMembers: u % 3, Reporters: 10 + u%10,
		}
		for k, kind := range s.Kinds {
			t := cd.KindTotal{Kind: kind.Code, Count: int64((units-u)%7 + k%3 + 1), People: int64(u % 40), Amount: int64(u%9) * 250_000,
				Quantity: int64(u % 5)}
			um.Totals[kind.Code] = t
			um.Reports += t.Count
			st := s.Totals[kind.Code]
			st.Kind, st.Count, st.People, st.Amount, st.Quantity = kind.Code, st.Count+t.Count, st.People+t.People,
				st.Amount+t.Amount, st.Quantity+t.Quantity
			s.Totals[kind.Code] = st
		}
		if u%7 != 6 {
			um.Report = &cd.UnitReport{UnitID: um.Unit.ID, Month: m, SubmittedAt: time.Date(2026, 8, 1+u%6, 2, 0, 0, 0, time.UTC),
				Late: u%5 == 4}
		}
		cp := cd.CampaignProgress{Campaign: campaign}
		for _, kind := range s.Kinds[:min(3, kinds)] {
			cp.Lines = append(cp.Lines, cd.ProgressLine{Kind: kind, Value: um.Totals[kind.Code].Value(kind.Measure), Target: 10})
		}
		um.Campaigns = []cd.CampaignProgress{cp}
		for _, f := range s.Funds {
			um.Funds = append(um.Funds, cd.FundSummary{Fund: f.Fund, Pledged: f.Pledged / int64(units), Paid: f.Paid / int64(units)})
		}
		s.Units = append(s.Units, um)
	}
	return s
}

// BenchmarkProvinceXLSX: the province's report for 300 units, 9
// kinds and 3 funds (the target: under 3 s).
func BenchmarkProvinceXLSX(b *testing.B) {
	s := reportBenchSummary(300, 9, 3)
	deadline := cd.Date{Year: 2026, Month: 8, Day: 5}
	var size int
	for b.Loop() {
		data, err := ProvinceXLSX(s, deadline)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes/report")
}

// BenchmarkSummaryChart: the chart of the same month.
func BenchmarkSummaryChart(b *testing.B) {
	s := reportBenchSummary(300, 9, 3)
	var size int
	for b.Loop() {
		data, err := SummaryChart(s)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes/png")
}
