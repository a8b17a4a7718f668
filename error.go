package congdoanbot

import (
	"errors"
	"fmt"
)

// Error codes, in the manner of benbjohnson/wtf: a small closed set that the
// conversation core maps to user-facing Vietnamese text in one place
// (bot/texts_*.go). Everything that is not a *Error is an internal failure.
const (
	EINVALID   = "invalid"   // the input breaks a rule; Reason says which
	ENOTFOUND  = "not_found" // the thing asked for does not exist
	ECONFLICT  = "conflict"  // the thing exists already or is in the wrong state
	EFORBIDDEN = "forbidden" // the actor may not do this
	EINTERNAL  = "internal"  // a bug or an outage; never shown in detail
)

// Reason names why an input was refused. Reasons are keys, not text: the
// Vietnamese wording lives in bot/texts_*.go so that all user-facing text is
// kept together.
type Reason string

// Reasons used by the domain validators.
const (
	ReasonNameEmpty         Reason = "name.empty"
	ReasonNameLength        Reason = "name.length"
	ReasonNameOneWord       Reason = "name.one_word"
	ReasonNameDigits        Reason = "name.digits"
	ReasonNameSymbols       Reason = "name.symbols"
	ReasonNameScript        Reason = "name.script" // letters of a script other than Latin (Arabic, Hebrew...)
	ReasonUnitNameLength    Reason = "unit.name_length"
	ReasonUnitCode          Reason = "unit.code"
	ReasonUnitCodeTaken     Reason = "unit.code_taken"
	ReasonUnitParent        Reason = "unit.parent"
	ReasonUnitNotFound      Reason = "unit.not_found"
	ReasonMemberNotFound    Reason = "member.not_found"
	ReasonMemberState       Reason = "member.state"
	ReasonAlreadyMember     Reason = "member.already"
	ReasonPhone             Reason = "member.phone"
	ReasonRole              Reason = "member.role"
	ReasonStatus            Reason = "member.status"
	ReasonText              Reason = "text.invalid"
	ReasonIdentityTaken     Reason = "identity.taken"
	ReasonReasonTooLong     Reason = "decision.reason_length"
	ReasonPlatform          Reason = "platform.unknown"
	ReasonLastProvinceAdmin Reason = "role.last_admin"
	ReasonOtherUnit         Reason = "access.other_unit"
	ReasonProvinceOnly      Reason = "access.province_only"
)

// ErrDiskFull is in the chain of an error when the database could not
// grow: the disk is full. Storage returns it (as storage.ErrDiskFull); the
// failed transaction was rolled back whole and succeeds once there is room,
// so the update that met it waits in the inbox: no apology, never set
// aside.
var ErrDiskFull = errors.New("database disk is full")

// ErrInboxBusy is in the chain of an error when a stored update could not
// be taken because another instance is applying it at this moment (on
// PostgreSQL, its row is locked). Nothing was done: the inbox processor
// holds that chat's later updates back and looks again later; it is no
// failure of the update.
var ErrInboxBusy = errors.New("update being applied by another instance")

// Error is a domain error: a code for programs, a reason key for the
// message a user sees, and optional detail for maintainers' logs.
type Error struct {
	Code   string
	Reason Reason
	Detail string
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Reason, e.Detail)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Reason)
}

// Errorf returns a domain error with the given code and reason.
func Errorf(code string, reason Reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// Invalid is shorthand for an EINVALID error with no detail.
func Invalid(reason Reason) *Error { return &Error{Code: EINVALID, Reason: reason} }

// ErrorCode returns the code of a domain error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorReason returns the reason of a domain error in err's chain, or "".
func ErrorReason(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Reasons for dates and periods.
const (
	ReasonDateFormat  Reason = "date.format"
	ReasonDateFuture  Reason = "date.future"
	ReasonDateTooOld  Reason = "date.too_old"
	ReasonMonthFormat Reason = "month.format"
	ReasonDateOrder   Reason = "date.order"
)

// Reasons for activity reports and campaigns.
const (
	ReasonDescriptionEmpty Reason = "activity.description_empty"
	ReasonDescriptionLong  Reason = "activity.description_long"
	ReasonCountNegative    Reason = "activity.count_negative"
	ReasonCountTooLarge    Reason = "activity.count_large"
	ReasonCountFormat      Reason = "activity.count_format"
	ReasonKind             Reason = "activity.kind"
	ReasonKindExists       Reason = "activity.kind_exists"
	ReasonMonthLocked      Reason = "activity.month_locked"
	ReasonActivityNotFound Reason = "activity.not_found"
	ReasonUndoExpired      Reason = "activity.undo_expired"
	ReasonNotYours         Reason = "activity.not_yours"
	ReasonCampaignName     Reason = "campaign.name"
	ReasonCampaignKinds    Reason = "campaign.kinds"
	ReasonAlreadySubmitted Reason = "report.submitted"
	ReasonNotSubmitted     Reason = "report.not_submitted"
)

// Reasons for funds, pledges and payments.
const (
	ReasonFundName          Reason = "fund.name"
	ReasonFundTarget        Reason = "fund.target"
	ReasonFundBank          Reason = "fund.bank"
	ReasonAccountName       Reason = "fund.account_name"
	ReasonFundClosed        Reason = "fund.closed"
	ReasonFundPeriod        Reason = "fund.period"
	ReasonFundNotFound      Reason = "fund.not_found"
	ReasonDueDatePast       Reason = "pledge.due_past"
	ReasonPledgeNotFound    Reason = "pledge.not_found"
	ReasonPledgeWithdrawn   Reason = "pledge.withdrawn"
	ReasonPledgeHasPayments Reason = "pledge.has_payments"
	ReasonPledgeBelowPaid   Reason = "pledge.below_paid"
	ReasonPledgePaidUp      Reason = "pledge.paid_up"
	ReasonPledgeNotYours    Reason = "pledge.not_yours"
	ReasonOwnPledge         Reason = "pledge.own"
	ReasonPaymentTooLarge   Reason = "payment.too_large"
	ReasonPaymentNotFound   Reason = "payment.not_found"
)

// Reasons for announcements.
const (
	ReasonAnnouncementEmpty Reason = "announcement.empty"
	ReasonAnnouncementLong  Reason = "announcement.long"
	ReasonAnnouncementTime  Reason = "announcement.time"
	ReasonAnnouncementUnits Reason = "announcement.units"
	ReasonNoRecipients      Reason = "announcement.no_recipients"
	ReasonNothingToCancel   Reason = "announcement.nothing_to_cancel"
)

// Reasons for linking accounts.
const (
	ReasonLinkCodeWrong   Reason = "link.code_wrong"
	ReasonLinkCodeExpired Reason = "link.code_expired"
	ReasonLinkCodeUsed    Reason = "link.code_used"
	ReasonLinkOtherMember Reason = "link.other_member"
	ReasonLinkTooMany     Reason = "link.too_many"
)
