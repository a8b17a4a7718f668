package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

const eventColumns = `e.id, e.name, e.place, e.start_at, e.end_at, e.audience, e.unit_ids, e.capacity, e.kind,
	COALESCE(e.campaign_id, 0), COALESCE(e.created_by, 0), e.checkin_code, e.recipients, e.created_at,
	e.reminded_day_at, e.reminded_soon_at, e.credited_at, k.name, COALESCE(c.name, ''), COALESCE(m.full_name, '')`

const eventFrom = ` FROM events e
	JOIN activity_kinds k ON k.code = e.kind
	LEFT JOIN campaigns c ON c.id = e.campaign_id
	LEFT JOIN members m ON m.id = e.created_by `

func scanEvent(sc interface{ Scan(...any) error }) (*cd.Event, error) {
	var e cd.Event
	var units string
	var start, end, created, day, soon, credited sql.NullString
	if err := sc.Scan(&e.ID, &e.Name, &e.Place, &start, &end, &e.Audience, &units, &e.Capacity, &e.Kind,
		&e.CampaignID, &e.CreatedBy, &e.CheckInCode, &e.Recipients, &created, &day, &soon, &credited,
		&e.KindName, &e.CampaignName, &e.CreatorName); err != nil {
		return nil, err
	}
	e.UnitIDs = parseIDList(units)
	e.Start, e.End, e.CreatedAt = parseTime(start), parseTime(end), parseTime(created)
	e.RemindedDayAt, e.RemindedSoonAt, e.CreditedAt = parseTime(day), parseTime(soon), parseTime(credited)
	return &e, nil
}

func queryEvents(ctx context.Context, q querier, where string, args ...any) ([]cd.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+eventFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	defer rows.Close()
	var out []cd.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

func eventByID(ctx context.Context, q querier, id int64) (*cd.Event, error) {
	es, err := queryEvents(ctx, q, `WHERE e.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonEventNotFound, "event %d", id)
	}
	return &es[0], nil
}

// CreateEvent stores an event, setting its ID. A check-in code another
// event has is ECONFLICT (ReasonCheckInCode): the caller draws another.
func (tx *Tx) CreateEvent(e *cd.Event) error {
	e.CreatedAt = tx.now
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO events (name, place, start_at, end_at, audience, unit_ids, capacity,
		kind, campaign_id, created_by, checkin_code, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Name, e.Place, fmtTime(e.Start), fmtTime(e.End), e.Audience, idList(e.UnitIDs), e.Capacity, e.Kind,
		nullInt(e.CampaignID), nullInt(e.CreatedBy), e.CheckInCode, e.Recipients, fmtTime(e.CreatedAt))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return cd.Errorf(cd.ECONFLICT, cd.ReasonCheckInCode, "check-in code taken")
		}
		return fmt.Errorf("insert event: %w", err)
	}
	e.ID, err = res.LastInsertId()
	return err
}

// SetEventRecipients records how many members the invitation went to.
func (tx *Tx) SetEventRecipients(id int64, n int) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE events SET recipients = ? WHERE id = ?`, n, id); err != nil {
		return fmt.Errorf("event %d recipients: %w", id, err)
	}
	return nil
}

// EventByID returns an event, or ENOTFOUND.
func (tx *Tx) EventByID(id int64) (*cd.Event, error) { return eventByID(tx.ctx, tx.tx, id) }

// EventByCode returns the event with a check-in code, or ENOTFOUND
// (ReasonCheckInCode).
func (tx *Tx) EventByCode(code string) (*cd.Event, error) {
	es, err := queryEvents(tx.ctx, tx.tx, `WHERE e.checkin_code = ?`, code)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonCheckInCode, "no event with that code")
	}
	return &es[0], nil
}

// UpcomingEvents lists the events not yet over at now, the soonest first.
func (tx *Tx) UpcomingEvents(now time.Time) ([]cd.Event, error) {
	return queryEvents(tx.ctx, tx.tx, `WHERE e.end_at > ? ORDER BY e.start_at, e.id`, fmtTime(now))
}

// EventsBy lists the newest events a member organised, or everyone's when
// by is 0.
func (tx *Tx) EventsBy(by int64, limit int) ([]cd.Event, error) {
	return queryEvents(tx.ctx, tx.tx, `WHERE ? = 0 OR e.created_by = ? ORDER BY e.start_at DESC, e.id DESC LIMIT ?`, by, by, limit)
}

