-- 0007: one-time codes that link a member's accounts on two platforms.

CREATE TABLE link_codes (
    code       TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    platform   TEXT NOT NULL, -- where the code was asked for
    user_id    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    used_by    TEXT          -- platform:user_id that used it
);
CREATE INDEX link_codes_member ON link_codes(member_id);
