package congdoanbot

import "slices"

// Reaches reports whether an audience (of an announcement, a survey or an
// event) reaches member m, whose grassroots union is grassroots: every
// active member, the chairs and deputy chairs, or the active members of
// the chosen units and of the sub-units inside them. It is the rule the
// storage's list of recipients applies, for one member.
func (a Audience) Reaches(m *Member, grassroots int64, unitIDs []int64) bool {
	if !m.IsActive() {
		return false
	}
	switch a {
	case AudienceAll:
		return true
	case AudienceChairs:
		return m.Role == RoleChair || m.Role == RoleDeputy
	case AudienceUnits:
		return slices.Contains(unitIDs, m.UnitID) || slices.Contains(unitIDs, grassroots)
	}
	return false
}

// ValidAudience reports whether a is one of the audiences.
func ValidAudience(a Audience) bool {
	return a == AudienceAll || a == AudienceChairs || a == AudienceUnits
}
