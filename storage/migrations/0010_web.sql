-- 0010: the web dashboard. One-time sign-in links asked for in chat with
-- /web, and the browser sessions they open. Only SHA-256 hashes of the
-- link tokens and of the session cookies are stored: a copy of the
-- database opens no session.

CREATE TABLE web_logins (
    token_hash TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX web_logins_member ON web_logins(member_id);

CREATE TABLE web_sessions (
    id_hash      TEXT PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX web_sessions_member ON web_sessions(member_id);

-- The dashboard's audit log filters by unit and by action, newest first.
CREATE INDEX audit_log_target_unit ON audit_log(target_unit, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
