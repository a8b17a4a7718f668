package bot

import (
	"sort"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// Summary builds the province's summary of a month: every grassroots
// union's activities, members, reporters, submission, campaign progress
// and funds; the province's totals by kind and fund.
func (b *Bot) Summary(tx Tx, m cd.Month, catchUp bool) (*cd.ProvinceSummary, error) {
	s := &cd.ProvinceSummary{Province: b.cfg.ProvinceName, Month: m, GeneratedAt: tx.Now().In(b.cfg.Location), CatchUp: catchUp,
		Totals: map[string]cd.KindTotal{}}
	kinds, err := tx.ActivityKinds(false)
	if err != nil {
		return nil, err
	}
	s.Kinds = kinds
	kindByCode := make(map[string]*cd.ActivityKind, len(kinds))
	for i := range kinds {
		kindByCode[kinds[i].Code] = &kinds[i]
	}
	units, err := tx.Units(cd.UnitFilter{Kind: cd.UnitGrassroots})
	if err != nil {
		return nil, err
	}
	totals, err := tx.MonthTotals(m, 0)
	if err != nil {
		return nil, err
	}
	loc := b.cfg.Location
	counts, err := tx.MemberCounts(m.First().Time(loc), m.Next().First().Time(loc))
	if err != nil {
		return nil, err
	}
	reporters, err := tx.ReporterCounts(m)
	if err != nil {
		return nil, err
	}
	reports, err := tx.UnitReports(m)
	if err != nil {
		return nil, err
	}
	// Campaigns running at some point of the month, with their totals.
	var campaigns []cd.Campaign
	all, err := tx.Campaigns(cd.Date{})
	if err != nil {
		return nil, err
	}
	campaignTotals := map[int64]map[int64]map[string]cd.KindTotal{}
	for _, c := range all {
		if c.End.Before(m.First()) || c.Start.After(m.Last()) {
			continue
		}
		t, err := tx.CampaignTotals(c.ID)
		if err != nil {
			return nil, err
		}
		campaigns = append(campaigns, c)
		campaignTotals[c.ID] = t
	}
	funds, err := tx.Funds(false)
	if err != nil {
		return nil, err
	}
	fundUnits := map[int64]map[int64]cd.UnitFundTotal{}
	for _, f := range funds {
		ft, err := tx.FundTotals(f.ID)
		if err != nil {
			return nil, err
		}
		s.Funds = append(s.Funds, cd.FundSummary{Fund: f, Pledged: ft.Pledged, Paid: ft.Paid, Donors: ft.Donors})
		fundUnits[f.ID] = map[int64]cd.UnitFundTotal{}
		for _, ut := range ft.Units {
			fundUnits[f.ID][ut.UnitID] = ut
		}
	}
	for _, u := range units {
		um := cd.UnitMonth{Unit: u, Totals: totals[u.ID], ActiveMembers: counts[u.ID].Active, NewMembers: counts[u.ID].New,
			Reporters: reporters[u.ID]}
		if um.Totals == nil {
			um.Totals = map[string]cd.KindTotal{}
		}
		um.Reports = cd.Reports(um.Totals)
		if r, ok := reports[u.ID]; ok {
			um.Report = &r
		}
		for _, c := range campaigns {
			cp := cd.CampaignProgress{Campaign: c}
			ranked := cd.RankUnits(&c, []cd.Unit{u}, kindByCode, campaignTotals[c.ID])
			cp.Score = ranked[0].Score
			for _, code := range c.Kinds {
				k := kindByCode[code]
				if k == nil {
					continue
				}
				cp.Lines = append(cp.Lines, cd.ProgressLine{Kind: *k, Value: campaignTotals[c.ID][u.ID][code].Value(k.Measure),
					Target: c.TargetFor(u.ID, code)})
			}
			um.Campaigns = append(um.Campaigns, cp)
		}
		for _, f := range funds {
			ut := fundUnits[f.ID][u.ID]
			um.Funds = append(um.Funds, cd.FundSummary{Fund: f, Pledged: ut.Pledged, Paid: ut.Paid, Donors: ut.Donors})
		}
		for code, t := range um.Totals {
			pt := s.Totals[code]
			pt.Kind = code
			pt.Count += t.Count
			pt.People += t.People
			pt.Amount += t.Amount
			pt.Quantity += t.Quantity
			s.Totals[code] = pt
		}
		s.Units = append(s.Units, um)
	}
	sort.SliceStable(s.Units, func(i, j int) bool {
		a, c := &s.Units[i], &s.Units[j]
		if a.Reports != c.Reports {
			return a.Reports > c.Reports
		}
		return a.Unit.Name < c.Unit.Name
	})
	for i := range s.Units {
		s.Units[i].Rank = i + 1
		if i > 0 && s.Units[i].Reports == s.Units[i-1].Reports {
			s.Units[i].Rank = s.Units[i-1].Rank
		}
	}
	return s, nil
}

// unitNotReported fills the names of a unit's active members with no
// report in the month (for the unit's own summary; the province summary
// keeps only counts).
func (b *Bot) unitNotReported(tx Tx, u *cd.UnitMonth, m cd.Month) error {
	counts, err := tx.MemberReportCounts(u.Unit.ID, m)
	if err != nil {
		return err
	}
	members, err := tx.Members(cd.MemberFilter{UnitID: u.Unit.ID, WithSubUnits: true, Status: cd.StatusActive})
	if err != nil {
		return err
	}
	u.NotReported = u.NotReported[:0]
	for _, mb := range members {
		if counts[mb.ID] == 0 {
			u.NotReported = append(u.NotReported, mb.FullName)
		}
	}
	return nil
}

// deadlinePassed reports whether the month's report deadline is behind now.
func (b *Bot) lateNow(m cd.Month, now time.Time) bool {
	return cd.DateOf(now, b.cfg.Location).After(b.deadline(m))
}
