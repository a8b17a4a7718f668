package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// inboundSetup is one configuration TestMeasureInboundInstances measures.
type inboundSetup struct {
	engine    storage.Engine
	instances int
}

func (s inboundSetup) String() string {
	return fmt.Sprintf("%s ×%d", s.engine, s.instances)
}

// TestMeasureInboundInstances measures inbound updates per second end to
// end (fake Bot API → polling → inbox → core → database → reply sent) on
// SQLite with one instance and on PostgreSQL with one and with two
// instances on one database, in the same run: the setups in the order
// A B C C B A, so that a drift of the machine's speed weighs on each
// alike. Each run is 2,000 /trogiup from 1,000 members, after a warm-up
// of 1,000 and ANALYZE (see measureInbound). It runs only with
// CONGDOANBOT_MEASURE=1 (minutes of child processes):
// CONGDOANBOT_MEASURE=1 .ci/test ./cmd/congdoanbot -run MeasureInbound -v
func TestMeasureInboundInstances(t *testing.T) {
	if os.Getenv("CONGDOANBOT_MEASURE") != "1" {
		t.Skip("a measurement: set CONGDOANBOT_MEASURE=1")
	}
	setups := []inboundSetup{{storage.SQLite, 1}, {storage.Postgres, 1}, {storage.Postgres, 2}}
	order := append(slices.Clone(setups), setups...)
	slices.Reverse(order[len(setups):])
	runs := map[inboundSetup][]inboundRun{}
	for _, s := range order {
		m := measureInbound(t, s)
		runs[s] = append(runs[s], m)
		t.Logf("%s: %d updates applied at %.0f/s, answered at %.0f/s (first reply after %s, longest pause between replies %s)",
			s, inboundUpdates, m.applied, m.rate, m.first.Round(time.Millisecond), m.pause.Round(time.Millisecond))
	}
	var table strings.Builder
	fmt.Fprintf(&table, "inbound updates/s, applied | answered (end to end), runs in the order %v:\n", order)
	for _, s := range setups {
		fmt.Fprintf(&table, "  %-12s", s.String())
		for _, m := range runs[s] {
			fmt.Fprintf(&table, " %5.0f", m.applied)
		}
		fmt.Fprint(&table, " |")
		for _, m := range runs[s] {
			fmt.Fprintf(&table, " %5.0f", m.rate)
		}
		fmt.Fprintln(&table)
	}
	t.Log(table.String())
}

// A measured run: inboundUpdates /trogiup from inboundSenders members.
const inboundSenders, inboundUpdates = 1000, 2000

// inboundRun is what one measured run saw.
type inboundRun struct {
	rate    float64       // updates answered per second
	applied float64       // updates applied per second (the last marked applied in the inbox)
	first   time.Duration // from the first update sent to the first reply
	pause   time.Duration // the longest time between two replies
}

func measureInbound(t *testing.T, s inboundSetup) inboundRun {
	const senders, each = inboundSenders, inboundUpdates / inboundSenders
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	target, url := filepath.Join(t.TempDir(), "bot.db"), ""
	if s.engine == storage.Postgres {
		target = storagetest.PostgresURL(t)
		url = target
	}
	cfgPath := telegramConfigOn(t, srv, s.engine, target, fmt.Sprintf(`token = %q
[telegram.sender]
messages_per_second = 1000
[bot]
flood_per_minute = 1000
`, testToken))
	db, err := storage.Dial(context.Background(), s.engine, target)
	if err != nil {
		t.Fatal(err)
	}
	seedMembers(t, db, senders, false)
	db.Close()
	var cmds []*osexec.Cmd
	var logs []*syncBuffer
	for range s.instances {
		c, l := startInstance(t, cfgPath, url)
		cmds, logs = append(cmds, c), append(logs, l)
	}
	defer func() {
		for _, c := range cmds {
			c.Process.Signal(syscall.SIGTERM)
			c.Wait()
		}
	}()
	waitFor(t, "polling", func() bool { return srv.Calls("getUpdates") > 0 }, logs...)
	send := func(rounds int) time.Time {
		at := time.Now()
		for range rounds {
			for u := range senders {
				srv.SendText(telegramtest.User{ID: int64(400000 + u), FirstName: "Đoàn Viên"}, "/trogiup")
			}
		}
		return at
	}
	// A warm-up round, then statistics, as a running deployment has them:
	// on a new PostgreSQL database the planner has none, and until
	// autovacuum analyzes the outbox (within a minute or two, at no
	// predictable moment) the sender's read of its lanes takes 30 ms
	// instead of 3, which would decide the figure.
	send(1)
	replies := waitReplies(t, srv, senders, logs)
	raw := openRaw(t, s.engine, target)
	if _, err := raw.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	start := send(each)
	replies = waitReplies(t, srv, senders*(1+each), logs)[senders:]
	last := replies[len(replies)-1]
	run := inboundRun{rate: float64(senders*each) / last.Sub(start).Seconds(), first: replies[0].Sub(start)}
	var applied string // the inbox's times: UTC, fixed width
	if err := raw.QueryRow(`SELECT MAX(processed_at) FROM inbox`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if at, err := time.Parse("2006-01-02T15:04:05.000Z", applied); err == nil {
		run.applied = float64(senders*each) / at.Sub(start).Seconds()
	}
	for i := 1; i < len(replies); i++ {
		run.pause = max(run.pause, replies[i].Sub(replies[i-1]))
	}
	return run
}

// waitReplies waits, for up to 5 minutes, until n replies to /trogiup
// were sent, and returns when each was sent.
func waitReplies(t *testing.T, srv *telegramtest.Server, n int, logs []*syncBuffer) []time.Time {
	t.Helper()
	var replies []time.Time
	deadline := time.Now().Add(5 * time.Minute)
	for {
		replies = replies[:0]
		for _, m := range srv.Sent() {
			if strings.Contains(m.Text, txtHelpHeaderForTest) {
				replies = append(replies, m.Time)
			}
		}
		if len(replies) >= n {
			return replies[:n]
		}
		if time.Now().After(deadline) {
			for _, l := range logs {
				t.Log(tail(l.String(), 4000))
			}
			t.Fatalf("%d of %d updates answered within 5 min", len(replies), n)
		}
		time.Sleep(50 * time.Millisecond) // polling child processes, not waiting for a goroutine
	}
}

// openRaw opens the database of a run with database/sql, for ANALYZE and
// a look at the inbox; it is closed when the test ends.
func openRaw(t *testing.T, e storage.Engine, target string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+target+"?_pragma=busy_timeout(5000)"
	if e == storage.Postgres {
		driver, dsn = "pgx", target
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
