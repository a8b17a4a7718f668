package main

import (
	"context"
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
	return fmt.Sprintf("%s, %d instance(s)", s.engine, s.instances)
}

// TestMeasureInboundInstances measures inbound updates per second end to
// end (fake Bot API → polling → inbox → core → database → reply sent) on
// SQLite with one instance and on PostgreSQL with one and with two
// instances on one database, in the same run: the setups in the order
// A B C C B A, so that a drift of the machine's speed weighs on each
// alike. It runs only with CONGDOANBOT_MEASURE=1 (minutes of child
// processes):
// CONGDOANBOT_MEASURE=1 .ci/test ./cmd/congdoanbot -run MeasureInbound -v
func TestMeasureInboundInstances(t *testing.T) {
	if os.Getenv("CONGDOANBOT_MEASURE") != "1" {
		t.Skip("a measurement: set CONGDOANBOT_MEASURE=1")
	}
	setups := []inboundSetup{{storage.SQLite, 1}, {storage.Postgres, 1}, {storage.Postgres, 2}}
	order := append(slices.Clone(setups), setups...)
	slices.Reverse(order[len(setups):])
	rates := map[inboundSetup][]float64{}
	for _, s := range order {
		m := measureInbound(t, s)
		rates[s] = append(rates[s], m.rate)
		t.Logf("%s: 2,000 updates answered at %.0f updates/s (first reply after %s, longest pause between replies %s)",
			s, m.rate, m.first.Round(time.Millisecond), m.pause.Round(time.Millisecond))
	}
	var table strings.Builder
	fmt.Fprintf(&table, "inbound updates/s, end to end, runs in the order %v:\n", order)
	for _, s := range setups {
		fmt.Fprintf(&table, "  %-24s", s.String())
		for _, r := range rates[s] {
			fmt.Fprintf(&table, " %6.0f", r)
		}
		fmt.Fprintln(&table)
	}
	t.Log(table.String())
}

// inboundRun is what one measured run saw.
type inboundRun struct {
	rate  float64       // updates answered per second
	first time.Duration // from the first update sent to the first reply
	pause time.Duration // the longest time between two replies
}

func measureInbound(t *testing.T, s inboundSetup) inboundRun {
	const senders, each = 1000, 2
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	target, url := filepath.Join(t.TempDir(), "bot.db"), ""
	if s.engine == storage.Postgres {
		target = storagetest.PostgresURL(t)
		lastURL = target
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
	start := time.Now()
	for range each {
		for u := range senders {
			srv.SendText(telegramtest.User{ID: int64(400000 + u), FirstName: "Đoàn Viên"}, "/trogiup")
		}
	}
	var replies []time.Time
	deadline := start.Add(5 * time.Minute)
	for len(replies) < senders*each {
		if time.Now().After(deadline) {
			for _, l := range logs {
				t.Log(tail(l.String(), 4000))
			}
			t.Fatalf("%s: %d of %d updates answered within 5 min", s, len(replies), senders*each)
		}
		time.Sleep(50 * time.Millisecond) // polling child processes, not waiting for a goroutine
		replies = replies[:0]
		for _, m := range srv.Sent() {
			if strings.Contains(m.Text, txtHelpHeaderForTest) {
				replies = append(replies, m.Time)
			}
		}
	}
	last := replies[senders*each-1]
	run := inboundRun{rate: float64(senders*each) / last.Sub(start).Seconds(), first: replies[0].Sub(start)}
	for i := 1; i < len(replies); i++ {
		run.pause = max(run.pause, replies[i].Sub(replies[i-1]))
	}
	return run
}
