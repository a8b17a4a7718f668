package bot

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

const flowEventNew = "eventnew"

// eventNewStep is a step of /taosukien.
type eventNewStep string

const (
	eventNewName     eventNewStep = "name"
	eventNewStart    eventNewStep = "start"
	eventNewEnd      eventNewStep = "end"
	eventNewPlace    eventNewStep = "place"
	eventNewAudience eventNewStep = "audience"
	eventNewUnits    eventNewStep = "units"
	eventNewCapacity eventNewStep = "capacity"
	eventNewKind     eventNewStep = "kind"
	eventNewCampaign eventNewStep = "campaign"
	eventNewConfirm  eventNewStep = "confirm"
)

func (s eventNewStep) where() (string, string) { return flowEventNew, string(s) }

func eventNewFlow() *flow {
	return newFlow(stepEventNew, eventNewName, eventNewStart, eventNewEnd, eventNewPlace, eventNewAudience, eventNewUnits,
		eventNewCapacity, eventNewKind, eventNewCampaign, eventNewConfirm)
}

// eventNewData is the event /taosukien is making.
type eventNewData struct {
	Name     string      `json:"name,omitempty"`
	Start    time.Time   `json:"start,omitzero"`
	End      time.Time   `json:"end,omitzero"`
	Place    string      `json:"place,omitempty"`
	Audience cd.Audience `json:"audience,omitempty"`
	Units    []int64     `json:"units,omitempty"`
	Capacity int         `json:"capacity,omitempty"`
	Kind     string      `json:"kind,omitempty"`
	Campaign int64       `json:"campaign,omitempty"`
}

const chNoLimit = "nolimit"

// cmdNewEvent is /taosukien: a chair organises for their unit, the
// province for any audience.
func cmdNewEvent(r *request, _ string) error {
	if !r.me.IsProvinceAdmin() {
		if _, err := ownAudience(r); err != nil {
			return err
		}
	}
	r.ask(eventNewName, cd.Message{Text: txtEventAskName})
	return nil
}

func stepEventNew(r *request, s eventNewStep, d *eventNewData, in input) error {
	switch s {
	case eventNewName:
		name, err := cd.ValidateEventName(in.Text)
		if err != nil {
			return err
		}
		d.Name = name
		r.ask(eventNewStart, cd.Message{Text: txtEventAskStart})
	case eventNewStart:
		at, err := parseDateTime(in.Text, r.today(), r.b.cfg.Location)
		if err != nil {
			return cd.Invalid(cd.ReasonEventTime)
		}
		if err := cd.ValidateEventTimes(at, at.Add(time.Minute), r.tx.Now()); err != nil {
			return err
		}
		d.Start = at.UTC()
		r.ask(eventNewEnd, cd.Message{Text: txtEventAskEnd(r.b.loc.datetime(d.Start))})
	case eventNewEnd:
		end, err := readEventEnd(r, d.Start, in.Text)
		if err != nil {
			return err
		}
		d.End = end.UTC()
		r.ask(eventNewPlace, cd.Message{Text: txtEventAskPlace})
	case eventNewPlace:
		place, err := cd.ValidateEventPlace(in.Text)
		if err != nil {
			return err
		}
		d.Place = place
		if !r.me.IsProvinceAdmin() {
			return askCapacity(r)
		}
		r.ask(eventNewAudience, cd.Message{Text: txtEventAskAudience, Choices: audienceChoices()})
	default:
		return stepEventWhat(r, s, d, in)
	}
	return nil
}

// readEventEnd reads the end of an event: a time on the day it starts
// ("11:30", "11h30") or a date and time.
func readEventEnd(r *request, start time.Time, text string) (time.Time, error) {
	loc := r.b.cfg.Location
	if len(strings.Fields(text)) == 1 {
		text = cd.DateOf(start, loc).Display() + " " + text
	}
	end, err := parseDateTime(text, r.today(), loc)
	if err != nil {
		return end, cd.Invalid(cd.ReasonEventEnd)
	}
	return end, cd.ValidateEventTimes(start, end, r.tx.Now())
}

// stepEventWhat asks who is invited, how many may come, and what the
// event counts as.
func stepEventWhat(r *request, s eventNewStep, d *eventNewData, in input) error {
	switch s {
	case eventNewAudience:
		return audienceStep(r, in, &d.Audience, eventNewUnits, askCapacity)
	case eventNewUnits:
		return unitCodesStep(r, in, &d.Units, askCapacity)
	case eventNewCapacity:
		if in.Choice != chNoLimit {
			n, err := parseCount(in.Text, cd.MaxEventCapacity)
			if err != nil || n < 1 {
				return cd.Invalid(cd.ReasonEventCapacity)
			}
			d.Capacity = int(n)
		}
		return askEventKind(r)
	case eventNewKind:
		code, ok := strings.CutPrefix(in.Choice, chKind)
		if !ok {
			r.reply(txtPickOne)
			return nil
		}
		if _, err := r.tx.ActivityKind(code); err != nil {
			return err
		}
		d.Kind = code
		return askEventCampaign(r, d)
	case eventNewCampaign:
		if id, ok := idAfter(in.Choice, chCamp); ok {
			d.Campaign = id
		} else if in.Choice != chNoCamp {
			r.reply(txtPickOne)
			return nil
		}
		return previewEvent(r, d)
	case eventNewConfirm:
		return yesNo(r, in, func(r *request) error { return createEvent(r, d) })
	}
	return nil
}

