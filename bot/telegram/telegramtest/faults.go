package telegramtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// FaultKind is a way a call can fail.
type FaultKind int

const (
	NoFault              FaultKind = iota
	FaultTooManyRequests           // 429 JSON with parameters.retry_after
	FaultInternal                  // 500 JSON "Internal Server Error"
	FaultBadGateway                // 502 with an nginx HTML page, as from Telegram's front end
	FaultBlocked                   // 403 "Forbidden: bot was blocked by the user"
	FaultChatNotFound              // 400 "Bad Request: chat not found"
	FaultDrop                      // connection closed without an answer
)

// Fault is one failure to inject. Build it with the functions below.
type Fault struct {
	Kind       FaultKind
	RetryAfter int // seconds, for FaultTooManyRequests (at least 1)
}

// TooManyRequests is a 429 with retry_after seconds.
func TooManyRequests(retryAfter int) Fault {
	return Fault{Kind: FaultTooManyRequests, RetryAfter: retryAfter}
}

// InternalError is a 500 with a JSON body.
func InternalError() Fault { return Fault{Kind: FaultInternal} }

// BadGateway is a 502 with an HTML body (not JSON!).
func BadGateway() Fault { return Fault{Kind: FaultBadGateway} }

// Blocked is a 403 "Forbidden: bot was blocked by the user".
func Blocked() Fault { return Fault{Kind: FaultBlocked} }

// ChatNotFound is a 400 "Bad Request: chat not found".
func ChatNotFound() Fault { return Fault{Kind: FaultChatNotFound} }

// DropConnection closes the connection without an answer.
func DropConnection() Fault { return Fault{Kind: FaultDrop} }

// FaultRates makes calls fail at random: each rate is the probability, in
// [0,1], that a call gets that fault (their sum should not exceed 1). One
// draw is made per call that is subject to faults, from a math/rand/v2 PCG
// seeded with Options.Seed, so a given sequence of calls fails the same way
// in every run. A Blocked draw on a call without chat_id is no fault.
type FaultRates struct {
	TooManyRequests float64
	InternalError   float64
	BadGateway      float64
	Blocked         float64
	Drop            float64
	// RetryAfter is the retry_after of random 429s (default 3 seconds).
	RetryAfter int
	// Methods limits random faults to these methods; empty means every
	// method except getMe (so that tgbotapi.NewBotAPIWithClient works).
	Methods []string
}

type forcedFault struct {
	fault Fault
	n     int
}

// SetLatency delays every answer by d (0 disables). The delay uses a real
// timer (not Options.Now) and ends early, without an answer, when the
// request's context is cancelled (e.g. by the client's timeout).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetFaultRates replaces the random fault rates.
func (s *Server) SetFaultRates(r FaultRates) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rates = r
}

// FailNext makes the next n calls of method (case-insensitive; "*" for any
// method) fail with f. Calls queue: FailNext("sendMessage", 2, BadGateway())
// then FailNext("sendMessage", 1, TooManyRequests(5)) fails the next three
// sendMessage calls with 502, 502, 429. Method-specific faults go first.
// Forced faults come before chat checks and limits and ignore FaultRates.
func (s *Server) FailNext(method string, n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	s.forced[key] = append(s.forced[key], forcedFault{fault: f, n: n})
}

// BlockChat makes every call aimed at chatID answer 403 "Forbidden: bot was
// blocked by the user" until ClearChat.
func (s *Server) BlockChat(chatID int64) { s.setChatFault(chatID, FaultBlocked) }

// MarkChatNotFound makes every call aimed at chatID answer 400 "Bad
// Request: chat not found" until ClearChat.
func (s *Server) MarkChatNotFound(chatID int64) { s.setChatFault(chatID, FaultChatNotFound) }

// ClearChat undoes BlockChat and MarkChatNotFound.
func (s *Server) ClearChat(chatID int64) { s.setChatFault(chatID, NoFault) }

func (s *Server) setChatFault(chatID int64, k FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k == NoFault {
		delete(s.chatFaults, chatID)
	} else {
		s.chatFaults[chatID] = k
	}
}

// delay waits out the latency; false means the request or server ended.
func (s *Server) delay(r *http.Request) bool {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.closed:
	}
	return false
}

// injectFault answers the call with a forced or random fault, if any.
func (s *Server) injectFault(c *call) bool {
	s.mu.Lock()
	f, ok := s.nextForcedLocked(strings.ToLower(c.method))
	if !ok {
		f, ok = s.drawLocked(c)
	}
	s.mu.Unlock()
	if ok {
		c.writeFault(f)
	}
	return ok
}

func (s *Server) nextForcedLocked(method string) (Fault, bool) {
	for _, key := range []string{method, "*"} {
		q := s.forced[key]
		if len(q) == 0 {
			continue
		}
		f := q[0].fault
		if q[0].n--; q[0].n == 0 {
			s.forced[key] = q[1:]
		}
		return f, true
	}
	return Fault{}, false
}

func (s *Server) drawLocked(c *call) (Fault, bool) {
	r := s.rates
	if r.TooManyRequests+r.InternalError+r.BadGateway+r.Blocked+r.Drop <= 0 {
		return Fault{}, false
	}
	if len(r.Methods) == 0 && c.method == "getMe" ||
		len(r.Methods) > 0 && !slices.ContainsFunc(r.Methods, func(m string) bool { return strings.EqualFold(m, c.method) }) {
		return Fault{}, false
	}
	ra := r.RetryAfter
	if ra <= 0 {
		ra = 3
	}
	x := s.rng.Float64()
	for _, o := range []struct {
		rate float64
		f    Fault
	}{
		{r.TooManyRequests, TooManyRequests(ra)},
		{r.InternalError, InternalError()}, {r.BadGateway, BadGateway()},
		{r.Blocked, Blocked()}, {r.Drop, DropConnection()},
	} {
		if x < o.rate {
			if o.f.Kind == FaultBlocked && c.p["chat_id"] == "" {
				return Fault{}, false
			}
			return o.f, true
		}
		x -= o.rate
	}
	return Fault{}, false
}

const badGatewayHTML = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.18.0</center>
</body>
</html>
`

func (c *call) writeFault(f Fault) {
	switch f.Kind {
	case FaultTooManyRequests:
		ra := max(f.RetryAfter, 1)
		c.failRetry(http.StatusTooManyRequests, fmt.Sprintf("Too Many Requests: retry after %d", ra), ra)
	case FaultInternal:
		c.fail(http.StatusInternalServerError, "Internal Server Error")
	case FaultBadGateway:
		c.w.Header().Set("Content-Type", "text/html")
		c.w.WriteHeader(http.StatusBadGateway)
		_, _ = c.w.Write([]byte(badGatewayHTML))
		c.log(http.StatusBadGateway)
	case FaultBlocked:
		c.fail(http.StatusForbidden, "Forbidden: bot was blocked by the user")
	case FaultChatNotFound:
		c.fail(http.StatusBadRequest, "Bad Request: chat not found")
	case FaultDrop:
		c.log(0)
		if hj, ok := c.w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection on HTTP/2 too
	}
}
