-- Each inspected account's activity per round: newest post (pinned ones aside), posts in the recent window, posts read.
CREATE TABLE round_accounts (
    round_id      TEXT NOT NULL REFERENCES rounds (id),
    target_id     TEXT NOT NULL,
    newest_post   TEXT,
    recent_posts  INTEGER NOT NULL,
    posts_read    INTEGER NOT NULL,
    state         TEXT NOT NULL,
    PRIMARY KEY (round_id, target_id)
);
