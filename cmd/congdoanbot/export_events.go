package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/report"
)

// eventExports are the exports of one survey or one event, by number:
// `export survey -id N -out ket-qua.xlsx` and `export event -id N`.
var eventExports = map[string]func(a *app, ctx context.Context, args []string) error{
	"survey": (*app).exportSurvey,
	"event":  (*app).exportEvent,
}

// parseIDExport reads the flags of an export of one survey or event.
func (a *app) parseIDExport(what, help string, args []string) (c common, id int64, out string, err error) {
	fs := a.flags("export", "export "+what+" -id N [flags]", &c)
	fs.Int64Var(&id, "id", 0, "the "+what+"'s number, as the bot gives it (required)")
	fs.StringVar(&out, "out", "", help)
	if err := a.parse(fs, args); err != nil {
		return c, 0, "", err
	}
	if id <= 0 {
		fmt.Fprintf(a.stderr, "congdoanbot export %s: -id must be the %s's number, got %d\n", what, what, id)
		return c, 0, "", errUsage
	}
	return c, id, out, nil
}

// exportSurvey writes a survey's results as a workbook. An anonymous
// survey's are refused while it is open or with fewer than three
// responses, as in chat: no one may compare results before and after a
// person answered.
func (a *app) exportSurvey(ctx context.Context, args []string) error {
	c, id, out, err := a.parseIDExport("survey", "output file, .xlsx (required); refuses to overwrite", args)
	if err != nil {
		return err
	}
	if out == "" {
		fmt.Fprintln(a.stderr, "congdoanbot export survey: -out FILE.xlsx is required")
		return errUsage
	}
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	s, rs, err := db.SurveyWithResponses(ctx, id)
	if cd.ErrorCode(err) == cd.ENOTFOUND {
		return fmt.Errorf("no survey number %d", id)
	}
	if err != nil {
		return err
	}
	now := a.now().In(cfg.location)
	res := cd.TallySurvey(s, rs, cd.DateOf(now, cfg.location), now)
	if res.Withheld {
		return fmt.Errorf("survey %d is anonymous: its results are given once it has closed (after %s) and only with at least %d responses (it has %d)",
			id, s.ClosesOn.Display(), cd.MinAnonymousResults, res.Responses)
	}
	data, err := report.SurveyXLSX(res)
	if err != nil {
		return err
	}
	return writeOut(out, a.stdout, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// exportEvent writes an event's attendance as CSV: everyone who answered
// its invitation or checked in, what they answered, and when they
// checked in (empty if they did not).
func (a *app) exportEvent(ctx context.Context, args []string) error {
	c, id, out, err := a.parseIDExport("event", "output file (default standard output); refuses to overwrite", args)
	if err != nil {
		return err
	}
	cfg, db, err := a.open(ctx, c, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	_, as, err := db.EventWithAttendees(ctx, id)
	if cd.ErrorCode(err) == cd.ENOTFOUND {
		return fmt.Errorf("no event number %d", id)
	}
	if err != nil {
		return err
	}
	return writeOut(out, a.stdout, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"member_id", "member_name", "unit_code", "rsvp", "checked_in_at"}); err != nil {
			return err
		}
		for _, at := range as {
			in := ""
			if at.CheckedIn() {
				in = at.CheckedInAt.In(cfg.location).Format(time.RFC3339)
			}
			if err := cw.Write([]string{strconv.FormatInt(at.MemberID, 10), at.MemberName, at.UnitCode, string(at.RSVP), in}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}
