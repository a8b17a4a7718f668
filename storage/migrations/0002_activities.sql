-- 0002: activity reports, their kinds, emulation campaigns with targets,
-- and the monthly reports of grassroots unions.

CREATE TABLE activity_kinds (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    ask_people    TEXT NOT NULL DEFAULT '',
    ask_amount    TEXT NOT NULL DEFAULT '',
    ask_quantity  TEXT NOT NULL DEFAULT '',
    quantity_unit TEXT NOT NULL DEFAULT '',
    measure       TEXT NOT NULL CHECK (measure IN ('count', 'people', 'amount', 'quantity')),
    position      INTEGER NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1
);

INSERT INTO activity_kinds (code, name, ask_people, ask_amount, ask_quantity, quantity_unit, measure, position) VALUES
    ('sang_kien',    'Sáng kiến',                 '',                        '',                   '',              '',           'count',    1),
    ('hien_mau',     'Hiến máu',                  '',                        '',                   'Số đơn vị máu', 'đơn vị máu', 'quantity', 2),
    ('tu_thien',     'Từ thiện, thăm hỏi',        'Số người được giúp',      'Số tiền trao tặng',  '',              '',           'amount',   3),
    ('van_nghe',     'Văn nghệ, thể thao',        'Số người tham gia',       '',                   '',              '',           'count',    4),
    ('tap_huan',     'Tập huấn',                  'Số người dự',             '',                   'Số lớp',        'lớp',        'quantity', 5),
    ('sinh_hoat',    'Sinh hoạt định kỳ',         'Số người dự',             '',                   '',              '',           'count',    6),
    ('ket_nap',      'Kết nạp đoàn viên',         'Số đoàn viên mới',        '',                   '',              '',           'people',   7),
    ('lam_theo_bac', 'Việc làm theo Bác',         '',                        '',                   '',              '',           'count',    8),
    ('khac',         'Khác',                      '',                        '',                   '',              '',           'count',    9);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    created_by  INTEGER REFERENCES members(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE campaign_kinds (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    kind        TEXT NOT NULL REFERENCES activity_kinds(code),
    PRIMARY KEY (campaign_id, kind)
);

-- unit_id 0: the target of every grassroots union without its own.
CREATE TABLE campaign_targets (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id     INTEGER NOT NULL DEFAULT 0,
    kind        TEXT NOT NULL REFERENCES activity_kinds(code),
    target      INTEGER NOT NULL CHECK (target > 0),
    PRIMARY KEY (campaign_id, unit_id, kind)
);

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    member_id   INTEGER REFERENCES members(id),
    kind        TEXT NOT NULL REFERENCES activity_kinds(code),
    date        TEXT NOT NULL,           -- 2006-01-02
    month       TEXT NOT NULL,           -- 2006-01, for the monthly lock and totals
    description TEXT NOT NULL,
    people      INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
    amount      INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    quantity    INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    photo       TEXT NOT NULL DEFAULT '',
    campaign_id INTEGER REFERENCES campaigns(id),
    entered_by  INTEGER REFERENCES members(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
-- Monthly totals per unit and kind read only this index.
CREATE INDEX activities_month ON activities(month, unit_id, kind, people, amount, quantity) WHERE deleted_at IS NULL;
-- Campaign progress reads only this one.
CREATE INDEX activities_campaign ON activities(campaign_id, unit_id, kind, people, amount, quantity) WHERE deleted_at IS NULL;
CREATE INDEX activities_member ON activities(member_id, date);

CREATE TABLE unit_reports (
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    month        TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by INTEGER REFERENCES members(id),
    late         INTEGER NOT NULL DEFAULT 0,
    unlocked_at  TEXT,
    unlocked_by  INTEGER REFERENCES members(id),
    PRIMARY KEY (unit_id, month)
);
