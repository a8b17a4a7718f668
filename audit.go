package congdoanbot

import "time"

// Actions recorded in the audit log.
const (
	AuditRegister       = "member.register"
	AuditApprove        = "member.approve"
	AuditReject         = "member.reject"
	AuditRoleChange     = "member.role"
	AuditDeleteData     = "member.delete_data"
	AuditAdminBootstrap = "member.admin_from_config"
	AuditUnitCreate     = "unit.create"
	AuditDenied         = "permission.denied"
)

// AuditEntry records who did what to whom, and when.
type AuditEntry struct {
	ID           int64
	At           time.Time
	ActorID      int64  // member who acted; 0 for the system or a stranger
	ActorKey     string // platform:user_id of the actor, for strangers too
	Action       string
	TargetMember int64
	TargetUnit   int64
	Detail       string
}

// Actions on activity reports, campaigns and monthly reports.
const (
	AuditActivityCreate = "activity.create"
	AuditActivityUpdate = "activity.update"
	AuditActivityUndo   = "activity.undo"
	AuditCampaignCreate = "campaign.create"
	AuditReportSubmit   = "report.submit"
	AuditReportUnlock   = "report.unlock"
	AuditKindChange     = "activity_kind.change"
)

// Actions on funds, pledges and payments.
const (
	AuditFundCreate     = "fund.create"
	AuditFundUpdate     = "fund.update"
	AuditFundClose      = "fund.close"
	AuditFundReopen     = "fund.reopen"
	AuditPledgeCreate   = "pledge.create"
	AuditPledgeChange   = "pledge.change_amount"
	AuditPledgeWithdraw = "pledge.withdraw"
	AuditPaymentRecord  = "payment.record"
	AuditPaymentCorrect = "payment.correct"
	AuditPaymentCancel  = "payment.cancel"
)

// Actions on announcements.
const AuditAnnouncement = "announcement"

// AuditLink records an account linked to a member.
const AuditLink = "member.link_account"
