package bot

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
)

// webStore keeps the one-time sign-in links of the web dashboard (their
// hashes only).
type webStore interface {
	CreateWebLogin(tokenHash string, memberID int64, expires time.Time) error
}

// WebTokenHash is what is stored of a sign-in link's token or a session
// cookie: its SHA-256, in hex. A copy of the database opens nothing.
func WebTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewWebToken draws a random token for a sign-in link or a session
// cookie: 256 bits, URL-safe.
func NewWebToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("draw a web token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// cmdWeb is /web: a one-time link that signs the chair, deputy or province
// admin in to the web dashboard, valid cd.WebLinkTTL.
func cmdWeb(r *request, _ string) error {
	if r.b.cfg.WebURL == "" {
		r.reply(txtWebOff)
		return nil
	}
	if _, err := webAccessOf(r); err != nil {
		return err
	}
	token, err := NewWebToken()
	if err != nil {
		return err
	}
	if err := r.tx.CreateWebLogin(WebTokenHash(token), r.me.ID, r.tx.Now().Add(cd.WebLinkTTL)); err != nil {
		return err
	}
	if err := r.audit(cd.AuditWebLink, r.me.ID, r.me.UnitID, "sign-in link sent"); err != nil {
		return err
	}
	url := strings.TrimRight(r.b.cfg.WebURL, "/") + "/dang-nhap/" + token
	r.reply(txtWebLink(url, int(cd.WebLinkTTL.Minutes())))
	return nil
}

// Access is what a member may see and do on the web dashboard, by the
// chat's rules: a province admin everything, a chair or deputy their own
// grassroots union.
type Access struct {
	Member *cd.Member
	// Unit is the grassroots union a chair or deputy manages; nil for a
	// province admin.
	Unit *cd.Unit
}

// Province reports whether the access is a province admin's.
func (a *Access) Province() bool { return a.Member.IsProvinceAdmin() }

// UnitID is the managed unit's ID, or 0 for the province (every unit).
func (a *Access) UnitID() int64 {
	if a.Unit == nil {
		return 0
	}
	return a.Unit.ID
}

// SeesUnit reports whether the member may see and act on a unit (a
// sub-unit counts as its grassroots union, parent).
func (a *Access) SeesUnit(unitID, parentID int64) bool {
	return a.Province() || a.Unit != nil && (unitID == a.Unit.ID || parentID == a.Unit.ID)
}

// WebAccess checks, on every request of the web dashboard, that member
// memberID may still use it (the permission of /web: an active chair,
// deputy or province admin) and what they see. An erased member, or one
// who lost the role, gets an EFORBIDDEN error.
func (b *Bot) WebAccess(tx Tx, memberID int64) (*Access, error) {
	m, err := tx.MemberByID(memberID)
	if err != nil {
		if cd.ErrorCode(err) == cd.ENOTFOUND {
			return nil, cd.Errorf(cd.EFORBIDDEN, cd.ReasonRole, "member %d is gone", memberID)
		}
		return nil, err
	}
	return webAccessOf(&request{b: b, tx: tx, me: m})
}

func webAccessOf(r *request) (*Access, error) {
	if !allowed(r.me, permChair) {
		return nil, cd.Errorf(cd.EFORBIDDEN, cd.ReasonRole, "member %d may not use the web dashboard", r.me.ID)
	}
	a := &Access{Member: r.me}
	if r.me.IsProvinceAdmin() {
		return a, nil
	}
	u, err := managedUnit(r)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, cd.Errorf(cd.EFORBIDDEN, cd.ReasonRole, "member %d manages no unit", r.me.ID)
	}
	a.Unit = u
	return a, nil
}

// ErrorText is the short Vietnamese message for an error of an action or
// a read: what the chat would have answered.
func ErrorText(err error) string {
	var re *RefusedError
	if errors.As(err, &re) {
		return re.Text
	}
	return reasonText(err)
}

// Chart is the month's summary chart (PNG), as the province gets it in
// chat with /tonghop.
func (b *Bot) Chart(s *cd.ProvinceSummary) ([]byte, error) { return b.renderer().SummaryChart(s) }

// Location is the union's time zone.
func (b *Bot) Location() *time.Location { return b.cfg.Location }

// Deadline is the day month m's report of a grassroots union is due.
func (b *Bot) Deadline(m cd.Month) cd.Date { return b.deadline(m) }

// UnitNotReported fills in the names of unit u's active members with no
// report in the month, as a chair's summary in chat lists them.
func (b *Bot) UnitNotReported(tx Tx, u *cd.UnitMonth, m cd.Month) error {
	return b.unitNotReported(tx, u, m)
}
