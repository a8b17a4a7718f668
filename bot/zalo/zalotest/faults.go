package zalotest

import (
	"net/http"
	"slices"
	"time"
)

// Fault is a way a call can fail.
type Fault int

const (
	NoFault Fault = iota
	// TooManyRequests is ok:false, error_code 429 (quota exceeded).
	TooManyRequests
	// InternalError is ok:false, error_code 403, "Internal server error":
	// Zalo's documented (mislabelled) code for its own failures.
	InternalError
	// ServerError is HTTP 500 with an HTML page.
	ServerError
	// BadGateway is HTTP 502 with an nginx HTML page, as in the 2026-08-05
	// outage.
	BadGateway
	// GatewayTimeout is HTTP 504 with an empty body.
	GatewayTimeout
	// Unauthorized is ok:false, error_code 401, "Unauthorized", as for a
	// token reset in Bot Creator (see also ResetToken).
	Unauthorized
	// DropConnection closes the connection without an answer.
	DropConnection
)

func (f Fault) String() string {
	switch f {
	case NoFault:
		return "none"
	case TooManyRequests:
		return "429"
	case InternalError:
		return "403 internal"
	case ServerError:
		return "500 HTML"
	case BadGateway:
		return "502 HTML"
	case GatewayTimeout:
		return "504 empty"
	case Unauthorized:
		return "401"
	case DropConnection:
		return "dropped connection"
	}
	return "unknown fault"
}

// FaultRates makes calls fail at random: each rate is the probability, in
// [0,1], that a call gets that fault (their sum should not exceed 1). One
// draw is made per call subject to faults, from a math/rand/v2 PCG seeded
// with Options.Seed, so a given sequence of calls fails the same way in
// every run.
type FaultRates struct {
	TooManyRequests float64
	InternalError   float64
	ServerError     float64
	BadGateway      float64
	GatewayTimeout  float64
	Unauthorized    float64
	Drop            float64
	// Methods limits random faults to these methods; empty means every
	// method except getMe.
	Methods []string
}

type forcedFault struct {
	fault Fault
	n     int
}

// SetLatency delays every answer by d (0 disables). The delay uses a real
// timer and ends early, without an answer, when the request's context is
// cancelled (e.g. by the client's timeout).
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

// FailNext makes the next n calls of method ("*" for any method) fail with
// f. Calls queue: FailNext("sendMessage", 2, BadGateway) then
// FailNext("sendMessage", 1, TooManyRequests) fails the next three
// sendMessage calls with 502, 502, 429. Method-specific faults go first.
// Forced faults come before anything else and ignore FaultRates.
func (s *Server) FailNext(method string, n int, f Fault) {
	if n <= 0 || f == NoFault {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forced[method] = append(s.forced[method], forcedFault{fault: f, n: n})
}

// BlockChat makes every send to chatID fail until UnblockChat with
// ok:false, error_code 400, "user not found or blocked". Assumption: Zalo
// does not document what it answers for a user who blocked the bot or
// deleted their account; 400 (not retryable) is our choice.
func (s *Server) BlockChat(chatID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// UnblockChat undoes BlockChat.
func (s *Server) UnblockChat(chatID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// errUnreachable is the description of sends to blocked or unknown chats.
const errUnreachable = "user not found or blocked"

// unreachableLocked reports whether sends to chatID must fail.
func (s *Server) unreachableLocked(chatID string) bool {
	return s.blocked[chatID] || s.strict && !s.known[chatID]
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
	f, ok := s.nextForcedLocked(c.method)
	if !ok {
		f, ok = s.drawLocked(c.method)
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
	return NoFault, false
}

func (s *Server) drawLocked(method string) (Fault, bool) {
	r := s.rates
	if r.TooManyRequests+r.InternalError+r.ServerError+r.BadGateway+r.GatewayTimeout+r.Unauthorized+r.Drop <= 0 {
		return NoFault, false
	}
	if len(r.Methods) == 0 && method == "getMe" || len(r.Methods) > 0 && !slices.Contains(r.Methods, method) {
		return NoFault, false
	}
	x := s.rng.Float64()
	for _, o := range []struct {
		rate float64
		f    Fault
	}{
		{r.TooManyRequests, TooManyRequests}, {r.InternalError, InternalError},
		{r.ServerError, ServerError}, {r.BadGateway, BadGateway}, {r.GatewayTimeout, GatewayTimeout},
		{r.Unauthorized, Unauthorized}, {r.Drop, DropConnection},
	} {
		if x < o.rate {
			return o.f, true
		}
		x -= o.rate
	}
	return NoFault, false
}

const serverErrorHTML = `<!DOCTYPE html>
<html><head><title>500 Internal Server Error</title></head>
<body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>
`

const badGatewayHTML = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

func (c *call) writeFault(f Fault) {
	switch f {
	case TooManyRequests:
		c.fail(http.StatusTooManyRequests, "Quota exceeded") // assumption: wording undocumented
	case InternalError:
		c.fail(http.StatusForbidden, "Internal server error")
	case ServerError:
		c.writeRaw(http.StatusInternalServerError, "text/html", serverErrorHTML)
	case BadGateway:
		c.writeRaw(http.StatusBadGateway, "text/html", badGatewayHTML)
	case GatewayTimeout:
		c.writeRaw(http.StatusGatewayTimeout, "", "")
	case Unauthorized:
		c.fail(http.StatusUnauthorized, "Unauthorized")
	case DropConnection:
		c.log("connection dropped")
		if hj, ok := c.w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection on HTTP/2 too
	}
}

func (c *call) writeRaw(status int, contentType, body string) {
	if contentType != "" {
		c.w.Header().Set("Content-Type", contentType)
	}
	c.w.WriteHeader(status)
	_, _ = c.w.Write([]byte(body))
	c.log(http.StatusText(status))
}
