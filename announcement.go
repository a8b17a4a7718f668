package congdoanbot

import (
	"time"
	"unicode/utf8"
)

// Audience is who an announcement goes to.
type Audience string

// Audiences: every active member, the chairs and deputy chairs of the
// grassroots unions, or the active members of chosen units.
const (
	AudienceAll    Audience = "all"
	AudienceChairs Audience = "chairs"
	AudienceUnits  Audience = "units"
)

// AnnouncementStatus is where an announcement stands.
type AnnouncementStatus string

// Announcement statuses.
const (
	AnnouncementScheduled AnnouncementStatus = "scheduled" // waits for its time
	AnnouncementQueueing  AnnouncementStatus = "queueing"  // its recipients are being queued, chunk by chunk
	AnnouncementSending   AnnouncementStatus = "sending"   // queued, being delivered
	AnnouncementDone      AnnouncementStatus = "done"      // delivered (the report was sent)
	AnnouncementCancelled AnnouncementStatus = "cancelled"
)

// MaxAnnouncement is the longest announcement text, in characters.
const MaxAnnouncement = 3000

// Announcement is news or a campaign launch (thông báo, phát động) that
// the province sends to many members at once, now or at a set time.
type Announcement struct {
	ID         int64
	CreatedBy  int64
	ReportTo   Address // where progress and the delivery report go
	Text       string
	Photo      string // "platform:file reference", optional
	Audience   Audience
	UnitIDs    []int64 // for AudienceUnits
	SendAt     time.Time
	Status     AnnouncementStatus
	Recipients int // messages queued so far
	// QueuedUpto is the highest member id queued so far: queueing resumes
	// after it (a restart in the middle of queueing loses nothing).
	QueuedUpto int64
	CreatedAt  time.Time
	QueuedAt   time.Time
	ProgressAt time.Time
	FinishedAt time.Time
}

// ValidateAnnouncementText cleans and checks an announcement's text; line
// breaks are kept.
func ValidateAnnouncementText(s string) (string, error) {
	t := trimLines(s)
	if t == "" {
		return "", Invalid(ReasonAnnouncementEmpty)
	}
	if utf8.RuneCountInString(t) > MaxAnnouncement {
		return "", Invalid(ReasonAnnouncementLong)
	}
	if HasControl(t) {
		return "", Invalid(ReasonText)
	}
	return t, nil
}

// Delivery is the outcome of an announcement, person by person.
type Delivery struct {
	Delivered, Pending, Unreachable, Failed, Cancelled int
	// Offline: recipients whose only accounts are on platforms the bot
	// does not run now (no sender for them); they are not reached.
	Offline int
	// Missed are the members it could not reach (unreachable, offline or
	// failed).
	Missed []Member
}

// Total is the number of recipients counted.
func (d Delivery) Total() int {
	return d.Delivered + d.Pending + d.Unreachable + d.Failed + d.Cancelled + d.Offline
}
