-- 0010 (PostgreSQL): the web dashboard. One-time sign-in links asked for
-- in chat with /web, and the browser sessions they open. Only SHA-256
-- hashes of the link tokens and of the session cookies are stored: a copy
-- of the database opens no session. See 0001_init.sql for how the SQLite
-- schema maps.

CREATE TABLE web_logins (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    member_id  BIGINT NOT NULL REFERENCES members(id) DEFERRABLE,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at    TEXT COLLATE "C"
);
CREATE INDEX web_logins_member ON web_logins(member_id);

CREATE TABLE web_sessions (
    id_hash      TEXT COLLATE "C" PRIMARY KEY,
    member_id    BIGINT NOT NULL REFERENCES members(id) DEFERRABLE,
    created_at   TEXT COLLATE "C" NOT NULL,
    last_seen_at TEXT COLLATE "C" NOT NULL
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
-- the program folds it (storage.DB.FoldMemberNames), as SQL cannot. As in
-- SQLite, member_id is no foreign key (the triggers keep it).
CREATE TABLE member_names (
    member_id BIGINT PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL,
    folded    TEXT COLLATE "C"
);
CREATE INDEX member_names_unfolded ON member_names(member_id) WHERE folded IS NULL;
INSERT INTO member_names (member_id, name) SELECT id, full_name FROM members;

-- SQLite's INSERT OR REPLACE: a new name, not yet folded.
CREATE FUNCTION members_name_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_names (member_id, name) VALUES (NEW.id, NEW.full_name)
    ON CONFLICT (member_id) DO UPDATE SET name = EXCLUDED.name, folded = NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER members_name_insert AFTER INSERT ON members
FOR EACH ROW EXECUTE FUNCTION members_name_insert();

CREATE FUNCTION members_name_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE member_names SET name = NEW.full_name, folded = NULL WHERE member_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER members_name_update AFTER UPDATE OF full_name ON members
FOR EACH ROW WHEN (NEW.full_name IS DISTINCT FROM OLD.full_name)
EXECUTE FUNCTION members_name_update();
