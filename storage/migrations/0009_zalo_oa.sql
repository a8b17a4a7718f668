-- 0009: the Zalo Official Account: each OA user's last interaction (the
-- reply window), the OAuth tokens, and authorizations in progress (PKCE).

-- One row per person who wrote to or followed the OA, registered or not.
CREATE TABLE zalo_oa_contacts (
    user_id             TEXT PRIMARY KEY,
    last_interaction_at TEXT NOT NULL,
    followed            INTEGER NOT NULL DEFAULT 1,
    follow_changed_at   TEXT NOT NULL
);

-- Erasing a member's OA account erases what the bot knows of it.
CREATE TRIGGER zalo_oa_contacts_erase AFTER DELETE ON identities
WHEN OLD.platform = 'zalo_oa'
BEGIN
    DELETE FROM zalo_oa_contacts WHERE user_id = OLD.user_id;
END;

-- Every pair of tokens Zalo gave, newest last. The refresh token is
-- single-use: a row is 'exchanging' while its refresh token is with Zalo,
-- and becomes 'used' only in the transaction that inserts the new pair.
CREATE TABLE zalo_oa_tokens (
    id                 INTEGER PRIMARY KEY,
    access_token       TEXT NOT NULL,
    access_expires_at  TEXT NOT NULL,
    refresh_token      TEXT NOT NULL,
    refresh_expires_at TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('current', 'exchanging', 'used', 'lost', 'replaced')),
    created_at         TEXT NOT NULL,
    claimed_by         TEXT NOT NULL DEFAULT '',
    claimed_at         TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0,
    used_at            TEXT,
    note               TEXT NOT NULL DEFAULT ''
);

-- `congdoanbot zalo-oa authorize`: the PKCE code verifier of each consent
-- URL printed, until the code Zalo returns is exchanged.
CREATE TABLE zalo_oa_auth_requests (
    state         TEXT PRIMARY KEY,
    code_verifier TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);
