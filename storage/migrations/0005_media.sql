-- 0005: media received from chat platforms whose links expire (Zalo's
-- photo URLs), stored as bytes when the update arrives. Referenced as
-- "media:<id>" (an activity's photo, for example).

CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    mime       TEXT NOT NULL,
    data       BLOB NOT NULL,
    size       INTEGER NOT NULL CHECK (size = length(data) AND size > 0),
    created_at TEXT NOT NULL
);
