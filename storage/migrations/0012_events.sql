-- 0012: events members are invited to, answer (RSVP) and check in at;
-- each member checked in is credited one activity after the end.

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    place            TEXT NOT NULL,
    start_at         TEXT NOT NULL,
    end_at           TEXT NOT NULL,
    audience         TEXT NOT NULL CHECK (audience IN ('all', 'chairs', 'units')),
    unit_ids         TEXT NOT NULL DEFAULT '', -- comma-separated, for 'units'
    capacity         INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0), -- 0: no limit
    kind             TEXT NOT NULL REFERENCES activity_kinds(code),
    campaign_id      INTEGER REFERENCES campaigns(id),
    created_by       INTEGER REFERENCES members(id),
    checkin_code     TEXT NOT NULL UNIQUE,
    recipients       INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    reminded_day_at  TEXT, -- the reminder at 08:00 the day before was done (or skipped)
    reminded_soon_at TEXT, -- the one two hours before
    credited_at      TEXT  -- activities were credited after the end
);
CREATE INDEX events_start ON events(start_at);
CREATE INDEX events_end ON events(end_at) WHERE credited_at IS NULL;

CREATE TABLE event_rsvps (
    event_id      INTEGER NOT NULL REFERENCES events(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    rsvp          TEXT NOT NULL CHECK (rsvp IN ('', 'going', 'waiting', 'not', 'maybe')),
    wait_seq      INTEGER, -- place on the waiting list
    updated_at    TEXT NOT NULL,
    checked_in_at TEXT,
    checked_in_by INTEGER REFERENCES members(id),
    activity_id   INTEGER UNIQUE REFERENCES activities(id), -- credited once
    PRIMARY KEY (event_id, member_id)
);
CREATE INDEX event_rsvps_waiting ON event_rsvps(event_id, wait_seq) WHERE rsvp = 'waiting';
