package zalo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// APIError is an answer from the API (or from a proxy in front of it) that
// is not a success: an {"ok":false,...} envelope, whatever the HTTP status,
// or a non-JSON body such as a 502 HTML page.
type APIError struct {
	Method      string // the API method called, e.g. "sendMessage"
	HTTPStatus  int    // the HTTP status; Zalo sends many errors with 200
	Code        int    // error_code of the envelope; 0 when there was none
	Description string // description of the envelope, token redacted
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zalo: %s: ", e.Method)
	if e.Code != 0 {
		fmt.Fprintf(&b, "error %d", e.Code)
	} else {
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.Code != 0 && e.HTTPStatus != 0 && e.HTTPStatus != e.Code {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	return b.String()
}

// status is the error code, or the HTTP status when the answer had none.
func (e *APIError) status() int {
	if e.Code != 0 {
		return e.Code
	}
	return e.HTTPStatus
}

// IsRetryable reports whether the same call may succeed later: 429 (quota),
// 403 (which Zalo uses for its internal errors), 408 (a send that timed out
// on Zalo's side; getUpdates' 408 never surfaces as an error) and 5xx,
// including HTML or empty answers from a gateway. No send has an
// idempotency key, so a retried send may arrive twice.
func (e *APIError) IsRetryable() bool {
	switch s := e.status(); {
	case s == 429, s == 403, s == 408, s >= 500 && s <= 599:
		return true
	}
	return false
}

// IsUnauthorized reports a 401: the token is wrong or was reset in Bot
// Creator. Stop and alert an operator; retrying cannot help.
func (e *APIError) IsUnauthorized() bool { return e.status() == 401 }

// IsBadRequest reports a 400: a malformed call, a text out of bounds, or
// (as far as we know; it is undocumented) a user who cannot be reached.
// Never retry it unchanged.
func (e *APIError) IsBadRequest() bool { return e.status() == 400 }

// IsRetryable reports whether err, returned by a Client method, is worth
// retrying: a retryable *APIError, or a network failure (connection
// refused or dropped, a timeout) that is not the caller's cancellation.
// A send that failed on the network may nevertheless have been delivered.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.IsRetryable()
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne)
}

// ErrTextLength is wrapped by SendMessage and SendPhoto when the text or
// caption is empty (text only) or longer than MaxTextLength UTF-16 units
// after NFC normalisation; nothing is sent. Split texts with SplitText.
var ErrTextLength = errors.New("text must be 1 to 2000 UTF-16 units")

// redactor replaces the token (and its escaped forms) in error messages.
type redactor struct {
	olds []string
	r    *strings.Replacer
}

func newRedactor(token string) redactor {
	var olds, pairs []string
	add := func(s string) {
		if s != "" && !slices.Contains(olds, s) {
			olds = append(olds, s)
			pairs = append(pairs, s, "<token>")
		}
	}
	add(token)
	add(url.PathEscape(token))
	add(url.QueryEscape(token))
	// The secret after "<digits>:" alone, should a message cut the token.
	if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= 8 {
		add(secret)
		add(url.PathEscape(secret))
	}
	return redactor{olds: olds, r: strings.NewReplacer(pairs...)}
}

func (r redactor) has(s string) bool {
	for _, o := range r.olds {
		if strings.Contains(s, o) {
			return true
		}
	}
	return false
}

func (r redactor) replace(s string) string {
	if len(r.olds) == 0 {
		return s
	}
	return r.r.Replace(s)
}

// redactErr returns err with the token replaced by "<token>" in its message
// and in every error of its chain, keeping the chain (and so errors.Is and
// errors.As for the types that carry no token: context errors, net errors,
// io.EOF). A *url.Error is rebuilt with a redacted URL, so errors.As finds
// it; other errors whose message holds the token become a redactedError.
func (r redactor) redactErr(err error) error {
	if err == nil || !r.has(err.Error()) {
		return err
	}
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: r.replace(ue.URL), Err: r.redactErr(ue.Err)}
	}
	return &redactedError{msg: r.replace(err.Error()), err: r.redactErr(errors.Unwrap(err))}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
