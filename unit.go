package congdoanbot

import (
	"strings"
	"time"
	"unicode/utf8"
)

// UnitKind places a unit in the union's tree.
type UnitKind string

// Unit kinds: the province root, grassroots unions (CĐCS) under it, and
// optional sub-units (công đoàn bộ phận, tổ công đoàn) inside a CĐCS.
const (
	UnitProvince   UnitKind = "province"
	UnitGrassroots UnitKind = "grassroots"
	UnitSub        UnitKind = "sub"
)

// Unit is a node of the union's tree (đơn vị).
type Unit struct {
	ID        int64
	ParentID  int64 // 0 for the province root
	Kind      UnitKind
	Name      string
	Code      string // short join code, e.g. "STP"; unique, upper case
	CreatedAt time.Time

	// Filled by listings that count members; zero otherwise.
	ActiveMembers  int
	PendingMembers int
}

// NormalizeCode turns a typed join code into its stored form: diacritics
// folded, upper case, spaces removed ("stp " and "STP" are the same code).
func NormalizeCode(s string) string {
	return strings.ToUpper(strings.ReplaceAll(Fold(s), " ", ""))
}

// ValidCode reports whether code (already normalised) is a join code:
// 2 to 12 characters of A-Z, 0-9 and '-', starting with a letter.
func ValidCode(code string) bool {
	if len(code) < 2 || len(code) > 12 {
		return false
	}
	for i, r := range code {
		switch {
		case r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// ValidateUnitName cleans a unit's name and checks it: 2 to 150
// characters, no control characters.
func ValidateUnitName(s string) (string, error) {
	name := CleanText(s)
	if n := utf8.RuneCountInString(name); n < 2 || n > 150 || HasControl(name) {
		return "", Invalid(ReasonUnitNameLength)
	}
	return name, nil
}

// Validate checks a unit before it is stored.
func (u *Unit) Validate() error {
	name, err := ValidateUnitName(u.Name)
	if err != nil {
		return err
	}
	u.Name = name
	u.Code = NormalizeCode(u.Code)
	if !ValidCode(u.Code) {
		return Invalid(ReasonUnitCode)
	}
	switch u.Kind {
	case UnitProvince:
		if u.ParentID != 0 {
			return Invalid(ReasonUnitParent)
		}
	case UnitGrassroots, UnitSub:
		if u.ParentID == 0 {
			return Invalid(ReasonUnitParent)
		}
	default:
		return Errorf(EINVALID, ReasonUnitParent, "unknown unit kind %q", u.Kind)
	}
	return nil
}

// UnitFilter selects units for a listing.
type UnitFilter struct {
	Kind   UnitKind // "" for every kind
	Search string   // words that must all appear in the name or code, diacritics ignored
	Limit  int      // 0 for no limit
}
