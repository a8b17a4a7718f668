package congdoanbot

import "time"

// OAContact is what the bot knows of one person on the union's Zalo
// Official Account: when they last interacted with it (which opens the
// window in which the OA may write to them) and whether they follow it.
type OAContact struct {
	UserID          string
	LastInteraction time.Time
	Followed        bool
	Known           bool // false: the person never wrote to or followed the OA
}

// InWindow reports whether the OA may write to the person at now, with a
// reply window of window after their last interaction.
func (c OAContact) InWindow(now time.Time, window time.Duration) bool {
	return c.Known && c.Followed && now.Sub(c.LastInteraction) < window
}

// OAReach tells, for the recipients of an announcement, how many the bot
// reaches on the Zalo OA (their account used last is the OA) and how many
// of those are outside the OA's reply window: Rerouted get it on another
// account of theirs (Telegram or the Zalo bot), NotReached on none.
type OAReach struct {
	OnOA, Outside, Rerouted, NotReached int
}

// OATokenStatus is the state of a stored pair of Zalo OA tokens.
type OATokenStatus string

// Token states. The refresh token is single-use: before it is sent to
// Zalo the row becomes exchanging, and only the transaction that stores
// the new pair marks it used. A row found exchanging after a restart is an
// exchange whose answer may have been lost; if Zalo then refuses its
// refresh token, the row becomes lost and the operator must authorize the
// OA again.
const (
	OATokenCurrent    OATokenStatus = "current"
	OATokenExchanging OATokenStatus = "exchanging"
	OATokenUsed       OATokenStatus = "used"
	OATokenLost       OATokenStatus = "lost"
	OATokenReplaced   OATokenStatus = "replaced"
)

// OAToken is a pair of Zalo OA tokens as stored.
type OAToken struct {
	ID               int64
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	Status           OATokenStatus
	CreatedAt        time.Time
	ClaimedBy        string    // the process exchanging it
	ClaimedAt        time.Time // when the exchange began
	Attempts         int       // exchanges begun with this refresh token
	Note             string    // why it was lost, in words for an operator
}

// OAEvent is a Zalo OA webhook event as recorded: what it tells of the
// person's reply window, and (with a Key) the update for the inbox.
type OAEvent struct {
	UserID string
	// At is when the person acted (the event's timestamp); a time after
	// the database's clock counts as now.
	At time.Time
	// Interaction: the event opens the OA's reply window (a message, a
	// follow).
	Interaction bool
	// Follow is +1 for a follow, -1 for an unfollow, 0 otherwise.
	Follow int
	// Key, ChatKey and Payload are the inbox row; an empty Key stores none.
	Key, ChatKey string
	Payload      []byte
}
