-- People who log in to `serve`: admin (the general office), inspector, webmaster (sees only their organization's targets).
CREATE TABLE users (
    name           TEXT PRIMARY KEY,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    organization   TEXT,
    created_at     TEXT NOT NULL
);
