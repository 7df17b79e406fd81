-- The service's schedules (cron, time zone, what they start) and when each last fired, so that they survive restarts
-- and a fire missed while the service was down is made up once at start.
CREATE TABLE schedules (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    job              TEXT NOT NULL,
    cron             TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    sample_fraction  REAL NOT NULL,
    enabled          INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    last_fired_at    TEXT
);
