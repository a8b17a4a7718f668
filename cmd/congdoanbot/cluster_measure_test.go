package main

import (
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
	"github.com/congdoanbot/congdoanbot/storage"
	"github.com/congdoanbot/congdoanbot/storage/storagetest"
)

// TestMeasureInboundInstances measures inbound updates per second end to
// end (fake Bot API → polling → inbox → core → PostgreSQL → reply sent)
// with one and with two instances on one database, in the same run. It
// runs only with CONGDOANBOT_MEASURE=1 (a minute of child processes):
// CONGDOANBOT_MEASURE=1 .ci/test ./cmd/congdoanbot -run MeasureInbound -v
func TestMeasureInboundInstances(t *testing.T) {
	if os.Getenv("CONGDOANBOT_MEASURE") != "1" {
		t.Skip("a measurement: set CONGDOANBOT_MEASURE=1")
	}
	for _, n := range []int{1, 2, 1, 2} {
		rate := measureInbound(t, n)
		t.Logf("%d instance(s): 2,000 updates answered at %.0f updates/s", n, rate)
	}
}

func measureInbound(t *testing.T, instances int) float64 {
	const senders, each = 1000, 2
	url := storagetest.PostgresURL(t)
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	cfgPath := telegramConfigOn(t, srv, storage.Postgres, url, fmt.Sprintf(`token = %q
[telegram.sender]
messages_per_second = 1000
[bot]
flood_per_minute = 1000
`, testToken))
	db, err := storage.Dial(context.Background(), storage.Postgres, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedMembers(t, db, senders, false)
	var cmds []*osexec.Cmd
	var logs []*syncBuffer
	for range instances {
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
	waitFor(t, "every update answered", func() bool {
		n := 0
		for _, m := range srv.Sent() {
			if strings.Contains(m.Text, txtHelpHeaderForTest) {
				n++
			}
		}
		return n >= senders*each
	}, logs...)
	return float64(senders*each) / time.Since(start).Seconds()
}
