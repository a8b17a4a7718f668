package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// announcementStore keeps announcements, who receives them and how
// their delivery goes.
type announcementStore interface {
	CreateAnnouncement(a *cd.Announcement) error
	AnnouncementByID(id int64) (*cd.Announcement, error)
	AnnouncementsByStatus(status cd.AnnouncementStatus, now time.Time) ([]cd.Announcement, error)
	LatestOpenAnnouncement(by int64) (*cd.Announcement, error)
	UpdateAnnouncement(a *cd.Announcement) error
	CancelAnnouncementMessages(id int64) (int, error)
	AnnouncementDelivery(id int64) (*cd.Delivery, error)
	AnnouncementProgress(id int64) (*cd.Delivery, error)
	Recipients(aud cd.Audience, unitIDs []int64, except int64) ([]cd.Member, error)
	CountRecipients(aud cd.Audience, unitIDs []int64, except int64) (int, error)
	EnqueueAnnouncementChunk(a *cd.Announcement, msg cd.Message, limit int, prefer []cd.Platform) (int, int64, bool, error)
	RerouteOffline(announcementID int64, running []cd.Platform) (int, int, error)
}

const flowAnnounce = "announce"

// announceStep is a step of /thongbao.
type announceStep string

const (
	announceText     announceStep = "text"
	announceAudience announceStep = "audience"
	announceUnits    announceStep = "units"
	announceWhen     announceStep = "when"
	announceAt       announceStep = "at"
	announceConfirm  announceStep = "confirm"
)

func (s announceStep) where() (string, string) { return flowAnnounce, string(s) }

func announceFlow() *flow {
	return newFlow(stepAnnounce, announceText, announceAudience, announceUnits, announceWhen, announceAt, announceConfirm)
}

// announceData is the announcement /thongbao is preparing.
type announceData struct {
	Text     string      `json:"text,omitempty"`
	Photo    string      `json:"photo,omitempty"`
	Audience cd.Audience `json:"audience,omitempty"`
	Units    []int64     `json:"units,omitempty"`
	At       time.Time   `json:"at,omitzero"` // when to send; zero: now
}

const (
	chAudAll    = "a:all"
	chAudChairs = "a:chairs"
	chAudUnits  = "a:units"
	chNow       = "now"
	chLater     = "later"
	chSend      = "send"
)

// progressEvery is how often the sender of an announcement hears how far
// the delivery is.
const progressEvery = 5 * time.Minute

func cmdAnnounce(r *request, _ string) error {
	r.ask(announceText, cd.Message{Text: txtAnnAskText})
	return nil
}

func stepAnnounce(r *request, s announceStep, d *announceData, in input) error {
	switch s {
	case announceText:
		text, err := cd.ValidateAnnouncementText(r.u.Text)
		if err != nil {
			return err
		}
		d.Text = text
		if in.Photo != "" {
			d.Photo = cd.Key(r.u.Platform, in.Photo)
		}
		r.ask(announceAudience, cd.Message{Text: txtAnnAskAudience, Choices: []cd.Choice{
			{ID: chAudAll, Label: txtAudAll}, {ID: chAudChairs, Label: txtAudChairs}, {ID: chAudUnits, Label: txtAudUnits}}})
	case announceAudience:
		switch in.Choice {
		case chAudAll, chAudChairs:
			d.Audience = cd.Audience(strings.TrimPrefix(in.Choice, "a:"))
			return askWhen(r)
		case chAudUnits:
			d.Audience = cd.AudienceUnits
			r.ask(announceUnits, cd.Message{Text: txtAnnAskUnits})
		default:
			r.reply(txtPickOne)
		}
	case announceUnits:
		var ids []int64
		for _, code := range strings.FieldsFunc(in.Text, func(c rune) bool { return c == ',' || c == ';' || c == ' ' }) {
			u, err := r.tx.UnitByCode(code)
			if err != nil {
				return cd.Errorf(cd.EINVALID, cd.ReasonAnnouncementUnits, "%s", code)
			}
			ids = append(ids, u.ID)
		}
		if len(ids) == 0 {
			return cd.Invalid(cd.ReasonAnnouncementUnits)
		}
		d.Units = ids
		return askWhen(r)
	case announceWhen:
		switch in.Choice {
		case chNow:
			d.At = time.Time{}
			return previewAnnouncement(r, d)
		case chLater:
			r.ask(announceAt, cd.Message{Text: txtAnnAskAt})
		default:
			r.reply(txtPickOne)
		}
	case announceAt:
		at, err := parseDateTime(in.Text, r.today(), r.b.cfg.Location)
		if err != nil {
			return err
		}
		if err := checkSendAt(r, at); err != nil {
			return err
		}
		d.At = at.UTC()
		return previewAnnouncement(r, d)
	case announceConfirm:
		switch in.Choice {
		case chSend:
			return createAnnouncement(r, d)
		case chNo:
			r.end()
			r.reply(txtCancelled)
		default:
			r.reply(txtPickOne)
		}
	}
	return nil
}

