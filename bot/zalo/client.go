// Package zalo is the Zalo adapter of the bot, over a small client of our
// own for the Zalo Bot Platform API (bot-api.zaloplatforms.com): long
// polling or webhook updates, text and photo messages, the typing
// indicator. The client (client.go) is transport only: one HTTP call per
// method, no retries, no logging; the adapter (adapter.go and the files
// beside it) decides what to retry (see APIError and IsRetryable), drops
// echoes of its own messages (Update.IsEcho) and dedupes updates through
// the inbox.
//
// What we know of the API, and how sure we are of each point, is in the
// project's research notes on the Zalo Bot Platform. In short: every call is POST <endpoint>/bot<TOKEN>/<method> with a JSON
// body; every answer is an envelope {ok, result, error_code, description},
// often with HTTP 200 even for errors; all ids are strings; dates are
// epoch milliseconds; texts are at most 2000 characters.
//
// The token is part of every URL. No error this package returns contains
// it: Go's *url.Error (which quotes the URL) is rebuilt with "<token>" in
// its place. Use Client.Redact for anything else you log.
package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Defaults of NewClient.
const (
	DefaultEndpoint     = "https://bot-api.zaloplatforms.com"
	DefaultSendTimeout  = 30 * time.Second
	DefaultPhotoTimeout = 150 * time.Second // Zalo downloads the photo before answering
	DefaultPollTimeout  = 30 * time.Second  // Zalo's own default for getUpdates
	// PollSlack is added to the poll timeout for the HTTP deadline of
	// getUpdates, so that Zalo's own 408 arrives before we give up.
	PollSlack = 7 * time.Second
)

// maxAnswer caps the answer body we read (results are a few hundred bytes).
const maxAnswer = 1 << 20

// Client calls the Zalo Bot Platform API. It is safe for concurrent use.
// Create it with NewClient.
type Client struct {
	token    string
	base     string // endpoint without a trailing slash
	redactor redactor

	// Sends use send (or photo for sendPhoto); getUpdates uses poll. They
	// share one Transport, so connections are pooled together.
	send, photo, poll *http.Client
	pollTimeout       time.Duration
}

// Option configures a Client.
type Option func(*clientOptions)

type clientOptions struct {
	transport                http.RoundTripper
	send, photo, pollDefault time.Duration
}

// WithTransport makes every call go through rt (default: a clone of
// http.DefaultTransport).
func WithTransport(rt http.RoundTripper) Option {
	return func(o *clientOptions) { o.transport = rt }
}

// WithSendTimeout sets the HTTP deadline of every call but getUpdates and
// sendPhoto (default DefaultSendTimeout).
func WithSendTimeout(d time.Duration) Option { return func(o *clientOptions) { o.send = d } }

// WithPhotoTimeout sets the HTTP deadline of sendPhoto (default
// DefaultPhotoTimeout).
func WithPhotoTimeout(d time.Duration) Option { return func(o *clientOptions) { o.photo = d } }

// WithPollTimeout sets the poll timeout GetUpdates uses when given 0
// (default DefaultPollTimeout); the poll HTTP deadline is it plus
// PollSlack.
func WithPollTimeout(d time.Duration) Option { return func(o *clientOptions) { o.pollDefault = d } }

