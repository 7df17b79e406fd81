-- The correction loop (整改): every veto or deduct finding is a case that the webmaster answers.
-- state: found → notified (a correction notice was issued, with its deadline) → claimed (the webmaster says it is
-- fixed) → verified (a re-check no longer finds it; closed) or reopened (a re-check still finds it). A later round
-- of the same target closes the earlier round's open cases as superseded: its own findings carry on.
CREATE TABLE corrections (
    finding_id  INTEGER PRIMARY KEY REFERENCES findings (id),
    round_id    TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('found', 'notified', 'claimed', 'verified', 'reopened', 'superseded')),
    due         TEXT,
    updated_at  TEXT NOT NULL,
    checked_at  TEXT,
    last_check  TEXT,
    closed_at   TEXT
);

CREATE INDEX ix_corrections_target ON corrections (target_id, state);

-- Every step of a case, oldest first: who (a user name, or sitewatch for re-checks and rounds), when, and what.
CREATE TABLE correction_events (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES findings (id),
    state       TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    comment     TEXT,
    detail      TEXT,
    evidence    TEXT
);

CREATE INDEX ix_correction_events_finding ON correction_events (finding_id, id);

-- Findings recorded before this migration enter the loop as found; those of a round that a later round of the same
-- target followed are closed as superseded.
INSERT INTO corrections (finding_id, round_id, target_id, state, updated_at, closed_at)
SELECT f.id, f.round_id, f.target_id,
       CASE WHEN later.round_id IS NULL THEN 'found' ELSE 'superseded' END,
       f.observed_at,
       CASE WHEN later.round_id IS NULL THEN NULL ELSE f.observed_at END
FROM findings f
JOIN rounds r ON r.id = f.round_id
LEFT JOIN (
    SELECT rt.target_id, rt.round_id, r2.created_at
    FROM round_targets rt JOIN rounds r2 ON r2.id = rt.round_id
    WHERE rt.status = 'done'
) later ON later.target_id = f.target_id AND later.created_at > r.created_at
WHERE f.severity IN ('veto', 'deduct')
GROUP BY f.id;

INSERT INTO correction_events (finding_id, state, at, actor)
SELECT finding_id, 'found', updated_at, 'sitewatch' FROM corrections;
