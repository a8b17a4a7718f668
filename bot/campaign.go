package bot

import (
	"fmt"
	"slices"
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

// campaignStep is a step of /phongtrao for the province: the scoreboard
// and a unit's target, or a new campaign.
type campaignStep string

const (
	campaignMenu        campaignStep = "menu"
	campaignBoard       campaignStep = "board"
	campaignTargetUnit  campaignStep = "target-unit"
	campaignTargetKind  campaignStep = "target-kind"
	campaignTargetValue campaignStep = "target-value"
	campaignName        campaignStep = "name"
	campaignDesc        campaignStep = "desc"
	campaignStart       campaignStep = "start"
	campaignEnd         campaignStep = "end"
	campaignKinds       campaignStep = "kinds"
	campaignTarget      campaignStep = "target"
	campaignConfirm     campaignStep = "confirm"
)

func (s campaignStep) where() (string, string) { return flowCampaign, string(s) }

func campaignFlow() *flow {
	return newFlow(stepCampaign, campaignMenu, campaignBoard, campaignTargetUnit, campaignTargetKind,
		campaignTargetValue, campaignName, campaignDesc, campaignStart, campaignEnd, campaignKinds,
		campaignTarget, campaignConfirm)
}

// campaignData is what /phongtrao has gathered: a unit's target in a
// campaign, or a new campaign.
type campaignData struct {
	// A unit's target in a campaign.
	Campaign int64  `json:"campaign,omitempty"`
	Unit     int64  `json:"unit,omitempty"`
	Kind     string `json:"kind,omitempty"`

	// A new campaign.
	Name    string           `json:"name,omitempty"`
	Desc    string           `json:"desc,omitempty"`
	Start   cd.Date          `json:"start,omitzero"`
	End     cd.Date          `json:"end,omitzero"`
	Kinds   []string         `json:"kinds,omitempty"`   // codes of the kinds that count
	Targets map[string]int64 `json:"targets,omitempty"` // common target by kind code, 0 for none
	Asking  string           `json:"asking,omitempty"`  // the kind whose target is asked
}

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
		r.ask(campaignMenu, cd.Message{Text: txtCampaignMenu, Choices: choices})
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
	startFlow[campaignData](r, campaignBoard).Campaign = c.ID
	r.ask(campaignBoard, cd.Message{Text: strings.Join(lines, "\n"), Choices: []cd.Choice{
		{ID: chUnitTarget, Label: txtUnitTargetSet}}})
	return nil
}

func stepCampaign(r *request, s campaignStep, d *campaignData, in input) error {
	switch s {
	case campaignMenu:
		switch {
		case in.Choice == chNew:
			r.ask(campaignName, cd.Message{Text: txtCampaignAskName})
		case strings.HasPrefix(in.Choice, chCamp):
			n, _ := strconv.ParseInt(strings.TrimPrefix(in.Choice, chCamp), 10, 64)
			return scoreboard(r, n)
		default:
			r.reply(txtPickOne)
		}
		return nil
	case campaignBoard:
		if in.Choice != chUnitTarget {
			r.end()
			return r.b.route(r)
		}
		r.ask(campaignTargetUnit, cd.Message{Text: txtUnitTargetAskUnit})
		return nil
	case campaignTargetUnit:
		return readTargetUnit(r, d, in)
	case campaignTargetKind:
		return readTargetKind(r, d, in)
	case campaignTargetValue:
		return saveUnitTarget(r, d, in)
	case campaignConfirm:
		return yesNo(r, in, func(r *request) error { return saveCampaign(r, d) })
	}
	return stepNewCampaign(r, s, d, in)
}

// readTargetUnit reads the unit whose target in the campaign is set.
func readTargetUnit(r *request, d *campaignData, in input) error {
	u, err := pickUnit(r, in, campaignTargetUnit, cd.UnitGrassroots)
	if err != nil || u == nil {
		return err
	}
	d.Unit = u.ID
	c, err := r.tx.CampaignByID(d.Campaign)
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
	r.ask(campaignTargetKind, cd.Message{Text: txtUnitTargetAskKind(u.Name), Choices: cs})
	return nil
}

// readTargetKind reads the kind of activity the unit's target counts.
func readTargetKind(r *request, d *campaignData, in input) error {
	code, ok := strings.CutPrefix(in.Choice, chKind)
	if !ok {
		r.reply(txtPickOne)
		return nil
	}
	k, err := r.tx.ActivityKind(code)
	if err != nil {
		return err
	}
	d.Kind = code
	r.ask(campaignTargetValue, cd.Message{Text: txtCampaignAskTarget(k)})
	return nil
}

// saveUnitTarget reads the unit's target and saves it.
func saveUnitTarget(r *request, d *campaignData, in input) error {
	n, err := parseCount(in.Text, cd.DefaultMoneyMax)
	if err != nil {
		return err
	}
	if n == 0 {
		return cd.Invalid(cd.ReasonCountNegative)
	}
	c, err := r.tx.CampaignByID(d.Campaign)
	if err != nil {
		return err
	}
	u, err := r.tx.UnitByID(d.Unit)
	if err != nil {
		return err
	}
	k, err := r.tx.ActivityKind(d.Kind)
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
	return nil
}

