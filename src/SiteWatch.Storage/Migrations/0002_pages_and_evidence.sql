-- Pages crawled per round (what was looked at, for the inspector) and evidence on findings.
CREATE TABLE pages (
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    target_id    TEXT NOT NULL,
    url          TEXT NOT NULL,
    depth        INTEGER NOT NULL,
    state        TEXT NOT NULL,
    status_code  INTEGER,
    content_type TEXT,
    bytes        INTEGER NOT NULL DEFAULT 0,
    elapsed_ms   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, target_id, url)
);

ALTER TABLE findings ADD COLUMN evidence TEXT;
ALTER TABLE rounds ADD COLUMN notes TEXT;
