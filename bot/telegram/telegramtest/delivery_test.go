package telegramtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

const hookSecret = "hook_secret-1"

// arrival is one webhook request held by the test's endpoint until it
// answers on reply: the status, and a Retry-After header when not 0.
type arrival struct {
	updateID int
	secret   string
	reply    chan [2]int
}

// holdingEndpoint is a webhook endpoint that hands every request to the
// test on arrivals and answers what the test says.
func holdingEndpoint(t *testing.T) (*httptest.Server, chan arrival) {
	arrivals := make(chan arrival)
	ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var u struct {
			UpdateID int `json:"update_id"`
		}
		if err := json.Unmarshal(body, &u); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("delivery %q (%s) is not an update in JSON", body, r.Header.Get("Content-Type"))
		}
		a := arrival{updateID: u.UpdateID, secret: r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), reply: make(chan [2]int)}
		select {
		case arrivals <- a:
		case <-r.Context().Done():
			return
		}
		ans := <-a.reply
		if ans[1] > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(ans[1]))
		}
		w.WriteHeader(ans[0])
	}))
	t.Cleanup(ep.Close)
	return ep, arrivals
}

// setHook registers url through the Bot API, as the bot does.
func setHook(t *testing.T, bot *tgbotapi.BotAPI, url string, maxConnections int) {
	t.Helper()
	_, err := bot.MakeRequest("setWebhook", tgbotapi.Params{"url": url, "secret_token": hookSecret,
		"max_connections": strconv.Itoa(maxConnections)})
	if err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
}

// recv takes the next value of ch; a missing one fails the test after
// 10 s instead of hanging it.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
		panic("unreachable")
	}
}

// runDelivery starts the delivery loop and stops it at the test's end.
func runDelivery(t *testing.T, srv *telegramtest.Server, d telegramtest.Delivery) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.RunWebhookDelivery(ctx, d)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// TestWebhookDeliveryOrderAndConcurrency: one update of a chat at a time,
// in update_id order, the next only after a 2xx; a chat's messages and
// its user's button presses are two queues; before the first success one
// request at a time, then up to max_connections at once and never more;
// every request carries the secret.
func TestWebhookDeliveryOrderAndConcurrency(t *testing.T) {
	const maxConn, chats, each = 3, 6, 3
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token})
	ep, arrivals := holdingEndpoint(t)
	setHook(t, newBot(t, srv), ep.URL, maxConn)
	var mu sync.Mutex
	inFlight, busiest, queues := 0, 0, map[int64]bool{}
	var delivered []telegramtest.Attempt
	all := make(chan struct{})
	runDelivery(t, srv, telegramtest.Delivery{
		OnStart: func(a telegramtest.Attempt) {
			mu.Lock()
			defer mu.Unlock()
			inFlight++
			busiest = max(busiest, inFlight)
			if inFlight > maxConn || queues[a.Queue] || len(delivered) == 0 && inFlight > 1 {
				t.Errorf("update %d started with %d in flight (queue %d busy: %v, %d delivered)", a.UpdateID, inFlight, a.Queue, queues[a.Queue], len(delivered))
			}
			queues[a.Queue] = true
		},
		OnAttempt: func(a telegramtest.Attempt) {
			mu.Lock()
			defer mu.Unlock()
			inFlight--
			queues[a.Queue] = false
			if delivered = append(delivered, a); len(delivered) == chats*each+1 {
				close(all)
			}
		},
	})
	ids := map[int]int64{} // update id → chat
	for round := range each {
		for c := range chats {
			u := telegramtest.User{ID: int64(100 + c), FirstName: "Chat"}
			ids[srv.SendText(u, "tin "+strconv.Itoa(round))] = u.ID
		}
	}
	press := srv.ForgeCallback(telegramtest.User{ID: 100, FirstName: "Chat"}, 100, 1, "x")
	first := recv(t, arrivals, "first delivery")
	if first.secret != hookSecret {
		t.Errorf("secret header %q, want %q", first.secret, hookSecret)
	}
	first.reply <- [2]int{http.StatusOK}
	// Now max_connections at once: hold them all, then answer.
	var held []arrival
	for range maxConn {
		held = append(held, recv(t, arrivals, "concurrent delivery"))
	}
	for _, a := range held {
		a.reply <- [2]int{http.StatusNoContent}
	}
	go func() {
		for {
			select {
			case a := <-arrivals:
				a.reply <- [2]int{http.StatusOK}
			case <-all:
				return
			}
		}
	}()
	recv(t, all, "every update delivered")
	mu.Lock()
	defer mu.Unlock()
	last := map[int64]int{}
	for _, a := range delivered {
		if !a.OK() || a.Try != 1 {
			t.Errorf("attempt %+v, want one 2xx each", a)
		}
		if chat, ok := ids[a.UpdateID]; ok {
			if a.UpdateID < last[chat] {
				t.Errorf("chat %d: update %d delivered after %d", chat, a.UpdateID, last[chat])
			}
			last[chat] = a.UpdateID
		} else if a.UpdateID != press || a.Queue == 100 {
			t.Errorf("attempt %+v: the button press is a queue of its own", a)
		}
	}
	if busiest != maxConn || srv.PendingUpdates() != 0 {
		t.Errorf("at most %d requests at once, want %d; %d updates pending", busiest, maxConn, srv.PendingUpdates())
	}
}

