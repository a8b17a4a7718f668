package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// memStore is an inbox in memory: rows stay pending until handled or set
// aside.
type memStore struct {
	mu      sync.Mutex
	pending []cd.InboxItem
	aside   map[int64]string
}

func (m *memStore) PendingInbox(_ context.Context, _ string, limit int) ([]cd.InboxItem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]cd.InboxItem(nil), m.pending[:min(limit, len(m.pending))]...), nil
}

func (m *memStore) InboxFailed(_ context.Context, id int64, errText string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.aside[id] = errText
	m.remove(id)
	return nil
}

func (m *memStore) remove(id int64) {
	for i, it := range m.pending {
		if it.ID == id {
			m.pending = append(m.pending[:i], m.pending[i+1:]...)
			return
		}
	}
}

// TestProcessorOrderRetriesAndSetsAside: rows go in order; a failing row
// holds back the ones after it until it succeeds; a malformed one, or one
// failing too often, is set aside and the rest go on.
func TestProcessorOrderRetriesAndSetsAside(t *testing.T) {
	store := &memStore{aside: map[int64]string{}}
	for i := int64(1); i <= 5; i++ {
		store.pending = append(store.pending, cd.InboxItem{ID: i, UpdateKey: fmt.Sprint(i)})
	}
	var mu sync.Mutex
	var order []int64
	tries := map[int64]int{}
	done := make(chan struct{})
	p := NewProcessor("test", store, func(_ context.Context, it cd.InboxItem) error {
		mu.Lock()
		defer mu.Unlock()
		tries[it.ID]++
		switch {
		case it.ID == 2 && tries[2] < 3: // fails twice, then goes
			return errors.New("database is locked")
		case it.ID == 3:
			return fmt.Errorf("%w: no update_id", ErrBad)
		case it.ID == 4: // always fails
			return errors.New("boom")
		}
		order = append(order, it.ID)
		store.mu.Lock()
		store.remove(it.ID)
		store.mu.Unlock()
		if it.ID == 5 {
			close(done)
		}
		return nil
	}, nil)
	p.MaxFailures = 3
	p.Backoff = Backoff{Min: time.Millisecond, Max: 2 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { p.Run(ctx); close(stopped) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("row 5 was never handled")
	}
	cancel()
	<-stopped
	if fmt.Sprint(order) != "[1 2 5]" {
		t.Fatalf("handled %v, want [1 2 5]", order)
	}
	if tries[2] != 3 || tries[3] != 1 || tries[4] != 3 {
		t.Fatalf("tries = %v", tries)
	}
	if len(store.aside) != 2 || store.aside[3] == "" || store.aside[4] == "" {
		t.Fatalf("set aside = %v", store.aside)
	}
}

// TestProcessorLeavesBusyChat: a row another instance is applying
// (cd.ErrInboxBusy) holds back its chat's later rows, not the other
// chats'; it is no failure (never set aside, however often), and the
// processor looks again without a Wake (Busy), taking the chat over in
// order when the other instance is gone.
func TestProcessorLeavesBusyChat(t *testing.T) {
	store := &memStore{aside: map[int64]string{}}
	for i := int64(1); i <= 4; i++ {
		store.pending = append(store.pending, cd.InboxItem{ID: i, ChatKey: []string{"a", "b"}[(i-1)%2]})
	}
	var mu sync.Mutex
	var order []int64
	busy := 0
	done := make(chan struct{})
	p := NewProcessor("test", store, func(_ context.Context, it cd.InboxItem) error {
		mu.Lock()
		defer mu.Unlock()
		if it.ID == 1 && busy < 5 { // chat a's first row: another instance is on it
			busy++
			return fmt.Errorf("take update 1: %w", cd.ErrInboxBusy)
		}
		order = append(order, it.ID)
		store.mu.Lock()
		store.remove(it.ID)
		store.mu.Unlock()
		if len(order) == 4 {
			close(done)
		}
		return nil
	}, nil)
	p.MaxFailures = 2
	p.Busy = time.Millisecond
	p.Idle = time.Hour // only Busy brings the processor back
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { p.Run(ctx); close(stopped) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("handled %v; chat a never taken over", order)
	}
	cancel()
	<-stopped
	if fmt.Sprint(order) != "[2 4 1 3]" || busy != 5 || len(store.aside) != 0 {
		t.Fatalf("handled %v after %d busy answers, set aside %v; want [2 4 1 3], 5, none", order, busy, store.aside)
	}
}

func TestBackoffGrowsAndStops(t *testing.T) {
	b := Backoff{Min: time.Millisecond, Max: 4 * time.Millisecond}
	for _, want := range []time.Duration{2, 4, 4} {
		b.Wait(context.Background(), 0)
		if b.next != want*time.Millisecond {
			t.Fatalf("next = %v, want %v", b.next, want*time.Millisecond)
		}
	}
	b.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if b.Wait(ctx, time.Hour) {
		t.Fatal("Wait returned true on a cancelled context")
	}
}

func TestWebhookConfigCheck(t *testing.T) {
	ok := WebhookConfig{Key: "zalo", Platform: "Zalo", URL: "https://bot.example.vn/zalo", Listen: ":8444", Path: "/zalo"}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mod  func(*WebhookConfig)
		want string
	}{
		{func(w *WebhookConfig) { w.URL = "" }, `key "zalo.webhook_url": must be set`},
		{func(w *WebhookConfig) { w.URL = "http://bot.example.vn/zalo" }, "must be https"},
		{func(w *WebhookConfig) { w.URL = "http://127.0.0.1:9000/zalo" }, ""},
		{func(w *WebhookConfig) { w.Listen = "" }, `key "zalo.webhook_listen": must be set`},
		{func(w *WebhookConfig) { w.Listen = "8444" }, "is not host:port"},
		{func(w *WebhookConfig) { w.Path = "/healthz" }, `key "zalo.webhook_path"`},
		{func(w *WebhookConfig) { w.Path = "zalo" }, `key "zalo.webhook_path"`},
	} {
		w := ok
		c.mod(&w)
		err := w.Check()
		if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", w, err, c.want)
		}
	}
}
