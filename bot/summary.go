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
	d, err := b.readMonth(tx, m)
	if err != nil {
		return nil, err
	}
	s.Kinds, s.Funds = d.kinds, d.fundSums
	for _, u := range d.units {
		um := d.unitMonth(u)
		addKindTotals(s.Totals, um.Totals)
		s.Units = append(s.Units, um)
	}
	rankUnitMonths(s.Units)
	return s, nil
}

// monthData is what a month's summary is made of, read in the summary's
// transaction.
type monthData struct {
	kinds      []cd.ActivityKind
	kindByCode map[string]*cd.ActivityKind
	units      []cd.Unit                         // the grassroots unions
	totals     map[int64]map[string]cd.KindTotal // unit -> kind -> totals
	counts     map[int64]cd.MemberCount          // unit -> members
	reporters  map[int64]int                     // unit -> members who reported
	reports    map[int64]cd.UnitReport           // unit -> submitted report
	// Campaigns running at some point of the month, with their totals
	// (campaign -> unit -> kind -> totals).
	campaigns      []cd.Campaign
	campaignTotals map[int64]map[int64]map[string]cd.KindTotal
	funds          []cd.Fund
	fundSums       []cd.FundSummary                     // each fund's totals
	fundUnits      map[int64]map[int64]cd.UnitFundTotal // fund -> unit -> totals
}

// readMonth reads what the summary of month m is made of.
func (b *Bot) readMonth(tx Tx, m cd.Month) (*monthData, error) {
	d := &monthData{}
	var err error
	if d.kinds, err = tx.ActivityKinds(false); err != nil {
		return nil, err
	}
	d.kindByCode = make(map[string]*cd.ActivityKind, len(d.kinds))
	for i := range d.kinds {
		d.kindByCode[d.kinds[i].Code] = &d.kinds[i]
	}
	if d.units, err = tx.Units(cd.UnitFilter{Kind: cd.UnitGrassroots}); err != nil {
		return nil, err
	}
	if d.totals, err = tx.MonthTotals(m, 0); err != nil {
		return nil, err
	}
	loc := b.cfg.Location
	if d.counts, err = tx.MemberCounts(m.First().Time(loc), m.Next().First().Time(loc)); err != nil {
		return nil, err
	}
	if d.reporters, err = tx.ReporterCounts(m); err != nil {
		return nil, err
	}
	if d.reports, err = tx.UnitReports(m); err != nil {
		return nil, err
	}
	if err := d.readCampaigns(tx, m); err != nil {
		return nil, err
	}
	if err := d.readFunds(tx); err != nil {
		return nil, err
	}
	return d, nil
}

// readCampaigns reads the campaigns running at some point of month m,
// with their totals.
func (d *monthData) readCampaigns(tx Tx, m cd.Month) error {
	all, err := tx.Campaigns(cd.Date{})
	if err != nil {
		return err
	}
	d.campaignTotals = map[int64]map[int64]map[string]cd.KindTotal{}
	for _, c := range all {
		if c.End.Before(m.First()) || c.Start.After(m.Last()) {
			continue
		}
		t, err := tx.CampaignTotals(c.ID)
		if err != nil {
			return err
		}
		d.campaigns = append(d.campaigns, c)
		d.campaignTotals[c.ID] = t
	}
	return nil
}

// readFunds reads every fund with its totals, overall and per unit.
func (d *monthData) readFunds(tx Tx) error {
	funds, err := tx.Funds(false)
	if err != nil {
		return err
	}
	d.funds = funds
	d.fundUnits = map[int64]map[int64]cd.UnitFundTotal{}
	for _, f := range funds {
		ft, err := tx.FundTotals(f.ID)
		if err != nil {
			return err
		}
		d.fundSums = append(d.fundSums, cd.FundSummary{Fund: f, Pledged: ft.Pledged, Paid: ft.Paid, Donors: ft.Donors})
		d.fundUnits[f.ID] = map[int64]cd.UnitFundTotal{}
		for _, ut := range ft.Units {
			d.fundUnits[f.ID][ut.UnitID] = ut
		}
	}
	return nil
}

// unitMonth is one grassroots union's month: its activities, members,
// reporters, submission, campaign progress and funds.
func (d *monthData) unitMonth(u cd.Unit) cd.UnitMonth {
	um := cd.UnitMonth{Unit: u, Totals: d.totals[u.ID], ActiveMembers: d.counts[u.ID].Active, NewMembers: d.counts[u.ID].New,
		Reporters: d.reporters[u.ID]}
	if um.Totals == nil {
		um.Totals = map[string]cd.KindTotal{}
	}
	um.Reports = cd.Reports(um.Totals)
	if r, ok := d.reports[u.ID]; ok {
		um.Report = &r
	}
	for _, c := range d.campaigns {
		um.Campaigns = append(um.Campaigns, d.campaignProgress(&c, u))
	}
	for _, f := range d.funds {
		ut := d.fundUnits[f.ID][u.ID]
		um.Funds = append(um.Funds, cd.FundSummary{Fund: f, Pledged: ut.Pledged, Paid: ut.Paid, Donors: ut.Donors})
	}
	return um
}

// campaignProgress is unit u's score and progress towards its targets
// in campaign c.
func (d *monthData) campaignProgress(c *cd.Campaign, u cd.Unit) cd.CampaignProgress {
	cp := cd.CampaignProgress{Campaign: *c}
	ranked := cd.RankUnits(c, []cd.Unit{u}, d.kindByCode, d.campaignTotals[c.ID])
	cp.Score = ranked[0].Score
	for _, code := range c.Kinds {
		k := d.kindByCode[code]
		if k == nil {
			continue
		}
		cp.Lines = append(cp.Lines, cd.ProgressLine{Kind: *k, Value: d.campaignTotals[c.ID][u.ID][code].Value(k.Measure),
			Target: c.TargetFor(u.ID, code)})
	}
	return cp
}

// addKindTotals adds a unit's totals by kind to the province's.
func addKindTotals(into, from map[string]cd.KindTotal) {
	for code, t := range from {
		pt := into[code]
		pt.Kind = code
		pt.Count += t.Count
		pt.People += t.People
		pt.Amount += t.Amount
		pt.Quantity += t.Quantity
		into[code] = pt
	}
}

// rankUnitMonths orders units by reports, most first (by name on a tie),
// and numbers them; units with as many reports share a rank.
func rankUnitMonths(units []cd.UnitMonth) {
	sort.SliceStable(units, func(i, j int) bool {
		a, c := &units[i], &units[j]
		if a.Reports != c.Reports {
			return a.Reports > c.Reports
		}
		return a.Unit.Name < c.Unit.Name
	})
	for i := range units {
		units[i].Rank = i + 1
		if i > 0 && units[i].Reports == units[i-1].Reports {
			units[i].Rank = units[i-1].Rank
		}
	}
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

// lateNow reports whether the month's report deadline is behind now.
func (b *Bot) lateNow(m cd.Month, now time.Time) bool {
	return cd.DateOf(now, b.cfg.Location).After(b.deadline(m))
}
