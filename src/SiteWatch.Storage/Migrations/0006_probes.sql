-- Availability probes of websites' home pages (20+ a day at spread times, 15 s each): the history site-unreachable judges.
CREATE TABLE probes (
    target_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    status_code INTEGER,
    elapsed_ms  INTEGER NOT NULL,
    error       TEXT
);
CREATE INDEX probes_by_target_time ON probes (target_id, at);