// EventsToRemind lists the events starting before until (and not over)
// that still have a reminder to do or to skip.
func (tx *Tx) EventsToRemind(now, until time.Time) ([]cd.Event, error) {
	return queryEvents(tx.ctx, tx.tx, `WHERE (e.reminded_day_at IS NULL OR e.reminded_soon_at IS NULL)
		AND e.start_at <= ? AND e.end_at > ? ORDER BY e.start_at, e.id`, fmtTime(until), fmtTime(now))
}

// EndedEvents lists the events over at now whose activities were not
// credited yet.
func (tx *Tx) EndedEvents(now time.Time) ([]cd.Event, error) {
	return queryEvents(tx.ctx, tx.tx, `WHERE e.credited_at IS NULL AND e.end_at <= ? ORDER BY e.end_at, e.id`, fmtTime(now))
}

// MarkEventWork records that a piece of an event's scheduled work was
// done: "day" (the reminder the day before), "soon" (two hours before) or
// "credited".
func (tx *Tx) MarkEventWork(id int64, what string) error {
	col := map[string]string{"day": "reminded_day_at", "soon": "reminded_soon_at", "credited": "credited_at"}[what]
	if col == "" {
		return fmt.Errorf("event %d: unknown work %q", id, what)
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE events SET `+col+` = ? WHERE id = ? AND `+col+` IS NULL`, fmtTime(tx.now), id)
	if err != nil {
		return fmt.Errorf("event %d %s: %w", id, what, err)
	}
	return nil
}

const attendeeColumns = `r.event_id, r.member_id, m.full_name, m.unit_id, u.code, r.rsvp, COALESCE(r.wait_seq, 0), r.updated_at,
	r.checked_in_at, COALESCE(r.checked_in_by, 0), COALESCE(r.activity_id, 0)`

const attendeeFrom = ` FROM event_rsvps r JOIN members m ON m.id = r.member_id JOIN units u ON u.id = m.unit_id `

func queryAttendees(ctx context.Context, q querier, where string, args ...any) ([]cd.Attendee, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+attendeeColumns+attendeeFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query attendees: %w", err)
	}
	defer rows.Close()
	var out []cd.Attendee
	for rows.Next() {
		var a cd.Attendee
		var updated, checked sql.NullString
		if err := rows.Scan(&a.EventID, &a.MemberID, &a.MemberName, &a.UnitID, &a.UnitCode, &a.RSVP, &a.WaitSeq, &updated,
			&checked, &a.CheckedInBy, &a.ActivityID); err != nil {
			return nil, fmt.Errorf("scan attendee: %w", err)
		}
		a.UpdatedAt, a.CheckedInAt = parseTime(updated), parseTime(checked)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attendee returns a member's answer and check-in for an event, or nil.
func (tx *Tx) Attendee(eventID, memberID int64) (*cd.Attendee, error) {
	as, err := queryAttendees(tx.ctx, tx.tx, `WHERE r.event_id = ? AND r.member_id = ?`, eventID, memberID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &as[0], nil
}

// Attendees lists everyone who answered or checked in: going first, then
// the waiting list in order, maybe, not going, and those who only checked
// in; by name within each.
func (tx *Tx) Attendees(eventID int64) ([]cd.Attendee, error) {
	return attendees(tx.ctx, tx.tx, eventID)
}

func attendees(ctx context.Context, q querier, eventID int64) ([]cd.Attendee, error) {
	as, err := queryAttendees(ctx, q, `WHERE r.event_id = ? ORDER BY CASE r.rsvp WHEN 'going' THEN 0 WHEN 'waiting' THEN 1
		WHEN 'maybe' THEN 2 WHEN 'not' THEN 3 ELSE 4 END, COALESCE(r.wait_seq, 0), r.member_id`, eventID)
	if err != nil {
		return nil, err
	}
	sortAttendees(as)
	return as, nil
}

// SetRSVP stores a member's answer. Joining the waiting list puts them at
// its end; any other answer takes them off it.
func (tx *Tx) SetRSVP(eventID, memberID int64, rsvp cd.RSVP) error {
	var seq any
	if rsvp == cd.RSVPWaiting {
		var next int64
		err := tx.tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(wait_seq), 0) + 1 FROM event_rsvps WHERE event_id = ?`, eventID).Scan(&next)
		if err != nil {
			return fmt.Errorf("waiting list of event %d: %w", eventID, err)
		}
		seq = next
	}
	_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO event_rsvps (event_id, member_id, rsvp, wait_seq, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (event_id, member_id) DO UPDATE SET rsvp = excluded.rsvp, wait_seq = excluded.wait_seq, updated_at = excluded.updated_at`,
		eventID, memberID, rsvp, seq, fmtTime(tx.now))
	if err != nil {
		return fmt.Errorf("answer of member %d to event %d: %w", memberID, eventID, err)
	}
	return nil
}

// RSVPCount is how many members gave an answer to an event.
func (tx *Tx) RSVPCount(eventID int64, rsvp cd.RSVP) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM event_rsvps WHERE event_id = ? AND rsvp = ?`, eventID, rsvp).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count answers to event %d: %w", eventID, err)
	}
	return n, nil
}

