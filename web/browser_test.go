package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium. Without it the browser test skips,
// saying what is missing, unless CONGDOANBOT_REQUIRE_BROWSER=1 (the
// project's test script) makes that a failure.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium is not installed (apt-get install -y chromium): the browser test of the web dashboard is skipped"
	if os.Getenv("CONGDOANBOT_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + "; CONGDOANBOT_REQUIRE_BROWSER=1 requires it")
	}
	t.Skip(msg)
	return ""
}

// consoleLog collects what the pages write to the browser's console:
// calls of the console API, uncaught exceptions, and browser log entries
// (a resource that failed to load, a CSP violation).
type consoleLog struct {
	mu     sync.Mutex
	errors []string
	done   chan struct{}
}

const (
	consoleEnd   = "congdoanbot: end of the browser test"
	consoleProbe = "congdoanbot: probe of the console watch"
)

func watchConsole(ctx context.Context) *consoleLog {
	c := &consoleLog{done: make(chan struct{})}
	messages := chromedp.Console(ctx)
	go func() {
		defer close(c.done)
		for m, err := range messages {
			if err != nil || m.Text == consoleEnd {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Type == chromedp.ConsoleWarning {
				c.mu.Lock()
				c.errors = append(c.errors, m.String())
				c.mu.Unlock()
			}
		}
	}()
	return c
}

// finish writes the end mark and waits until every message before it was
// read.
func (c *consoleLog) finish(t *testing.T, ctx context.Context) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`console.log("`+consoleEnd+`")`)); err != nil {
		t.Fatal(err)
	}
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []string
	probed := false
	for _, e := range c.errors {
		if strings.Contains(e, consoleProbe) {
			probed = true
			continue
		}
		errs = append(errs, e)
	}
	if !probed {
		t.Fatal("the console watch missed the probe error: it would miss the pages' errors too")
	}
	return errs
}

// browserSession drives chromium through the dashboard and saves
// screenshots into CONGDOANBOT_SCREENSHOTS when it is set.
type browserSession struct {
	t   *testing.T
	ctx context.Context
	dir string
}

func (b *browserSession) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browserSession) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browserSession) shot(name string) {
	b.t.Helper()
	if b.dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func newBrowser(t *testing.T) *browserSession {
	path := chromium(t)
	dir := os.Getenv("CONGDOANBOT_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("lang", "vi-VN"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	b := &browserSession{t: t, ctx: ctx, dir: dir}
	b.do(chromedp.EmulateViewport(1280, 900))
	return b
}

// TestBrowserMonthOfWork signs in from the chat in a real browser, approves
// the pending applicant (who is told in chat), confirms a payment, sends an
// announcement to one unit, opens every page, and finds no error in the
// browser's console.
func TestBrowserMonthOfWork(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t)
	deadline, cancel := context.WithTimeout(b.ctx, 2*time.Minute)
	defer cancel()
	b.ctx = deadline
	console := watchConsole(b.ctx)

	h.register("an", "Nguyễn Văn An", "STP")
	h.deliver()
	link := h.link("tinh")
	b.do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#dang-nhap")))
	b.shot("01-dang-nhap")
	// A probe: the watch must see an error the page writes.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](`console.error("`+consoleProbe+`")`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click(chromedp.CSS("#dang-nhap")), chromedp.WaitVisible(chromedp.CSS("section.tiles")))
	if h1 := b.text("h1"); h1 != "Tổng quan" {
		t.Fatalf("after sign-in: %q", h1)
	}
	b.shot("02-tong-quan")

	// The pending applicant, approved.
	an := h.memberNamed("Nguyễn Văn An")
	row := "#dv-" + itoa(an.ID)
	b.do(chromedp.Navigate(h.srv.URL+"/doan-vien?trang_thai=pending"), chromedp.WaitVisible(chromedp.CSS(row)))
	if s := b.text(row); !strings.Contains(s, "Nguyễn Văn An") || !strings.Contains(s, "Chờ duyệt") {
		t.Fatalf("pending applicant row: %q", s)
	}
	b.shot("03-doan-vien-cho-duyet")
	b.do(chromedp.Click(chromedp.CSS(row+" button.approve")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	if s := b.text(".flash"); !strings.Contains(s, "Đã duyệt Nguyễn Văn An") {
		t.Fatalf("approval: %q", s)
	}
	if out := h.deliver(); !strings.Contains(out, "[bot → @an] Chúc mừng") {
		t.Fatalf("the member was not told in chat: %q", out)
	}

	// A payment, in part.
	id := h.pledge("an")
	h.deliver()
	pledge := "#uh-" + id
	b.do(chromedp.Navigate(h.srv.URL+"/quy/1"), chromedp.WaitVisible(chromedp.CSS(pledge)))
	b.shot("04-quy")
	b.do(chromedp.SendKeys(chromedp.CSS(pledge+` input[name="so_tien"]`), "500k"),
		chromedp.Click(chromedp.CSS(pledge+` button[value="mot-phan"]`)), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	if s := b.text(".flash"); !strings.Contains(s, "500.000 đ") {
		t.Fatalf("payment: %q", s)
	}
	if out := h.deliver(); !strings.Contains(out, "[bot → @an] Trần Thị Hoa") && !strings.Contains(out, "[bot → @an] Nguyễn Văn Tỉnh đã xác nhận") {
		t.Fatalf("the member was not told of the payment: %q", out)
	}

	// An announcement to one unit, with the count before sending.
	b.do(chromedp.Navigate(h.srv.URL+"/thong-bao"), chromedp.WaitVisible(chromedp.CSS("#xem")),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="noi_dung"]`), "Mời đoàn viên Sở Tư pháp dự Ngày hội Gia đình công đoàn ngày 07/12."),
		chromedp.Click(chromedp.CSS(`input[name="doi_tuong"][value="units"]`)),
		chromedp.SetValue(chromedp.CSS(`select[name="don_vi"]`), itoa(h.unitID("STP"))),
		chromedp.Click(chromedp.CSS("#xem")), chromedp.WaitVisible(chromedp.CSS("#so-nguoi")))
	if n := b.text("#so-nguoi"); n != "2 người" {
		t.Fatalf("recipients before sending: %q", n)
	}
	b.shot("05-thong-bao-xem-truoc")
	b.do(chromedp.Click(chromedp.CSS("#gui")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	if s := b.text(".flash"); !strings.Contains(s, "tới 2 người") {
		t.Fatalf("announcement: %q", s)
	}
	if out := h.deliver(); !strings.Contains(out, "[bot → @an]") || !strings.Contains(out, "Ngày hội Gia đình") {
		t.Fatalf("the announcement did not reach the unit: %q", out)
	}
	b.shot("06-thong-bao")

	for i, p := range []string{"/", "/don-vi", "/don-vi/" + itoa(h.unitID("STP")), "/doan-vien", "/hoat-dong", "/quy", "/nhat-ky", "/tai-ve"} {
		b.do(chromedp.Navigate(h.srv.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		name := strings.NewReplacer("/", "-").Replace(strings.Trim(p, "/"))
		if name == "" {
			name = "tong-quan"
		}
		b.shot("1" + itoa(int64(i)) + "-" + name)
	}
	// The overview on a phone.
	b.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(h.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	b.shot("20-tong-quan-dien-thoai")
	b.do(chromedp.Click(chromedp.CSS("button.link")), chromedp.WaitVisible(chromedp.CSS("ol")))

	if errs := console.finish(t, b.ctx); len(errs) > 0 {
		t.Fatalf("the browser console has errors:\n%s", strings.Join(errs, "\n"))
	}
}