// TestWebhookDeliveryRetries: a failure (500, connection refused) is
// tried again at once, then after a growing delay, or after the answer's
// Retry-After; the chat's next update waits until the failing one is
// confirmed; getWebhookInfo shows the last error. Time is a Clock moved
// by the test when the loop asks for a timer.
func TestWebhookDeliveryRetries(t *testing.T) {
	clock := telegramtest.NewClock(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: token, Now: clock.Now})
	bot := newBot(t, srv)
	ep, arrivals := holdingEndpoint(t)
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + dead.Addr().String() + "/hook"
	dead.Close() // connections to it are refused
	setHook(t, bot, deadURL, 4)
	timers, fire := make(chan time.Duration, 1), make(chan time.Time)
	attempts := make(chan telegramtest.Attempt, 10)
	runDelivery(t, srv, telegramtest.Delivery{
		After:     func(d time.Duration) <-chan time.Time { timers <- d; return fire },
		OnAttempt: func(a telegramtest.Attempt) { attempts <- a },
	})
	wait := func(d time.Duration) {
		t.Helper()
		if got := recv(t, timers, "timer"); got != d {
			t.Fatalf("retry after %s, want %s", got, d)
		}
		clock.Advance(d)
		fire <- clock.Now()
	}
	expect := func(id, try int, ok bool) {
		t.Helper()
		if a := recv(t, attempts, "attempt"); a.UpdateID != id || a.Try != try || a.OK() != ok {
			t.Fatalf("attempt %+v, want update %d try %d ok=%v", a, id, try, ok)
		}
	}
	an := telegramtest.User{ID: 7, FirstName: "An"}
	u1, u2 := srv.SendText(an, "một"), srv.SendText(an, "hai")
	expect(u1, 1, false) // refused, tried again at once
	expect(u1, 2, false)
	if info, err := bot.GetWebhookInfo(); err != nil || info.LastErrorMessage != "Connection refused" || info.PendingUpdateCount != 2 {
		t.Errorf("getWebhookInfo = %+v, %v", info, err)
	}
	clock.Advance(time.Second) // setWebhook: one a second
	setHook(t, bot, ep.URL, 4)
	wait(2 * time.Second)
	for i, ans := range [][2]int{{http.StatusInternalServerError}, {http.StatusServiceUnavailable, 7}, {http.StatusOK}} {
		a := recv(t, arrivals, "delivery")
		if a.updateID != u1 || a.secret != hookSecret {
			t.Fatalf("delivery of %d (secret %q), want %d: the chat's next waits", a.updateID, a.secret, u1)
		}
		a.reply <- ans
		expect(u1, 3+i, ans[0] == http.StatusOK)
		switch i {
		case 0:
			wait(4 * time.Second) // 2 s, doubled
		case 1:
			wait(7 * time.Second) // the answer's Retry-After
		}
	}
	a := recv(t, arrivals, "next delivery")
	if a.updateID != u2 {
		t.Fatalf("delivery of %d, want %d", a.updateID, u2)
	}
	a.reply <- [2]int{http.StatusOK}
	expect(u2, 1, true)
	if n := srv.PendingUpdates(); n != 0 {
		t.Errorf("%d updates pending", n)
	}
}
