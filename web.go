package congdoanbot

import "time"

// The web dashboard: officers sign in with a one-time link the bot sends
// in chat (/web), valid WebLinkTTL and once; a browser session ends after
// WebSessionIdle without use.
const (
	WebLinkTTL     = 10 * time.Minute
	WebSessionIdle = 12 * time.Hour
)

// Audit actions of the web dashboard.
const (
	AuditWebLink    = "web.link"     // a sign-in link was sent in chat
	AuditWebSignIn  = "web.sign_in"  // a link opened a session
	AuditWebSignOut = "web.sign_out" // the member signed out
)
