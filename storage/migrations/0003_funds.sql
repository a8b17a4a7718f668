-- 0003: funds, the pledges members make to them, and the payments chairs
-- confirm against the pledges.

CREATE TABLE funds (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    target       INTEGER NOT NULL DEFAULT 0 CHECK (target >= 0), -- đồng; 0 for none
    start_date   TEXT,                                            -- 2006-01-02; NULL for no period
    end_date     TEXT,
    bank_bin     TEXT NOT NULL DEFAULT '',                        -- NAPAS BIN; '' for no bank account
    account_no   TEXT NOT NULL DEFAULT '',
    account_name TEXT NOT NULL DEFAULT '',
    closed_at    TEXT,
    closed_by    INTEGER REFERENCES members(id),
    created_by   INTEGER REFERENCES members(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- paid is the sum of the pledge's current payments, kept in the same
-- transaction as every change to them; status follows from amount and
-- paid, except withdrawn.
CREATE TABLE pledges (
    id         INTEGER PRIMARY KEY,
    fund_id    INTEGER NOT NULL REFERENCES funds(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    paid       INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    status     TEXT NOT NULL CHECK (status IN ('pledged', 'partial', 'paid', 'withdrawn')),
    due_date   TEXT,
    anonymous  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (status <> 'withdrawn' OR paid = 0)
);
-- Fund totals per unit read only this index.
CREATE INDEX pledges_fund ON pledges(fund_id, unit_id, status, member_id, amount, paid);
CREATE INDEX pledges_unit ON pledges(unit_id, status);
CREATE INDEX pledges_member ON pledges(member_id);

-- A payment row is never edited, only superseded: a correction marks the
-- old row and, unless it cancels the payment, adds the corrected row,
-- which names the one it corrects.
CREATE TABLE pledge_payments (
    id            INTEGER PRIMARY KEY,
    pledge_id     INTEGER NOT NULL REFERENCES pledges(id),
    amount        INTEGER NOT NULL CHECK (amount > 0),
    paid_on       TEXT NOT NULL,
    recorded_by   INTEGER REFERENCES members(id),
    created_at    TEXT NOT NULL,
    corrects      INTEGER REFERENCES pledge_payments(id),
    superseded_at TEXT,
    superseded_by INTEGER REFERENCES members(id)
);
CREATE INDEX pledge_payments_pledge ON pledge_payments(pledge_id, superseded_at);
