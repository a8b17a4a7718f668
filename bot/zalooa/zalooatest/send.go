package zalooatest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"unicode/utf16"
)

// OA API errors the fake gives.
const (
	ErrRateLimit     = -32
	ErrBadParameter  = -201
	ErrNotFollower   = -213
	ErrTokenInvalid  = -216
	ErrTokenExpired  = -220
	ErrNotInteracted = -230
	ErrQuota         = -211
)

// MaxText is the longest text of a consultation message, in UTF-16 units
// (assumption: Zalo says "2000 characters").
const MaxText = 2000

func errorMessage(code int) string {
	switch code {
	case ErrRateLimit:
		return "Exceeded the rate limit"
	case ErrBadParameter:
		return "Parameter is invalid"
	case ErrNotFollower:
		return "User has not followed the OA"
	case ErrTokenInvalid:
		return "Access token is invalid"
	case ErrTokenExpired:
		return "Access token has expired"
	case ErrNotInteracted:
		return "User has not interacted with the OA in the past 7 days"
	case ErrQuota:
		return "Out of quota"
	}
	return "Error"
}

// serveSend is POST /v3.0/oa/message/cs.
func (s *Server) serveSend(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	var req struct {
		Recipient struct {
			UserID string `json:"user_id"`
		} `json:"recipient"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || json.Unmarshal(data, &req) != nil {
		s.fail(w, ErrBadParameter)
		return
	}
	if c, ok := s.takeForced(r.URL.Path); ok {
		s.fail(w, c)
		return
	}
	code, id := s.acceptSend(r.Header.Get("access_token"), req.Recipient.UserID, req.Message.Text)
	s.logf("send to %s -> %d", req.Recipient.UserID, code)
	if code != 0 {
		s.fail(w, code)
		return
	}
	writeJSON(w, map[string]any{"error": 0, "message": "Success",
		"data": map[string]string{"message_id": id, "user_id": req.Recipient.UserID}})
}

// acceptSend checks a send in the order Zalo is assumed to: token, rate,
// random faults, parameters, the person; and records it if it passes.
func (s *Server) acceptSend(token, user, text string) (code int, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	exp, known := s.access[token]
	switch {
	case !known:
		return ErrTokenInvalid, ""
	case !now.Before(exp):
		return ErrTokenExpired, ""
	}
	if m := now.Unix() / 60; m != s.minute {
		s.minute, s.inMinute = m, 0
	}
	s.inMinute++
	if s.inMinute > s.opts.RateLimit {
		return ErrRateLimit, ""
	}
	if s.opts.FaultRate > 0 && s.rng.Float64() < s.opts.FaultRate {
		return 502, ""
	}
	if n := len(utf16.Encode([]rune(text))); n == 0 || n > MaxText {
		return ErrBadParameter, ""
	}
	u := s.users[user]
	switch {
	case u == nil || !u.followed:
		return ErrNotFollower, ""
	case now.Sub(u.last) >= s.opts.Window:
		return ErrNotInteracted, ""
	}
	id = s.newIDLocked(20)
	s.sent = append(s.sent, Sent{UserID: user, Text: text, MessageID: id, Time: now})
	s.broadcastLocked()
	return 0, id
}

// Sent returns every message accepted, in order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// SentTo returns the messages accepted for one person.
func (s *Server) SentTo(u User) []Sent {
	var out []Sent
	for _, m := range s.Sent() {
		if m.UserID == u.ID {
			out = append(out, m)
		}
	}
	return out
}

// WaitSent waits until at least n messages were accepted.
func (s *Server) WaitSent(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return len(s.sent) >= n })
}

// WaitCalls waits until path was called at least n times.
func (s *Server) WaitCalls(ctx context.Context, path string, n int) error {
	return s.waitFor(ctx, func() bool { return s.calls[path] >= n })
}
