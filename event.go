package congdoanbot

import (
	"time"
	"unicode/utf8"
)

// RSVP is a member's answer to an event's invitation.
type RSVP string

// Answers: going (Tham gia), on the waiting list (the event is full),
// not going (Không tham gia), maybe (Chưa chắc); RSVPNone for someone who
// checked in without answering.
const (
	RSVPNone     RSVP = ""
	RSVPGoing    RSVP = "going"
	RSVPWaiting  RSVP = "waiting"
	RSVPNotGoing RSVP = "not"
	RSVPMaybe    RSVP = "maybe"
)

// Bounds of an event.
const (
	MaxEventName     = 200
	MaxEventPlace    = 200
	MaxEventCapacity = 100_000
	MaxEventLength   = 7 * 24 * time.Hour
	// CheckInLead is how long before the start check-in opens.
	CheckInLead = time.Hour
	// SoonReminder is how long before the start the last reminder goes.
	SoonReminder = 2 * time.Hour
)

// Reasons for events.
const (
	ReasonEventName        Reason = "event.name"
	ReasonEventPlace       Reason = "event.place"
	ReasonEventTime        Reason = "event.time"
	ReasonEventEnd         Reason = "event.end"
	ReasonEventCapacity    Reason = "event.capacity"
	ReasonEventNotFound    Reason = "event.not_found"
	ReasonEventNotForYou   Reason = "event.not_for_you"
	ReasonEventStarted     Reason = "event.started"
	ReasonEventEnded       Reason = "event.ended"
	ReasonCheckInCode      Reason = "checkin.code"
	ReasonCheckInEarly     Reason = "checkin.early"
	ReasonCheckInLate      Reason = "checkin.late"
	ReasonCheckInNotForYou Reason = "checkin.not_for_you"
	ReasonCheckInTooMany   Reason = "checkin.too_many"
)

// Audit actions of events.
const (
	AuditEventCreate  = "event.create"
	AuditEventCheckIn = "event.check_in" // an organiser ticked a member in or out
)

// Event is a meeting, sports day, performance or training day the union
// organises (hội nghị, hội thao, văn nghệ, tập huấn): members are invited,
// answer whether they come, and check in; each one checked in gets one
// activity of the event's kind.
type Event struct {
	ID          int64
	Name        string
	Place       string
	Start, End  time.Time
	Audience    Audience
	UnitIDs     []int64 // for AudienceUnits
	Capacity    int     // 0: no limit
	Kind        string  // the kind of activity it counts as
	CampaignID  int64
	CreatedBy   int64
	CheckInCode string
	Recipients  int
	CreatedAt   time.Time
	// When each piece of the event's scheduled work was done (or found
	// too late to do): the reminder the day before, the one two hours
	// before, and the activities credited after the end.
	RemindedDayAt  time.Time
	RemindedSoonAt time.Time
	CreditedAt     time.Time

	// Filled by queries that join them.
	KindName     string
	CampaignName string
	CreatorName  string
}

// Day is the event's date in loc: the date its activities carry.
func (e *Event) Day(loc *time.Location) Date { return DateOf(e.Start, loc) }

// CheckInOpens is when check-in opens: an hour before the start.
func (e *Event) CheckInOpens() time.Time { return e.Start.Add(-CheckInLead) }

// CheckInAllowed says whether check-in is open at now: from an hour
// before the start to the end.
func (e *Event) CheckInAllowed(now time.Time) error {
	if now.Before(e.CheckInOpens()) {
		return Invalid(ReasonCheckInEarly)
	}
	if now.After(e.End) {
		return Invalid(ReasonCheckInLate)
	}
	return nil
}

// DayBeforeAt is when the reminder of the day before goes: 08:00 the day
// before the event's day.
func (e *Event) DayBeforeAt(loc *time.Location) time.Time {
	return e.Day(loc).AddDays(-1).Time(loc).Add(8 * time.Hour)
}

// SoonAt is when the last reminder goes: two hours before the start.
func (e *Event) SoonAt() time.Time { return e.Start.Add(-SoonReminder) }

// Started reports whether the event has begun at now.
func (e *Event) Started(now time.Time) bool { return !now.Before(e.Start) }

// Ended reports whether the event is over at now.
func (e *Event) Ended(now time.Time) bool { return !now.Before(e.End) }

// ValidateEventName cleans and checks an event's name.
func ValidateEventName(s string) (string, error) {
	t := CleanText(s)
	if n := utf8.RuneCountInString(t); n < 3 || n > MaxEventName {
		return "", Invalid(ReasonEventName)
	}
	if HasControl(t) {
		return "", Invalid(ReasonText)
	}
	return t, nil
}

// ValidateEventPlace cleans and checks an event's place.
func ValidateEventPlace(s string) (string, error) {
	t := CleanText(s)
	if n := utf8.RuneCountInString(t); n < 2 || n > MaxEventPlace {
		return "", Invalid(ReasonEventPlace)
	}
	if HasControl(t) {
		return "", Invalid(ReasonText)
	}
	return t, nil
}

// ValidateEventTimes checks an event's start (after now) and end (after
// the start, at most a week later).
func ValidateEventTimes(start, end, now time.Time) error {
	if !start.After(now) {
		return Invalid(ReasonEventTime)
	}
	if !end.After(start) || end.Sub(start) > MaxEventLength {
		return Invalid(ReasonEventEnd)
	}
	return nil
}

// Validate checks an event before it is stored.
func (e *Event) Validate(now time.Time) error {
	if _, err := ValidateEventName(e.Name); err != nil {
		return err
	}
	if _, err := ValidateEventPlace(e.Place); err != nil {
		return err
	}
	if err := ValidateEventTimes(e.Start, e.End, now); err != nil {
		return err
	}
	if e.Capacity < 0 || e.Capacity > MaxEventCapacity {
		return Invalid(ReasonEventCapacity)
	}
	if !ValidAudience(e.Audience) || e.Audience == AudienceUnits && len(e.UnitIDs) == 0 {
		return Invalid(ReasonAnnouncementUnits)
	}
	if e.Kind == "" {
		return Invalid(ReasonKind)
	}
	return nil
}

// Attendee is a member's answer to an event and their check-in.
type Attendee struct {
	EventID     int64
	MemberID    int64
	MemberName  string
	UnitID      int64
	UnitCode    string
	RSVP        RSVP
	WaitSeq     int64 // place on the waiting list: lower comes first
	UpdatedAt   time.Time
	CheckedInAt time.Time
	CheckedInBy int64 // the organiser who ticked them in; 0 for the member's own code
	ActivityID  int64 // the activity credited for the event
}

// CheckedIn reports whether the attendee checked in.
func (a *Attendee) CheckedIn() bool { return !a.CheckedInAt.IsZero() }
