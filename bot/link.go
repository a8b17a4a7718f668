package bot

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// linkStore keeps a member's chat accounts (identities) and the one-time
// codes that link a second account to the same member.
type linkStore interface {
	Identities(memberID int64) ([]cd.Identity, error)
	TouchIdentity(p cd.Platform, userID, chatID, displayName string) error
	LinkIdentity(id cd.Identity) error
	UnreachableMembers(unitID int64) ([]cd.Member, error)
	CreateLinkCode(code string, memberID int64, p cd.Platform, userID string, expires time.Time) (bool, error)
	UseLinkCode(code, by string) (int64, error)
}

// linkCodeTTL is how long a linking code works.
const linkCodeTTL = 10 * time.Minute

// Wrong codes tolerated from one account before it must wait.
const (
	linkMaxWrong = 5
	linkLockout  = 10 * time.Minute
)

// linkGuard counts wrong linking codes per account, so that six digits
// cannot be guessed: after linkMaxWrong wrong codes the account waits.
type linkGuard struct {
	mu    sync.Mutex
	wrong map[string][]time.Time
}

func (g *linkGuard) blocked(key string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	recent := g.wrong[key][:0]
	for _, t := range g.wrong[key] {
		if now.Sub(t) < linkLockout {
			recent = append(recent, t)
		}
	}
	if len(recent) == 0 {
		delete(g.wrong, key)
	} else {
		g.wrong[key] = recent
	}
	return len(recent) >= linkMaxWrong
}

func (g *linkGuard) miss(key string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.wrong == nil {
		g.wrong = map[string][]time.Time{}
	}
	g.wrong[key] = append(g.wrong[key], now)
}

// cmdLink is /lienket: without a code, a registered member gets a
// one-time code; with a code, the account writing joins the member the
// code belongs to (typed on the other platform).
func cmdLink(r *request, args string) error {
	code := strings.Join(strings.Fields(args), "")
	if code == "" {
		if r.me == nil {
			r.reply(txtLinkGuest)
			return nil
		}
		return newLinkCode(r)
	}
	key := cd.Key(r.u.Platform, r.u.UserID)
	now := r.tx.Now()
	if r.b.links.blocked(key, now) {
		return cd.Invalid(cd.ReasonLinkTooMany)
	}
	member, err := r.tx.UseLinkCode(code, key)
	if err != nil {
		if cd.ErrorReason(err) == cd.ReasonLinkCodeWrong {
			r.b.links.miss(key, now)
		}
		return err
	}
	m, err := r.tx.MemberByID(member)
	if err != nil {
		return err
	}
	switch {
	case r.me != nil && r.me.ID == m.ID:
		r.reply(txtLinkAlready)
		return nil
	case r.me != nil:
		return cd.Invalid(cd.ReasonLinkOtherMember)
	}
	if err := r.tx.LinkIdentity(cd.Identity{MemberID: m.ID, Platform: r.u.Platform, UserID: r.u.UserID, ChatID: r.u.ChatID,
		DisplayName: r.u.DisplayName}); err != nil {
		return err
	}
	if err := r.audit(cd.AuditLink, m.ID, m.UnitID, key); err != nil {
		return err
	}
	r.me = m
	r.end()
	r.reply(txtLinked(m, platformNames[r.u.Platform]))
	return nil
}

func newLinkCode(r *request) error {
	expires := r.tx.Now().Add(linkCodeTTL)
	for range 5 {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
		if err != nil {
			return fmt.Errorf("draw a link code: %w", err)
		}
		code := fmt.Sprintf("%06d", n.Int64())
		ok, err := r.tx.CreateLinkCode(code, r.me.ID, r.u.Platform, r.u.UserID, expires)
		if err != nil {
			return err
		}
		if ok {
			r.reply(txtLinkCode(code, int(linkCodeTTL.Minutes()), otherPlatform(r.u.Platform)))
			return nil
		}
	}
	return fmt.Errorf("no free link code after 5 draws")
}

// otherPlatform names the platform a member links to from p.
func otherPlatform(p cd.Platform) string {
	if p == cd.PlatformZaloOA {
		return txtLinkFromOA
	}
	if p == cd.PlatformZalo {
		return platformNames[cd.PlatformTelegram]
	}
	return platformNames[cd.PlatformZalo]
}
