-- 0006: announcements sent to many members, now or at a set time; each
-- recipient is one outbox row linked to it.

CREATE TABLE announcements (
    id             INTEGER PRIMARY KEY,
    created_by     INTEGER REFERENCES members(id),
    report_platform TEXT NOT NULL,
    report_chat    TEXT NOT NULL,
    text           TEXT NOT NULL,
    photo          TEXT NOT NULL DEFAULT '',
    audience       TEXT NOT NULL CHECK (audience IN ('all', 'chairs', 'units')),
    unit_ids       TEXT NOT NULL DEFAULT '', -- comma-separated, for 'units'
    send_at        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    recipients     INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    queued_at      TEXT,
    progress_at    TEXT,
    finished_at    TEXT
);
CREATE INDEX announcements_due ON announcements(status, send_at);

ALTER TABLE outbox ADD COLUMN announcement_id INTEGER REFERENCES announcements(id);
-- Set when the platform refused the chat (blocked, gone), as opposed to
-- other failures.
ALTER TABLE outbox ADD COLUMN unreachable INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_announcement ON outbox(announcement_id, member_id, status) WHERE announcement_id IS NOT NULL;
