package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// campaignStore keeps the campaigns (phong trào thi đua), their targets
// and their totals per unit.
type campaignStore interface {
	CreateCampaign(c *cd.Campaign) error
	SetCampaignTarget(campaignID int64, t cd.Target) error
	Campaigns(activeOn cd.Date) ([]cd.Campaign, error)
	CampaignByID(id int64) (*cd.Campaign, error)
	CampaignTotals(campaignID int64) (map[int64]map[string]cd.KindTotal, error)
}

const flowCampaign = "campaign"

const (
	chNew        = "new"
	chDone       = "done"
	chUnitTarget = "ut"
)

func cmdCampaigns(r *request, _ string) error {
	if r.me.IsProvinceAdmin() {
		cs, err := r.tx.Campaigns(cd.Date{})
		if err != nil {
			return err
		}
		choices := make([]cd.Choice, 0, len(cs)+1)
		for _, c := range cs {
			choices = append(choices, cd.Choice{ID: chCamp + strconv.FormatInt(c.ID, 10), Label: c.Name})
		}
		choices = append(choices, cd.Choice{ID: chNew, Label: txtCampaignNew})
		r.ask(flowCampaign, "menu", cd.Message{Text: txtCampaignMenu, Choices: choices})
		return nil
	}
	return myUnitProgress(r)
}

