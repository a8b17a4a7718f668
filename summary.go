package congdoanbot

import "time"

// ProvinceSummary is the province's monthly summary: every grassroots
// union's month, the province's totals by kind of activity and by fund.
type ProvinceSummary struct {
	Province    string
	Month       Month
	GeneratedAt time.Time
	CatchUp     bool           // produced late, after the bot was down
	Kinds       []ActivityKind // in order, for the columns and rows
	Totals      map[string]KindTotal
	Units       []UnitMonth // ranked: most reports first
	Funds       []FundSummary
}

// UnitMonth is one grassroots union's month.
type UnitMonth struct {
	Unit          Unit
	Rank          int
	Totals        map[string]KindTotal
	Reports       int64
	ActiveMembers int
	NewMembers    int // admitted (approved) during the month
	Reporters     int // members with at least one report
	NotReported   []string
	Report        *UnitReport // nil when not submitted
	Campaigns     []CampaignProgress
	Funds         []FundSummary // this unit's part of each fund
}

// Late reports whether the unit's monthly report was not submitted by
// the deadline (or was submitted after it).
func (u *UnitMonth) Late(deadline Date, now time.Time, loc *time.Location) bool {
	if u.Report != nil {
		return u.Report.Late
	}
	return DateOf(now, loc).After(deadline)
}

// CampaignProgress is a unit's standing in a campaign, kind by kind.
type CampaignProgress struct {
	Campaign Campaign
	Lines    []ProgressLine
	Score    float64
}

// ProgressLine is one kind's value against its target (0: none).
type ProgressLine struct {
	Kind   ActivityKind
	Value  int64
	Target int64
}

// FundSummary is a fund's pledged and paid totals (province-wide, or one
// unit's part).
type FundSummary struct {
	Fund    Fund
	Pledged int64
	Paid    int64
	Donors  int64
}

// Reports adds up the reports of a set of totals.
func Reports(totals map[string]KindTotal) int64 {
	var n int64
	for _, t := range totals {
		n += t.Count
	}
	return n
}

// MemberCount counts a grassroots union's members (its sub-units'
// included): active now, and admitted during a period.
type MemberCount struct {
	Active int
	New    int
}
