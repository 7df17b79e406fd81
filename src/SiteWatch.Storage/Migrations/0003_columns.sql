-- The columns (栏目) found on each website per round: what stale-column and blank-column judged, for the UI and reports.
CREATE TABLE round_columns (
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    target_id    TEXT NOT NULL,
    list_url     TEXT NOT NULL,
    name         TEXT NOT NULL,
    class        TEXT,
    items        INTEGER NOT NULL,
    dated_items  INTEGER NOT NULL,
    newest       TEXT,
    pages_read   INTEGER NOT NULL,
    rendered     INTEGER NOT NULL DEFAULT 0,
    placeholder  TEXT,
    PRIMARY KEY (round_id, target_id, list_url)
);
