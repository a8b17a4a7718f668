package bot

import (
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// The scheduler's work that speaks to people lives here, in the core,
// with the texts: jobs only decide when. Each function queues its messages
// in the transaction it is given (the one that records the job's run),
// with dedup keys, and returns how many it queued.

// queueTo queues a message to a member on their usual account; a member
// without one is skipped. It reports whether a row was added.
func queueTo(tx Tx, memberID int64, key string, msg cd.Message) (bool, error) {
	addr, ok, err := tx.AddressOf(memberID)
	if err != nil || !ok {
		return false, err
	}
	return tx.Enqueue(&cd.OutboxItem{To: addr, MemberID: memberID, Kind: cd.OutboxNotify, DedupKey: key, Message: msg})
}

// QueueReportReminders reminds the chairs of every grassroots union that
// has not submitted month m's report: before the deadline (late false),
// or the day after it (late true), when the province admins also get the
// list of late units.
func (b *Bot) QueueReportReminders(tx Tx, m cd.Month, late bool) (int, error) {
	units, err := tx.Units(cd.UnitFilter{Kind: cd.UnitGrassroots})
	if err != nil {
		return 0, err
	}
	reports, err := tx.UnitReports(m)
	if err != nil {
		return 0, err
	}
	totals, err := tx.MonthTotals(m, 0)
	if err != nil {
		return 0, err
	}
	loc := b.cfg.Location
	counts, err := tx.MemberCounts(m.First().Time(loc), m.Next().First().Time(loc))
	if err != nil {
		return 0, err
	}
	reporters, err := tx.ReporterCounts(m)
	if err != nil {
		return 0, err
	}
	deadline := b.deadline(m)
	kind := "before"
	if late {
		kind = "late"
	}
	queued := 0
	var lateUnits []string
	for _, u := range units {
		if r, ok := reports[u.ID]; ok && r.Locked {
			continue
		}
		lateUnits = append(lateUnits, fmt.Sprintf("%s (%s)", u.Name, u.Code))
		missing := max(counts[u.ID].Active-reporters[u.ID], 0)
		text := txtReportReminder(u.Name, m, deadline, cd.Reports(totals[u.ID]), missing, late)
		managers, err := tx.UnitManagers(u.ID)
		if err != nil {
			return queued, err
		}
		for _, mg := range managers {
			ok, err := queueTo(tx, mg.ID, fmt.Sprintf("rem:report:%s:%s:%d", kind, m, mg.ID), cd.Message{Text: text})
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
	}
	if !late || len(lateUnits) == 0 {
		return queued, nil
	}
	admins, err := tx.ProvinceAdmins()
	if err != nil {
		return queued, err
	}
	for _, a := range admins {
		ok, err := queueTo(tx, a.ID, fmt.Sprintf("rem:report:late-list:%s:%d", m, a.ID),
			cd.Message{Text: txtLateUnits(m, deadline, lateUnits, len(units))})
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}

// QueuePledgeReminders reminds members of pledges due in three days and
// of those due today.
func (b *Bot) QueuePledgeReminders(tx Tx, today cd.Date) (int, error) {
	due, err := tx.PledgesDueBetween(today, today.AddDays(3))
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, p := range due {
		var text string
		switch p.DueDate {
		case today:
			text = txtPledgeDueToday(&p)
		case today.AddDays(3):
			text = txtPledgeDueSoon(&p)
		default:
			continue
		}
		ok, err := queueTo(tx, p.MemberID, fmt.Sprintf("rem:pledge:%d:%s", p.ID, today), cd.Message{Text: text})
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}

// QueueOverduePledges sends each chair the overdue pledges of the unit.
func (b *Bot) QueueOverduePledges(tx Tx, today cd.Date, week string) (int, error) {
	overdue, err := tx.OverduePledges(today)
	if err != nil {
		return 0, err
	}
	byUnit := map[int64][]cd.Pledge{}
	var order []int64
	for _, p := range overdue {
		if _, ok := byUnit[p.UnitID]; !ok {
			order = append(order, p.UnitID)
		}
		byUnit[p.UnitID] = append(byUnit[p.UnitID], p)
	}
	queued := 0
	for _, unitID := range order {
		managers, err := tx.UnitManagers(unitID)
		if err != nil {
			return queued, err
		}
		text := txtOverduePledges(byUnit[unitID])
		for _, mg := range managers {
			ok, err := queueTo(tx, mg.ID, fmt.Sprintf("rem:overdue:%s:%d", week, mg.ID), cd.Message{Text: text})
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
	}
	return queued, nil
}

// QueueHaltAlert tells the province admins that platform p stopped (its
// token was revoked), on their accounts of other platforms.
func (b *Bot) QueueHaltAlert(tx Tx, p cd.Platform) (int, error) {
	admins, err := tx.ProvinceAdmins()
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, a := range admins {
		ids, err := tx.Identities(a.ID)
		if err != nil {
			return queued, err
		}
		for _, id := range ids {
			if id.Platform == p || id.Unreachable {
				continue
			}
			if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: id.Platform, ChatID: id.ChatID}, MemberID: a.ID,
				Kind: cd.OutboxNotify, Lane: cd.LaneInteractive, Message: cd.Message{Text: txtPlatformHalted(platformNames[p])}}); err != nil {
				return queued, err
			}
			queued++
			break
		}
	}
	return queued, nil
}
