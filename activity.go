package congdoanbot

import (
	"time"
	"unicode/utf8"
)

// Measure is what a kind of activity is counted in, for targets and
// rankings: the number of reports, people, money, or the kind's own unit
// (units of blood, classes).
type Measure string

// Measures.
const (
	MeasureCount    Measure = "count"
	MeasurePeople   Measure = "people"
	MeasureAmount   Measure = "amount"
	MeasureQuantity Measure = "quantity"
)

// ActivityKind is a kind of activity report (sáng kiến, hiến máu, ...).
// Kinds are data, seeded by a migration and editable by the province; a
// kind says which figures a report of it asks for.
type ActivityKind struct {
	Code         string // short and stable: "hien_mau"
	Name         string // "Hiến máu"
	AskPeople    string // the question for the number of people, or "" if not asked
	AskAmount    string // the question for money, or ""
	AskQuantity  string // the question for the kind's own unit, or ""
	QuantityUnit string // "đơn vị máu", "lớp"
	Measure      Measure
	Position     int
	Active       bool
}

// Bounds of the figures of one report: whole numbers, never negative.
const (
	MaxPeople      = 100_000
	MaxQuantity    = 100_000
	MaxDescription = 1000
)

// Activity is one activity report (báo cáo hoạt động): what a member, or a
// grassroots union as a whole, did on a day.
type Activity struct {
	ID          int64
	UnitID      int64 // the grassroots union the activity counts for
	MemberID    int64 // 0 for a report of the unit as a whole
	Kind        string
	Date        Date
	Description string
	People      int64
	Amount      int64 // đồng
	Quantity    int64
	Photo       string // platform file reference, or a stored file path
	CampaignID  int64
	EnteredBy   int64 // who typed it: the member, or a chair reporting for them
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Filled by queries that join them.
	KindName     string
	UnitCode     string
	UnitName     string
	MemberName   string
	CampaignName string
	EnteredName  string
}

// ValidateDescription cleans and checks the text of a report.
func ValidateDescription(s string) (string, error) {
	d := CleanText(s)
	if d == "" {
		return "", Invalid(ReasonDescriptionEmpty)
	}
	if utf8.RuneCountInString(d) > MaxDescription {
		return "", Invalid(ReasonDescriptionLong)
	}
	if HasControl(d) {
		return "", Invalid(ReasonText)
	}
	return d, nil
}

// ValidateReportDate checks a report's date against today: not in the
// future, and not more than window days back.
func ValidateReportDate(d, today Date, window int) error {
	if d.After(today) {
		return Invalid(ReasonDateFuture)
	}
	if today.DaysSince(d) > window {
		return Errorf(EINVALID, ReasonDateTooOld, "%d days", window)
	}
	return nil
}

// ValidateCount checks a number of people or of the kind's unit.
func ValidateCount(n int64, max int64) error {
	if n < 0 {
		return Invalid(ReasonCountNegative)
	}
	if n > max {
		return Errorf(EINVALID, ReasonCountTooLarge, "max %d", max)
	}
	return nil
}

// Validate checks a report before it is stored.
func (a *Activity) Validate(k *ActivityKind, today Date, window int) error {
	d, err := ValidateDescription(a.Description)
	if err != nil {
		return err
	}
	a.Description = d
	if a.Kind != k.Code {
		return Errorf(EINVALID, ReasonKind, "kind %q", a.Kind)
	}
	if a.UnitID == 0 {
		return Errorf(EINVALID, ReasonUnitNotFound, "no unit")
	}
	if err := ValidateReportDate(a.Date, today, window); err != nil {
		return err
	}
	if err := ValidateCount(a.People, MaxPeople); err != nil {
		return err
	}
	if err := ValidateCount(a.Quantity, MaxQuantity); err != nil {
		return err
	}
	if a.Amount < 0 || a.Amount > DefaultMoneyMax {
		return Invalid(ReasonMoneyTooLarge)
	}
	return nil
}

// KindTotal adds up the reports of one kind.
type KindTotal struct {
	Kind     string
	Count    int64
	People   int64
	Amount   int64
	Quantity int64
}

// Value is the total in the given measure.
func (t KindTotal) Value(m Measure) int64 {
	switch m {
	case MeasurePeople:
		return t.People
	case MeasureAmount:
		return t.Amount
	case MeasureQuantity:
		return t.Quantity
	}
	return t.Count
}

// Add adds one report to the total.
func (t *KindTotal) Add(a *Activity) {
	t.Count++
	t.People += a.People
	t.Amount += a.Amount
	t.Quantity += a.Quantity
}

// UnitReport is a grassroots union's monthly report: once submitted, the
// unit's reports of that month are locked until a province admin unlocks.
type UnitReport struct {
	UnitID      int64
	Month       Month
	SubmittedAt time.Time
	SubmittedBy int64
	Late        bool
	Locked      bool // submitted and not unlocked since
}
