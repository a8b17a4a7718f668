package bot

import (
	"fmt"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// Changing a saved report: undo it within minutes (/hoantac, or the
// button under the report just saved), or edit it (/suabaocao).

const flowEdit = "edit"

// editStep is a step of /suabaocao.
type editStep string

const (
	editWhat   editStep = "what"
	editDesc   editStep = "desc"
	editDate   editStep = "date"
	editFigure editStep = "figure"
)

func (s editStep) where() (string, string) { return flowEdit, string(s) }

func editFlow() *flow { return newFlow(stepEdit, editWhat, editDesc, editDate, editFigure) }

// editData is the report /suabaocao changes, and the new figures.
type editData struct {
	ID int64 `json:"id"`
	figureAnswers
}

// undoReport withdraws a report its author saved within the undo window.
func undoReport(r *request, id int64) error {
	a, err := r.tx.ActivityByID(id)
	if err != nil {
		return err
	}
	if a.EnteredBy != r.me.ID {
		return cd.Invalid(cd.ReasonNotYours)
	}
	if r.tx.Now().Sub(a.CreatedAt) > r.b.cfg.UndoWindow {
		r.end()
		return cd.Invalid(cd.ReasonUndoExpired)
	}
	if locked, err := r.tx.MonthLocked(a.UnitID, a.Date.MonthOf()); err != nil || locked {
		if err == nil {
			err = cd.Invalid(cd.ReasonMonthLocked)
		}
		return err
	}
	if err := r.tx.DeleteActivity(a.ID); err != nil {
		return err
	}
	if err := r.audit(cd.AuditActivityUndo, a.MemberID, a.UnitID, fmt.Sprintf("activity %d", a.ID)); err != nil {
		return err
	}
	r.end()
	r.reply(txtUndone)
	return nil
}

func cmdUndo(r *request, args string) error {
	if args != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(args), "#"), 10, 64)
		if err != nil {
			return cd.Invalid(cd.ReasonActivityNotFound)
		}
		return undoReport(r, n)
	}
	recent, err := r.tx.ActivitiesEnteredSince(r.me.ID, r.tx.Now().Add(-r.b.cfg.UndoWindow))
	if err != nil {
		return err
	}
	if len(recent) == 0 {
		r.reply(txtNothingToUndo)
		return nil
	}
	return undoReport(r, recent[0].ID)
}

// canEdit reports whether the person may change a report: its member, who
// entered it, or a manager of its unit; never in a locked month.
func canEdit(r *request, a *cd.Activity) error {
	if a.MemberID != r.me.ID && a.EnteredBy != r.me.ID && !r.me.CanManageUnit(a.UnitID) {
		return cd.Invalid(cd.ReasonNotYours)
	}
	locked, err := r.tx.MonthLocked(a.UnitID, a.Date.MonthOf())
	if err == nil && locked {
		err = cd.Invalid(cd.ReasonMonthLocked)
	}
	return err
}

func cmdEdit(r *request, args string) error {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(args), "#"), 10, 64)
	if err != nil {
		r.reply(txtEditAskUsage)
		return nil
	}
	a, err := r.tx.ActivityByID(n)
	if err != nil {
		return err
	}
	if err := canEdit(r, a); err != nil {
		return err
	}
	k, err := r.tx.ActivityKind(a.Kind)
	if err != nil {
		return err
	}
	choices := []cd.Choice{{ID: chDesc, Label: txtEditDesc}, {ID: chDate, Label: txtEditDate}}
	if len(figuresOf(k)) > 0 {
		choices = append(choices, cd.Choice{ID: chNums, Label: txtEditNumbers})
	}
	startFlow[editData](r, editWhat).ID = a.ID
	r.ask(editWhat, cd.Message{Text: txtEditShow(a, k) + "\n\n" + txtEditWhat, Choices: choices})
	return nil
}

func stepEdit(r *request, s editStep, d *editData, in input) error {
	a, err := r.tx.ActivityByID(d.ID)
	if err != nil {
		return err
	}
	if err := canEdit(r, a); err != nil {
		r.end()
		return err
	}
	k, err := r.tx.ActivityKind(a.Kind)
	if err != nil {
		return err
	}
	switch s {
	case editWhat:
		switch in.Choice {
		case chDesc:
			r.ask(editDesc, cd.Message{Text: txtReportDescAsk})
		case chDate:
			askDate(r, editDate)
		case chNums:
			if !askFigure(r, editFigure, k, &d.figureAnswers) {
				r.reply(txtPickOne)
			}
		default:
			r.reply(txtPickOne)
		}
		return nil
	case editDesc:
		desc, err := cd.ValidateDescription(in.Text)
		if err != nil {
			return err
		}
		return saveEdit(r, a, "description", a.Description, desc, func() { a.Description = desc })
	case editDate:
		day, err := readDate(r, in, a.UnitID)
		if err != nil {
			return err
		}
		return saveEdit(r, a, "date", a.Date.String(), day.String(), func() { a.Date = day })
	case editFigure:
		if err := readFigure(r, in, k, &d.figureAnswers); err != nil {
			return err
		}
		if askFigure(r, editFigure, k, &d.figureAnswers) {
			return nil
		}
		old := fmt.Sprintf("%d/%d/%d", a.People, a.Amount, a.Quantity)
		people, amount, quantity := a.People, a.Amount, a.Quantity
		if n, ok := d.Figures[figPeople]; ok {
			people = n
		}
		if n, ok := d.Figures[figAmount]; ok {
			amount = n
		}
		if n, ok := d.Figures[figQuantity]; ok {
			quantity = n
		}
		return saveEdit(r, a, "people/amount/quantity", old, fmt.Sprintf("%d/%d/%d", people, amount, quantity), func() {
			a.People, a.Amount, a.Quantity = people, amount, quantity
		})
	}
	return nil
}

func saveEdit(r *request, a *cd.Activity, field, old, new string, apply func()) error {
	apply()
	if err := r.tx.UpdateActivity(a); err != nil {
		return err
	}
	if err := r.audit(cd.AuditActivityUpdate, a.MemberID, a.UnitID, fmt.Sprintf("activity %d %s: %q -> %q", a.ID, field, old, new)); err != nil {
		return err
	}
	r.end()
	r.reply(txtEdited)
	return nil
}
