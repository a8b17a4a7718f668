package main

import (
	"context"
	"log/slog"
	"strings"
)

// redactingHandler removes secrets from every log record: the message and
// every string or error attribute. The adapters already redact what they
// log; this is the net under them.
type redactingHandler struct {
	next    slog.Handler
	secrets []string
}

func newRedactingHandler(next slog.Handler, secrets ...string) slog.Handler {
	var s []string
	for _, x := range secrets {
		if len(x) >= 6 {
			s = append(s, x)
		}
	}
	return &redactingHandler{next: next, secrets: s}
}

func (h *redactingHandler) redact(s string) string {
	for _, x := range h.secrets {
		s = strings.ReplaceAll(s, x, "<redacted>")
	}
	return s
}

func (h *redactingHandler) attr(a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.redact(a.Value.String()))
	case slog.KindGroup:
		as := a.Value.Group()
		out := make([]any, len(as))
		for i, g := range as {
			out[i] = h.attr(g)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, h.redact(err.Error()))
		}
		return slog.String(a.Key, h.redact(a.Value.String()))
	}
	return a
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	if len(h.secrets) == 0 {
		return h.next.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, h.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.attr(a)
	}
	return &redactingHandler{next: h.next.WithAttrs(red), secrets: h.secrets}
}

func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}
