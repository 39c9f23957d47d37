-- What people do with the cards they are shown: every click, the notices
-- they follow, and the buyers a profile no longer wants to hear about.
-- A subscriber is stored as in profiles: four columns, '' for the unused one.

CREATE TABLE actions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    profile_id INTEGER NOT NULL,  -- 0: the card came from a search
    notice_id  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX actions_profile ON actions (profile_id, kind);

CREATE TABLE follows (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    notice_id  TEXT NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (platform, workspace, user_id, channel_id, notice_id)
) WITHOUT ROWID;
CREATE INDEX follows_notice ON follows (notice_id);

CREATE TABLE profile_mutes (
    profile_id INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    buyer      TEXT NOT NULL,  -- folded buyer name
    created_at TEXT NOT NULL,
    PRIMARY KEY (profile_id, buyer)
) WITHOUT ROWID;
