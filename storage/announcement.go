package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

const announcementColumns = `id, COALESCE(created_by, 0), report_platform, report_chat, text, photo, audience, unit_ids,
	send_at, status, recipients, created_at, queued_at, progress_at, finished_at, queued_upto_member_id`

func scanAnnouncement(sc interface{ Scan(...any) error }) (*cd.Announcement, error) {
	var a cd.Announcement
	var units string
	var sendAt, created, queued, progress, finished sql.NullString
	if err := sc.Scan(&a.ID, &a.CreatedBy, &a.ReportTo.Platform, &a.ReportTo.ChatID, &a.Text, &a.Photo, &a.Audience, &units,
		&sendAt, &a.Status, &a.Recipients, &created, &queued, &progress, &finished, &a.QueuedUpto); err != nil {
		return nil, err
	}
	if a.Status == cd.AnnouncementSending && !queued.Valid {
		a.Status = cd.AnnouncementQueueing // stored as 'sending' without queued_at (0008)
	}
	for _, f := range strings.Split(units, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			a.UnitIDs = append(a.UnitIDs, n)
		}
	}
	a.SendAt, a.CreatedAt, a.QueuedAt = parseTime(sendAt), parseTime(created), parseTime(queued)
	a.ProgressAt, a.FinishedAt = parseTime(progress), parseTime(finished)
	return &a, nil
}

func (tx *Tx) announcements(where string, args ...any) ([]cd.Announcement, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT `+announcementColumns+` FROM announcements `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query announcements: %w", err)
	}
	defer rows.Close()
	var out []cd.Announcement
	for rows.Next() {
		a, err := scanAnnouncement(rows)
		if err != nil {
			return nil, fmt.Errorf("scan announcement: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// CreateAnnouncement stores an announcement, setting its ID.
func (tx *Tx) CreateAnnouncement(a *cd.Announcement) error {
	units := make([]string, len(a.UnitIDs))
	for i, u := range a.UnitIDs {
		units[i] = strconv.FormatInt(u, 10)
	}
	a.CreatedAt = tx.now
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO announcements (created_by, report_platform, report_chat, text, photo,
		audience, unit_ids, send_at, status, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullInt(a.CreatedBy), a.ReportTo.Platform, a.ReportTo.ChatID, a.Text, a.Photo, a.Audience, strings.Join(units, ","),
		fmtTime(a.SendAt), storedStatus(a), a.Recipients, fmtTime(a.CreatedAt)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert announcement: %w", err)
	}
	return nil
}

// AnnouncementByID returns an announcement, or ENOTFOUND.
func (tx *Tx) AnnouncementByID(id int64) (*cd.Announcement, error) {
	as, err := tx.announcements(`WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonNothingToCancel, "announcement %d", id)
	}
	return &as[0], nil
}

// AnnouncementsByStatus lists announcements in a status, oldest first;
// for AnnouncementScheduled only those due at or before now.
func (tx *Tx) AnnouncementsByStatus(status cd.AnnouncementStatus, now time.Time) ([]cd.Announcement, error) {
	switch status {
	case cd.AnnouncementScheduled:
		return tx.announcements(`WHERE status = ? AND send_at <= ? ORDER BY send_at, id`, status, fmtTime(now))
	case cd.AnnouncementQueueing:
		return tx.announcements(`WHERE status = 'sending' AND queued_at IS NULL ORDER BY id`)
	case cd.AnnouncementSending:
		return tx.announcements(`WHERE status = 'sending' AND queued_at IS NOT NULL ORDER BY id`)
	}
	return tx.announcements(`WHERE status = ? ORDER BY id`, status)
}

// LatestOpenAnnouncement is the newest announcement by a member that is
// scheduled or still sending, or nil.
func (tx *Tx) LatestOpenAnnouncement(by int64) (*cd.Announcement, error) {
	as, err := tx.announcements(`WHERE created_by = ? AND status IN ('scheduled', 'sending') ORDER BY id DESC LIMIT 1`, by)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &as[0], nil
}

// UpdateAnnouncement saves an announcement's status, recipients, queueing
// cursor and times.
func (tx *Tx) UpdateAnnouncement(a *cd.Announcement) error {
	queued := nullTime(a.QueuedAt)
	switch {
	case a.Status == cd.AnnouncementQueueing:
		queued = nil
	case queued == nil && a.Status == cd.AnnouncementSending:
		queued = fmtTime(tx.now) // else it would read back as queueing
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE announcements SET status = ?, recipients = ?, queued_at = ?, progress_at = ?,
		finished_at = ?, queued_upto_member_id = ? WHERE id = ?`, storedStatus(a), a.Recipients, queued, nullTime(a.ProgressAt),
		nullTime(a.FinishedAt), a.QueuedUpto, a.ID)
	if err != nil {
		return fmt.Errorf("update announcement %d: %w", a.ID, err)
	}
	return nil
}

// storedStatus is the status column's value: "queueing" is stored as
// 'sending' with queued_at NULL.
func storedStatus(a *cd.Announcement) cd.AnnouncementStatus {
	if a.Status == cd.AnnouncementQueueing {
		return cd.AnnouncementSending
	}
	return a.Status
}

// AnnouncementProgress counts an announcement's messages by status, from
// an index (Delivered: sent, Pending, Failed, Cancelled; messages, not
// recipients): how far a delivery is, cheaply enough to ask every minute.
func (tx *Tx) AnnouncementProgress(id int64) (*cd.Delivery, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT status, COUNT(*) FROM outbox WHERE announcement_id = ? GROUP BY status`, id)
	if err != nil {
		return nil, fmt.Errorf("progress of announcement %d: %w", id, err)
	}
	defer rows.Close()
	var d cd.Delivery
	for rows.Next() {
		var status cd.OutboxStatus
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, fmt.Errorf("progress of announcement %d: %w", id, err)
		}
		switch status {
		case cd.OutboxSent:
			d.Delivered = n
		case cd.OutboxPending:
			d.Pending = n
		case cd.OutboxCancelled:
			d.Cancelled = n
		default:
			d.Failed += n
		}
	}
	return &d, rows.Err()
}

