package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

const flowEventOrg = "eventorg"

// eventOrgStep is a step of /quanlysukien, the organiser's side of an
// event: pick one, then its check-in code, ticking people in, or the
// attendance list.
type eventOrgStep string

const (
	eventOrgPick eventOrgStep = "pick"
	eventOrgMenu eventOrgStep = "menu"
	eventOrgTick eventOrgStep = "tick"
)

func (s eventOrgStep) where() (string, string) { return flowEventOrg, string(s) }

func eventOrgFlow() *flow { return newFlow(stepEventOrg, eventOrgPick, eventOrgMenu, eventOrgTick) }

// eventOrgData is the event being managed.
type eventOrgData struct {
	Event int64 `json:"event,omitempty"`
}

const (
	chOrgEvent = "oe:" // + event id
	chOrgCode  = "code"
	chOrgTick  = "tick"
	chOrgList  = "list"
	chTick     = "ck:" // + member id
	chTickDone = "ckdone"
)

// ticksShown is how many attendees the tick list offers at once; past
// it, the organiser types part of a name.
const ticksShown = 40

// organises reports whether the person writing organises an event: its
// author, or a province admin.
func organises(r *request, e *cd.Event) bool {
	return r.me.IsProvinceAdmin() || r.me.IsActive() && e.CreatedBy == r.me.ID
}

// eventOrgRecheck: the person still organises the event in the flow.
func eventOrgRecheck(r *request) (bool, error) {
	d := flowData[eventOrgData](r)
	if d.Event == 0 {
		return true, nil
	}
	e, err := r.tx.EventByID(d.Event)
	if err != nil {
		return false, err
	}
	return organises(r, e), nil
}

// cmdManageEvents is /quanlysukien [N]: the events the person organised
// (every event, for the province), or event N's menu.
func cmdManageEvents(r *request, args string) error {
	if id, ok := parseRef(args); ok {
		e, err := r.tx.EventByID(id)
		if err != nil {
			return err
		}
		return eventMenu(r, e)
	}
	by := r.me.ID
	if r.me.IsProvinceAdmin() {
		by = 0
	}
	events, err := r.tx.EventsBy(by, eventsShown)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		r.end()
		r.reply(txtNoEventsMade)
		return nil
	}
	cs := make([]cd.Choice, len(events))
	for i, e := range events {
		cs[i] = cd.Choice{ID: chOrgEvent + strconv.FormatInt(e.ID, 10), Label: txtEventLabel(&e, r.b.loc)}
	}
	r.ask(eventOrgPick, cd.Message{Text: txtEventsMineAsk, Choices: cs})
	return nil
}

// eventMenu offers the organiser what to do with an event.
func eventMenu(r *request, e *cd.Event) error {
	if !organises(r, e) {
		return cd.Errorf(cd.EFORBIDDEN, cd.ReasonEventNotForYou, "event %d", e.ID)
	}
	going, err := r.tx.RSVPCount(e.ID, cd.RSVPGoing)
	if err != nil {
		return err
	}
	waiting, err := r.tx.RSVPCount(e.ID, cd.RSVPWaiting)
	if err != nil {
		return err
	}
	r.flow = nil
	startFlow[eventOrgData](r, eventOrgMenu).Event = e.ID
	r.ask(eventOrgMenu, cd.Message{Text: txtEventDetails(e, r.b.loc, going, waiting), Choices: []cd.Choice{
		{ID: chOrgCode, Label: txtOrgCode}, {ID: chOrgTick, Label: txtOrgTick}, {ID: chOrgList, Label: txtOrgList}}})
	return nil
}

func stepEventOrg(r *request, s eventOrgStep, d *eventOrgData, in input) error {
	if s == eventOrgPick {
		id, ok := idAfter(in.Choice, chOrgEvent)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		e, err := r.tx.EventByID(id)
		if err != nil {
			return err
		}
		return eventMenu(r, e)
	}
	e, err := r.tx.EventByID(d.Event)
	if err != nil {
		return err
	}
	if s == eventOrgTick {
		return tickAttendee(r, e, in)
	}
	switch in.Choice {
	case chOrgCode:
		return showCheckInCode(r, e)
	case chOrgTick:
		return askTick(r, e, "")
	case chOrgList:
		as, err := r.tx.Attendees(e.ID)
		if err != nil {
			return err
		}
		r.end()
		r.reply(txtAttendance(e, r.b.loc, as))
		return nil
	}
	r.reply(txtPickOne)
	return nil
}

