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

const (
	chList = "list"
	chAdd  = "add"
	chProv = "prov"
)

func cmdUnits(r *request, _ string) error {
	if !r.me.IsProvinceAdmin() {
		return unitStatus(r)
	}
	r.ask(flowUnits, "menu", cd.Message{Text: txtUnitsMenu, Choices: []cd.Choice{
		{ID: chList, Label: txtUnitsList}, {ID: chAdd, Label: txtUnitsAdd}}})
	return nil
}

func stepUnits(r *request, in input) error {
	f := r.flow
	switch f.Step {
	case "menu":
		switch in.Choice {
		case chList:
			return listUnitsReply(r)
		case chAdd:
			r.ask(flowUnits, "name", cd.Message{Text: txtAskUnitName})
		default:
			r.reply(txtPickOne)
		}
	case "name":
		name, err := cd.ValidateUnitName(in.Text)
		if err != nil {
			return err
		}
		f.set("name", name)
		r.ask(flowUnits, "code", cd.Message{Text: txtAskUnitCode})
	case "code":
		code := cd.NormalizeCode(in.Text)
		if !cd.ValidCode(code) {
			return cd.Invalid(cd.ReasonUnitCode)
		}
		if _, err := r.tx.UnitByCode(code); err == nil {
			return cd.Invalid(cd.ReasonUnitCodeTaken)
		} else if cd.ErrorCode(err) != cd.ENOTFOUND {
			return err
		}
		f.set("code", code)
		r.ask(flowUnits, "parent", cd.Message{Text: txtAskUnitParent, Choices: []cd.Choice{
			{ID: chProv, Label: txtUnitUnderProvince}}})
	case "parent":
		var parent *cd.Unit
		var err error
		if in.Choice == chProv {
			parent, err = r.tx.ProvinceUnit()
		} else {
			parent, err = pickUnit(r, in, flowUnits, "parent", cd.UnitGrassroots)
			if parent == nil && err == nil {
				return nil
			}
		}
		if err != nil {
			return err
		}
		u := newUnit(f, parent)
		if err := u.Validate(); err != nil {
			return err
		}
		f.setInt("parent", parent.ID)
		r.ask(flowUnits, "confirm", cd.Message{Text: txtConfirmUnit(u, parent), Choices: []cd.Choice{
			{ID: chYes, Label: txtCreate}, {ID: chNo, Label: txtCancel}}})
	case "confirm":
		switch in.Choice {
		case chYes:
			parent, err := r.tx.UnitByID(f.getInt("parent"))
			if err != nil {
				return err
			}
			if _, err := createUnit(r, newUnit(f, parent)); err != nil {
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

func newUnit(f *flowState, parent *cd.Unit) *cd.Unit {
	return unitUnder(f.get("name"), f.get("code"), parent)
}

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
