package bot

import (
	"fmt"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// QueueMonthlySummary sends month m's summary: each chair their unit's,
// with the members who did not report; each province admin the
// province's, with the XLSX report and the chart. A catch-up run (the bot
// was down when it was due) is labelled so.
func (b *Bot) QueueMonthlySummary(tx Tx, m cd.Month, catchUp bool) (int, error) {
	s, err := b.Summary(tx, m, catchUp)
	if err != nil {
		return 0, err
	}
	queued := 0
	for i := range s.Units {
		u := &s.Units[i]
		managers, err := tx.UnitManagers(u.Unit.ID)
		if err != nil {
			return queued, err
		}
		if len(managers) == 0 {
			continue
		}
		if err := b.unitNotReported(tx, u, m); err != nil {
			return queued, err
		}
		text := b.unitSummaryText(s, u)
		for _, mg := range managers {
			ok, err := queueTo(tx, mg.ID, fmt.Sprintf("sum:%s:%d", m, mg.ID), cd.Message{Text: text})
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
	}
	admins, err := tx.ProvinceAdmins()
	if err != nil || len(admins) == 0 {
		return queued, err
	}
	files, err := b.summaryFiles(s)
	if err != nil {
		return queued, err
	}
	text := b.provinceSummaryText(s)
	for _, a := range admins {
		msgs := append([]cd.Message{{Text: text}}, files...)
		for i, msg := range msgs {
			ok, err := queueTo(tx, a.ID, fmt.Sprintf("sum:%s:%d:%d", m, a.ID, i), msg)
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
	}
	return queued, nil
}

// summaryFiles are the province's XLSX report and chart, as messages.
func (b *Bot) summaryFiles(s *cd.ProvinceSummary) ([]cd.Message, error) {
	xlsx, err := b.renderer().ProvinceXLSX(s, b.deadline(s.Month))
	if err != nil {
		return nil, fmt.Errorf("monthly report xlsx: %w", err)
	}
	png, err := b.renderer().SummaryChart(s)
	if err != nil {
		return nil, fmt.Errorf("monthly report chart: %w", err)
	}
	stamp := strings.ReplaceAll(s.Month.String(), "-", "")
	return []cd.Message{
		{Text: txtSummaryXLSXCaption(s.Month), File: &cd.File{Name: "bao-cao-thang-" + stamp + ".xlsx",
			MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: xlsx}},
		{Text: txtSummaryChartCaption(s.Month), File: &cd.File{Name: "bieu-do-thang-" + stamp + ".png", MIME: "image/png", Data: png}},
	}, nil
}

// unitSummaryText is a unit's month in a chat message.
func (b *Bot) unitSummaryText(s *cd.ProvinceSummary, u *cd.UnitMonth) string {
	var lines []string
	lines = append(lines, txtUnitSummaryHead(u.Unit.Name, s.Month, s.CatchUp))
	lines = append(lines, b.kindLines(s.Kinds, u.Totals)...)
	lines = append(lines, txtMembersLine(u.ActiveMembers, u.NewMembers, u.Reporters))
	if len(u.NotReported) > 0 {
		lines = append(lines, txtNotReported(u.NotReported))
	}
	for _, c := range u.Campaigns {
		lines = append(lines, "", txtCampaignHeader(&c.Campaign)+":")
		for _, l := range c.Lines {
			lines = append(lines, txtProgressLine(&l.Kind, l.Value, l.Target))
		}
	}
	var funds []string
	for _, f := range u.Funds {
		if f.Pledged > 0 {
			funds = append(funds, txtFundLine(f))
		}
	}
	if len(funds) > 0 {
		lines = append(lines, "", txtFundsHead)
		lines = append(lines, funds...)
	}
	lines = append(lines, "", txtSubmittedStatusLine(u.Report, b.loc))
	return strings.Join(lines, "\n")
}

// provinceSummaryText is the province's month in a chat message.
func (b *Bot) provinceSummaryText(s *cd.ProvinceSummary) string {
	lines := []string{txtProvinceSummaryHead(s.Province, s.Month, s.CatchUp)}
	lines = append(lines, b.kindLines(s.Kinds, s.Totals)...)
	lines = append(lines, "", txtUnitsRankedHead)
	const shown = 10
	for i := range s.Units {
		if i == shown {
			lines = append(lines, txtMoreUnits(len(s.Units)-shown))
			break
		}
		u := &s.Units[i]
		lines = append(lines, txtUnitRankLine(u))
	}
	var late, missing []string
	for i := range s.Units {
		switch u := &s.Units[i]; {
		case u.Report == nil:
			missing = append(missing, u.Unit.Code)
		case u.Report.Late:
			late = append(late, u.Unit.Code)
		}
	}
	lines = append(lines, txtSubmissionLine(missing, late, b.lateNow(s.Month, s.GeneratedAt), b.deadline(s.Month)))
	if len(s.Funds) > 0 {
		lines = append(lines, "", txtFundsHead)
		for _, f := range s.Funds {
			lines = append(lines, txtFundLine(f))
		}
	}
	return strings.Join(lines, "\n")
}

func (b *Bot) kindLines(kinds []cd.ActivityKind, totals map[string]cd.KindTotal) []string {
	var out []string
	for i := range kinds {
		if t, ok := totals[kinds[i].Code]; ok && t.Count > 0 {
			out = append(out, txtTotalLine(&kinds[i], t))
		}
	}
	if len(out) == 0 {
		out = append(out, txtNoActivities)
	}
	return out
}

// cmdSummary is /tonghop [mm/yyyy]: a chair gets the unit's summary of
// the month (this month by default), a province admin the province's with
// the XLSX report and the chart.
func cmdSummary(r *request, args string) error {
	m := cd.MonthOf(r.tx.Now(), r.b.cfg.Location)
	if args != "" {
		var err error
		if m, err = cd.ParseMonth(args); err != nil {
			return err
		}
	}
	s, err := r.b.Summary(r.tx, m, false)
	if err != nil {
		return err
	}
	if r.me.IsProvinceAdmin() {
		files, err := r.b.summaryFiles(s)
		if err != nil {
			return err
		}
		r.reply(r.b.provinceSummaryText(s))
		r.replies = append(r.replies, files...)
		return nil
	}
	u, err := managedUnit(r)
	if err != nil {
		return err
	}
	if u == nil {
		r.reply(txtChairNoUnit)
		return nil
	}
	for i := range s.Units {
		if s.Units[i].Unit.ID == u.ID {
			if err := r.b.unitNotReported(r.tx, &s.Units[i], m); err != nil {
				return err
			}
			r.reply(r.b.unitSummaryText(s, &s.Units[i]))
			return nil
		}
	}
	r.reply(txtChairNoUnit)
	return nil
}

// ReportXLSX is month m's report as an XLSX file: the province's, or with
// unitID that grassroots union's own, signed by its chair.
func (b *Bot) ReportXLSX(tx Tx, m cd.Month, unitID int64) ([]byte, error) {
	s, err := b.Summary(tx, m, false)
	if err != nil {
		return nil, err
	}
	if unitID == 0 {
		return b.renderer().ProvinceXLSX(s, b.deadline(m))
	}
	for i := range s.Units {
		u := &s.Units[i]
		if u.Unit.ID != unitID {
			continue
		}
		if err := b.unitNotReported(tx, u, m); err != nil {
			return nil, err
		}
		chair := ""
		managers, err := tx.UnitManagers(unitID)
		if err != nil {
			return nil, err
		}
		for _, mg := range managers {
			if mg.Role == cd.RoleChair {
				chair = mg.FullName
			}
		}
		return b.renderer().UnitXLSX(s, u, chair, b.deadline(m))
	}
	return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonUnitNotFound, "unit %d is not a grassroots union", unitID)
}
