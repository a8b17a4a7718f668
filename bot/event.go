package bot

import (
	"strconv"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// eventStore keeps events, members' answers to them and their check-ins.
type eventStore interface {
	CreateEvent(e *cd.Event) error
	SetEventRecipients(id int64, n int) error
	EventByID(id int64) (*cd.Event, error)
	EventByCode(code string) (*cd.Event, error)
	UpcomingEvents(now time.Time) ([]cd.Event, error)
	EventsBy(by int64, limit int) ([]cd.Event, error)
	EventsToRemind(now, until time.Time) ([]cd.Event, error)
	EndedEvents(now time.Time) ([]cd.Event, error)
	MarkEventWork(id int64, what string) error
	Attendee(eventID, memberID int64) (*cd.Attendee, error)
	Attendees(eventID int64) ([]cd.Attendee, error)
	SetRSVP(eventID, memberID int64, rsvp cd.RSVP) error
	RSVPCount(eventID int64, rsvp cd.RSVP) (int, error)
	FirstWaiting(eventID int64) (*cd.Attendee, error)
	SetCheckIn(eventID, memberID int64, at time.Time, by int64) error
	SetAttendeeActivity(eventID, memberID, activityID int64) error
}

// Lists in chat: how many events one list offers.
const eventsShown = 10

const flowEvent = "event"

// eventStep is a step of /sukien: pick an event, answer its invitation.
type eventStep string

const (
	eventPick eventStep = "pick"
	eventRSVP eventStep = "rsvp"
)

func (s eventStep) where() (string, string) { return flowEvent, string(s) }

func eventFlow() *flow { return newFlow(stepEvent, eventPick, eventRSVP) }

// eventData is the event whose invitation is being answered.
type eventData struct {
	Event int64 `json:"event,omitempty"`
}

const (
	chEvent      = "ev:" // + event id
	chEventNew   = "evnew"
	chEventMine  = "evmine"
	chGoing      = "rsvp:going"
	chNotGoing   = "rsvp:not"
	chMaybe      = "rsvp:maybe"
	chEventClose = "evclose"
)

// eventRecheck: the event being answered still invites the person.
func eventRecheck(r *request) (bool, error) {
	d := flowData[eventData](r)
	if d.Event == 0 {
		return true, nil
	}
	e, err := r.tx.EventByID(d.Event)
	if err != nil {
		return false, err
	}
	return reaches(r, e.Audience, e.UnitIDs)
}

// cmdEvents is /sukien: with a number, that event; without, the coming
// events the person is invited to and, for chairs and the province,
// making one and the events they organise.
func cmdEvents(r *request, args string) error {
	if id, ok := parseRef(args); ok {
		return showEvent(r, id)
	}
	upcoming, err := r.tx.UpcomingEvents(r.tx.Now())
	if err != nil {
		return err
	}
	var mine []cd.Event
	for _, e := range upcoming {
		ok, err := reaches(r, e.Audience, e.UnitIDs)
		if err != nil {
			return err
		}
		if ok {
			mine = append(mine, e)
		}
	}
	maker := allowed(r.me, permChair)
	if !maker && len(mine) == 1 {
		return showEvent(r, mine[0].ID)
	}
	var cs []cd.Choice
	for i, e := range mine {
		if i == eventsShown {
			break
		}
		cs = append(cs, cd.Choice{ID: chEvent + strconv.FormatInt(e.ID, 10), Label: txtEventLabel(&e, r.b.loc)})
	}
	var extra []cd.Choice
	if maker {
		extra = []cd.Choice{{ID: chEventNew, Label: txtEventNew}, {ID: chEventMine, Label: txtEventsMine}}
	}
	return askMenu(r, eventPick, cs, extra, txtEventMenu, txtNoEventsMaker, txtNoEvents)
}

// showEvent shows an event with the person's answer and the answers to
// choose from (until it starts); to its organiser, the organiser's menu.
func showEvent(r *request, id int64) error {
	e, err := r.tx.EventByID(id)
	if err != nil {
		return err
	}
	invited, err := reaches(r, e.Audience, e.UnitIDs)
	if err != nil {
		return err
	}
	if organises(r, e) && (!invited || e.CreatedBy == r.me.ID) {
		return eventMenu(r, e)
	}
	if !invited {
		return cd.Invalid(cd.ReasonEventNotForYou)
	}
	a, err := r.tx.Attendee(e.ID, r.me.ID)
	if err != nil {
		return err
	}
	text, err := eventDetails(r, e, a)
	if err != nil {
		return err
	}
	if e.Started(r.tx.Now()) {
		r.end()
		r.reply(text)
		return nil
	}
	r.flow = nil
	startFlow[eventData](r, eventRSVP).Event = e.ID
	r.ask(eventRSVP, cd.Message{Text: text + "\n\n" + txtRSVPAsk, Choices: []cd.Choice{
		{ID: chGoing, Label: txtGoing}, {ID: chNotGoing, Label: txtNotGoing}, {ID: chMaybe, Label: txtMaybe}}})
	return nil
}

// eventDetails describes an event, its seats and the person's answer.
func eventDetails(r *request, e *cd.Event, a *cd.Attendee) (string, error) {
	going, err := r.tx.RSVPCount(e.ID, cd.RSVPGoing)
	if err != nil {
		return "", err
	}
	waiting, err := r.tx.RSVPCount(e.ID, cd.RSVPWaiting)
	if err != nil {
		return "", err
	}
	place := 0
	if a != nil && a.RSVP == cd.RSVPWaiting {
		if place, err = waitingPlace(r, e.ID, r.me.ID); err != nil {
			return "", err
		}
	}
	return txtEventDetails(e, r.b.loc, going, waiting) + "\n" + txtMyRSVP(a, place), nil
}

// waitingPlace is a member's place on an event's waiting list (1 first).
func waitingPlace(r *request, eventID, memberID int64) (int, error) {
	as, err := r.tx.Attendees(eventID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range as {
		if a.RSVP == cd.RSVPWaiting {
			n++
			if a.MemberID == memberID {
				return n, nil
			}
		}
	}
	return 0, nil
}

func stepEvent(r *request, s eventStep, d *eventData, in input) error {
	if s == eventPick {
		if id, ok := idAfter(in.Choice, chEvent); ok {
			return showEvent(r, id)
		}
		switch in.Choice {
		case chEventNew, chEventMine:
			if !allowed(r.me, permChair) {
				return r.deny(in.Choice)
			}
			if in.Choice == chEventNew {
				return cmdNewEvent(r, "")
			}
			return cmdManageEvents(r, "")
		}
		r.reply(txtPickOne)
		return nil
	}
	answers := map[string]cd.RSVP{chGoing: cd.RSVPGoing, chNotGoing: cd.RSVPNotGoing, chMaybe: cd.RSVPMaybe}
	rsvp, ok := answers[in.Choice]
	if !ok {
		r.reply(txtPickOne)
		return nil
	}
	return answerEvent(r, d.Event, rsvp)
}

// answerEvent records a member's answer. With a capacity, "going" when
// the seats are taken puts them on the waiting list; a seat given up
// goes to the first on it, who is told.
func answerEvent(r *request, eventID int64, rsvp cd.RSVP) error {
	e, err := r.tx.EventByID(eventID)
	if err != nil {
		return err
	}
	r.end()
	if e.Started(r.tx.Now()) {
		return cd.Invalid(cd.ReasonEventStarted)
	}
	old, err := r.tx.Attendee(e.ID, r.me.ID)
	if err != nil {
		return err
	}
	was := cd.RSVPNone
	if old != nil {
		was = old.RSVP
	}
	if rsvp == cd.RSVPGoing && (was == cd.RSVPGoing || was == cd.RSVPWaiting) {
		r.reply(txtRSVPSame(e, was))
		return nil
	}
	if rsvp == cd.RSVPGoing && e.Capacity > 0 {
		going, err := r.tx.RSVPCount(e.ID, cd.RSVPGoing)
		if err != nil {
			return err
		}
		if going >= e.Capacity {
			rsvp = cd.RSVPWaiting
		}
	}
	if err := r.tx.SetRSVP(e.ID, r.me.ID, rsvp); err != nil {
		return err
	}
	place := 0
	if rsvp == cd.RSVPWaiting {
		if place, err = waitingPlace(r, e.ID, r.me.ID); err != nil {
			return err
		}
	}
	r.reply(txtRSVPSaved(e, r.b.loc, r.tx.Now(), rsvp, place))
	if was == cd.RSVPGoing {
		return promoteWaiting(r, e)
	}
	return nil
}

// promoteWaiting gives the seats free of an event with a capacity to the
// first on its waiting list, and tells them.
func promoteWaiting(r *request, e *cd.Event) error {
	if e.Capacity == 0 {
		return nil
	}
	for {
		going, err := r.tx.RSVPCount(e.ID, cd.RSVPGoing)
		if err != nil || going >= e.Capacity {
			return err
		}
		next, err := r.tx.FirstWaiting(e.ID)
		if err != nil || next == nil {
			return err
		}
		if err := r.tx.SetRSVP(e.ID, next.MemberID, cd.RSVPGoing); err != nil {
			return err
		}
		if err := r.notify(next.MemberID, cd.Message{Text: txtMovedUp(e, r.b.loc)}); err != nil {
			return err
		}
	}
}
