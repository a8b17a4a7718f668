-- 0004 (PostgreSQL): scheduled work: one row per job and period.

CREATE TABLE job_runs (
    job         TEXT COLLATE "C" NOT NULL,
    period      TEXT COLLATE "C" NOT NULL,
    due_at      TEXT COLLATE "C" NOT NULL,
    started_at  TEXT COLLATE "C" NOT NULL,
    finished_at TEXT COLLATE "C",
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('running', 'done', 'skipped')),
    catch_up    INTEGER NOT NULL DEFAULT 0,
    queued      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job, period)
);
