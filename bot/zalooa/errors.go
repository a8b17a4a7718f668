package zalooa

import "errors"

// Zalo's error codes that change what the bot does. Zalo documents them
// in Vietnamese on a page this project could not read first-hand; the
// meanings are those relayed by third-party clients (see
// ../../../shared/zalo-bot-api.md §2.3 and the README).
const (
	codeRateLimit      = -32  // more than the app's calls per minute
	codeBadParameter   = -201 // the request is malformed
	codeQuota          = -211 // the OA's quota of this kind of message is used up
	codeNotFollower    = -213 // the person does not follow the OA
	codeTokenInvalid   = -216 // the access token is invalid
	codeUserQuota      = -218 // the person's quota of messages is used up
	codeTokenExpired   = -220 // the access token expired or was revoked
	codeNotInteracted  = -230 // the person has not interacted with the OA for 7 days
	codeNotInteracted2 = -232 // the same, as some answers say it
	codeTokenInvalid2  = -124 // the access token is invalid (older answers)

	codeInvalidGrant          = -118   // OAuth: the grant is no longer valid
	codeInvalidRefreshToken   = -14014 // OAuth: the refresh token is invalid (used, revoked)
	codeRefreshTokenExpired   = -14020 // OAuth: the refresh token expired
	codeInvalidCode           = -14005 // OAuth: the authorization code is invalid
	codeCodeExpired           = -14019 // OAuth: the authorization code expired
	codeInvalidRedirectURI    = -14003 // OAuth: redirect_uri differs from the app's
	codeInvalidCodeVerifier   = -14009 // OAuth: code_verifier does not match (assumption)
	codeTokenInvalidPositive  = 216    // the same as -216, as some answers write it
	codeTokenInvalidHTTPStyle = -401   // the same, as some answers write it
)

// code is Zalo's error code of err, 0 if none.
func code(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return 0
}

// tokenRefused reports an access token Zalo does not take (any more):
// refresh and try once more.
func tokenRefused(err error) bool {
	switch code(err) {
	case codeTokenInvalid, codeTokenExpired, codeTokenInvalid2, codeTokenInvalidPositive, codeTokenInvalidHTTPStyle, 401:
		return true
	}
	return false
}

// refreshRefused reports a refresh token Zalo refuses for good: only a new
// authorization helps.
func refreshRefused(err error) bool {
	switch code(err) {
	case codeInvalidGrant, codeInvalidRefreshToken, codeRefreshTokenExpired:
		return true
	}
	return false
}

// notReachable reports that Zalo does not let the OA write to the person:
// outside the interaction window, or not a follower.
func notReachable(err error) bool {
	switch code(err) {
	case codeNotInteracted, codeNotInteracted2, codeNotFollower:
		return true
	}
	return false
}

// quotaOrRate reports a limit that passes with time: the app's rate (a
// minute) or a quota (longer).
func quotaOrRate(err error) (rate, quota bool) {
	switch code(err) {
	case codeRateLimit:
		return true, false
	case codeQuota, codeUserQuota:
		return false, true
	}
	return false, false
}

// badRequest reports a message Zalo will never take as it is.
func badRequest(err error) bool {
	c := code(err)
	return c == codeBadParameter || c == -210
}
