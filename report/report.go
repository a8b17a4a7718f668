// Package report draws the documents the bot attaches to its messages:
// the monthly reports as XLSX sheets laid out as the union files them,
// the summary chart as a PNG, and VietQR payment codes as PNG images.
// Data in, bytes out: it takes the domain's summaries (cd.ProvinceSummary,
// cd.UnitMonth) and payloads, and knows nothing of chats or storage.
//
// The conversation core declares what it needs as bot.Renderer and never
// imports this package; the program wires Renderer in.
package report

import cd "github.com/congdoanbot/congdoanbot"

// Renderer is the package's functions as one value, for bot.Config.
type Renderer struct{}

// ProvinceXLSX is the package's ProvinceXLSX.
func (Renderer) ProvinceXLSX(s *cd.ProvinceSummary, deadline cd.Date) ([]byte, error) {
	return ProvinceXLSX(s, deadline)
}

// UnitXLSX is the package's UnitXLSX.
func (Renderer) UnitXLSX(s *cd.ProvinceSummary, u *cd.UnitMonth, chair string, deadline cd.Date) ([]byte, error) {
	return UnitXLSX(s, u, chair, deadline)
}

// SummaryChart is the package's SummaryChart.
func (Renderer) SummaryChart(s *cd.ProvinceSummary) ([]byte, error) { return SummaryChart(s) }

// QRPNG is the package's QRPNG.
func (Renderer) QRPNG(payload string) ([]byte, error) { return QRPNG(payload) }
