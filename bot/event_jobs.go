package bot

import (
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// remindAhead is how far ahead the events' work looks for reminders: the
// one of the day before goes at most 40 hours before the start.
const remindAhead = 48 * time.Hour

// QueueEventWork does the events' scheduled work due by now (the time the
// scheduler runs as); the scheduler calls it every minute. Each piece is done once per
// event, and the database says which are done, so a run missed while the
// bot was down is caught up and a second run does nothing:
//   - those going get a reminder at 08:00 the day before and two hours
//     before the start (one made too late, or for an event created after
//     its time, is skipped: the next one or the invitation says it all);
//   - after the end, each member checked in gets one activity of the
//     event's kind, dated its day, in their unit and its campaign, and
//     the organiser gets the attendance list.
//
// It returns the messages queued.
func (b *Bot) QueueEventWork(tx Tx, now time.Time) (int, error) {
	loc := b.cfg.Location
	due, err := tx.EventsToRemind(now, now.Add(remindAhead))
	if err != nil {
		return 0, err
	}
	queued := 0
	for i := range due {
		e := &due[i]
		steps := []struct {
			what  string
			done  time.Time
			at    time.Time
			until time.Time // sent only before this
			text  string
		}{
			{"day", e.RemindedDayAt, e.DayBeforeAt(loc), e.SoonAt(), txtEventReminderDay(e, b.loc)},
			{"soon", e.RemindedSoonAt, e.SoonAt(), e.Start, txtEventReminderSoon(e, b.loc)},
		}
		for _, s := range steps {
			if !s.done.IsZero() || now.Before(s.at) {
				continue
			}
			if now.Before(s.until) && e.CreatedAt.Before(s.at) {
				n, err := remindGoing(tx, e, s.what, s.text)
				if err != nil {
					return queued, err
				}
				queued += n
			}
			if err := tx.MarkEventWork(e.ID, s.what); err != nil {
				return queued, err
			}
		}
	}
	ended, err := tx.EndedEvents(now)
	if err != nil {
		return queued, err
	}
	for i := range ended {
		n, err := b.creditEvent(tx, &ended[i])
		if err != nil {
			return queued, err
		}
		queued += n
	}
	return queued, nil
}

// remindGoing reminds those going to an event.
func remindGoing(tx Tx, e *cd.Event, what, text string) (int, error) {
	as, err := tx.Attendees(e.ID)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, a := range as {
		if a.RSVP != cd.RSVPGoing {
			continue
		}
		ok, err := queueTo(tx, a.MemberID, fmt.Sprintf("evt:%d:rem-%s:%d", e.ID, what, a.MemberID), cd.Message{Text: text})
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}

// creditEvent gives each member checked in at an ended event its
// activity, once (the attendee row keeps the activity, and the event is
// marked credited in the same transaction), and sends the organiser the
// attendance list.
func (b *Bot) creditEvent(tx Tx, e *cd.Event) (int, error) {
	as, err := tx.Attendees(e.ID)
	if err != nil {
		return 0, err
	}
	day := e.Day(b.cfg.Location)
	credited := 0
	for _, a := range as {
		if !a.CheckedIn() || a.ActivityID != 0 {
			continue
		}
		m, err := tx.MemberByID(a.MemberID)
		if err != nil {
			return 0, err
		}
		if !m.IsActive() {
			continue // left, or erased their data, since
		}
		u, err := grassrootsIn(tx, m.UnitID)
		if err != nil {
			return 0, err
		}
		act := &cd.Activity{UnitID: u.ID, MemberID: m.ID, Kind: e.Kind, Date: day, Description: txtEventActivity(e),
			CampaignID: e.CampaignID, EnteredBy: e.CreatedBy}
		if err := tx.CreateActivity(act); err != nil {
			return 0, err
		}
		if err := tx.SetAttendeeActivity(e.ID, m.ID, act.ID); err != nil {
			return 0, err
		}
		credited++
	}
	if err := tx.MarkEventWork(e.ID, "credited"); err != nil {
		return 0, err
	}
	ok, err := queueTo(tx, e.CreatedBy, fmt.Sprintf("evt:%d:report", e.ID),
		cd.Message{Text: txtEventEndedReport(e, credited) + "\n\n" + txtAttendance(e, b.loc, as)})
	if err != nil || !ok {
		return 0, err
	}
	return 1, nil
}

// grassrootsIn is the grassroots union a unit's activities count for.
func grassrootsIn(tx Tx, unitID int64) (*cd.Unit, error) {
	u, err := tx.UnitByID(unitID)
	if err != nil || u.Kind != cd.UnitSub {
		return u, err
	}
	return tx.UnitByID(u.ParentID)
}