func askWhen(r *request) error {
	r.ask(announceWhen, cd.Message{Text: txtAnnAskWhen, Choices: []cd.Choice{
		{ID: chNow, Label: txtSendNow}, {ID: chLater, Label: txtSendLater}}})
	return nil
}

// parseDateTime reads "25/12/2026 08:00" (or "25/12 8h30") in loc.
func parseDateTime(s string, today cd.Date, loc *time.Location) (time.Time, error) {
	f := strings.Fields(strings.ReplaceAll(cd.Fold(s), "h", ":"))
	if len(f) != 2 {
		return time.Time{}, cd.Invalid(cd.ReasonAnnouncementTime)
	}
	d, err := parseFullDate(f[0], today)
	if err != nil {
		return time.Time{}, err
	}
	hh, mm, _ := strings.Cut(strings.TrimSuffix(f[1], ":"), ":")
	h, err1 := strconv.Atoi(hh)
	m := 0
	var err2 error
	if mm != "" {
		m, err2 = strconv.Atoi(mm)
	}
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return time.Time{}, cd.Invalid(cd.ReasonAnnouncementTime)
	}
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, loc), nil
}

// draftAnnouncement builds the announcement the flow has gathered.
func draftAnnouncement(r *request, d *announceData) *cd.Announcement {
	a := &cd.Announcement{CreatedBy: r.me.ID, ReportTo: cd.Address{Platform: r.u.Platform, ChatID: r.u.ChatID},
		Text: d.Text, Photo: d.Photo, Audience: d.Audience, UnitIDs: d.Units, SendAt: r.tx.Now(),
		Status: cd.AnnouncementScheduled}
	if !d.At.IsZero() {
		a.SendAt = d.At
	}
	return a
}

// checkSendAt checks the time an announcement is scheduled for: later
// than now.
func checkSendAt(r *request, at time.Time) error {
	if !at.After(r.tx.Now()) {
		return cd.Invalid(cd.ReasonAnnouncementTime)
	}
	return nil
}

// countRecipients is how many members announcement a reaches, counted
// without loading them (100,000 in a few tens of milliseconds); none is an
// error (ReasonNoRecipients).
func countRecipients(r *request, a *cd.Announcement) (int, error) {
	n, err := r.tx.CountRecipients(a.Audience, a.UnitIDs, r.me.ID)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, cd.Invalid(cd.ReasonNoRecipients)
	}
	return n, nil
}

func previewAnnouncement(r *request, d *announceData) error {
	a := draftAnnouncement(r, d)
	n, err := countRecipients(r, a)
	if cd.ErrorReason(err) == cd.ReasonNoRecipients {
		r.end()
	}
	if err != nil {
		return err
	}
	eta := r.b.estimate(n)
	when := ""
	if !d.At.IsZero() {
		when = r.b.loc.datetime(a.SendAt)
	}
	note, err := r.oaPreviewNote(a)
	if err != nil {
		return err
	}
	r.ask(announceConfirm, cd.Message{Text: withNote(txtAnnPreview(n, eta, when, a.Text, a.Photo != ""), note),
		Choices: []cd.Choice{{ID: chSend, Label: txtAnnSend}, {ID: chNo, Label: txtCancel}}})
	return nil
}

// estimate is how long delivering n messages takes at the sender's rate.
func (b *Bot) estimate(n int) time.Duration {
	return time.Duration(float64(n)/b.cfg.SendRate*float64(time.Second)) + time.Second
}

func createAnnouncement(r *request, d *announceData) error {
	a := draftAnnouncement(r, d)
	r.end()
	return publishAnnouncement(r, a)
}

