-- 0007 (PostgreSQL): one-time codes that link a member's accounts on two
-- platforms.

CREATE TABLE link_codes (
    code       TEXT COLLATE "C" PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members(id) DEFERRABLE,
    platform   TEXT COLLATE "C" NOT NULL, -- where the code was asked for
    user_id    TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at    TEXT COLLATE "C",
    used_by    TEXT COLLATE "C"          -- platform:user_id that used it
);
CREATE INDEX link_codes_member ON link_codes(member_id);
