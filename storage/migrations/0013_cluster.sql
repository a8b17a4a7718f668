-- 0013: several instances on one database (PostgreSQL; on SQLite the one
-- instance holds every lease and claims nothing, but the schema is the same).
--
-- A lease names a piece of work one instance does at a time (polling a
-- platform, running the jobs) or an instance that is alive
-- ('instance/<id>'): its holder renews it before expires_at, and another
-- instance takes it over once that time has passed.
CREATE TABLE leases (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	expires_at TEXT NOT NULL
);

-- An outbox row an instance is delivering: claimed_by until claim_until.
-- No other instance sends it while the claim lasts; the claim outlives the
-- longest delivery, and is cleared with the outcome.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claim_until TEXT;