func askCapacity(r *request) error {
	r.ask(eventNewCapacity, cd.Message{Text: txtEventAskCapacity, Choices: []cd.Choice{{ID: chNoLimit, Label: txtNoLimit}}})
	return nil
}

func askEventKind(r *request) error {
	kinds, err := r.tx.ActivityKinds(true)
	if err != nil {
		return err
	}
	r.ask(eventNewKind, cd.Message{Text: txtEventAskKind, Choices: kindChoices(kinds)})
	return nil
}

// askEventCampaign offers the campaigns running on the event's day that
// its kind counts for; with none, it goes on to the preview.
func askEventCampaign(r *request, d *eventNewData) error {
	choices, err := campaignChoices(r, cd.DateOf(d.Start, r.b.cfg.Location), d.Kind)
	if err != nil {
		return err
	}
	if choices == nil {
		d.Campaign = 0
		return previewEvent(r, d)
	}
	r.ask(eventNewCampaign, cd.Message{Text: txtEventAskCampaign, Choices: choices})
	return nil
}

// eventDraft builds the event the flow has gathered; a chair's invites
// their own unit.
func eventDraft(r *request, d *eventNewData) (*cd.Event, error) {
	e := &cd.Event{Name: d.Name, Place: d.Place, Start: d.Start, End: d.End, Audience: d.Audience, UnitIDs: d.Units,
		Capacity: d.Capacity, Kind: d.Kind, CampaignID: d.Campaign, CreatedBy: r.me.ID}
	if !r.me.IsProvinceAdmin() {
		units, err := ownAudience(r)
		if err != nil {
			return nil, err
		}
		e.Audience, e.UnitIDs = cd.AudienceUnits, units
	}
	k, err := r.tx.ActivityKind(e.Kind)
	if err != nil {
		return nil, err
	}
	e.KindName = k.Name
	if e.CampaignID != 0 {
		c, err := r.tx.CampaignByID(e.CampaignID)
		if err != nil {
			return nil, err
		}
		e.CampaignName = c.Name
	}
	return e, e.Validate(r.tx.Now())
}

func previewEvent(r *request, d *eventNewData) error {
	e, err := eventDraft(r, d)
	if err != nil {
		return err
	}
	recipients, err := r.tx.Recipients(e.Audience, e.UnitIDs, r.me.ID)
	if err != nil {
		return err
	}
	who, err := audienceText(r, e.Audience, e.UnitIDs)
	if err != nil {
		return err
	}
	r.ask(eventNewConfirm, cd.Message{Text: txtEventPreview(e, r.b.loc, who, len(recipients)), Choices: []cd.Choice{
		{ID: chYes, Label: txtEventSendOut}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// checkInCodeDigits is the length of a check-in code.
const checkInCodeDigits = 6

// newCheckInCode draws a random check-in code.
func newCheckInCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(900_000))
	if err != nil {
		return "", fmt.Errorf("check-in code: %w", err)
	}
	return strconv.FormatInt(n.Int64()+100_000, 10), nil
}

// createEvent stores the event with a check-in code no other event has,
// and invites its audience.
func createEvent(r *request, d *eventNewData) error {
	e, err := eventDraft(r, d)
	if err != nil {
		return err
	}
	for try := 0; ; try++ {
		if e.CheckInCode, err = newCheckInCode(); err != nil {
			return err
		}
		err = r.tx.CreateEvent(e)
		if cd.ErrorReason(err) != cd.ReasonCheckInCode || try == 10 {
			break
		}
	}
	if err != nil {
		return err
	}
	from, err := r.b.inviter(r.tx, r.me.ID)
	if err != nil {
		return err
	}
	n, err := r.b.queueInvitations(r.tx, e.Audience, e.UnitIDs, r.me.ID, fmt.Sprintf("evt:%d:inv", e.ID),
		cd.Message{Text: txtEventInvitation(from, e, r.b.loc)})
	if err != nil {
		return err
	}
	if err := r.tx.SetEventRecipients(e.ID, n); err != nil {
		return err
	}
	if err := r.audit(cd.AuditEventCreate, 0, 0, fmt.Sprintf("event %d to %s, %d invited, capacity %d, kind %s, campaign %d",
		e.ID, e.Audience, n, e.Capacity, e.Kind, e.CampaignID)); err != nil {
		return err
	}
	r.end()
	r.reply(txtEventCreated(e, r.b.loc, n))
	r.wakeAll = true
	return nil
}
