package storage

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Several instances on one PostgreSQL database wake each other: a write
// transaction that adds outbox or inbox rows says so with pg_notify, which
// PostgreSQL delivers when (and only if) the transaction commits, and each
// instance keeps one connection listening (Listen) that wakes its senders
// and inbox processors. One notification per kind and transaction, however
// many rows; it costs nothing on SQLite (one instance wakes its own).

// The kinds of rows a notification announces.
const (
	NotifyOutbox = "outbox"
	NotifyInbox  = "inbox"
)

// notifyChannel is the channel every instance listens on; a payload is
// "kind:platform,platform", or "kind:" for every platform.
const notifyChannel = "congdoanbot"

// tell records that tx adds rows of kind for platform ("" for every
// platform), to be announced when it commits (PostgreSQL only).
func (tx *Tx) tell(kind, platform string) {
	if !tx.tx.pg {
		return
	}
	if tx.notes == nil {
		tx.notes = map[string]map[string]bool{}
	}
	if tx.notes[kind] == nil {
		tx.notes[kind] = map[string]bool{}
	}
	tx.notes[kind][platform] = true
}

// sendNotes queues tx's notifications, one per kind, in one statement; the
// server delivers them at commit.
func (tx *Tx) sendNotes() error {
	if len(tx.notes) == 0 {
		return nil
	}
	var calls []string
	var args []any
	for _, kind := range slices.Sorted(maps.Keys(tx.notes)) {
		platforms := tx.notes[kind]
		payload := kind + ":"
		if !platforms[""] {
			payload += strings.Join(slices.Sorted(maps.Keys(platforms)), ",")
		}
		calls, args = append(calls, `pg_notify('`+notifyChannel+`', ?)`), append(args, payload)
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `SELECT `+strings.Join(calls, ", "), args...); err != nil {
		return fmt.Errorf("notify other instances: %w", err)
	}
	return nil
}

// Listener is told what other instances (and this one) added.
type Listener struct {
	// Notify is called for each notification, on Listen's goroutine: kind
	// is NotifyOutbox or NotifyInbox, platform "" for every platform.
	Notify func(kind, platform string)
	// Listening, when set, is called each time the connection listens,
	// at start and after each reconnection: what was announced while it
	// was down is lost, so the caller should look at everything once.
	Listening func()
	Log       *slog.Logger
}

// Timing of Listen.
const (
	listenRetryMin = 250 * time.Millisecond // first wait before reconnecting
	listenRetryMax = 30 * time.Second
	listenCheck    = time.Minute // a silent connection is checked this often
)

// Listen keeps one connection of its own listening for the notifications
// of write transactions (see tell) until ctx ends, and calls l.Notify for
// each. A connection that fails or is closed is replaced, after 250 ms
// doubling up to 30 s, and the loss logged; a silent one is checked every
// minute. On SQLite it returns at once: one instance, which wakes its own.
func (db *DB) Listen(ctx context.Context, l Listener) error {
	if db.engine != Postgres {
		return nil
	}
	if l.Log == nil {
		l.Log = slog.New(slog.DiscardHandler)
	}
	delay := listenRetryMin
	for {
		up, err := db.listenOnce(ctx, l)
		if ctx.Err() != nil {
			return nil
		}
		if up {
			delay = listenRetryMin
		}
		l.Log.Warn("listening for other instances' work: connection lost; reconnecting", "in", delay, "err", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		delay = min(2*delay, listenRetryMax)
	}
}

// listenOnce connects, listens, and passes notifications on until the
// connection fails or ctx ends; up reports that it listened.
func (db *DB) listenOnce(ctx context.Context, l Listener) (up bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, db.pgcfg)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, `LISTEN `+notifyChannel); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	l.Log.Info("listening for other instances' work", "channel", notifyChannel)
	if l.Listening != nil {
		l.Listening()
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := conn.WaitForNotification(wctx)
		timedOut := wctx.Err() != nil
		cancel()
		switch {
		case ctx.Err() != nil:
			return true, nil
		case err == nil:
			dispatchNote(n.Payload, l.Notify)
		case timedOut && !conn.IsClosed():
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return true, fmt.Errorf("check: %w", err)
			}
		default:
			return true, err
		}
	}
}

// dispatchNote calls notify for each platform of a payload.
func dispatchNote(payload string, notify func(kind, platform string)) {
	kind, platforms, ok := strings.Cut(payload, ":")
	if !ok || notify == nil {
		return
	}
	if platforms == "" {
		notify(kind, "")
		return
	}
	for _, p := range strings.Split(platforms, ",") {
		notify(kind, p)
	}
}
