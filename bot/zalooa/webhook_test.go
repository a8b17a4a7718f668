package zalooa

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot/zalooa/zalooatest"
	"github.com/congdoanbot/congdoanbot/storage"
)

// A delivery is stored only with the right signature and a recent
// timestamp; nothing of a refused one is kept (not even the person's
// interaction).
func TestWebhookSignature(t *testing.T) {
	tests := []struct {
		name    string
		change  func(e *env, d *zalooatest.Delivery)
		status  int
		stored  bool
		logLine string
	}{
		{name: "signed", status: 200, stored: true},
		{name: "mac= prefix", change: func(_ *env, d *zalooatest.Delivery) { d.Signature = "mac=" + d.Signature },
			status: 200, stored: true},
		{name: "missing", change: func(_ *env, d *zalooatest.Delivery) { d.Signature = "" },
			status: 200, logLine: "without a signature"},
		{name: "wrong key", change: func(_ *env, d *zalooatest.Delivery) {
			d.Signature = strings.Repeat("ab", 32)
		}, status: 401, logLine: "wrong signature"},
		{name: "not hex", change: func(_ *env, d *zalooatest.Delivery) { d.Signature = "xyz" }, status: 401},
		{name: "body changed", change: func(_ *env, d *zalooatest.Delivery) {
			d.Body = bytes.Replace(d.Body, []byte("xin chao"), []byte("xin chà0"), 1)
		}, status: 401},
		{name: "timestamp changed", change: func(e *env, d *zalooatest.Delivery) {
			ts, _ := RawTimestamp(d.Body)
			d.Body = bytes.Replace(d.Body, []byte(ts), []byte(ts[:len(ts)-1]+"9"), 1)
		}, status: 401},
		{name: "stale", change: func(e *env, _ *zalooatest.Delivery) { e.clock.Advance(13 * time.Hour) },
			status: 200, logLine: "signed too long ago"},
		{name: "from the future", change: func(e *env, d *zalooatest.Delivery) {
			ts, _ := RawTimestamp(d.Body)
			future := millis(e.clock.Now().Add(time.Hour))
			d.Body = bytes.Replace(d.Body, []byte(ts), []byte(future), 1)
			d.Signature = e.srv.Sign(d.Body, future)
		}, status: 200, logLine: "signed too long ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder()
			e := newEnv(t, withHandler(rec))
			u := e.srv.NewUser()
			d, _ := e.srv.Text(u, "xin chao")
			if tt.change != nil {
				tt.change(e, &d)
			}
			status, err := e.srv.Deliver(e.ctx(), d)
			if err != nil || status != tt.status {
				t.Fatalf("webhook answered %d, %v; want %d\nlogs:\n%s", status, err, tt.status, e.logs)
			}
			c, err := e.db.OAContact(context.Background(), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if n := e.stored(); (n == 1) != tt.stored || c.Known != tt.stored {
				t.Errorf("%d events stored, contact known %v; want stored %v", n, c.Known, tt.stored)
			}
			if tt.stored {
				if got := rec.next(e); got.Text != "xin chao" || got.UserID != u.ID || got.Platform != cd.PlatformZaloOA {
					t.Errorf("update = %+v", got)
				}
			}
			if !strings.Contains(e.logs.String(), tt.logLine) {
				t.Errorf("no log line %q:\n%s", tt.logLine, e.logs)
			}
		})
	}
}

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// A delivery Zalo retries is applied once; the OA's echoes of its own
// messages, receipts and unknown events are dropped; stickers and files
// reach the core as an empty message and an unsupported one; a reaction
// counts as an interaction without an update.
func TestWebhookRetriesEchoesAndKinds(t *testing.T) {
	rec := newRecorder()
	e := newEnv(t, withHandler(rec))
	s, ctx := e.srv, e.ctx()
	u := s.NewUser()
	d, _ := s.Text(u, "lần một")
	e.deliver(s.Deliver(ctx, d))
	e.deliver(s.Deliver(ctx, d)) // Zalo retries
	e.deliver(s.Echo(ctx, u, "bot nói"))
	e.deliver(s.SendEvent(ctx, u, "user_seen_message", map[string]any{}))
	e.deliver(s.SendEvent(ctx, u, "some_new_event", map[string]any{"text": "?"}))
	e.deliver(s.SendEvent(ctx, u, "user_send_sticker", map[string]any{"attachments": []any{}}))
	e.deliver(s.SendEvent(ctx, u, "user_send_file", map[string]any{}))
	if got := rec.next(e); got.Text != "lần một" {
		t.Errorf("first update = %+v", got)
	}
	if got := rec.next(e); got.Text != "" || got.Unsupported || got.Photo != "" {
		t.Errorf("sticker = %+v", got)
	}
	if got := rec.next(e); !got.Unsupported {
		t.Errorf("file = %+v", got)
	}
	if n := e.stored(); n != 3 {
		t.Errorf("%d events stored, want 3 (text once, sticker, file)", n)
	}
	v := s.NewUser()
	e.clock.Advance(time.Minute)
	e.deliver(s.SendEvent(ctx, v, "user_reacted_message", map[string]any{}))
	if c, _ := e.db.OAContact(ctx, v.ID); !c.Known || !c.LastInteraction.Equal(e.clock.Now()) || e.stored() != 3 {
		t.Errorf("after a reaction: contact %+v, %d stored", c, e.stored())
	}
}

