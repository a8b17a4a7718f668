package storage_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// fillEveryTable gives every table of a fund world's database rows.
func fillEveryTable(t *testing.T, w *fundWorld) {
	t.Helper()
	ctx := context.Background()
	p := w.pledge(t, w.house.ID, w.an, 500_000, true)
	pay, _ := w.pay(t, p.ID, 200_000)
	if _, err := w.db.AcquireLease(ctx, "jobs", "host-1", time.Minute); err != nil {
		t.Fatal(err)
	}
	update(t, w.db, func(tx *storage.Tx) error {
		if _, _, err := tx.CorrectPayment(pay.ID, 150_000, today, w.hoa.ID, today); err != nil {
			return err
		}
		c := &cd.Campaign{Name: "Việc làm theo Bác", Start: cd.Date{Year: 2026, Month: 1, Day: 1}, End: cd.Date{Year: 2026, Month: 12, Day: 31},
			Kinds: []string{"hien_mau", "lam_theo_bac"}, Targets: []cd.Target{{Kind: "hien_mau", Value: 20}, {UnitID: w.stp.ID, Kind: "hien_mau", Value: 5}}}
		if err := tx.CreateCampaign(c); err != nil {
			return err
		}
		if err := tx.Audit(cd.AuditEntry{ActorID: w.hoa.ID, Action: cd.AuditUnitCreate, TargetUnit: w.stp.ID, Detail: "thử"}); err != nil {
			return err
		}
		a := &cd.Activity{UnitID: w.stp.ID, MemberID: w.an.ID, Kind: "hien_mau", Date: today, Description: "Hiến máu nhân đạo 'đợt 2'\nở Bệnh viện tỉnh",
			Quantity: 1, Photo: "media:1", CampaignID: c.ID, EnteredBy: w.an.ID}
		if err := tx.CreateActivity(a); err != nil {
			return err
		}
		if err := tx.SubmitUnitReport(w.stp.ID, today.MonthOf(), w.hoa.ID, true); err != nil {
			return err
		}
		ann := &cd.Announcement{CreatedBy: w.hoa.ID, ReportTo: cd.Address{Platform: cd.PlatformConsole, ChatID: "c"}, Text: "Họp",
			Audience: cd.AudienceUnits, UnitIDs: []int64{w.stp.ID, w.kb.ID}, SendAt: t0, Status: cd.AnnouncementSending}
		if err := tx.CreateAnnouncement(ann); err != nil {
			return err
		}
		if _, err := tx.Enqueue(&cd.OutboxItem{To: cd.Address{Platform: cd.PlatformTelegram, ChatID: "42"}, MemberID: w.an.ID,
			DedupKey: "ann/1/an", AnnouncementID: ann.ID, Message: cd.Message{Text: "Họp lúc 8 giờ"}}); err != nil {
			return err
		}
		if _, err := tx.CreateLinkCode("123456", w.an.ID, cd.PlatformConsole, "a", t0.Add(10*time.Minute)); err != nil {
			return err
		}
		if _, err := tx.ClaimJobRun("monthly_summary", "2026-10", t0, true); err != nil {
			return err
		}
		// A row that refers to a later one (decided_by): the copy checks
		// foreign keys at its end, not row by row.
		late := &cd.Member{FullName: "Phạm Văn Sau", UnitID: w.kb.ID, Role: cd.RoleMember, Status: cd.StatusPending}
		deputy := &cd.Member{FullName: "Vũ Thị Phó", UnitID: w.kb.ID, Role: cd.RoleDeputy, Status: cd.StatusActive}
		for i, m := range []*cd.Member{late, deputy} {
			if err := tx.CreateMember(m, cd.Identity{Platform: cd.PlatformZalo, UserID: fmt.Sprint("z", i)}); err != nil {
				return err
			}
		}
		if err := tx.SetMemberStatus(late.ID, cd.StatusPending, cd.StatusActive, deputy.ID, ""); err != nil {
			return err
		}
		return tx.SaveFlow(cd.PlatformTelegram, "42", `{"cmd":"baocao","step":2}`)
	})
	if _, _, err := w.db.PutInbox(ctx, "telegram", "7", "telegram:42", []byte{0, 1, 2, 0xff, '\'', '\\'}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.PutMedia(ctx, "zalo", "image/jpeg", []byte{0xff, 0xd8, 0xff, 0}); err != nil {
		t.Fatal(err)
	}
	if err := w.db.SetKV(ctx, "telegram.offset", "8"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.db.PutOAEvent(ctx, "zalo_oa", cd.OAEvent{UserID: "oa1", At: t0, Interaction: true, Follow: 1,
		Key: "oa-e1", ChatKey: "zalo_oa:oa1", Payload: []byte(`{"event_name":"follow"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.SaveOAAuthorization(ctx, cd.OAToken{AccessToken: "a", AccessExpiresAt: t0.Add(time.Hour),
		RefreshToken: "r", RefreshExpiresAt: t0.Add(90 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := w.db.PutOAAuthRequest(ctx, "state-1", "verifier-1", t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	fillWebSurveysEvents(t, w)
}

// fillWebSurveysEvents gives rows to the tables of the web dashboard
// (folded member names too), surveys (named and anonymous) and events.
func fillWebSurveysEvents(t *testing.T, w *fundWorld) {
	t.Helper()
	update(t, w.db, func(tx *storage.Tx) error {
		if err := tx.CreateWebLogin("hash-login", w.an.ID, t0.Add(time.Hour)); err != nil {
			return err
		}
		if err := tx.CreateWebSession("hash-session", w.hoa.ID); err != nil {
			return err
		}
		for _, anonymous := range []bool{false, true} {
			s := &cd.Survey{Title: "Ý kiến về bữa trưa", Questions: []cd.SurveyQuestion{{Kind: cd.QuestionSingle, Text: "Ngon không?",
				Options: []string{"Có", "Không"}}}, Anonymous: anonymous, Audience: cd.AudienceAll, CreatedBy: w.hoa.ID, ClosesOn: today}
			if err := tx.CreateSurvey(s); err != nil {
				return err
			}
			for i, m := range []int64{w.an.ID, w.hoa.ID} {
				if err := tx.SaveSurveyResponse(s, m, []cd.SurveyAnswer{{Options: []int{i}}}); err != nil {
					return err
				}
			}
		}
		e := &cd.Event{Name: "Hội thao", Place: "Sân tỉnh", Start: t0.Add(24 * time.Hour), End: t0.Add(28 * time.Hour),
			Audience: cd.AudienceAll, Capacity: 1, Kind: "van_nghe", CreatedBy: w.hoa.ID, CheckInCode: "654321"}
		if err := tx.CreateEvent(e); err != nil {
			return err
		}
		if err := tx.SetRSVP(e.ID, w.an.ID, cd.RSVPGoing); err != nil {
			return err
		}
		if err := tx.SetRSVP(e.ID, w.hoa.ID, cd.RSVPWaiting); err != nil {
			return err
		}
		return tx.SetCheckIn(e.ID, w.an.ID, t0.Add(24*time.Hour), w.hoa.ID)
	})
	if _, err := w.db.FoldMemberNames(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// viewPage reads a page of a dashboard listing on a snapshot.
func viewPage[T any](ctx context.Context, db *storage.DB, fn func(*storage.Tx) (T, int, error)) (any, error) {
	var out T
	var n int
	err := db.View(ctx, func(tx *storage.Tx) error {
		var err error
		out, n, err = fn(tx)
		return err
	})
	return []any{out, n}, err
}

// A province's SQLite file moves to PostgreSQL whole: every table with
// rows, the same counts and checksums, the same answers read through the
// storage API, ids that go on after the copied ones; a second copy into
// the now full database is refused.
func TestCopyToPostgres(t *testing.T) {
	w := newFundWorld(t, storage.SQLite)
	fillEveryTable(t, w)
	ctx := context.Background()
	dst, _ := storagetest.Open(t, storage.Postgres)
	dst.Now = w.db.Now
	copied, err := storage.CopyToPostgres(ctx, w.db, dst)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range copied {
		if c.Rows == 0 {
			t.Errorf("table %s: no rows copied; fill it in fillEveryTable", c.Table)
		}
	}
	for _, read := range []func(*storage.DB) (any, error){
		func(db *storage.DB) (any, error) { return exportAll(ctx, db) },
		func(db *storage.DB) (any, error) { return db.FundTotals(ctx, w.house.ID) },
		func(db *storage.DB) (any, error) { return db.Units(ctx, cd.UnitFilter{}) },
		func(db *storage.DB) (any, error) { return db.AuditLog(ctx, 100) },
		func(db *storage.DB) (any, error) { return db.MonthTotals(ctx, today.MonthOf(), 0) },
		func(db *storage.DB) (any, error) { return db.KV(ctx, "telegram.offset") },
		func(db *storage.DB) (any, error) {
			s, rs, err := db.SurveyWithResponses(ctx, 2)
			return []any{s, rs}, err
		},
		func(db *storage.DB) (any, error) {
			e, as, err := db.EventWithAttendees(ctx, 1)
			return []any{e, as}, err
		},
		func(db *storage.DB) (any, error) {
			return viewPage(ctx, db, func(tx *storage.Tx) ([]cd.Member, int, error) {
				return tx.MembersPage(cd.MemberFilter{Search: "nguyen"}, storage.Page{Limit: 10})
			})
		},
	} {
		want, err1 := read(w.db)
		got, err2 := read(dst)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("after the copy PostgreSQL reads\n%+v (%v)\nSQLite\n%+v (%v)", got, err2, want, err1)
		}
	}
	update(t, dst, func(tx *storage.Tx) error { // ids go on after the copied ones
		u := cd.Unit{Kind: cd.UnitGrassroots, ParentID: 1, Name: "Sở Y tế", Code: "SYT"}
		return tx.CreateUnit(&u)
	})
	if _, err := storage.CopyToPostgres(ctx, w.db, dst); !errors.Is(err, storage.ErrTargetNotEmpty) {
		t.Fatalf("copy into a full database: %v", err)
	}
}

func exportAll(ctx context.Context, db *storage.DB) ([]any, error) {
	var out []any
	err := db.ExportMembers(ctx, func(m cd.Member) error { out = append(out, m); return nil })
	if err != nil {
		return nil, err
	}
	err = db.ExportPledges(ctx, storage.PledgeFilter{}, func(p cd.Pledge) error { out = append(out, p); return nil })
	if err != nil {
		return nil, err
	}
	err = db.ExportActivities(ctx, storage.ActivityFilter{Month: today.MonthOf()}, func(a cd.Activity) error { out = append(out, a); return nil })
	return out, err
}
