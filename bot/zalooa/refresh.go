package zalooa

import (
	"context"
	"errors"
	"fmt"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/bot/inbox"
)

// refresh renews the tokens of row t; ts.mu is held, so one renewal runs
// at a time in this process, and the claim keeps other processes out.
func (ts *TokenSource) refresh(ctx context.Context, t *cd.OAToken) (*cd.OAToken, error) {
	// Neither the caller's cancellation nor a shutdown cuts a renewal
	// between its steps: the refresh token is single-use.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*ts.timeout+10*time.Second)
	defer cancel()
	if ts.unsaved != nil {
		return ts.saveUnsaved(ctx)
	}
	claimed, err := ts.store.ClaimOAToken(ctx, t.ID, ts.id, refreshLease)
	if err != nil {
		return nil, ts.failed(ctx, t, err)
	}
	if claimed == nil {
		// Another process renewed the tokens, or is renewing them.
		ts.cur = nil
		if fresh, err := ts.load(ctx); err == nil && fresh != nil && fresh.ID != t.ID && fresh.Status == cd.OATokenCurrent {
			return fresh, nil
		}
		return nil, errBusy
	}
	ts.cur = claimed
	if ts.stop("claimed") {
		return nil, errCrashed
	}
	toks, err := ts.client.Refresh(ctx, claimed.RefreshToken)
	if err != nil {
		return nil, ts.refreshFailed(ctx, claimed, t.Status == cd.OATokenExchanging, err)
	}
	if ts.stop("answered") {
		return nil, errCrashed
	}
	now := ts.now()
	life := toks.RefreshExpiresIn
	if life <= 0 {
		life = ts.lifetime
	}
	ts.unsaved = &unsaved{oldID: claimed.ID, t: cd.OAToken{AccessToken: toks.AccessToken, AccessExpiresAt: now.Add(toks.ExpiresIn),
		RefreshToken: toks.RefreshToken, RefreshExpiresAt: now.Add(life)}}
	stored, err := ts.saveUnsaved(ctx)
	if err != nil {
		return nil, err
	}
	if ts.stop("stored") {
		return nil, errCrashed
	}
	return stored, nil
}

// stop reports whether a test stops the refresh after step, as a crash
// would: nothing more is done.
func (ts *TokenSource) stop(step string) bool { return ts.crash != nil && ts.crash(step) }

// saveUnsaved stores the pair Zalo gave, trying a few times: it is now the
// only valid refresh token. If the store keeps failing, the pair stays in
// memory and the next Token tries again; its access token is not used
// before it is stored.
func (ts *TokenSource) saveUnsaved(ctx context.Context) (*cd.OAToken, error) {
	u := ts.unsaved
	bo := inbox.Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	var err error
	for try := range 3 {
		var stored *cd.OAToken
		if stored, err = ts.store.StoreOARefresh(ctx, u.oldID, u.t); err == nil {
			ts.unsaved, ts.cur, ts.refused, ts.failures, ts.retryAt = nil, stored, "", 0, time.Time{}
			ts.log.Info("Zalo OA tokens renewed", "token", stored.ID, "access_expires", stored.AccessExpiresAt,
				"refresh_expires", stored.RefreshExpiresAt)
			return stored, nil
		}
		if try < 2 {
			bo.Wait(ctx, 0)
		}
	}
	ts.log.Error("the renewed Zalo OA tokens could not be stored; they are kept in memory and stored at the next try "+
		"(stopping the bot now loses them)", "err", err)
	ts.retryAt = ts.now().Add(10 * time.Second)
	return nil, fmt.Errorf("zalo_oa: store the renewed tokens: %w", err)
}

// refreshFailed records a failed exchange of claimed's refresh token.
// interrupted: an earlier exchange of the same token ended without a
// clear answer (a crash, a timeout).
func (ts *TokenSource) refreshFailed(ctx context.Context, claimed *cd.OAToken, interrupted bool, err error) error {
	switch {
	case refreshRefused(err):
		note := fmt.Sprintf("Zalo refused the refresh token (%v)", err)
		if interrupted {
			note = fmt.Sprintf("an earlier exchange of this refresh token was interrupted and its answer lost: Zalo had taken the token (%v)", err)
		}
		if lerr := ts.store.LoseOAToken(ctx, claimed.ID, note); lerr != nil {
			ts.log.Error("mark the Zalo OA refresh token lost", "err", lerr)
		}
		ts.cur = nil
		ts.log.Error("the Zalo OA refresh token is lost; the OA must be authorized again: congdoanbot zalo-oa authorize", "why", note)
		ts.alert(ctx, bot.OAAlertReauthorize, time.Time{})
		ts.retryAt = time.Time{}
		return fmt.Errorf("%w: %s", ErrReauthorize, note)
	case !isTransport(err) && code(err) != 0:
		// Zalo answered with an error of its own: the token was not taken.
		if rerr := ts.store.ReleaseOAToken(ctx, claimed.ID); rerr != nil {
			ts.log.Error("release the Zalo OA refresh token", "err", rerr)
		}
		ts.cur = nil
	default:
		// No clear answer (the network, a gateway): Zalo may have taken
		// the token. The row stays claimed; the next try sends the same
		// token and finds out.
	}
	return ts.failed(ctx, claimed, err)
}

// failed counts a failed renewal, spaces the next one out, and alerts the
// admins when renewals keep failing or the access token has expired.
func (ts *TokenSource) failed(ctx context.Context, t *cd.OAToken, err error) error {
	ts.failures++
	ts.retryAt = ts.now().Add(min(time.Minute<<min(ts.failures-1, 6), time.Hour))
	if ts.failures >= 3 || !ts.now().Before(t.AccessExpiresAt) {
		ts.alert(ctx, bot.OAAlertRefreshFailed, time.Time{})
	}
	return fmt.Errorf("zalo_oa: renew the tokens: %w", err)
}

// Check renews the tokens when due and alerts the admins when the refresh
// token expires within RefreshWarn; Run calls it every few minutes.
func (ts *TokenSource) Check(ctx context.Context) error {
	_, err := ts.Token(ctx)
	ts.mu.Lock()
	t := ts.cur
	ts.mu.Unlock()
	if t != nil && t.Status != cd.OATokenLost && t.RefreshExpiresAt.Sub(ts.now()) < ts.warn {
		ts.alert(ctx, bot.OAAlertExpiring, t.RefreshExpiresAt)
	}
	if errors.Is(err, errBusy) {
		return nil
	}
	return err
}

// Run calls Check every interval until ctx ends.
func (ts *TokenSource) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := ts.Check(ctx); err != nil && ctx.Err() == nil {
			ts.log.Warn("Zalo OA tokens", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
