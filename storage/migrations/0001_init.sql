-- 0001: units, members and their chat identities, audit log, conversation
-- flows, the durable outbox and the inbox of received updates.

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES units(id),
    kind       TEXT NOT NULL CHECK (kind IN ('province', 'grassroots', 'sub')),
    name       TEXT NOT NULL,
    code       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    full_name     TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    role          TEXT NOT NULL CHECK (role IN ('member', 'chair', 'deputy', 'province_admin')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'left')),
    phone         TEXT,
    consent_at    TEXT,
    registered_at TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    INTEGER REFERENCES members(id),
    note          TEXT NOT NULL DEFAULT '',
    deleted_at    TEXT
);
CREATE INDEX members_unit_status ON members(unit_id, status);

CREATE TABLE identities (
    id                 INTEGER PRIMARY KEY,
    member_id          INTEGER NOT NULL REFERENCES members(id),
    platform           TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    chat_id            TEXT NOT NULL,
    display_name       TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    last_seen_at       TEXT NOT NULL,
    unreachable_at     TEXT,
    unreachable_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (platform, user_id)
);
CREATE INDEX identities_member ON identities(member_id);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_id      INTEGER,
    actor_key     TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    target_member INTEGER,
    target_unit   INTEGER,
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_target_member ON audit_log(target_member);

-- A conversation in progress, one per chat account; it survives restarts.
CREATE TABLE flows (
    platform   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    state      TEXT NOT NULL, -- JSON
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
);

-- Every message the bot sends is a row here first.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    member_id  INTEGER,
    kind       TEXT NOT NULL CHECK (kind IN ('reply', 'notify')),
    dedup_key  TEXT UNIQUE,
    body       TEXT NOT NULL, -- JSON of the message
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    not_before TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX outbox_due ON outbox(platform, status, not_before, id);

-- Every update received from a platform is a row here before it is
-- acknowledged; processed_at is set in the transaction that applies it.
CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL,
    update_key   TEXT NOT NULL,
    chat_key     TEXT NOT NULL DEFAULT '',
    payload      BLOB NOT NULL,
    received_at  TEXT NOT NULL,
    processed_at TEXT,
    error        TEXT NOT NULL DEFAULT '',
    UNIQUE (platform, update_key)
);
CREATE INDEX inbox_pending ON inbox(platform, processed_at, id);

-- Small durable settings, such as a platform's polling offset.
CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
