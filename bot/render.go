package bot

import (
	"errors"

	cd "github.com/congdoanbot/congdoanbot"
)

// Renderer draws the files the core attaches to its messages: the
// monthly reports (XLSX), the summary chart and VietQR codes (PNG). Data
// in, bytes out; report.Renderer implements it, and the program sets it
// in Config, so that the core imports no spreadsheet, plotting or QR
// library.
type Renderer interface {
	// ProvinceXLSX is the province's monthly report.
	ProvinceXLSX(s *cd.ProvinceSummary, deadline cd.Date) ([]byte, error)
	// UnitXLSX is one grassroots union's monthly report, signed by chair.
	UnitXLSX(s *cd.ProvinceSummary, u *cd.UnitMonth, chair string, deadline cd.Date) ([]byte, error)
	// SummaryChart is the month's chart of reports per unit and funds.
	SummaryChart(s *cd.ProvinceSummary) ([]byte, error)
	// QRPNG is a QR code of payload as a PNG image.
	QRPNG(payload string) ([]byte, error)
	// The survey's results (bot/survey_results.go).
	surveyRenderer
}

// errNoRenderer is what a core without a Renderer answers when asked for
// a file.
var errNoRenderer = errors.New("no renderer configured (bot.Config.Renderer)")

// renderer is the configured Renderer, or one that fails.
func (b *Bot) renderer() Renderer {
	if b.cfg.Renderer == nil {
		return noRenderer{}
	}
	return b.cfg.Renderer
}

// noRenderer is the Renderer of a core configured without one.
type noRenderer struct{}

func (noRenderer) ProvinceXLSX(*cd.ProvinceSummary, cd.Date) ([]byte, error) {
	return nil, errNoRenderer
}
func (noRenderer) UnitXLSX(*cd.ProvinceSummary, *cd.UnitMonth, string, cd.Date) ([]byte, error) {
	return nil, errNoRenderer
}
func (noRenderer) SummaryChart(*cd.ProvinceSummary) ([]byte, error) { return nil, errNoRenderer }
func (noRenderer) QRPNG(string) ([]byte, error)                     { return nil, errNoRenderer }
