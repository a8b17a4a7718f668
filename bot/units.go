package bot

import (
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// unitStore keeps the units: the province union, the grassroots unions
// under it and their sub-units.
type unitStore interface {
	UnitByID(id int64) (*cd.Unit, error)
	UnitByCode(code string) (*cd.Unit, error)
	ProvinceUnit() (*cd.Unit, error)
	Units(f cd.UnitFilter) ([]cd.Unit, error)
	CreateUnit(u *cd.Unit) error
}

const flowUnits = "units"

// unitsStep is a step of /donvi for the province.
type unitsStep string

const (
	unitsMenu    unitsStep = "menu"
	unitsName    unitsStep = "name"
	unitsCode    unitsStep = "code"
	unitsParent  unitsStep = "parent"
	unitsConfirm unitsStep = "confirm"
)

func (s unitsStep) where() (string, string) { return flowUnits, string(s) }

func unitsFlow() *flow {
	return newFlow(stepUnits, unitsMenu, unitsName, unitsCode, unitsParent, unitsConfirm)
}

// unitsData is the unit /donvi is adding.
type unitsData struct {
	Name   string `json:"name,omitempty"`
	Code   string `json:"code,omitempty"`
	Parent int64  `json:"parent,omitempty"`
}

const (
	chList = "list"
	chAdd  = "add"
	chProv = "prov"
)

func cmdUnits(r *request, _ string) error {
	if !r.me.IsProvinceAdmin() {
		return unitStatus(r)
	}
	r.ask(unitsMenu, cd.Message{Text: txtUnitsMenu, Choices: []cd.Choice{
		{ID: chList, Label: txtUnitsList}, {ID: chAdd, Label: txtUnitsAdd}}})
	return nil
}

func stepUnits(r *request, s unitsStep, d *unitsData, in input) error {
	switch s {
	case unitsMenu:
		switch in.Choice {
		case chList:
			return listUnitsReply(r)
		case chAdd:
			r.ask(unitsName, cd.Message{Text: txtAskUnitName})
		default:
			r.reply(txtPickOne)
		}
	case unitsName:
		name, err := cd.ValidateUnitName(in.Text)
		if err != nil {
			return err
		}
		d.Name = name
		r.ask(unitsCode, cd.Message{Text: txtAskUnitCode})
	case unitsCode:
		code := cd.NormalizeCode(in.Text)
		if !cd.ValidCode(code) {
			return cd.Invalid(cd.ReasonUnitCode)
		}
		if _, err := r.tx.UnitByCode(code); err == nil {
			return cd.Invalid(cd.ReasonUnitCodeTaken)
		} else if cd.ErrorCode(err) != cd.ENOTFOUND {
			return err
		}
		d.Code = code
		r.ask(unitsParent, cd.Message{Text: txtAskUnitParent, Choices: []cd.Choice{
			{ID: chProv, Label: txtUnitUnderProvince}}})
	case unitsParent:
		var parent *cd.Unit
		var err error
		if in.Choice == chProv {
			parent, err = r.tx.ProvinceUnit()
		} else {
			parent, err = pickUnit(r, in, unitsParent, cd.UnitGrassroots)
			if parent == nil && err == nil {
				return nil
			}
		}
		if err != nil {
			return err
		}
		u := newUnit(d, parent)
		if err := u.Validate(); err != nil {
			return err
		}
		d.Parent = parent.ID
		r.ask(unitsConfirm, cd.Message{Text: txtConfirmUnit(u, parent), Choices: []cd.Choice{
			{ID: chYes, Label: txtCreate}, {ID: chNo, Label: txtCancel}}})
	case unitsConfirm:
		switch in.Choice {
		case chYes:
			parent, err := r.tx.UnitByID(d.Parent)
			if err != nil {
				return err
			}
			if _, err := createUnit(r, newUnit(d, parent)); err != nil {
				return err
			}
			r.end()
		case chNo:
			r.end()
			r.reply(txtCancelled)
		default:
			r.reply(txtPickOne)
		}
	}
	return nil
}

func newUnit(d *unitsData, parent *cd.Unit) *cd.Unit { return unitUnder(d.Name, d.Code, parent) }

// unitUnder is a new unit under parent: a grassroots union under the
// province, a sub-unit under a grassroots union.
func unitUnder(name, code string, parent *cd.Unit) *cd.Unit {
	kind := cd.UnitGrassroots
	if parent.Kind == cd.UnitGrassroots {
		kind = cd.UnitSub
	}
	return &cd.Unit{Name: name, Code: code, Kind: kind, ParentID: parent.ID}
}

// createUnit stores a new unit (storage validates it), records it and
// replies. The chat and the web dashboard both add units through it.
func createUnit(r *request, u *cd.Unit) (*cd.Unit, error) {
	if err := r.tx.CreateUnit(u); err != nil {
		return nil, err
	}
	if err := r.audit(cd.AuditUnitCreate, 0, u.ID, u.Code+" "+u.Name); err != nil {
		return nil, err
	}
	r.reply(txtUnitCreated(u))
	return u, nil
}

func listUnitsReply(r *request) error {
	units, err := r.tx.Units(cd.UnitFilter{})
	if err != nil {
		return err
	}
	lines := make([]string, 0, len(units)+1)
	lines = append(lines, txtUnitsList+":")
	for i := range units {
		lines = append(lines, txtUnitLine(&units[i]))
	}
	r.end()
	r.reply(strings.Join(lines, "\n"))
	return nil
}