// CancelAnnouncementMessages cancels the messages of an announcement not
// yet sent and returns how many.
func (tx *Tx) CancelAnnouncementMessages(id int64) (int, error) {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE outbox SET status = 'cancelled' WHERE announcement_id = ? AND status = 'pending'`, id)
	if err != nil {
		return 0, fmt.Errorf("cancel messages of announcement %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// AnnouncementDelivery counts, recipient by recipient, what became of an
// announcement: delivered if any of their messages was sent, else pending,
// cancelled, unreachable (every platform refused them), offline (only on
// platforms not running), or failed. The recipients delivered are counted
// from an index; only the others are read row by row.
func (tx *Tx) AnnouncementDelivery(id int64) (*cd.Delivery, error) {
	var d cd.Delivery
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(DISTINCT member_id) FROM outbox
		WHERE announcement_id = ? AND status = 'sent'`, id).Scan(&d.Delivered); err != nil {
		return nil, fmt.Errorf("delivery of announcement %d: %w", id, err)
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT o.member_id, MAX(CASE WHEN o.status = 'pending' THEN 1 ELSE 0 END),
			MAX(CASE WHEN o.status = 'cancelled' THEN 1 ELSE 0 END), MIN(o.unreachable),
			MAX(CASE WHEN o.last_error = ? THEN 1 ELSE 0 END)
		FROM outbox o WHERE o.announcement_id = ? AND o.status <> 'sent' AND NOT EXISTS (SELECT 1 FROM outbox s
			WHERE s.announcement_id = o.announcement_id AND s.status = 'sent' AND s.member_id = o.member_id)
		GROUP BY o.member_id`, reasonPlatformOff, id)
	if err != nil {
		return nil, fmt.Errorf("delivery of announcement %d: %w", id, err)
	}
	var missed []int64
	for rows.Next() {
		var member int64
		var pending, cancelled, unreachable, offline bool
		if err := rows.Scan(&member, &pending, &cancelled, &unreachable, &offline); err != nil {
			rows.Close()
			return nil, fmt.Errorf("delivery of announcement %d: %w", id, err)
		}
		switch {
		case pending:
			d.Pending++
		case cancelled:
			d.Cancelled++
		case unreachable:
			d.Unreachable++
			missed = append(missed, member)
		case offline:
			d.Offline++
			missed = append(missed, member)
		default:
			d.Failed++
			missed = append(missed, member)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range missed {
		m, err := tx.MemberByID(id)
		if errors.Is(err, sql.ErrNoRows) || cd.ErrorCode(err) == cd.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		d.Missed = append(d.Missed, *m)
	}
	return &d, nil
}

// Recipients lists the active members an audience reaches, with their
// units, except the member except; members without a chat account are
// left out.
func (tx *Tx) Recipients(aud cd.Audience, unitIDs []int64, except int64) ([]cd.Member, error) {
	where, args, err := recipientsWhere(aud, unitIDs, except)
	if err != nil || where == "" {
		return nil, err
	}
	return queryMembers(tx.ctx, tx.tx, where+` ORDER BY m.id`, args...)
}

// recipientsWhere is the WHERE clause, over members m, of the members an
// audience reaches; "" when it reaches nobody.
func recipientsWhere(aud cd.Audience, unitIDs []int64, except int64) (string, []any, error) {
	where := `WHERE m.status = 'active' AND m.id <> ? AND EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id)`
	args := []any{except}
	switch aud {
	case cd.AudienceAll:
	case cd.AudienceChairs:
		where += ` AND m.role IN ('chair', 'deputy')`
	case cd.AudienceUnits:
		if len(unitIDs) == 0 {
			return "", nil, nil
		}
		in := "?" + strings.Repeat(", ?", len(unitIDs)-1)
		where += ` AND (m.unit_id IN (` + in + `) OR m.unit_id IN (SELECT id FROM units WHERE parent_id IN (` + in + `)))`
		for range 2 {
			for _, u := range unitIDs {
				args = append(args, u)
			}
		}
	default:
		return "", nil, fmt.Errorf("unknown audience %q", aud)
	}
	return where, args, nil
}
