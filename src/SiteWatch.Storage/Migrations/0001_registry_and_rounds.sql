-- The registry, inspection rounds with per-target progress, and findings.
CREATE TABLE targets (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('website', 'account')),
    name          TEXT NOT NULL,
    url           TEXT NOT NULL,
    platform      TEXT,
    account       TEXT,
    organization  TEXT NOT NULL,
    supervisor    TEXT,
    region        TEXT NOT NULL,
    level         TEXT,
    site_code     TEXT,
    icp           TEXT,
    contact_email TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE rounds (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    as_of           TEXT NOT NULL,
    sample_fraction REAL NOT NULL,
    seed            INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'complete')),
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);

CREATE TABLE round_targets (
    round_id    TEXT NOT NULL REFERENCES rounds (id),
    target_id   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    started_at  TEXT,
    finished_at TEXT,
    pages       INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    PRIMARY KEY (round_id, target_id)
);

CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    round_id    TEXT NOT NULL REFERENCES rounds (id),
    target_id   TEXT NOT NULL,
    check_code  TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('veto', 'deduct', 'notice')),
    url         TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    occurrences INTEGER NOT NULL DEFAULT 1,
    observed_at TEXT NOT NULL,
    UNIQUE (round_id, target_id, check_code, subject)
);

CREATE INDEX ix_findings_target ON findings (target_id, check_code);