// publishAnnouncement stores announcement a, records it, and queues it
// now or leaves it scheduled, replying which. The chat and the web
// dashboard both announce through it.
func publishAnnouncement(r *request, a *cd.Announcement) error {
	if err := r.tx.CreateAnnouncement(a); err != nil {
		return err
	}
	if err := r.audit(cd.AuditAnnouncement, 0, 0, fmt.Sprintf("announcement %d to %s at %s", a.ID, a.Audience, a.SendAt.Format(time.RFC3339))); err != nil {
		return err
	}
	if a.SendAt.After(r.tx.Now()) {
		r.reply(txtAnnScheduled(a.ID, r.b.loc.datetime(a.SendAt)))
		return nil
	}
	n, err := r.b.queueAnnouncement(r.tx, a)
	if err != nil {
		return err
	}
	r.reply(txtAnnQueued(a.ID, n, r.b.estimate(n)))
	r.wakeAll = true
	return nil
}

// queueAnnouncement starts delivering an announcement: it counts the
// recipients and queues the first chunk of them in tx; QueueAnnouncements
// queues the rest, a chunk per transaction. It returns the number of
// recipients.
func (b *Bot) queueAnnouncement(tx Tx, a *cd.Announcement) (int, error) {
	return b.startQueueing(tx, a, tx.Now())
}

// startQueueing is queueAnnouncement as of now (progress is told every
// few minutes from then).
func (b *Bot) startQueueing(tx Tx, a *cd.Announcement, now time.Time) (int, error) {
	n, err := tx.CountRecipients(a.Audience, a.UnitIDs, a.CreatedBy)
	if err != nil {
		return 0, err
	}
	a.Status, a.Recipients, a.QueuedUpto, a.ProgressAt = cd.AnnouncementQueueing, 0, 0, now
	return n, b.queueChunk(tx, a)
}

// QueueDueAnnouncements starts the scheduled announcements whose time has
// come by now (the scheduler calls it every minute, with the time it runs
// as). It returns the messages queued or to be queued: the recipients,
// and the start notices.
func (b *Bot) QueueDueAnnouncements(tx Tx, now time.Time) (int, error) {
	due, err := tx.AnnouncementsByStatus(cd.AnnouncementScheduled, now)
	if err != nil {
		return 0, err
	}
	total := 0
	for i := range due {
		n, err := b.startQueueing(tx, &due[i], now)
		if err != nil {
			return total, err
		}
		total += n
		if _, err := tx.Enqueue(&cd.OutboxItem{To: due[i].ReportTo, MemberID: due[i].CreatedBy, Kind: cd.OutboxNotify,
			Lane: cd.LaneInteractive, DedupKey: fmt.Sprintf("ann:%d:start", due[i].ID),
			Message: cd.Message{Text: txtAnnQueued(due[i].ID, n, b.estimate(n))}}); err != nil {
			return total, err
		}
		total++
	}
	return total, nil
}

// ReportAnnouncements tells the senders of announcements being delivered
// how far they are (every few minutes), and when one is done sends the
// delivery report, and each chair the names of their members it could not
// reach. It returns the messages queued.
//
// Messages waiting on a platform that is not running go to the member's
// other account, or count as not reached, so that no announcement waits
// for ever. now is the time the scheduler runs as.
func (b *Bot) ReportAnnouncements(tx Tx, now time.Time) (int, error) {
	sending, err := tx.AnnouncementsByStatus(cd.AnnouncementSending, now)
	if err != nil {
		return 0, err
	}
	queued := 0
	for i := range sending {
		a := &sending[i]
		if running := b.running(); running != nil {
			if _, _, err := tx.RerouteOffline(a.ID, running); err != nil {
				return queued, err
			}
		}
		p, err := tx.AnnouncementProgress(a.ID)
		if err != nil {
			return queued, err
		}
		if p.Pending > 0 {
			if now.Sub(a.ProgressAt) < progressEvery {
				continue
			}
			a.ProgressAt = now
			if err := tx.UpdateAnnouncement(a); err != nil {
				return queued, err
			}
			if _, err := tx.Enqueue(&cd.OutboxItem{To: a.ReportTo, MemberID: a.CreatedBy, Kind: cd.OutboxNotify, Lane: cd.LaneInteractive,
				Message: cd.Message{Text: txtAnnProgress(a.ID, p, b.estimate(p.Pending))}}); err != nil {
				return queued, err
			}
			queued++
			continue
		}
		d, err := tx.AnnouncementDelivery(a.ID)
		if err != nil {
			return queued, err
		}
		n, err := b.finishAnnouncement(tx, a, d)
		if err != nil {
			return queued, err
		}
		queued += n
	}
	return queued, nil
}