// A photo that does not download within the time Zalo waits for the
// answer is downloaded again before its event is applied; the webhook
// answers in time all the same.
func TestSlowPhotoDownloadedBeforeApplied(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	photos := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			<-r.Context().Done() // slower than the adapter waits
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(jpeg)
	}))
	t.Cleanup(photos.Close)
	rec := newRecorder()
	e := newEnv(t, withHandler(rec), withPhotoTimeout(200*time.Millisecond))
	u := e.srv.NewUser()
	start := time.Now()
	e.deliver(e.srv.SendImage(e.ctx(), u, photos.URL+"/a.jpg", "ảnh hoạt động"))
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("the webhook answered after %s", took)
	}
	got := rec.next(e)
	id, ok := cd.ParseMediaRef(got.Photo)
	if !ok || got.Text != "ảnh hoạt động" {
		t.Fatalf("update = %+v", got)
	}
	if mime, data, err := e.db.Media(context.Background(), id); err != nil || mime != "image/jpeg" || !bytes.Equal(data, jpeg) {
		t.Errorf("media = %q, %d bytes, %v", mime, len(data), err)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 {
		t.Errorf("%d downloads, want 2", calls)
	}
}

// Unfollowing marks the OA account unreachable: a message to the member
// goes to their other account, and a member with no other account is on
// the chair's list of members the bot cannot reach.
func TestUnfollow(t *testing.T) {
	e := newEnv(t)
	s, ctx := e.srv, e.ctx()
	an, bob := e.follower(), e.follower()
	e.member("Nguyễn Văn An", cd.Identity{Platform: cd.PlatformConsole, UserID: "an", ChatID: "an"})
	e.linkOA("an", an)
	e.activeMember(bob, "Lê Văn Bình")
	e.deliver(s.Unfollow(ctx, an))
	e.deliver(s.Unfollow(ctx, bob))
	e.settle()
	err := e.db.Update(ctx, func(tx *storage.Tx) error {
		m, err := tx.MemberByIdentity(cd.PlatformConsole, "an")
		if err != nil {
			return err
		}
		ids, err := tx.Identities(m.ID)
		for _, id := range ids {
			if id.Platform == cd.PlatformZaloOA && (!id.Unreachable || id.UnreachableReason != unfollowReason) {
				t.Errorf("OA account after the unfollow: %+v", id)
			}
		}
		unit, err := tx.UnitByCode("STP")
		if err != nil {
			return err
		}
		missing, err := tx.UnreachableMembers(unit.ID)
		if len(missing) != 1 || missing[0].FullName != "Lê Văn Bình" {
			t.Errorf("cannot be reached: %+v", missing)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.notify("an", "Thông báo họp công đoàn")
	e.awaitPrinted("[bot → @an] Thông báo họp công đoàn")
	if got := s.SentTo(an); len(got) != 1 { // the greeting only
		t.Errorf("sent to the OA: %+v", got)
	}
}
