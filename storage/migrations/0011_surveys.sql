-- 0011: surveys of members' views. Who answered and what they answered
-- are kept apart: survey_respondents says only who answered (for the
-- reminder to those who did not), survey_responses holds the answers. For
-- an anonymous survey a response carries no member and no time, its key
-- is random, and both tables are WITHOUT ROWID, so that neither a column
-- nor the order rows were written in ties an answer to a person.

CREATE TABLE surveys (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    questions   TEXT NOT NULL, -- JSON: [{kind, text, options}]
    anonymous   INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    audience    TEXT NOT NULL CHECK (audience IN ('all', 'chairs', 'units')),
    unit_ids    TEXT NOT NULL DEFAULT '', -- comma-separated, for 'units'
    created_by  INTEGER REFERENCES members(id),
    closes_on   TEXT NOT NULL, -- 2006-01-02: answers are taken until the end of that day
    recipients  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    reminded_at TEXT,
    closed_at   TEXT
);
CREATE INDEX surveys_closes ON surveys(closes_on);

-- Only so that reminders skip those who answered: no time, and ordered by
-- member, not by when they answered. For an anonymous survey the rows go
-- when it closes.
CREATE TABLE survey_respondents (
    survey_id INTEGER NOT NULL REFERENCES surveys(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (survey_id, member_id)
) WITHOUT ROWID;

-- The answers. Anonymous: member_id and updated_at NULL, response_key
-- random. Named: one response per member, changed in place.
CREATE TABLE survey_responses (
    survey_id    INTEGER NOT NULL REFERENCES surveys(id),
    response_key TEXT NOT NULL,
    member_id    INTEGER REFERENCES members(id),
    answers      TEXT NOT NULL, -- JSON: [{o: [options], r: rating, t: text}]
    updated_at   TEXT,
    PRIMARY KEY (survey_id, response_key)
) WITHOUT ROWID;
CREATE UNIQUE INDEX survey_responses_member ON survey_responses(survey_id, member_id) WHERE member_id IS NOT NULL;