// stepNewCampaign reads one value of a new campaign.
func stepNewCampaign(r *request, s campaignStep, d *campaignData, in input) error {
	switch s {
	case campaignName:
		c := cd.Campaign{Name: in.Text}
		if err := (&c).Validate(); cd.ErrorReason(err) == cd.ReasonCampaignName {
			return err
		}
		d.Name = c.Name
		r.ask(campaignDesc, cd.Message{Text: txtCampaignAskDesc, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
	case campaignDesc:
		desc := ""
		if in.Choice != chSkip {
			var err error
			if desc, err = cd.ValidateDescription(in.Text); err != nil {
				return err
			}
		}
		d.Desc = desc
		r.ask(campaignStart, cd.Message{Text: txtCampaignAskStart})
	case campaignStart, campaignEnd:
		return readCampaignPeriod(r, s, d, in)
	case campaignKinds:
		return readCampaignKind(r, d, in)
	case campaignTarget:
		n, err := parseCount(in.Text, cd.DefaultMoneyMax)
		if err != nil {
			return err
		}
		if d.Targets == nil {
			d.Targets = map[string]int64{}
		}
		d.Targets[d.Asking] = n
		return askTarget(r, d)
	}
	return nil
}

// readCampaignPeriod reads the first or the last day of a new campaign.
func readCampaignPeriod(r *request, s campaignStep, d *campaignData, in input) error {
	day, err := parseFullDate(in.Text, r.today())
	if err != nil {
		return err
	}
	if s == campaignStart {
		d.Start = day
		r.ask(campaignEnd, cd.Message{Text: txtCampaignAskEnd})
		return nil
	}
	if day.Before(d.Start) {
		return cd.Invalid(cd.ReasonDateOrder)
	}
	d.End = day
	return askCampaignKinds(r, d)
}

// readCampaignKind adds or removes a kind that counts, or goes on to the
// targets when done.
func readCampaignKind(r *request, d *campaignData, in input) error {
	switch {
	case in.Choice == chDone:
		if len(d.Kinds) == 0 {
			return cd.Invalid(cd.ReasonCampaignKinds)
		}
		return askTarget(r, d)
	case strings.HasPrefix(in.Choice, chKind):
		code := strings.TrimPrefix(in.Choice, chKind)
		if i := slices.Index(d.Kinds, code); i >= 0 {
			d.Kinds = slices.Delete(d.Kinds, i, i+1)
		} else {
			d.Kinds = append(d.Kinds, code)
		}
		return askCampaignKinds(r, d)
	}
	r.reply(txtPickOne)
	return nil
}

func saveCampaign(r *request, d *campaignData) error {
	c, _, err := campaignDraft(r, d)
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

func askCampaignKinds(r *request, d *campaignData) error {
	kinds, err := r.tx.ActivityKinds(true)
	if err != nil {
		return err
	}
	cs := make([]cd.Choice, 0, len(kinds)+1)
	for _, k := range kinds {
		label := k.Name
		if slices.Contains(d.Kinds, k.Code) {
			label = "✓ " + label
		}
		cs = append(cs, cd.Choice{ID: chKind + k.Code, Label: label})
	}
	cs = append(cs, cd.Choice{ID: chDone, Label: txtDone})
	r.ask(campaignKinds, cd.Message{Text: txtCampaignKinds, Choices: cs})
	return nil
}

// askTarget asks the common target of the next chosen kind, or shows the
// summary when all are answered.
func askTarget(r *request, d *campaignData) error {
	c, kinds, err := campaignDraft(r, d)
	if err != nil {
		return err
	}
	for _, code := range c.Kinds {
		if _, ok := d.Targets[code]; ok {
			continue
		}
		d.Asking = code
		r.ask(campaignTarget, cd.Message{Text: txtCampaignAskTarget(kinds[code])})
		return nil
	}
	r.ask(campaignConfirm, cd.Message{Text: txtCampaignConfirm(c, kinds), Choices: []cd.Choice{
		{ID: chYes, Label: txtCreateCampaign}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// campaignDraft builds the campaign the flow has gathered, its kinds in
// the kinds' order.
func campaignDraft(r *request, d *campaignData) (*cd.Campaign, map[string]*cd.ActivityKind, error) {
	kinds, err := kindMap(r)
	if err != nil {
		return nil, nil, err
	}
	all, err := r.tx.ActivityKinds(false)
	if err != nil {
		return nil, nil, err
	}
	c := &cd.Campaign{Name: d.Name, Description: d.Desc, Start: d.Start, End: d.End}
	for _, k := range all {
		if !slices.Contains(d.Kinds, k.Code) {
			continue
		}
		c.Kinds = append(c.Kinds, k.Code)
		if t := d.Targets[k.Code]; t > 0 {
			c.Targets = append(c.Targets, cd.Target{Kind: k.Code, Value: t})
		}
	}
	return c, kinds, nil
}