// NewClient returns a client for the bot with token, talking to endpoint
// (DefaultEndpoint when ""), e.g. "https://bot-api.zaloplatforms.com" or a
// zalotest server's Endpoint().
func NewClient(token, endpoint string, opts ...Option) *Client {
	o := clientOptions{send: DefaultSendTimeout, photo: DefaultPhotoTimeout, pollDefault: DefaultPollTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if o.transport == nil {
		o.transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	if o.pollDefault <= 0 {
		o.pollDefault = DefaultPollTimeout
	}
	return &Client{
		token:       token,
		base:        strings.TrimRight(endpoint, "/"),
		redactor:    newRedactor(token),
		send:        &http.Client{Transport: o.transport, Timeout: o.send},
		photo:       &http.Client{Transport: o.transport, Timeout: o.photo},
		poll:        &http.Client{Transport: o.transport, Timeout: pollDeadline(o.pollDefault)},
		pollTimeout: o.pollDefault,
	}
}

// String describes the client without its token.
func (c *Client) String() string { return "zalo.Client(" + c.Redact(c.base) + ")" }

// GoString is String, so that %#v does not print the token either.
func (c *Client) GoString() string { return c.String() }

// Redact replaces the client's token in s with "<token>". Use it on
// anything you log that might hold a URL.
func (c *Client) Redact(s string) string { return c.redactor.replace(s) }

// CloseIdleConnections closes the idle connections of the client's
// transport.
func (c *Client) CloseIdleConnections() { c.send.CloseIdleConnections() }

// GetMe returns the bot's account. Its ID (a 19-digit number) is what
// Update.IsEcho compares from.id with.
func (c *Client) GetMe(ctx context.Context) (Me, error) {
	raw, err := c.call(ctx, c.send, "getMe", struct{}{})
	if err != nil {
		return Me{}, err
	}
	f, err := decodeFields(raw)
	if err != nil {
		return Me{}, fmt.Errorf("zalo: getMe: result: %w", err)
	}
	me := Me{ID: f.str("id"), AccountName: f.str("account_name"), AccountType: f.str("account_type"),
		DisplayName: f.str("display_name", "name"), CanJoinGroups: f.bool("can_join_groups")}
	if me.ID == "" {
		return Me{}, errors.New("zalo: getMe: result has no id")
	}
	return me, nil
}

// GetUpdates long-polls for updates, waiting up to timeout (rounded up to
// whole seconds; 0 means the client's poll timeout, 30 s by default). Zalo
// hands out one update per call and forgets it once answered: there is no
// offset, so what is lost in transit is lost. Nothing new (Zalo's
// ok:false 408) gives nil, nil: call again at once. Other errors deserve a
// pause of a few seconds. The result may also be an array (older servers)
// or an empty object; both are accepted.
func (c *Client) GetUpdates(ctx context.Context, timeout time.Duration) ([]Update, error) {
	if timeout <= 0 {
		timeout = c.pollTimeout
	}
	secs := int64((timeout + time.Second - 1) / time.Second)
	hc := c.poll
	if d := pollDeadline(time.Duration(secs) * time.Second); d != hc.Timeout {
		hc = &http.Client{Transport: c.poll.Transport, Timeout: d}
	}
	// Zalo documents the timeout as a string of seconds.
	raw, err := c.call(ctx, hc, "getUpdates", map[string]string{"timeout": strconv.FormatInt(secs, 10)})
	if err != nil {
		if ae := (*APIError)(nil); errors.As(err, &ae) && ae.Code == http.StatusRequestTimeout {
			return nil, nil
		}
		return nil, err
	}
	return decodeUpdates(raw)
}

func pollDeadline(timeout time.Duration) time.Duration { return timeout + PollSlack }

// SendMessage sends text (NFC-normalised; 1 to MaxTextLength UTF-16 units,
// else ErrTextLength without calling Zalo) to chatID. Plain text only: no
// parse_mode is sent.
func (c *Client) SendMessage(ctx context.Context, chatID, text string) (MessageResult, error) {
	text = norm.NFC.String(text)
	if n := UTF16Len(text); n == 0 || n > MaxTextLength {
		return MessageResult{}, fmt.Errorf("zalo: sendMessage: text of %d UTF-16 units: %w", n, ErrTextLength)
	}
	if chatID == "" {
		return MessageResult{}, errors.New("zalo: sendMessage: empty chat id")
	}
	raw, err := c.call(ctx, c.send, "sendMessage", map[string]string{"chat_id": chatID, "text": text})
	if err != nil {
		return MessageResult{}, err
	}
	return decodeMessageResult(raw), nil
}

// SendPhoto sends the image at photoURL, a public http(s) URL that Zalo
// downloads (hence the longer deadline), with an optional caption (at most
// MaxTextLength UTF-16 units after NFC).
func (c *Client) SendPhoto(ctx context.Context, chatID, photoURL, caption string) (MessageResult, error) {
	caption = norm.NFC.String(caption)
	if n := UTF16Len(caption); n > MaxTextLength {
		return MessageResult{}, fmt.Errorf("zalo: sendPhoto: caption of %d UTF-16 units: %w", n, ErrTextLength)
	}
	if chatID == "" {
		return MessageResult{}, errors.New("zalo: sendPhoto: empty chat id")
	}
	if u, err := url.Parse(photoURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return MessageResult{}, errors.New("zalo: sendPhoto: the photo must be an http(s) URL")
	}
	params := map[string]string{"chat_id": chatID, "photo": photoURL}
	if caption != "" {
		params["caption"] = caption
	}
	raw, err := c.call(ctx, c.photo, "sendPhoto", params)
	if err != nil {
		return MessageResult{}, err
	}
	return decodeMessageResult(raw), nil
}

func decodeMessageResult(raw json.RawMessage) MessageResult {
	f, _ := decodeFields(raw)
	return MessageResult{MessageID: f.str("message_id"), Date: normalizeDate(f.int("date"))}
}

// SendChatAction shows action ("typing" when ""; "upload_photo" is
// announced but not available) in chatID. It fades after about 5 s.
func (c *Client) SendChatAction(ctx context.Context, chatID, action string) error {
	if action == "" {
		action = "typing"
	}
	_, err := c.call(ctx, c.send, "sendChatAction", map[string]string{"chat_id": chatID, "action": action})
	return err
}

// SetWebhook makes Zalo POST updates to webhookURL (HTTPS on the real
// platform) with secret in the X-Bot-Api-Secret-Token header; getUpdates
// stops working until DeleteWebhook. The secret must be 8 to 256
// characters (checked here, without calling Zalo). Zalo probes the URL,
// which must answer 200.
func (c *Client) SetWebhook(ctx context.Context, webhookURL, secret string) error {
	if n := len([]rune(secret)); n < 8 || n > 256 {
		return fmt.Errorf("zalo: setWebhook: the secret must be 8 to 256 characters, not %d", n)
	}
	_, err := c.call(ctx, c.send, "setWebhook", map[string]string{"url": webhookURL, "secret_token": secret})
	return err
}

// DeleteWebhook removes the webhook, so that GetUpdates works.
func (c *Client) DeleteWebhook(ctx context.Context) error {
	_, err := c.call(ctx, c.send, "deleteWebhook", struct{}{})
	return err
}

// GetWebhookInfo reports the webhook URL ("" when none is set).
func (c *Client) GetWebhookInfo(ctx context.Context) (WebhookInfo, error) {
	raw, err := c.call(ctx, c.send, "getWebhookInfo", struct{}{})
	if err != nil {
		return WebhookInfo{}, err
	}
	f, _ := decodeFields(raw)
	return WebhookInfo{URL: f.str("url"), UpdatedAt: normalizeDate(f.int("updated_at")),
		HasCustomCertificate: f.bool("has_custom_certificate")}, nil
}

// call POSTs params as JSON to method and returns the result of a
// successful envelope. Failures are an *APIError (an ok:false envelope on
// any HTTP status, or a non-JSON answer) or a wrapped network error, all
// with the token redacted.
func (c *Client) call(ctx context.Context, hc *http.Client, method string, params any) (json.RawMessage, error) {
	body, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("zalo: %s: encoding request: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		c.base+"/bot"+url.PathEscape(c.token)+"/"+method, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("zalo: %s: %w", method, c.redactor.redactErr(err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("zalo: %s: %w", method, c.redactor.redactErr(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("zalo: %s: reading the answer (HTTP %d): %w", method, resp.StatusCode,
			c.redactor.redactErr(err))
	}
	if len(data) > maxAnswer {
		return nil, &APIError{Method: method, HTTPStatus: resp.StatusCode,
			Description: fmt.Sprintf("answer larger than %d bytes", maxAnswer)}
	}
	env, err := decodeFields(data)
	if err != nil {
		return nil, &APIError{Method: method, HTTPStatus: resp.StatusCode, Description: nonJSON(resp, len(data))}
	}
	if ok, _ := env.boolOK("ok"); !ok {
		desc := env.str("description", "message", "error")
		if _, present := env.boolOK("ok"); !present && desc == "" {
			desc = "answer without \"ok\""
		}
		return nil, &APIError{Method: method, HTTPStatus: resp.StatusCode,
			Code: int(env.int("error_code")), Description: c.Redact(desc)}
	}
	return env["result"], nil
}

// nonJSON describes an answer that is not a JSON object, without quoting
// it (a proxy's page could echo the URL, token included).
func nonJSON(resp *http.Response, n int) string {
	if n == 0 {
		return "non-JSON answer: empty body"
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("non-JSON answer: %s, %d bytes", ct, n)
}