// finishAnnouncement closes an announcement with its delivery report.
func (b *Bot) finishAnnouncement(tx Tx, a *cd.Announcement, d *cd.Delivery) (int, error) {
	if a.Status != cd.AnnouncementCancelled {
		a.Status = cd.AnnouncementDone
	}
	a.FinishedAt = tx.Now()
	if err := tx.UpdateAnnouncement(a); err != nil {
		return 0, err
	}
	var missedNames []string
	byUnit := map[int64][]string{}
	for _, m := range d.Missed {
		missedNames = append(missedNames, m.FullName+" ("+m.UnitCode+")")
		byUnit[m.UnitID] = append(byUnit[m.UnitID], m.FullName)
	}
	queued := 0
	if _, err := tx.Enqueue(&cd.OutboxItem{To: a.ReportTo, MemberID: a.CreatedBy, Kind: cd.OutboxNotify,
		DedupKey: fmt.Sprintf("ann:%d:report", a.ID), Message: cd.Message{Text: txtAnnReport(a.ID, d, missedNames) + txtAnnOfflineNote(d.Offline)}}); err != nil {
		return 0, err
	}
	queued++
	for unitID, names := range byUnit {
		u, err := tx.UnitByID(unitID)
		if err != nil {
			return queued, err
		}
		if u.Kind == cd.UnitSub {
			unitID = u.ParentID
		}
		managers, err := tx.UnitManagers(unitID)
		if err != nil {
			return queued, err
		}
		for _, mg := range managers {
			addr, ok, err := tx.AddressOf(mg.ID)
			if err != nil {
				return queued, err
			}
			if !ok {
				continue
			}
			if _, err := tx.Enqueue(&cd.OutboxItem{To: addr, MemberID: mg.ID, Kind: cd.OutboxNotify,
				DedupKey: fmt.Sprintf("ann:%d:missed:%d:%d", a.ID, unitID, mg.ID), Message: cd.Message{Text: txtAnnMissedForChair(a.ID, u.Name, names)}}); err != nil {
				return queued, err
			}
			queued++
		}
	}
	return queued, nil
}

// cmdCancelAnnouncement stops what is not yet sent of the person's latest
// announcement (scheduled or sending), or of the one numbered.
func cmdCancelAnnouncement(r *request, args string) error {
	var a *cd.Announcement
	var err error
	if n, perr := strconv.ParseInt(strings.TrimSpace(args), 10, 64); perr == nil {
		a, err = r.tx.AnnouncementByID(n)
	} else {
		a, err = r.tx.LatestOpenAnnouncement(r.me.ID)
	}
	if err != nil {
		return err
	}
	if a == nil || (a.Status != cd.AnnouncementScheduled && a.Status != cd.AnnouncementSending && a.Status != cd.AnnouncementQueueing) {
		return cd.Invalid(cd.ReasonNothingToCancel)
	}
	if a.Status == cd.AnnouncementScheduled {
		// Nothing was queued yet: no report to make.
		a.Status, a.FinishedAt = cd.AnnouncementCancelled, r.tx.Now()
		if err := r.tx.UpdateAnnouncement(a); err != nil {
			return err
		}
		if err := r.audit(cd.AuditAnnouncement, 0, 0, fmt.Sprintf("scheduled announcement %d cancelled", a.ID)); err != nil {
			return err
		}
		r.reply(txtAnnScheduledCancelled(a.ID))
		return nil
	}
	cancelled, err := r.tx.CancelAnnouncementMessages(a.ID)
	if err != nil {
		return err
	}
	a.Status = cd.AnnouncementCancelled
	if err := r.audit(cd.AuditAnnouncement, 0, 0, fmt.Sprintf("announcement %d cancelled, %d messages", a.ID, cancelled)); err != nil {
		return err
	}
	d, err := r.tx.AnnouncementDelivery(a.ID)
	if err != nil {
		return err
	}
	if _, err := r.b.finishAnnouncement(r.tx, a, d); err != nil {
		return err
	}
	r.reply(txtAnnCancelled(a.ID, cancelled))
	return nil
}
