package bot

import (
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// kindStore keeps the kinds of activity members report.
type kindStore interface {
	ActivityKinds(activeOnly bool) ([]cd.ActivityKind, error)
	ActivityKind(code string) (*cd.ActivityKind, error)
	CreateActivityKind(k *cd.ActivityKind) error
	SetActivityKindActive(code string, active bool) error
}

const flowKinds = "kinds"

// kindsStep is a step of /loaihoatdong.
type kindsStep string

const (
	kindsMenu    kindsStep = "menu"
	kindsToggle  kindsStep = "toggle"
	kindsName    kindsStep = "name"
	kindsMeasure kindsStep = "measure"
	kindsUnit    kindsStep = "unit"
)

func (s kindsStep) where() (string, string) { return flowKinds, string(s) }

func kindsFlow() *flow {
	return newFlow(stepKinds, kindsMenu, kindsToggle, kindsName, kindsMeasure, kindsUnit)
}

// kindsData is the kind of activity /loaihoatdong is adding.
type kindsData struct {
	Name    string     `json:"name,omitempty"`
	Measure cd.Measure `json:"measure,omitempty"`
	Unit    string     `json:"unit,omitempty"` // what a quantity counts
}

const (
	chToggle = "toggle"
	chMCount = "m:count"
	chMPpl   = "m:people"
	chMAmt   = "m:amount"
	chMQty   = "m:quantity"
)

// cmdKinds lets a province admin see, add, hide and show the kinds of
// activity members report.
func cmdKinds(r *request, _ string) error {
	kinds, err := r.tx.ActivityKinds(false)
	if err != nil {
		return err
	}
	lines := []string{txtKindsHeader}
	for i := range kinds {
		lines = append(lines, txtKindLine(&kinds[i]))
	}
	r.ask(kindsMenu, cd.Message{Text: strings.Join(lines, "\n"), Choices: []cd.Choice{
		{ID: chAdd, Label: txtKindAdd}, {ID: chToggle, Label: txtKindToggle}}})
	return nil
}

func stepKinds(r *request, s kindsStep, d *kindsData, in input) error {
	switch s {
	case kindsMenu:
		switch in.Choice {
		case chAdd:
			r.ask(kindsName, cd.Message{Text: txtKindAskName})
		case chToggle:
			kinds, err := r.tx.ActivityKinds(false)
			if err != nil {
				return err
			}
			cs := make([]cd.Choice, len(kinds))
			for i := range kinds {
				cs[i] = cd.Choice{ID: chKind + kinds[i].Code, Label: txtKindLine(&kinds[i])}
			}
			r.ask(kindsToggle, cd.Message{Text: txtKindPickToggle, Choices: cs})
		default:
			r.reply(txtPickOne)
		}
	case kindsToggle:
		code, ok := strings.CutPrefix(in.Choice, chKind)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		k, err := r.tx.ActivityKind(code)
		if err != nil {
			return err
		}
		if err := r.tx.SetActivityKindActive(code, !k.Active); err != nil {
			return err
		}
		if err := r.audit(cd.AuditKindChange, 0, 0, code+" active="+boolText(!k.Active)); err != nil {
			return err
		}
		k.Active = !k.Active
		r.end()
		r.reply(txtKindToggled(k))
	case kindsName:
		name, err := cd.ValidateUnitName(in.Text) // same rule as a unit name: 2–150 characters
		if err != nil {
			return cd.Invalid(cd.ReasonKind)
		}
		code := kindCode(name)
		if _, err := r.tx.ActivityKind(code); err == nil {
			return cd.Errorf(cd.ECONFLICT, cd.ReasonKindExists, "%s", code)
		}
		d.Name = name
		r.ask(kindsMeasure, cd.Message{Text: txtKindAskMeasure, Choices: []cd.Choice{
			{ID: chMCount, Label: txtMeasureCount}, {ID: chMPpl, Label: txtMeasurePeople},
			{ID: chMAmt, Label: txtMeasureAmount}, {ID: chMQty, Label: txtMeasureQuantity}}})
	case kindsMeasure:
		m, ok := strings.CutPrefix(in.Choice, "m:")
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		d.Measure = cd.Measure(m)
		if d.Measure == cd.MeasureQuantity {
			r.ask(kindsUnit, cd.Message{Text: txtKindAskUnit})
			return nil
		}
		return createKind(r, d)
	case kindsUnit:
		unit := cd.CleanText(in.Text)
		if unit == "" || len([]rune(unit)) > 30 || cd.HasControl(unit) {
			return cd.Invalid(cd.ReasonText)
		}
		d.Unit = unit
		return createKind(r, d)
	}
	return nil
}

func createKind(r *request, d *kindsData) error {
	k := &cd.ActivityKind{Code: kindCode(d.Name), Name: d.Name, Measure: d.Measure, Active: true}
	switch k.Measure {
	case cd.MeasurePeople:
		k.AskPeople = txtAskPeopleDefault
	case cd.MeasureAmount:
		k.AskAmount = txtAskAmountDefault
	case cd.MeasureQuantity:
		k.QuantityUnit = d.Unit
		k.AskQuantity = "Số " + k.QuantityUnit
	}
	if err := r.tx.CreateActivityKind(k); err != nil {
		return err
	}
	if err := r.audit(cd.AuditKindChange, 0, 0, "create "+k.Code); err != nil {
		return err
	}
	r.end()
	r.reply(txtKindCreated(k))
	return nil
}

// kindCode makes a stable code from a kind's name: "Trồng cây xanh" →
// "trong_cay_xanh".
func kindCode(name string) string {
	var b strings.Builder
	for _, r := range cd.Fold(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	code := strings.TrimSuffix(b.String(), "_")
	if len(code) > 40 {
		code = code[:40]
	}
	return code
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// kindChoices offers activity kinds by name.
func kindChoices(kinds []cd.ActivityKind) []cd.Choice {
	cs := make([]cd.Choice, len(kinds))
	for i, k := range kinds {
		cs[i] = cd.Choice{ID: chKind + k.Code, Label: k.Name}
	}
	return cs
}

// campaignChoices offers the campaigns running on day that activities of
// the kind count for, and none of them; nil when there are none.
func campaignChoices(r *request, day cd.Date, kind string) ([]cd.Choice, error) {
	cs, err := r.tx.Campaigns(day)
	if err != nil {
		return nil, err
	}
	var choices []cd.Choice
	for _, c := range cs {
		if c.Counts(kind) {
			choices = append(choices, cd.Choice{ID: chCamp + strconv.FormatInt(c.ID, 10), Label: c.Name})
		}
	}
	if len(choices) == 0 {
		return nil, nil
	}
	return append(choices, cd.Choice{ID: chNoCamp, Label: txtNoCampaign}), nil
}
