package bot

import (
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const flowRoles = "roles"

// rolesStep is a step of /phanquyen.
type rolesStep string

const (
	rolesUnit   rolesStep = "unit"
	rolesMember rolesStep = "member"
	rolesRole   rolesStep = "role"
)

func (s rolesStep) where() (string, string) { return flowRoles, string(s) }

func rolesFlow() *flow { return newFlow(stepRoles, rolesUnit, rolesMember, rolesRole) }

// rolesData is what /phanquyen has gathered.
type rolesData struct {
	Unit   int64 `json:"unit,omitempty"`
	Member int64 `json:"member,omitempty"`
}

// membersShown is how many members one list offers.
const membersShown = 20

var roleChoices = []cd.Choice{
	{ID: string(cd.RoleChair), Label: roleNames[cd.RoleChair]},
	{ID: string(cd.RoleDeputy), Label: roleNames[cd.RoleDeputy]},
	{ID: string(cd.RoleMember), Label: roleNames[cd.RoleMember] + " (bỏ quyền)"},
	{ID: string(cd.RoleProvinceAdmin), Label: roleNames[cd.RoleProvinceAdmin]},
}

func cmdRoles(r *request, args string) error {
	if args != "" {
		return stepRoles(r, rolesUnit, startFlow[rolesData](r, rolesUnit), input{Text: args})
	}
	r.ask(rolesUnit, cd.Message{Text: txtAskRoleUnit})
	return nil
}

func stepRoles(r *request, s rolesStep, d *rolesData, in input) error {
	switch s {
	case rolesUnit:
		u, err := pickUnit(r, in, rolesUnit)
		if err != nil || u == nil {
			return err
		}
		d.Unit = u.ID
		return listMembersFor(r, d, u, "")
	case rolesMember:
		id, ok := strings.CutPrefix(in.Choice, chMember)
		if !ok {
			u, err := r.tx.UnitByID(d.Unit)
			if err != nil {
				return err
			}
			return listMembersFor(r, d, u, in.Text)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		m, err := r.tx.MemberByID(n)
		if err != nil {
			return err
		}
		return pickMember(r, d, m)
	case rolesRole:
		role, ok := cd.ParseRole(in.Choice)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		return setRole(r, d, role)
	}
	return nil
}

// pickMember moves the flow to choosing m's new role.
func pickMember(r *request, d *rolesData, m *cd.Member) error {
	d.Member = m.ID
	r.ask(rolesRole, cd.Message{Text: txtPickRole(m), Choices: roleChoices})
	return nil
}

// listMembersFor offers the active members of a unit, filtered by words
// of their name when search is not empty.
func listMembersFor(r *request, d *rolesData, u *cd.Unit, search string) error {
	ms, err := r.tx.Members(cd.MemberFilter{UnitID: u.ID, Status: cd.StatusActive, Search: search})
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		if search != "" {
			return cd.Invalid(cd.ReasonMemberNotFound)
		}
		r.end()
		r.reply(txtNoMembers)
		return nil
	}
	if search != "" && len(ms) == 1 {
		return pickMember(r, d, &ms[0])
	}
	shown := min(len(ms), membersShown)
	cs := make([]cd.Choice, shown)
	for i := range shown {
		cs[i] = cd.Choice{ID: chMember + strconv.FormatInt(ms[i].ID, 10), Label: txtMemberLabel(&ms[i])}
	}
	r.ask(rolesMember, cd.Message{Text: txtPickMember(u, len(ms), shown), Choices: cs})
	return nil
}

// setRole gives the chosen member a role. A unit has one chair: naming a
// new one makes the old one a plain member. The last province admin
// cannot be demoted.
func setRole(r *request, d *rolesData, role cd.Role) error {
	m, err := r.tx.MemberByID(d.Member)
	if err != nil {
		return err
	}
	if !m.IsActive() {
		return cd.Invalid(cd.ReasonMemberState)
	}
	if m.Role == role {
		r.end()
		r.reply(txtRoleSame)
		return nil
	}
	updated, replaced, err := applyRole(r, m, role)
	if err != nil {
		return err
	}
	r.end()
	r.reply(txtRoleSet(updated, role, replaced))
	return nil
}

// applyRole gives active member m a new role, replacing the unit's chair
// when naming a new one, records it and tells those concerned; it returns
// m as updated and the chairs replaced. The chat and the web dashboard
// both change roles through it.
func applyRole(r *request, m *cd.Member, role cd.Role) (*cd.Member, []cd.Member, error) {
	if m.Role == cd.RoleProvinceAdmin {
		admins, err := r.tx.ProvinceAdmins()
		if err != nil {
			return nil, nil, err
		}
		if len(admins) <= 1 {
			return nil, nil, cd.Invalid(cd.ReasonLastProvinceAdmin)
		}
	}
	unitID := m.UnitID
	if role == cd.RoleProvinceAdmin {
		prov, err := r.tx.ProvinceUnit()
		if err != nil {
			return nil, nil, err
		}
		unitID = prov.ID
	}
	var replaced []cd.Member
	if role == cd.RoleChair {
		managers, err := r.tx.UnitManagers(unitID)
		if err != nil {
			return nil, nil, err
		}
		for _, old := range managers {
			if old.Role != cd.RoleChair || old.ID == m.ID {
				continue
			}
			if err := r.tx.SetMemberRole(old.ID, cd.RoleMember, old.UnitID); err != nil {
				return nil, nil, err
			}
			if err := r.audit(cd.AuditRoleChange, old.ID, old.UnitID, "chair -> member (replaced)"); err != nil {
				return nil, nil, err
			}
			if err := r.notify(old.ID, cd.Message{Text: txtYourRole(cd.RoleMember, old.UnitName)}); err != nil {
				return nil, nil, err
			}
			replaced = append(replaced, old)
		}
	}
	if err := r.tx.SetMemberRole(m.ID, role, unitID); err != nil {
		return nil, nil, err
	}
	if err := r.audit(cd.AuditRoleChange, m.ID, unitID, string(m.Role)+" -> "+string(role)); err != nil {
		return nil, nil, err
	}
	updated, err := r.tx.MemberByID(m.ID)
	if err != nil {
		return nil, nil, err
	}
	if err := r.notify(m.ID, cd.Message{Text: txtYourRole(role, updated.UnitName)}); err != nil {
		return nil, nil, err
	}
	if r.me.ID == m.ID {
		r.me = updated
	}
	return updated, replaced, nil
}
