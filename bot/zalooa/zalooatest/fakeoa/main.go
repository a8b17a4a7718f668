// Command fakeoa runs the fake Zalo OA of the tests as a program, to try
// the bot by hand as an OA follower would:
//
//	go run ./bot/zalooa/zalooatest/fakeoa -listen 127.0.0.1:8099 -webhook http://127.0.0.1:8445/zalo-oa
//
// It prints the [zalo_oa] settings and secrets to give the bot, then reads
// lines from standard input:
//
//	consent URL        the OA admin opens a consent URL of `zalo-oa authorize`: prints the redirect
//	@an follow         @an follows the OA (a user is made on first use, following)
//	@an /dangky        @an writes to the OA
//	@an image URL      @an sends an image
//	@an unfollow       @an unfollows
//	@an old            @an last wrote 8 days ago (outside the window)
//
// and prints every message the OA accepts as "[OA → @an] text".
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/zalooa/zalooatest"
)

type program struct{ cleanups []func() }

func (*program) Helper()                         {}
func (p *program) Cleanup(f func())              { p.cleanups = append(p.cleanups, f) }
func (*program) Logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
func (p *program) close()                        { runAll(p.cleanups) }
func runAll(fs []func()) {
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8099", "address of the fake OA API and OAuth")
	webhook := flag.String("webhook", "http://127.0.0.1:8445/zalo-oa", "the bot's webhook URL")
	verbose := flag.Bool("v", false, "log every call")
	flag.Parse()
	p := &program{}
	defer p.close()
	srv := zalooatest.NewServer(p, zalooatest.Options{Listen: *listen, Verbose: *verbose})
	srv.SetWebhook(*webhook)
	o := srv.Options()
	fmt.Printf("[zalo_oa]\nenabled = true\napp_id = %q\noa_id = %q\nredirect_uri = \"https://congdoan.example/zalo-oa/callback\"\n"+
		"webhook_listen = %q\napi_url = %q\noauth_url = %q\n\nexport CONGDOANBOT_ZALO_OA_APP_SECRET=%s CONGDOANBOT_ZALO_OA_SECRET_KEY=%s\n\n",
		o.AppID, o.OAID, hostOf(*webhook), srv.URL(), srv.URL(), o.AppSecret, o.SecretKey)
	users := map[string]zalooatest.User{}
	names := &sync.Map{} // user id -> name
	go printSent(srv, names)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if err := run(srv, users, names, strings.TrimSpace(in.Text())); err != nil {
			fmt.Println("!", err)
		}
	}
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	h, _, _ := strings.Cut(u, "/")
	return h
}

// run plays one input line.
func run(srv *zalooatest.Server, users map[string]zalooatest.User, names *sync.Map, line string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if u, ok := strings.CutPrefix(line, "consent "); ok {
		to, err := srv.Consent(strings.TrimSpace(u))
		if err == nil {
			fmt.Println("redirected to:", to)
		}
		return err
	}
	name, text, _ := strings.Cut(strings.TrimPrefix(line, "@"), " ")
	if !strings.HasPrefix(line, "@") || name == "" {
		return nil
	}
	u, ok := users[name]
	if !ok {
		u = srv.NewUser()
		users[name] = u
		names.Store(u.ID, name)
		srv.SetUser(u, true, time.Now())
	}
	var status int
	var err error
	switch {
	case text == "follow":
		status, err = srv.Follow(ctx, u)
	case text == "unfollow":
		status, err = srv.Unfollow(ctx, u)
	case text == "old":
		srv.SetUser(u, true, time.Now().Add(-8*24*time.Hour))
		return nil
	case strings.HasPrefix(text, "image "):
		status, err = srv.SendImage(ctx, u, strings.TrimPrefix(text, "image "), "")
	default:
		status, err = srv.SendText(ctx, u, text)
	}
	if err == nil && status != 200 {
		err = fmt.Errorf("the webhook answered %d", status)
	}
	return err
}

// printSent prints the messages the OA accepts, as they come.
func printSent(srv *zalooatest.Server, names *sync.Map) {
	printed := 0
	for {
		if err := srv.WaitSent(context.Background(), printed+1); err != nil {
			return
		}
		for _, m := range srv.Sent()[printed:] {
			printed++
			name, _ := names.Load(m.UserID)
			fmt.Printf("[OA → @%v] %s\n", name, m.Text)
		}
	}
}