// myUnitProgress shows a member or chair their grassroots union's
// progress in every running campaign, against its targets.
func myUnitProgress(r *request) error {
	cs, err := r.tx.Campaigns(r.today())
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		r.reply(txtNoCampaigns)
		return nil
	}
	u, err := grassrootsOf(r, r.me.UnitID)
	if err != nil {
		return err
	}
	kinds, err := kindMap(r)
	if err != nil {
		return err
	}
	var blocks []string
	for i := range cs {
		c := &cs[i]
		totals, err := r.tx.CampaignTotals(c.ID)
		if err != nil {
			return err
		}
		lines := []string{txtCampaignHeader(c) + " — " + u.Name + ":"}
		for _, code := range c.Kinds {
			k := kinds[code]
			if k == nil {
				continue
			}
			lines = append(lines, txtProgressLine(k, totals[u.ID][code].Value(k.Measure), c.TargetFor(u.ID, code)))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	r.reply(strings.Join(blocks, "\n\n"))
	return nil
}

// scoreboard ranks every grassroots union in a campaign (bảng thi đua).
func scoreboard(r *request, id int64) error {
	c, err := r.tx.CampaignByID(id)
	if err != nil {
		return err
	}
	units, err := r.tx.Units(cd.UnitFilter{Kind: cd.UnitGrassroots})
	if err != nil {
		return err
	}
	totals, err := r.tx.CampaignTotals(c.ID)
	if err != nil {
		return err
	}
	kinds, err := kindMap(r)
	if err != nil {
		return err
	}
	ranked := cd.RankUnits(c, units, kinds, totals)
	lines := []string{"Bảng thi đua " + txtCampaignHeader(c) + ":"}
	for i := range ranked {
		lines = append(lines, txtRankLine(&ranked[i]))
	}
	lines = append(lines, "", "Tổng toàn tỉnh:")
	for _, code := range c.Kinds {
		k := kinds[code]
		if k == nil {
			continue
		}
		var sum int64
		for _, byKind := range totals {
			sum += byKind[code].Value(k.Measure)
		}
		lines = append(lines, txtProgressLine(k, sum, 0))
	}
	r.startFlow(flowCampaign, "board")
	r.flow.setInt("campaign", c.ID)
	r.ask(flowCampaign, "board", cd.Message{Text: strings.Join(lines, "\n"), Choices: []cd.Choice{
		{ID: chUnitTarget, Label: txtUnitTargetSet}}})
	return nil
}

func stepCampaign(r *request, in input) error {
	f := r.flow
	switch f.Step {
	case "menu":
		switch {
		case in.Choice == chNew:
			r.ask(flowCampaign, "name", cd.Message{Text: txtCampaignAskName})
		case strings.HasPrefix(in.Choice, chCamp):
			n, _ := strconv.ParseInt(strings.TrimPrefix(in.Choice, chCamp), 10, 64)
			return scoreboard(r, n)
		default:
			r.reply(txtPickOne)
		}
	case "board":
		if in.Choice != chUnitTarget {
			r.end()
			return r.b.route(r)
		}
		r.ask(flowCampaign, "target-unit", cd.Message{Text: txtUnitTargetAskUnit})
	case "target-unit":
		u, err := pickUnit(r, in, flowCampaign, "target-unit", cd.UnitGrassroots)
		if err != nil || u == nil {
			return err
		}
		f.setInt("unit", u.ID)
		c, err := r.tx.CampaignByID(f.getInt("campaign"))
		if err != nil {
			return err
		}
		kinds, err := kindMap(r)
		if err != nil {
			return err
		}
		var cs []cd.Choice
		for _, code := range c.Kinds {
			if k := kinds[code]; k != nil {
				cs = append(cs, cd.Choice{ID: chKind + code, Label: k.Name})
			}
		}
		r.ask(flowCampaign, "target-kind", cd.Message{Text: txtUnitTargetAskKind(u.Name), Choices: cs})
	case "target-kind":
		code, ok := strings.CutPrefix(in.Choice, chKind)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		k, err := r.tx.ActivityKind(code)
		if err != nil {
			return err
		}
		f.set("kind", code)
		r.ask(flowCampaign, "target-value", cd.Message{Text: txtCampaignAskTarget(k)})
	case "target-value":
		n, err := parseCount(in.Text, cd.DefaultMoneyMax)
		if err != nil {
			return err
		}
		if n == 0 {
			return cd.Invalid(cd.ReasonCountNegative)
		}
		c, err := r.tx.CampaignByID(f.getInt("campaign"))
		if err != nil {
			return err
		}
		u, err := r.tx.UnitByID(f.getInt("unit"))
		if err != nil {
			return err
		}
		k, err := r.tx.ActivityKind(f.get("kind"))
		if err != nil {
			return err
		}
		if err := r.tx.SetCampaignTarget(c.ID, cd.Target{UnitID: u.ID, Kind: k.Code, Value: n}); err != nil {
			return err
		}
		if err := r.audit(cd.AuditCampaignCreate, 0, u.ID, fmt.Sprintf("campaign %d target %s = %d", c.ID, k.Code, n)); err != nil {
			return err
		}
		r.end()
		r.reply(txtUnitTargetSaved(c, u, k, n))
	case "name":
		c := cd.Campaign{Name: in.Text}
		if err := (&c).Validate(); cd.ErrorReason(err) == cd.ReasonCampaignName {
			return err
		}
		f.set("name", c.Name)
		r.ask(flowCampaign, "desc", cd.Message{Text: txtCampaignAskDesc, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
	case "desc":
		d := ""
		if in.Choice != chSkip {
			var err error
			if d, err = cd.ValidateDescription(in.Text); err != nil {
				return err
			}
		}
		f.set("desc", d)
		r.ask(flowCampaign, "start", cd.Message{Text: txtCampaignAskStart})
	case "start", "end":
		d, err := parseFullDate(in.Text, r.today())
		if err != nil {
			return err
		}
		if f.Step == "start" {
			f.set("start", d.String())
			r.ask(flowCampaign, "end", cd.Message{Text: txtCampaignAskEnd})
			return nil
		}
		start, _ := cd.ParseISODate(f.get("start"))
		if d.Before(start) {
			return cd.Invalid(cd.ReasonDateOrder)
		}
		f.set("end", d.String())
		return askCampaignKinds(r)
	case "kinds":
		switch {
		case in.Choice == chDone:
			if f.get("kinds") == "" {
				return cd.Invalid(cd.ReasonCampaignKinds)
			}
			return askTarget(r)
		case strings.HasPrefix(in.Choice, chKind):
			code := strings.TrimPrefix(in.Choice, chKind)
			set := splitSet(f.get("kinds"))
			if set[code] {
				delete(set, code)
			} else {
				set[code] = true
			}
			f.set("kinds", joinSet(set))
			return askCampaignKinds(r)
		default:
			r.reply(txtPickOne)
		}
	case "target":
		n, err := parseCount(in.Text, cd.DefaultMoneyMax)
		if err != nil {
			return err
		}
		f.setInt("t:"+f.get("asking"), n)
		return askTarget(r)
	case "confirm":
		switch in.Choice {
		case chYes:
			c, _, err := campaignDraft(r)
			if err != nil {
				return err
			}
			c.CreatedBy = r.me.ID
			if err := r.tx.CreateCampaign(c); err != nil {
				return err
			}
			if err := r.audit(cd.AuditCampaignCreate, 0, 0, "campaign "+strconv.FormatInt(c.ID, 10)+" "+c.Name); err != nil {
				return err
			}
			r.end()
			r.reply(txtCampaignCreated(c))
		case chNo:
			r.end()
			r.reply(txtCancelled)
		default:
			r.reply(txtPickOne)
		}
	}
	return nil
}

// parseFullDate reads a date for a campaign period: past or future. A
// date typed without a year is in this year.
func parseFullDate(s string, today cd.Date) (cd.Date, error) {
	switch cd.Fold(s) {
	case "hom nay", "nay", "hom qua", "qua", "hom kia":
		return cd.ParseDateInput(s, today)
	}
	return cd.ParseDateInput(s, cd.Date{Year: today.Year, Month: 12, Day: 31})
}

func splitSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, k := range strings.Split(s, ",") {
		if k != "" {
			set[k] = true
		}
	}
	return set
}

func joinSet(set map[string]bool) string {
	ks := make([]string, 0, len(set))
	for k := range set {
		ks = append(ks, k)
	}
	return strings.Join(ks, ",")
}

func askCampaignKinds(r *request) error {
	kinds, err := r.tx.ActivityKinds(true)
	if err != nil {
		return err
	}
	set := splitSet(r.flow.get("kinds"))
	cs := make([]cd.Choice, 0, len(kinds)+1)
	for _, k := range kinds {
		label := k.Name
		if set[k.Code] {
			label = "✓ " + label
		}
		cs = append(cs, cd.Choice{ID: chKind + k.Code, Label: label})
	}
	cs = append(cs, cd.Choice{ID: chDone, Label: txtDone})
	r.ask(flowCampaign, "kinds", cd.Message{Text: txtCampaignKinds, Choices: cs})
	return nil
}

// askTarget asks the common target of the next chosen kind, or shows the
// summary when all are answered.
func askTarget(r *request) error {
	c, kinds, err := campaignDraft(r)
	if err != nil {
		return err
	}
	for _, code := range c.Kinds {
		if _, ok := r.flow.Data["t:"+code]; ok {
			continue
		}
		r.flow.set("asking", code)
		r.ask(flowCampaign, "target", cd.Message{Text: txtCampaignAskTarget(kinds[code])})
		return nil
	}
	r.ask(flowCampaign, "confirm", cd.Message{Text: txtCampaignConfirm(c, kinds), Choices: []cd.Choice{
		{ID: chYes, Label: txtCreateCampaign}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// campaignDraft builds the campaign the flow has gathered, its kinds in
// the kinds' order.
func campaignDraft(r *request) (*cd.Campaign, map[string]*cd.ActivityKind, error) {
	f := r.flow
	kinds, err := kindMap(r)
	if err != nil {
		return nil, nil, err
	}
	all, err := r.tx.ActivityKinds(false)
	if err != nil {
		return nil, nil, err
	}
	start, _ := cd.ParseISODate(f.get("start"))
	end, _ := cd.ParseISODate(f.get("end"))
	c := &cd.Campaign{Name: f.get("name"), Description: f.get("desc"), Start: start, End: end}
	set := splitSet(f.get("kinds"))
	for _, k := range all {
		if !set[k.Code] {
			continue
		}
		c.Kinds = append(c.Kinds, k.Code)
		if t := f.getInt("t:" + k.Code); t > 0 {
			c.Targets = append(c.Targets, cd.Target{Kind: k.Code, Value: t})
		}
	}
	return c, kinds, nil
}