// showCheckInCode gives the organiser the event's check-in code, with
// the Telegram link that checks in at one tap and its QR code to print.
// The code works from an hour before the start to the end.
func showCheckInCode(r *request, e *cd.Event) error {
	link := r.b.checkInLink(e.CheckInCode)
	msg := cd.Message{Text: txtCheckInCode(e, r.b.loc, link)}
	if link != "" {
		png, err := r.b.renderer().QRPNG(link)
		if err != nil {
			return fmt.Errorf("QR of check-in link of event %d: %w", e.ID, err)
		}
		msg.File = &cd.File{Name: "diem-danh-" + strconv.FormatInt(e.ID, 10) + ".png", MIME: "image/png", Data: png}
	}
	r.end()
	r.replies = append(r.replies, msg)
	return nil
}

// tickChoices lists attendees to tick in, those checked in marked ✅:
// those whose name holds search, at most ticksShown, then «Xong».
func tickChoices(as []cd.Attendee, search string) (cs []cd.Choice, more bool) {
	words := strings.Fields(cd.Fold(search))
	for _, a := range as {
		name := cd.Fold(a.MemberName)
		if !matchAllWords(name, words) {
			continue
		}
		if len(cs) == ticksShown {
			more = true
			break
		}
		cs = append(cs, cd.Choice{ID: chTick + strconv.FormatInt(a.MemberID, 10), Label: txtTickLabel(&a)})
	}
	return append(cs, cd.Choice{ID: chTickDone, Label: txtDone}), more
}

func matchAllWords(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// askTick shows the attendance list to tick people in, during the
// check-in window.
func askTick(r *request, e *cd.Event, search string) error {
	if err := e.CheckInAllowed(r.tx.Now()); err != nil {
		r.end()
		r.reply(txtCheckInWindow(e, r.b.loc, err))
		return nil
	}
	as, err := r.tx.Attendees(e.ID)
	if err != nil {
		return err
	}
	cs, more := tickChoices(as, search)
	if len(cs) == 1 && search == "" {
		r.end()
		r.reply(txtNoAttendees)
		return nil
	}
	r.ask(eventOrgTick, cd.Message{Text: txtTickAsk(more, search != "" && len(cs) == 1), Choices: cs})
	return nil
}

// tickAttendee ticks a member in, or out again. A press on Telegram
// redraws the buttons (Result.Keyboard); a typed number says what it did.
// Typed text that picks no one searches the list by name.
func tickAttendee(r *request, e *cd.Event, in input) error {
	if in.Choice == chTickDone {
		r.end()
		r.reply(txtTickDone)
		return nil
	}
	id, ok := idAfter(in.Choice, chTick)
	if !ok {
		return askTick(r, e, in.Text)
	}
	if err := e.CheckInAllowed(r.tx.Now()); err != nil {
		r.end()
		r.reply(txtCheckInWindow(e, r.b.loc, err))
		return nil
	}
	a, err := r.tx.Attendee(e.ID, id)
	if err != nil {
		return err
	}
	if a == nil {
		r.reply(txtPickOne)
		return nil
	}
	var at time.Time
	var by int64
	if !a.CheckedIn() {
		at, by = r.tx.Now(), r.me.ID
	}
	if err := r.tx.SetCheckIn(e.ID, a.MemberID, at, by); err != nil {
		return err
	}
	if err := r.audit(cd.AuditEventCheckIn, a.MemberID, 0, fmt.Sprintf("event %d checked in %t", e.ID, by != 0)); err != nil {
		return err
	}
	a.CheckedInAt = at
	for i, c := range r.flow.Choices {
		if c.ID == in.Choice {
			r.flow.Choices[i].Label = txtTickLabel(a)
		}
	}
	if r.u.Choice != "" {
		r.keyboard = r.flow.Choices
		return nil
	}
	r.reply(txtTickedOne(a))
	return nil
}
