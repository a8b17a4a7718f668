package congdoanbot

import (
	"sort"
	"time"
	"unicode/utf8"
)

// Campaign is an emulation movement (phong trào thi đua) or a campaign
// (cuộc vận động) with a period, the kinds of activity that count towards
// it, and optional targets per grassroots union.
type Campaign struct {
	ID          int64
	Name        string
	Description string
	Start, End  Date
	Kinds       []string
	Targets     []Target
	CreatedBy   int64
	CreatedAt   time.Time
}

// Target is what a grassroots union should reach in one kind, in the
// kind's measure. UnitID 0 is the target of every union without one of
// its own.
type Target struct {
	UnitID int64
	Kind   string
	Value  int64
}

// Validate checks a campaign before it is stored.
func (c *Campaign) Validate() error {
	c.Name = CleanText(c.Name)
	if n := utf8.RuneCountInString(c.Name); n < 3 || n > 200 || HasControl(c.Name) {
		return Invalid(ReasonCampaignName)
	}
	c.Description = CleanText(c.Description)
	if utf8.RuneCountInString(c.Description) > MaxDescription {
		return Invalid(ReasonDescriptionLong)
	}
	if c.Start.IsZero() || c.End.IsZero() || c.End.Before(c.Start) {
		return Invalid(ReasonDateOrder)
	}
	if len(c.Kinds) == 0 {
		return Invalid(ReasonCampaignKinds)
	}
	for _, t := range c.Targets {
		if t.Value <= 0 {
			return Invalid(ReasonCountNegative)
		}
		if !c.Counts(t.Kind) {
			return Errorf(EINVALID, ReasonCampaignKinds, "target for kind %q not in the campaign", t.Kind)
		}
	}
	return nil
}

// ActiveOn reports whether d is within the campaign's period.
func (c *Campaign) ActiveOn(d Date) bool { return !d.Before(c.Start) && !d.After(c.End) }

// Counts reports whether reports of kind count towards the campaign.
func (c *Campaign) Counts(kind string) bool {
	for _, k := range c.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// TargetFor is a union's target in a kind: its own, else the common one,
// else 0 (no target).
func (c *Campaign) TargetFor(unitID int64, kind string) int64 {
	var common int64
	for _, t := range c.Targets {
		if t.Kind != kind {
			continue
		}
		if t.UnitID == unitID {
			return t.Value
		}
		if t.UnitID == 0 {
			common = t.Value
		}
	}
	return common
}

// UnitProgress is one grassroots union's standing in a campaign.
type UnitProgress struct {
	Unit    Unit
	Totals  map[string]KindTotal // by kind
	Reports int64                // reports that count towards the campaign
	// Score is the mean, over the kinds with a target, of the share of the
	// target reached (each capped at 1); 0 when no kind has a target.
	Score float64
	Rank  int
}

// RankUnits computes every union's progress in c from its totals and ranks
// them: by score, then by number of reports, then by name.
func RankUnits(c *Campaign, units []Unit, kinds map[string]*ActivityKind, totals map[int64]map[string]KindTotal) []UnitProgress {
	out := make([]UnitProgress, 0, len(units))
	for _, u := range units {
		p := UnitProgress{Unit: u, Totals: totals[u.ID]}
		if p.Totals == nil {
			p.Totals = map[string]KindTotal{}
		}
		var sum float64
		var n int
		for _, kind := range c.Kinds {
			t := p.Totals[kind]
			p.Reports += t.Count
			target := c.TargetFor(u.ID, kind)
			if target <= 0 {
				continue
			}
			m := MeasureCount
			if k := kinds[kind]; k != nil {
				m = k.Measure
			}
			sum += min(float64(t.Value(m))/float64(target), 1)
			n++
		}
		if n > 0 {
			p.Score = sum / float64(n)
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Reports != b.Reports {
			return a.Reports > b.Reports
		}
		return a.Unit.Name < b.Unit.Name
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Score == out[i-1].Score && out[i].Reports == out[i-1].Reports {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}
