-- 0013 (PostgreSQL): several instances on one database. See the SQLite
-- file of the same number.
CREATE TABLE leases (
	name TEXT COLLATE "C" PRIMARY KEY,
	holder TEXT COLLATE "C" NOT NULL,
	expires_at TEXT COLLATE "C" NOT NULL
);

ALTER TABLE outbox ADD COLUMN claimed_by TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN claim_until TEXT COLLATE "C";