// FirstWaiting is the member at the head of an event's waiting list, or
// nil.
func (tx *Tx) FirstWaiting(eventID int64) (*cd.Attendee, error) {
	as, err := queryAttendees(tx.ctx, tx.tx, `WHERE r.event_id = ? AND r.rsvp = 'waiting' ORDER BY r.wait_seq LIMIT 1`, eventID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return &as[0], nil
}

// SetCheckIn checks a member in at an event (by is the organiser who
// ticked them, or 0), or, with a zero time, takes the check-in back. A
// member who had not answered gets a row with no answer.
func (tx *Tx) SetCheckIn(eventID, memberID int64, at time.Time, by int64) error {
	_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO event_rsvps (event_id, member_id, rsvp, updated_at, checked_in_at, checked_in_by)
		VALUES (?, ?, '', ?, ?, ?) ON CONFLICT (event_id, member_id) DO UPDATE SET checked_in_at = excluded.checked_in_at,
		checked_in_by = excluded.checked_in_by`, eventID, memberID, fmtTime(tx.now), nullTime(at), nullInt(by))
	if err != nil {
		return fmt.Errorf("check member %d in at event %d: %w", memberID, eventID, err)
	}
	return nil
}

// SetAttendeeActivity records the activity credited to a member for an
// event; a member credited already is ECONFLICT, so that no one is
// credited twice.
func (tx *Tx) SetAttendeeActivity(eventID, memberID, activityID int64) error {
	res, err := tx.tx.ExecContext(tx.ctx, `UPDATE event_rsvps SET activity_id = ? WHERE event_id = ? AND member_id = ?
		AND activity_id IS NULL`, activityID, eventID, memberID)
	if err != nil {
		return fmt.Errorf("credit member %d for event %d: %w", memberID, eventID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonEventEnded, "member %d credited for event %d already", memberID, eventID)
	}
	return nil
}

// EventWithAttendees reads an event and its attendees in one snapshot,
// for the export.
func (db *DB) EventWithAttendees(ctx context.Context, id int64) (*cd.Event, []cd.Attendee, error) {
	var e *cd.Event
	var as []cd.Attendee
	err := db.view(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = eventByID(ctx, tx, id); err != nil {
			return err
		}
		as, err = attendees(ctx, tx, id)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonEventNotFound, "event %d", id)
	}
	return e, as, err
}

// rsvpOrder is the place of an answer in the attendance list.
var rsvpOrder = map[cd.RSVP]int{cd.RSVPGoing: 0, cd.RSVPWaiting: 1, cd.RSVPMaybe: 2, cd.RSVPNotGoing: 3, cd.RSVPNone: 4}

// sortAttendees orders the attendance list by answer, then the waiting
// list by place and everyone else by name, as Vietnamese lists are.
func sortAttendees(as []cd.Attendee) {
	slices.SortStableFunc(as, func(a, b cd.Attendee) int {
		if c := cmp.Compare(rsvpOrder[a.RSVP], rsvpOrder[b.RSVP]); c != 0 {
			return c
		}
		if a.RSVP == cd.RSVPWaiting {
			return cmp.Compare(a.WaitSeq, b.WaitSeq)
		}
		return cd.CompareNames(a.MemberName, b.MemberName)
	})
}
