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

-- The dashboard's month and lists of a large province read only indexes:
-- members who reported per unit, a month's reports newest first, member
-- counts per unit, members by unit and name, units by name.
CREATE INDEX activities_month_member ON activities(month, unit_id, member_id) WHERE deleted_at IS NULL;
CREATE INDEX activities_month_id ON activities(month, id) WHERE deleted_at IS NULL;
CREATE INDEX members_unit_counts ON members(unit_id, status, decided_at);
CREATE INDEX members_unit_name ON members(unit_id, full_name);
CREATE INDEX units_name ON units(name);

-- Members' names folded for search without diacritics ("nguyen van an"
-- finds "Nguyễn Văn An"). Triggers keep the names; folded is NULL until
-- the program folds it (storage.DB.FoldMemberNames), as SQL cannot.
CREATE TABLE member_names (
    member_id INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    folded    TEXT
);
CREATE INDEX member_names_unfolded ON member_names(member_id) WHERE folded IS NULL;
INSERT INTO member_names (member_id, name) SELECT id, full_name FROM members;
CREATE TRIGGER members_name_insert AFTER INSERT ON members BEGIN
    INSERT OR REPLACE INTO member_names (member_id, name) VALUES (new.id, new.full_name);
END;
CREATE TRIGGER members_name_update AFTER UPDATE OF full_name ON members WHEN new.full_name IS NOT old.full_name BEGIN
    UPDATE member_names SET name = new.full_name, folded = NULL WHERE member_id = new.id;
END;
