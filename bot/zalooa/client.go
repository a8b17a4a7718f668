package zalooa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Paths of the calls the bot makes.
const (
	pathSendCS      = "/v3.0/oa/message/cs"
	pathAccessToken = "/v4/oa/access_token"
	pathPermission  = "/v4/oa/permission"
)

// Client calls the OA API and its OAuth v4 endpoint. Tokens travel in
// headers and form bodies, never in URLs; errors never hold a token or a
// secret.
type Client struct {
	api, oauth string
	appID      string
	appSecret  string
	hc         *http.Client
	timeout    time.Duration
}

// NewClient returns a client for cfg (with its defaults); hc may be nil.
func NewClient(cfg Config, hc *http.Client) *Client {
	cfg = cfg.withDefaults()
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{api: cfg.APIURL, oauth: cfg.OAuthURL, appID: cfg.AppID, appSecret: cfg.AppSecret, hc: hc, timeout: cfg.HTTPTimeout}
}

// APIError is an answer of Zalo that is not a success: a JSON body with a
// non-zero "error" (often with HTTP 200), or a non-JSON answer such as a
// gateway's 502 page (Code 0).
type APIError struct {
	Op         string // "send", "refresh", "exchange code"
	HTTPStatus int
	Code       int    // Zalo's error code; 0 when the answer had none
	Message    string // Zalo's message, secrets removed
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zalo_oa: %s: ", e.Op)
	if e.Code != 0 {
		fmt.Fprintf(&b, "error %d", e.Code)
	} else {
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != 0 && e.HTTPStatus != http.StatusOK && e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	return b.String()
}

// Tokens is what the OAuth endpoint gives for a code or a refresh token.
type Tokens struct {
	AccessToken, RefreshToken string
	// ExpiresIn is the access token's life; RefreshExpiresIn the refresh
	// token's, 0 when Zalo does not say.
	ExpiresIn, RefreshExpiresIn time.Duration
}

// ExchangeCode trades an authorization code, with the PKCE code verifier
// of its consent URL, for tokens.
func (c *Client) ExchangeCode(ctx context.Context, code, verifier string) (Tokens, error) {
	form := url.Values{"app_id": {c.appID}, "grant_type": {"authorization_code"}, "code": {code}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	return c.tokenCall(ctx, "exchange code", form, code, verifier)
}

// Refresh trades a refresh token, which Zalo then forgets, for new tokens.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	form := url.Values{"app_id": {c.appID}, "grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	return c.tokenCall(ctx, "refresh", form, refreshToken)
}

// seconds reads Zalo's expires_in, a string ("90000") or a number.
type seconds int64

func (s *seconds) UnmarshalJSON(b []byte) error {
	v := strings.Trim(string(b), `"`)
	if v == "" || v == "null" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("expires_in %q: %w", v, err)
	}
	*s = seconds(n)
	return nil
}

func (c *Client) tokenCall(ctx context.Context, op string, form url.Values, secrets ...string) (Tokens, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.oauth+pathAccessToken, strings.NewReader(form.Encode()))
	if err != nil {
		return Tokens{}, fmt.Errorf("zalo_oa: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.appSecret)
	var resp struct {
		AccessToken      string  `json:"access_token"`
		RefreshToken     string  `json:"refresh_token"`
		ExpiresIn        seconds `json:"expires_in"`
		RefreshExpiresIn seconds `json:"refresh_token_expires_in"`
	}
	if err := c.do(req, op, &resp, secrets...); err != nil {
		return Tokens{}, err
	}
	if resp.AccessToken == "" || resp.RefreshToken == "" || resp.ExpiresIn <= 0 {
		return Tokens{}, &APIError{Op: op, HTTPStatus: http.StatusOK, Message: "the answer has no access token, refresh token or expires_in"}
	}
	return Tokens{AccessToken: resp.AccessToken, RefreshToken: resp.RefreshToken,
		ExpiresIn: time.Duration(resp.ExpiresIn) * time.Second, RefreshExpiresIn: time.Duration(resp.RefreshExpiresIn) * time.Second}, nil
}

// SendText sends a consultation message to an OA user and returns Zalo's
// message id.
func (c *Client) SendText(ctx context.Context, accessToken, userID, text string) (string, error) {
	body, err := json.Marshal(map[string]any{"recipient": map[string]string{"user_id": userID},
		"message": map[string]string{"text": text}})
	if err != nil {
		return "", fmt.Errorf("zalo_oa: send: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.api+pathSendCS, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("zalo_oa: send: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("access_token", accessToken)
	var resp struct {
		Data struct {
			MessageID string `json:"message_id"`
		} `json:"data"`
	}
	if err := c.do(req, "send", &resp, accessToken); err != nil {
		return "", err
	}
	return resp.Data.MessageID, nil
}

// do makes a call and decodes its answer into out: Zalo's "error" first
// (non-zero is an *APIError whatever the HTTP status), then the HTTP
// status. Errors never hold the app secret or any of secrets.
func (c *Client) do(req *http.Request, op string, out any, secrets ...string) error {
	red := c.redactor(secrets...)
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	defer cancel()
	resp, err := c.hc.Do(req.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("zalo_oa: %s: %s", op, red.Replace(unwrapURL(err).Error()))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("zalo_oa: %s: read the answer: %s", op, red.Replace(err.Error()))
	}
	var env struct {
		Error       int    `json:"error"`
		Message     string `json:"message"`
		Description string `json:"error_description"`
		Name        string `json:"error_name"`
	}
	if json.Unmarshal(data, &env) != nil {
		msg := strings.Join(strings.Fields(string(data)), " ")
		if len(msg) > 120 {
			msg = msg[:120] + "…"
		}
		return &APIError{Op: op, HTTPStatus: resp.StatusCode, Message: red.Replace(msg)}
	}
	if env.Error != 0 {
		msg := env.Message
		for _, m := range []string{env.Description, env.Name} {
			if msg == "" {
				msg = m
			}
		}
		return &APIError{Op: op, HTTPStatus: resp.StatusCode, Code: env.Error, Message: red.Replace(msg)}
	}
	if resp.StatusCode != http.StatusOK {
		return &APIError{Op: op, HTTPStatus: resp.StatusCode, Message: red.Replace(env.Message)}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("zalo_oa: %s: decode the answer: %w", op, err)
	}
	return nil
}

// redactor replaces the app secret and secrets in texts.
func (c *Client) redactor(secrets ...string) *strings.Replacer {
	var pairs []string
	for _, s := range append(secrets, c.appSecret) {
		if len(s) >= 6 {
			pairs = append(pairs, s, "<redacted>", url.QueryEscape(s), "<redacted>")
		}
	}
	return strings.NewReplacer(pairs...)
}

// unwrapURL drops the URL a *url.Error quotes (it names no secret here,
// but keeps the messages short).
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// isTransport reports an error with no answer from Zalo at all (the
// connection failed or timed out): a call may have been made anyway.
func isTransport(err error) bool {
	var ae *APIError
	return err != nil && !errors.As(err, &ae)
}
