package congdoanbot

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Role is what a member may do beyond reporting for themselves.
type Role string

// Roles. A deputy chair (phó chủ tịch) has the chair's powers in the unit.
const (
	RoleMember        Role = "member"
	RoleChair         Role = "chair"
	RoleDeputy        Role = "deputy"
	RoleProvinceAdmin Role = "province_admin"
)

// ParseRole accepts a stored role name.
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case RoleMember, RoleChair, RoleDeputy, RoleProvinceAdmin:
		return r, true
	}
	return "", false
}

// Status is where a member stands in the membership lifecycle.
type Status string

// Statuses: pending waits for the chair; active is a member; rejected was
// refused; left has left or deleted their data.
const (
	StatusPending  Status = "pending"
	StatusActive   Status = "active"
	StatusRejected Status = "rejected"
	StatusLeft     Status = "left"
)

// Member is a person in the union (đoàn viên).
type Member struct {
	ID           int64
	FullName     string
	UnitID       int64
	Role         Role
	Status       Status
	Phone        string
	ConsentAt    time.Time // when they agreed to the data notice; zero if never
	RegisteredAt time.Time
	DecidedAt    time.Time // approval or rejection
	DecidedBy    int64
	Note         string // rejection reason, for instance
	DeletedAt    time.Time

	// Filled by queries that join them; zero otherwise.
	UnitName  string
	UnitCode  string
	Platforms []string
}

// IsActive reports whether m is an active member.
func (m *Member) IsActive() bool { return m != nil && m.Status == StatusActive }

// IsProvinceAdmin reports whether m is an active province admin.
func (m *Member) IsProvinceAdmin() bool { return m.IsActive() && m.Role == RoleProvinceAdmin }

// IsChairOf reports whether m is the active chair or deputy chair of unit.
func (m *Member) IsChairOf(unitID int64) bool {
	return m.IsActive() && (m.Role == RoleChair || m.Role == RoleDeputy) && m.UnitID == unitID
}

// CanManageUnit reports whether m may approve members and act for unit:
// the unit's chair or deputy, or a province admin.
func (m *Member) CanManageUnit(unitID int64) bool {
	return m.IsProvinceAdmin() || m.IsChairOf(unitID)
}

// ValidateFullName cleans a full name and checks it: 2 to 100 characters,
// at least two words (họ và tên), letters of the Latin script with
// Vietnamese diacritics (which also writes the names of ethnic minorities:
// H'Hen Niê, Y Moan Ênuôl, Ksor Phước), spaces, and the apostrophe, hyphen
// or dot some names carry. Full-width forms are folded to ASCII first
// ("ＮＧＵＹＥＮ" is NGUYEN) and a typographic apostrophe (’) to '. Letters
// of other scripts are refused with ReasonNameScript. It returns the
// cleaned name, in NFC with each word's first letter kept as typed.
func ValidateFullName(s string) (string, error) {
	name := CleanText(nameApostrophes.Replace(width.Fold.String(s)))
	if name == "" {
		return "", Invalid(ReasonNameEmpty)
	}
	if n := utf8.RuneCountInString(name); n < 2 || n > 100 {
		return "", Invalid(ReasonNameLength)
	}
	marks := -1 // diacritics on the current letter; -1 after a non-letter
	for _, r := range norm.NFD.String(name) {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == 'đ', r == 'Đ':
			marks = 0
		case vietnameseMark(r) && marks >= 0 && marks < 2:
			marks++
		case unicode.IsDigit(r):
			return "", Invalid(ReasonNameDigits)
		case r == ' ' || r == '\'' || r == '-' || r == '.':
			marks = -1
		case unicode.IsLetter(r) || (unicode.IsMark(r) && !vietnameseMark(r)):
			return "", Invalid(ReasonNameScript)
		default:
			return "", Invalid(ReasonNameSymbols)
		}
	}
	if len(strings.Fields(name)) < 2 {
		return "", Invalid(ReasonNameOneWord)
	}
	return name, nil
}

// nameApostrophes turns the apostrophes phones type into ASCII ones.
var nameApostrophes = strings.NewReplacer("\u2019", "'", "\u02bc", "'")

// vietnameseMark reports the combining marks of Vietnamese letters, as NFD
// writes them: the five tones (huyền, sắc, ngã, hỏi, nặng) and the
// circumflex, breve and horn of â ê ô ă ơ ư.
func vietnameseMark(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0302', '\u0306', '\u031b':
		return true
	}
	return false
}

// ValidatePhone cleans a Vietnamese phone number: digits, an optional
// leading +84 or 84 turned into 0, 10 digits starting with 0.
func ValidatePhone(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || (r == '+' && b.Len() == 0):
		default:
			return "", Invalid(ReasonPhone)
		}
	}
	p := b.String()
	if strings.HasPrefix(p, "84") && len(p) == 11 {
		p = "0" + p[2:]
	}
	if len(p) != 10 || p[0] != '0' {
		return "", Invalid(ReasonPhone)
	}
	return p, nil
}

// Platform names a chat platform.
type Platform string

// Platforms the bot speaks on.
const (
	PlatformTelegram Platform = "telegram"
	PlatformZalo     Platform = "zalo"
	// PlatformZaloOA is the union's Zalo Official Account: people follow
	// it and message it; it may answer only within a window after their
	// last message.
	PlatformZaloOA  Platform = "zalo_oa"
	PlatformConsole Platform = "console"
)

// ParsePlatform accepts a platform name.
func ParsePlatform(s string) (Platform, bool) {
	switch p := Platform(strings.ToLower(s)); p {
	case PlatformTelegram, PlatformZalo, PlatformZaloOA, PlatformConsole:
		return p, true
	}
	return "", false
}

// Identity links a chat account to a member. A member may have several
// (one per platform account); a platform account belongs to one member.
type Identity struct {
	ID                int64
	MemberID          int64 // 0 while the person has not registered
	Platform          Platform
	UserID            string // platform user id, a string on every platform
	ChatID            string // where to write to them
	DisplayName       string
	LastSeenAt        time.Time
	Unreachable       bool // the platform said the chat is blocked or gone
	UnreachableReason string
}

// Address is where a message goes: a platform and a chat on it.
type Address struct {
	Platform Platform
	ChatID   string
}

// Key is a platform user key of the form "platform:user_id", as used in
// the province admins list of the config.
func Key(p Platform, userID string) string { return string(p) + ":" + userID }

// ParseKey splits "platform:user_id".
func ParseKey(s string) (Platform, string, bool) {
	p, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || id == "" {
		return "", "", false
	}
	pl, ok := ParsePlatform(p)
	return pl, id, ok
}

// MemberFilter selects members for a listing.
type MemberFilter struct {
	UnitID int64 // 0 for every unit
	// WithSubUnits adds the members of UnitID's sub-units.
	WithSubUnits bool
	Status       Status // "" for every status but left
	Roles        []Role // empty for every role
	Search       string // words that must all appear in the name, diacritics ignored
	Limit        int    // 0 for no limit
}
