package bot

import (
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// memberStore keeps the members: registration, approval, roles, erasure,
// who manages a unit, and member counts per unit.
type memberStore interface {
	MemberByID(id int64) (*cd.Member, error)
	MemberByIdentity(p cd.Platform, userID string) (*cd.Member, error)
	Members(f cd.MemberFilter) ([]cd.Member, error)
	UnitManagers(unitID int64) ([]cd.Member, error)
	ProvinceAdmins() ([]cd.Member, error)
	CreateMember(m *cd.Member, id cd.Identity) error
	ReRegister(m *cd.Member) error
	SetMemberStatus(memberID int64, from, to cd.Status, by int64, note string) error
	SetMemberRole(memberID int64, role cd.Role, unitID int64) error
	EraseMember(memberID int64) error
	MemberCounts(from, to time.Time) (map[int64]cd.MemberCount, error)
}

const flowRegister = "register"

// registerStep is a step of /dangky.
type registerStep string

const (
	registerConsent registerStep = "consent"
	registerName    registerStep = "name"
	registerPhone   registerStep = "phone"
	registerUnit    registerStep = "unit"
	registerConfirm registerStep = "confirm"
)

func (s registerStep) where() (string, string) { return flowRegister, string(s) }

func registerFlow() *flow {
	return newFlow(stepRegister, registerConsent, registerName, registerPhone, registerUnit, registerConfirm)
}

// registerData is what /dangky has gathered.
type registerData struct {
	Consent time.Time `json:"consent,omitzero"` // when the person agreed to the use of their data
	Name    string    `json:"name,omitempty"`
	Phone   string    `json:"phone,omitempty"`
	Unit    int64     `json:"unit,omitempty"`
}

// Choice IDs are short: they travel in Telegram callback data (≤ 64 bytes).
const (
	chYes    = "y"
	chNo     = "n"
	chSkip   = "skip"
	chBack   = "back"
	chUnit   = "u:" // + unit id
	chMember = "m:" // + member id
)

// unitChoicesShown is how many units a list offers as choices; past it the
// person types a code or part of the name.
const unitChoicesShown = 12

func cmdRegister(r *request, _ string) error {
	if r.me != nil && r.me.Status != cd.StatusRejected {
		r.reply(txtAlreadyRegistered(r.me))
		return nil
	}
	r.ask(registerConsent, cd.Message{Text: txtConsent, Choices: []cd.Choice{
		{ID: chYes, Label: txtConsentYes}, {ID: chNo, Label: txtConsentNo}}})
	return nil
}

func stepRegister(r *request, s registerStep, d *registerData, in input) error {
	switch s {
	case registerConsent:
		switch in.Choice {
		case chYes:
			d.Consent = r.tx.Now()
			r.ask(registerName, cd.Message{Text: txtAskName})
		case chNo:
			r.end()
			r.reply(txtConsentDeclined)
		default:
			r.reply(txtPickOne)
		}
	case registerName:
		name, err := cd.ValidateFullName(in.Text)
		if err != nil {
			return err
		}
		d.Name = name
		askPhone(r, txtAskPhone)
	case registerPhone:
		phone := ""
		switch {
		case in.Choice == chSkip:
		case in.ForeignContact:
			askPhone(r, txtPhoneNotOwn)
			return nil
		case in.Phone != "":
			p, err := cd.ValidatePhone(in.Phone)
			if err != nil {
				return err
			}
			phone = p
		default:
			p, err := cd.ValidatePhone(in.Text)
			if err != nil {
				return err
			}
			phone = p
		}
		d.Phone = phone
		return askUnit(r, registerUnit, txtAskUnitShort, txtAskUnitLong)
	case registerUnit:
		u, err := pickUnit(r, in, registerUnit, cd.UnitGrassroots)
		if err != nil || u == nil {
			return err
		}
		d.Unit = u.ID
		r.ask(registerConfirm, cd.Message{Text: txtConfirmRegistration(d.Name, d.Phone, u),
			Choices: []cd.Choice{{ID: chYes, Label: txtSubmit}, {ID: chNo, Label: txtCancel}}})
	case registerConfirm:
		switch in.Choice {
		case chYes:
			return submitRegistration(r, d)
		case chNo:
			r.end()
			r.reply(txtCancelled)
		default:
			r.reply(txtPickOne)
		}
	}
	return nil
}

// askPhone asks for the phone number, offering the platform's "share my
// number" button where there is one.
func askPhone(r *request, text string) {
	r.ask(registerPhone, cd.Message{Text: text, RequestPhone: true, Choices: []cd.Choice{{ID: chSkip, Label: txtSkip}}})
}

func submitRegistration(r *request, d *registerData) error {
	u, err := r.tx.UnitByID(d.Unit)
	if err != nil {
		return err
	}
	consent := d.Consent
	if consent.IsZero() {
		consent = r.tx.Now()
	}
	m := &cd.Member{FullName: d.Name, UnitID: u.ID, Role: cd.RoleMember, Status: cd.StatusPending,
		Phone: d.Phone, ConsentAt: consent}
	switch {
	case r.me == nil:
		err = r.tx.CreateMember(m, cd.Identity{Platform: r.u.Platform, UserID: r.u.UserID, ChatID: r.u.ChatID,
			DisplayName: r.u.DisplayName})
	case r.me.Status == cd.StatusRejected:
		m.ID = r.me.ID
		err = r.tx.ReRegister(m)
	default:
		return cd.Invalid(cd.ReasonAlreadyMember)
	}
	if err != nil {
		return err
	}
	if r.me, err = r.tx.MemberByID(m.ID); err != nil {
		return err
	}
	if err := r.audit(cd.AuditRegister, m.ID, u.ID, "unit "+u.Code); err != nil {
		return err
	}
	approvers, err := r.tx.UnitManagers(u.ID)
	if err != nil {
		return err
	}
	notifyTo := approvers
	if len(notifyTo) == 0 {
		// No chair yet: the province approves.
		if notifyTo, err = r.tx.ProvinceAdmins(); err != nil {
			return err
		}
	}
	for _, a := range notifyTo {
		if err := r.notify(a.ID, cd.Message{Text: txtNewApplicant(r.me, u)}); err != nil {
			return err
		}
	}
	r.end()
	r.reply(txtRegistered(u, approvers))
	return nil
}

// askUnit asks for a unit: with the units as choices when there are few,
// by code or name otherwise.
func askUnit(r *request, s flowStep, short, long string) error {
	units, err := r.tx.Units(cd.UnitFilter{Kind: cd.UnitGrassroots, Limit: unitChoicesShown + 1})
	if err != nil {
		return err
	}
	switch {
	case len(units) == 0:
		r.end()
		r.reply(txtNoUnits)
	case len(units) > unitChoicesShown:
		r.ask(s, cd.Message{Text: long})
	default:
		r.ask(s, cd.Message{Text: short, Choices: unitChoices(units)})
	}
	return nil
}

func unitChoices(units []cd.Unit) []cd.Choice {
	cs := make([]cd.Choice, len(units))
	for i := range units {
		cs[i] = cd.Choice{ID: chUnit + strconv.FormatInt(units[i].ID, 10), Label: txtUnitChoiceLabel(&units[i])}
	}
	return cs
}

// pickUnit reads the answer to askUnit: a chosen unit, a join code, or
// words of the name. With several matches it asks step s again with them
// as choices and returns nil.
func pickUnit(r *request, in input, s flowStep, kinds ...cd.UnitKind) (*cd.Unit, error) {
	if id, ok := strings.CutPrefix(in.Choice, chUnit); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		return r.tx.UnitByID(n)
	}
	text := cd.CleanText(in.Text)
	if text == "" {
		return nil, cd.Invalid(cd.ReasonUnitNotFound)
	}
	kindOK := func(k cd.UnitKind) bool {
		for _, want := range kinds {
			if k == want {
				return true
			}
		}
		return len(kinds) == 0
	}
	if u, err := r.tx.UnitByCode(text); err == nil && kindOK(u.Kind) {
		return u, nil
	} else if err != nil && cd.ErrorCode(err) != cd.ENOTFOUND {
		return nil, err
	}
	all, err := r.tx.Units(cd.UnitFilter{Search: text})
	if err != nil {
		return nil, err
	}
	var found []cd.Unit
	for _, u := range all {
		if kindOK(u.Kind) {
			found = append(found, u)
		}
	}
	switch {
	case len(found) == 0:
		return nil, cd.Invalid(cd.ReasonUnitNotFound)
	case len(found) == 1:
		return &found[0], nil
	}
	if len(found) > unitChoicesShown {
		found = found[:unitChoicesShown]
	}
	r.ask(s, cd.Message{Text: txtUnitMatches(len(found)), Choices: unitChoices(found)})
	return nil, nil
}
