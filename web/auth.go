package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"

	cd "github.com/congdoanbot/congdoanbot"
	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

const (
	sessionCookie = "cdb_phien"
	flashCookie   = "cdb_tb"
	// touchEvery: a session's last use is written at most this often.
	touchEvery = time.Minute
)

// session is a signed-in request: who, what they see, and the token
// every form of theirs carries.
type session struct {
	idHash string
	access *bot.Access
	csrf   string
	flash  *flash
}

// csrfToken is derived from the session cookie: a page's forms carry it,
// and a form posted from elsewhere cannot know it. The database keeps
// only the cookie's hash, from which it cannot be derived either.
func csrfToken(cookie string) string {
	sum := sha256.Sum256([]byte("csrf\x00" + cookie))
	return hex.EncodeToString(sum[:16])
}

// authed wraps a handler of signed-in pages: without a valid session it
// redirects to the page that says how to get a link. The core checks on
// every request that the member may still use the dashboard: a member
// who lost the role or was erased is signed out at once. A POST must
// carry the session's CSRF token.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
			return
		}
		ss, err := s.session(r, c.Value)
		if err != nil {
			s.fail(w, r, nil, err)
			return
		}
		if ss == nil {
			s.clearCookie(w, sessionCookie)
			http.Redirect(w, r, "/dang-nhap?het=1", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			got := r.PostFormValue("csrf")
			if subtle.ConstantTimeCompare([]byte(got), []byte(ss.csrf)) != 1 {
				s.render(w, http.StatusForbidden, "error", &page{Title: txtErrorTitle, Access: ss.access, CSRF: ss.csrf,
					Flash: &flash{Text: txtCSRF}})
				return
			}
		}
		ss.flash = s.takeFlash(w, r)
		h(w, r, ss)
	}
}

// session reads and checks the session of a cookie; nil when there is
// none any more (unknown, idle too long, or no longer allowed: then it
// is ended).
func (s *Server) session(r *http.Request, cookie string) (*session, error) {
	hash := bot.WebTokenHash(cookie)
	var member int64
	var seen, now time.Time
	var access *bot.Access
	var denied bool
	err := s.view(r.Context(), func(tx *storage.Tx) error {
		var err error
		if member, seen, err = tx.WebSession(hash); err != nil || member == 0 {
			return err
		}
		now = tx.Now()
		access, err = s.core.WebAccess(tx, member)
		if cd.ErrorCode(err) == cd.EFORBIDDEN {
			denied, err = true, nil
		}
		return err
	})
	if err != nil || member == 0 {
		return nil, err
	}
	if denied || now.Sub(seen) > cd.WebSessionIdle {
		return nil, s.db.Update(r.Context(), func(tx *storage.Tx) error { return tx.EndWebSession(hash) })
	}
	if now.Sub(seen) > touchEvery {
		if err := s.db.Update(r.Context(), func(tx *storage.Tx) error { return tx.TouchWebSession(hash) }); err != nil {
			return nil, err
		}
	}
	return &session{idHash: hash, access: access, csrf: csrfToken(cookie)}, nil
}

// loginHelp is where a request without a session lands: how to get a
// sign-in link.
func (s *Server) loginHelp(w http.ResponseWriter, r *http.Request) {
	p := &page{Title: txtLoginTitle}
	if r.URL.Query().Get("het") != "" {
		p.Flash = &flash{Text: txtSessionEnded}
	}
	s.render(w, http.StatusOK, "login", p)
}

// loginPage shows the button that uses a sign-in link. Opening the link
// uses nothing: chat apps fetch links to preview them, and only the
// person's press of the button may spend it.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "signin", &page{Title: txtLoginTitle, Data: r.PathValue("token")})
}

// login spends a sign-in link: once, within its ten minutes, for a member
// who may still use the dashboard; it opens a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	hash := bot.WebTokenHash(r.PathValue("token"))
	cookie, err := bot.NewWebToken()
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	var refused error
	err = s.db.Update(r.Context(), func(tx *storage.Tx) error {
		member, err := tx.UseWebLogin(hash)
		if err == nil {
			_, err = s.core.WebAccess(tx, member)
		}
		if errors.Is(err, storage.ErrWebLoginUnknown) || errors.Is(err, storage.ErrWebLoginUsed) ||
			errors.Is(err, storage.ErrWebLoginExpired) || cd.ErrorCode(err) == cd.EFORBIDDEN {
			refused = err
			return nil // a used link stays used
		}
		if err != nil {
			return err
		}
		if err := tx.CreateWebSession(bot.WebTokenHash(cookie), member); err != nil {
			return err
		}
		return tx.Audit(cd.AuditEntry{ActorID: member, ActorKey: "web:" + strconv.FormatInt(member, 10),
			Action: cd.AuditWebSignIn, TargetMember: member, Detail: "signed in with a link"})
	})
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	if refused != nil {
		s.render(w, http.StatusForbidden, "login", &page{Title: txtLoginTitle, Flash: &flash{Text: loginRefusal(refused)}})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(cd.WebSessionIdle.Seconds())})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func loginRefusal(err error) string {
	switch {
	case errors.Is(err, storage.ErrWebLoginUsed):
		return txtLinkUsed
	case errors.Is(err, storage.ErrWebLoginExpired):
		return txtLinkExpired
	case errors.Is(err, storage.ErrWebLoginUnknown):
		return txtLinkUnknown
	}
	return txtNoAccess
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, ss *session) {
	m := ss.access.Member
	err := s.db.Update(r.Context(), func(tx *storage.Tx) error {
		if err := tx.EndWebSession(ss.idHash); err != nil {
			return err
		}
		return tx.Audit(cd.AuditEntry{ActorID: m.ID, ActorKey: "web:" + strconv.FormatInt(m.ID, 10),
			Action: cd.AuditWebSignOut, TargetMember: m.ID})
	})
	if err != nil {
		s.fail(w, r, ss, err)
		return
	}
	s.clearCookie(w, sessionCookie)
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// setFlash keeps the outcome of an action for the page the browser is
// sent to next.
func (s *Server) setFlash(w http.ResponseWriter, ok bool, text string) {
	v := "0"
	if ok {
		v = "1"
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v + base64.RawURLEncoding.EncodeToString([]byte(text)),
		Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: 300})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil || len(c.Value) < 1 {
		return nil
	}
	s.clearCookie(w, flashCookie)
	text, err := base64.RawURLEncoding.DecodeString(c.Value[1:])
	if err != nil {
		return nil
	}
	return &flash{OK: c.Value[0] == '1', Text: string(text)}
}

// done ends an action: its outcome is shown on the page at back.
func (s *Server) done(w http.ResponseWriter, r *http.Request, ss *session, back, text string, err error) {
	if err != nil {
		var re *bot.RefusedError
		if errors.As(err, &re) || cd.ErrorCode(err) == cd.EFORBIDDEN || cd.ErrorCode(err) == cd.EINTERNAL {
			s.fail(w, r, ss, err)
			return
		}
		s.setFlash(w, false, bot.ErrorText(err))
	} else {
		s.setFlash(w, true, text)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
