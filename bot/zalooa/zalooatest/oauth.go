package zalooatest

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// OAuth errors, as Zalo's access_token endpoint is reported to give them
// ({"error": code, "error_name": ..., "error_description": ...} with HTTP
// 200; assumption).
const (
	ErrInvalidSecret       = -14004 // assumption: the code of a wrong secret_key header
	ErrInvalidCode         = -14005
	ErrInvalidCodeVerifier = -14009 // assumption
	ErrInvalidRefreshToken = -14014
	ErrCodeExpired         = -14019
	ErrRefreshExpired      = -14020
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, code int, name string) {
	writeJSON(w, map[string]any{"error": code, "error_name": name, "error_description": name})
}

// serveToken is POST /v4/oa/access_token: a code (with its PKCE
// verifier) or a refresh token for a new pair. A refresh token is
// single-use.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	if c, ok := s.takeForced(r.URL.Path); ok {
		s.fail(w, c)
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, -201, "Invalid parameter")
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("secret_key")), []byte(s.opts.AppSecret)) != 1 ||
		r.PostForm.Get("app_id") != s.opts.AppID {
		oauthError(w, ErrInvalidSecret, "Invalid app_id or secret_key")
		return
	}
	var code int
	var name string
	var lose bool
	var access, refresh string
	s.mu.Lock()
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code, name = s.useCodeLocked(r.PostForm.Get("code"), r.PostForm.Get("code_verifier"))
	case "refresh_token":
		code, name = s.useRefreshLocked(r.PostForm.Get("refresh_token"))
		lose = code == 0 && s.loseNext > 0
		if lose {
			s.loseNext--
		}
	default:
		code, name = -201, "Invalid grant_type"
	}
	if code == 0 {
		access, refresh = s.issueLocked()
	}
	s.broadcastLocked()
	s.mu.Unlock()
	s.logf("access_token %s -> %d", r.PostForm.Get("grant_type"), code)
	switch {
	case code != 0:
		oauthError(w, code, name)
	case lose:
		dropConnection(w)
	default:
		writeJSON(w, map[string]string{"access_token": access, "refresh_token": refresh,
			"expires_in": strconv.Itoa(int(s.opts.AccessTTL / time.Second))})
	}
}

func (s *Server) useCodeLocked(code, verifier string) (int, string) {
	c := s.codes[code]
	switch {
	case c == nil || c.used:
		return ErrInvalidCode, "Invalid authorization code"
	case !s.opts.Now().Before(c.expires):
		return ErrCodeExpired, "Authorization code expired"
	case c.challenge != "" && challenge(verifier) != c.challenge:
		return ErrInvalidCodeVerifier, "Invalid code verifier"
	}
	c.used = true
	return 0, ""
}

func (s *Server) useRefreshLocked(token string) (int, string) {
	rt := s.refresh[token]
	switch {
	case rt == nil || rt.used:
		return ErrInvalidRefreshToken, "Invalid refresh token"
	case !s.opts.Now().Before(rt.expires):
		return ErrRefreshExpired, "Refresh token expired"
	}
	rt.used = true
	return 0, ""
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("zalooatest: cannot hijack the connection")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// servePermission is GET /v4/oa/permission: the OA admin consents at once
// and is sent to the redirect URI with a code.
func (s *Server) servePermission(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	to, err := s.Consent(r.URL.String())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// Consent plays the OA admin opening a consent URL and allowing: it
// checks the URL and returns where Zalo sends the admin, the redirect URI
// with code, state and oa_id. The code lives 10 minutes and is bound to
// the URL's code_challenge.
func (s *Server) Consent(consentURL string) (string, error) {
	u, err := url.Parse(consentURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if q.Get("app_id") != s.opts.AppID {
		return "", fmt.Errorf("zalooatest: consent URL for app %q, not %q", q.Get("app_id"), s.opts.AppID)
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Host == "" {
		return "", errors.New("zalooatest: consent URL without a redirect_uri")
	}
	s.mu.Lock()
	code := "CODE-" + s.newIDLocked(20)
	s.codes[code] = &codeState{challenge: q.Get("code_challenge"), expires: s.opts.Now().Add(10 * time.Minute)}
	s.mu.Unlock()
	rq := redirect.Query()
	rq.Set("code", code)
	rq.Set("oa_id", s.opts.OAID)
	if st := q.Get("state"); st != "" {
		rq.Set("state", st)
	}
	redirect.RawQuery = rq.Encode()
	return redirect.String(), nil
}

// fail answers a forced error: a Zalo code (negative) with HTTP 200, or
// an HTTP status with an HTML page.
func (s *Server) fail(w http.ResponseWriter, code int) {
	if code > 0 {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", code, http.StatusText(code))
		return
	}
	writeJSON(w, map[string]any{"error": code, "message": errorMessage(code)})
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Verbose {
		s.t.Logf("zalooatest: "+format, args...)
	}
}
