package congdoanbot

import "time"

// Choice is one option offered to a person. ID is short and stable (it
// travels in Telegram callback data, at most 64 bytes); Label is what the
// person reads.
type Choice struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// File is a file attached to a message: a report, a QR code, a chart.
type File struct {
	Name string `json:"name"`
	MIME string `json:"mime,omitempty"`
	Data []byte `json:"data,omitempty"`
}

// Message is what the bot says to one chat: text, optional choices and an
// optional file. Each adapter renders it as its platform allows.
type Message struct {
	Text    string   `json:"text"`
	Choices []Choice `json:"choices,omitempty"`
	// RequestPhone asks the platform, where it can, to offer a button that
	// shares the person's own phone number.
	RequestPhone bool  `json:"request_phone,omitempty"`
	File         *File `json:"file,omitempty"`
	// Photo is a photo a person sent, as "platform:reference"; adapters
	// show it where the reference is theirs, and drop it elsewhere.
	Photo string `json:"photo,omitempty"`
}

// OutboxStatus is where an outbox row stands.
type OutboxStatus string

// Outbox statuses.
const (
	OutboxPending   OutboxStatus = "pending"
	OutboxSent      OutboxStatus = "sent"
	OutboxFailed    OutboxStatus = "failed"
	OutboxCancelled OutboxStatus = "cancelled"
)

// Outbox kinds: a reply to the person who wrote, or a message the bot
// sends on its own (a notification, a reminder, a broadcast).
const (
	OutboxReply  = "reply"
	OutboxNotify = "notify"
)

// Lane is how urgently a message goes out. The sender serves the
// interactive lane first and gives the bulk lane what capacity of the
// platform's limit is left; one chat's messages go out in the order they
// were queued, whatever their lanes.
type Lane string

// Lanes.
const (
	// LaneInteractive: a reply to a person's message, and the notices that
	// person's action causes (the chair told of a new applicant, the member
	// told of an approval). Someone is waiting for it.
	LaneInteractive Lane = "interactive"
	// LaneBulk: announcements, reminders, monthly summaries, delivery
	// reports: what the bot sends on its own, often to many people.
	LaneBulk Lane = "bulk"
)

// OutboxItem is one message waiting in, or delivered from, the durable
// outbox. Every message the bot sends is one row.
type OutboxItem struct {
	ID       int64
	To       Address
	MemberID int64  // recipient member, when known
	Kind     string // OutboxReply or OutboxNotify
	DedupKey string // optional; a second row with the same key is ignored
	// Lane: empty takes LaneInteractive for a reply, LaneBulk otherwise.
	Lane Lane
	// AnnouncementID links the row to the announcement it delivers.
	AnnouncementID int64
	Message        Message
	Status         OutboxStatus
	Attempts       int
	LastError      string
	NotBefore      time.Time
	CreatedAt      time.Time
	SentAt         time.Time
	// ClaimUntil is how long this instance holds the message when it was
	// read with storage's ClaimHeads (several instances on PostgreSQL):
	// no other instance sends it before then. Zero: not claimed.
	ClaimUntil time.Time
}
