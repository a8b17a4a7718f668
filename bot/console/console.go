// Package console is the platform adapter for a terminal or a script: each
// input line is a message from a named demo user, and every message the
// bot sends is printed with its recipient. It drives the whole core, so
// the demo and the conversation tests exercise exactly what Telegram and
// Zalo users get.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
)

// DefaultUser is who speaks before any line names a user.
const DefaultUser = "an"

// Printer renders outbox messages as text lines. It is the console's
// Deliverer.
type Printer struct {
	mu  sync.Mutex
	out io.Writer
}

// NewPrinter returns a Deliverer that writes to out.
func NewPrinter(out io.Writer) *Printer { return &Printer{out: out} }

// Deliver prints one message: "[bot → @name] text", then its choices one
// per line as "  [1] label", and a line for an attached file.
func (p *Printer) Deliver(_ context.Context, it cd.OutboxItem) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "[bot → @%s] %s\n", it.To.ChatID, it.Message.Text)
	for i, c := range it.Message.Choices {
		fmt.Fprintf(&b, "  [%d] %s\n", i+1, c.Label)
	}
	if it.Message.RequestPhone {
		b.WriteString("  (gõ số điện thoại của anh/chị)\n")
	}
	if f := it.Message.File; f != nil {
		fmt.Fprintf(&b, "  [tệp] %s (%d byte)\n", f.Name, len(f.Data))
	}
	_, err := io.WriteString(p.out, b.String())
	return err
}

// Handler is the part of the core the console drives.
type Handler interface {
	Handle(ctx context.Context, u bot.Update) error
}

// Drainer delivers what is due in the outbox.
type Drainer interface {
	Drain(ctx context.Context) (int, error)
}

// Run reads lines from in until it ends or ctx is cancelled, as a new
// Session does.
func Run(ctx context.Context, h Handler, d Drainer, in io.Reader) error {
	return (&Session{Handler: h, Drainer: d}).Run(ctx, in)
}

// Session is a console conversation: it remembers who spoke last across
// calls to Run.
type Session struct {
	Handler Handler
	Drainer Drainer
	User    string // who speaks when a line names nobody; DefaultUser at first
	// Tick, when set, runs after each line and at the end of input, before
	// the outbox is drained: the demo runs the scheduled work there that a
	// real bot runs every minute (announcements being sent, their reports).
	Tick func(ctx context.Context) error
}

// Run reads lines from in until it ends or ctx is cancelled. A line
// "@name text" sends text as demo user name (its id is the name, so it is
// stable across runs); a line without "@name" is sent as the last named
// user. Empty lines and lines starting with '#' are skipped. After each
// line the outbox is drained, so the output reads as a conversation.
func (s *Session) Run(ctx context.Context, in io.Reader) error {
	h := s.Handler
	if s.User == "" {
		s.User = DefaultUser
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := strings.TrimRight(sc.Text(), "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		text := line
		if name, rest, ok := parseUser(trimmed); ok {
			s.User, text = name, rest
		}
		user := s.User
		u := bot.Update{Platform: cd.PlatformConsole, UserID: user, ChatID: user, DisplayName: user, Text: text}
		if err := h.Handle(ctx, u); err != nil {
			return fmt.Errorf("console: handle line from @%s: %w", user, err)
		}
		if err := s.deliver(ctx); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("console: read input: %w", err)
	}
	return s.deliver(ctx)
}

// deliver drains the outbox, runs the tick, and drains what it queued.
func (s *Session) deliver(ctx context.Context) error {
	if _, err := s.Drainer.Drain(ctx); err != nil {
		return fmt.Errorf("console: deliver: %w", err)
	}
	if s.Tick == nil {
		return nil
	}
	if err := s.Tick(ctx); err != nil {
		return fmt.Errorf("console: scheduled work: %w", err)
	}
	if _, err := s.Drainer.Drain(ctx); err != nil {
		return fmt.Errorf("console: deliver: %w", err)
	}
	return nil
}

// parseUser splits "@name rest". A name is letters, digits, '_' or '.',
// kept in lower case.
func parseUser(s string) (name, rest string, ok bool) {
	if !strings.HasPrefix(s, "@") {
		return "", "", false
	}
	word, rest, _ := strings.Cut(s[1:], " ")
	if word == "" {
		return "", "", false
	}
	for _, r := range word {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return "", "", false
		}
	}
	return strings.ToLower(word), strings.TrimSpace(rest), true
}
