package zalooa

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// An authorization of the OA (OAuth v4 with PKCE): Begin prints a consent
// URL for an OA admin and keeps its code verifier in the database;
// Finish exchanges the code Zalo returns to the redirect URI and stores
// the tokens.

// AuthStore keeps authorizations in progress and their tokens;
// *storage.DB implements it.
type AuthStore interface {
	PutOAAuthRequest(ctx context.Context, state, verifier string, expires time.Time) error
	OAAuthRequest(ctx context.Context, state string) (found, verifier string, err error)
	UseOAAuthRequest(ctx context.Context, state string) error
	SaveOAAuthorization(ctx context.Context, t cd.OAToken) (*cd.OAToken, error)
}

// authRequestTTL is how long a consent URL waits for its code (Zalo's
// codes live 10 minutes; the admin may be slow to open the URL).
const authRequestTTL = time.Hour

// randomString is n URL-safe random characters.
func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b)[:n], nil
}

// CodeChallenge is the PKCE S256 challenge of a code verifier: unpadded
// base64url of its SHA-256.
func CodeChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// BeginAuthorization creates a code verifier and a state, keeps them in
// store, and returns the consent URL to open.
func BeginAuthorization(ctx context.Context, cfg Config, store AuthStore, now time.Time) (string, error) {
	cfg = cfg.withDefaults()
	if err := cfg.ValidateAuth(); err != nil {
		return "", err
	}
	if u, err := url.Parse(cfg.RedirectURI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errors.New(`key "zalo_oa.redirect_uri": must be the callback URL registered for the app on developers.zalo.me`)
	}
	verifier, err := randomString(64)
	if err != nil {
		return "", err
	}
	state, err := randomString(24)
	if err != nil {
		return "", err
	}
	if err := store.PutOAAuthRequest(ctx, state, verifier, now.Add(authRequestTTL)); err != nil {
		return "", err
	}
	q := url.Values{"app_id": {cfg.AppID}, "redirect_uri": {cfg.RedirectURI}, "state": {state},
		"code_challenge": {CodeChallenge(verifier)}}
	return cfg.OAuthURL + pathPermission + "?" + q.Encode(), nil
}

// ParseCallback reads what the admin pastes: the code alone, or the whole
// URL Zalo redirected to (with code and state).
func ParseCallback(s string) (code, state string, err error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "code=") || strings.Contains(s, "://") || strings.Contains(s, "?") {
		raw := s
		if i := strings.Index(s, "?"); i >= 0 {
			raw = s[i+1:]
		}
		q, err := url.ParseQuery(raw)
		if err != nil {
			return "", "", errors.New("the URL's query cannot be read")
		}
		code, state = q.Get("code"), q.Get("state")
	} else {
		code = s
	}
	if code == "" || strings.ContainsAny(code, " \t\r\n") {
		return "", "", errors.New("no authorization code (paste the code, or the whole URL Zalo redirected to)")
	}
	return code, state, nil
}

// FinishAuthorization exchanges code with the verifier of its consent URL
// (by state, or the newest waiting one) and stores the tokens, replacing
// any others. It returns them as stored.
func FinishAuthorization(ctx context.Context, cfg Config, store AuthStore, client *Client, code, state string, now func() time.Time) (*cd.OAToken, error) {
	cfg = cfg.withDefaults()
	found, verifier, err := store.OAAuthRequest(ctx, state)
	if err != nil {
		return nil, fmt.Errorf("%w: run `congdoanbot zalo-oa authorize` without -code first, then use the code within the hour", err)
	}
	toks, err := client.ExchangeCode(ctx, code, verifier)
	if err != nil {
		return nil, authHint(err)
	}
	life := toks.RefreshExpiresIn
	if life <= 0 {
		life = cfg.RefreshLifetime
	}
	t := now()
	saved, err := store.SaveOAAuthorization(ctx, cd.OAToken{AccessToken: toks.AccessToken, AccessExpiresAt: t.Add(toks.ExpiresIn),
		RefreshToken: toks.RefreshToken, RefreshExpiresAt: t.Add(life)})
	if err != nil {
		return nil, err
	}
	return saved, store.UseOAAuthRequest(ctx, found)
}

// authHint adds what to do to an exchange Zalo refused.
func authHint(err error) error {
	switch code(err) {
	case codeInvalidCode, codeCodeExpired:
		return fmt.Errorf("%w (the code is wrong, used or older than 10 minutes: open the consent URL again)", err)
	case codeInvalidRedirectURI:
		return fmt.Errorf("%w (zalo_oa.redirect_uri must be the callback URL registered for the app)", err)
	case codeInvalidCodeVerifier:
		return fmt.Errorf("%w (the code belongs to another consent URL: use the newest one)", err)
	}
	return err
}
