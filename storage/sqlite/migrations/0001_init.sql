-- The first schema: profiles, notices with their full-text index, feeds, and
-- the outbox.
--
-- Times are UTC text in a fixed-width layout (see value.go), so text order is
-- time order; NULL where a time is "not stated". Lists are JSON arrays, NULL
-- when empty. Ids that other rows or other processes may hold on to
-- (profiles, feeds, deliveries) are AUTOINCREMENT so a deleted id is never
-- handed out again.

-- A subscriber is stored as four columns; the one of user_id and channel_id
-- that is not used is '' rather than NULL, because NULLs are all distinct in
-- a UNIQUE constraint and would let a subscriber have two profiles with one
-- name.
CREATE TABLE profiles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    delivery   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace, user_id, channel_id, name)
);

-- seq is the row's own key and the full-text index's rowid; id is the
-- notice's stable identity from its source. seq is declared, not the implicit
-- rowid, because VACUUM may renumber an implicit rowid and the index would
-- then point at the wrong notices.
CREATE TABLE notices (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    source         TEXT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    language       TEXT NOT NULL,
    buyer          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    cpv            TEXT,             -- JSON array of codes
    nuts           TEXT,             -- JSON array of codes
    country        TEXT NOT NULL,
    value_amount   REAL,             -- NULL: value not stated
    value_currency TEXT NOT NULL DEFAULT '',
    deadline       TEXT,
    published      TEXT,
    url            TEXT NOT NULL,
    procedure_id   TEXT NOT NULL,
    lots           TEXT,             -- JSON array of bot.Lot
    first_seen     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- RecentNotices walks this backwards.
CREATE INDEX notices_published ON notices (published, seq);

-- The full-text index stores no copy of the text: it reads it from notices
-- (external content), and the triggers below keep it in step. remove_diacritics
-- 2 folds every diacritic, so "cafe" finds "café" and "reunion" "réunion".
CREATE VIRTUAL TABLE notices_fts USING fts5 (
    title,
    description,
    buyer,
    content = 'notices',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER notices_fts_insert AFTER INSERT ON notices BEGIN
    INSERT INTO notices_fts (rowid, title, description, buyer)
    VALUES (new.seq, new.title, new.description, new.buyer);
END;

CREATE TRIGGER notices_fts_delete AFTER DELETE ON notices BEGIN
    INSERT INTO notices_fts (notices_fts, rowid, title, description, buyer)
    VALUES ('delete', old.seq, old.title, old.description, old.buyer);
END;

-- Feeds resend the same notices on every poll; reindex only when the indexed
-- text changed.
CREATE TRIGGER notices_fts_update AFTER UPDATE OF title, description, buyer ON notices
WHEN old.title IS NOT new.title
  OR old.description IS NOT new.description
  OR old.buyer IS NOT new.buyer
BEGIN
    INSERT INTO notices_fts (notices_fts, rowid, title, description, buyer)
    VALUES ('delete', old.seq, old.title, old.description, old.buyer);
    INSERT INTO notices_fts (rowid, title, description, buyer)
    VALUES (new.seq, new.title, new.description, new.buyer);
END;

CREATE TABLE feeds (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    url                  TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL DEFAULT '',
    last_polled          TEXT,
    last_success         TEXT,
    last_error           TEXT NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    items                INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL
);

-- A delivery keeps the message as it was rendered when enqueued, so it does
-- not refer to profiles or notices by foreign key: deleting a profile does
-- not rewrite what was already said, and notice_id and profile_id are ''
-- and 0 for messages that are about no notice or profile.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    key                 TEXT NOT NULL UNIQUE,
    platform            TEXT NOT NULL,
    workspace           TEXT NOT NULL,
    user_id             TEXT NOT NULL DEFAULT '',
    channel_id          TEXT NOT NULL DEFAULT '',
    purpose             TEXT NOT NULL,
    notice_id           TEXT NOT NULL DEFAULT '',
    profile_id          INTEGER NOT NULL DEFAULT 0,
    message             TEXT NOT NULL,   -- JSON of bot.Message
    status              TEXT NOT NULL,   -- pending, sent, failed
    attempts            INTEGER NOT NULL DEFAULT 0,
    due_at              TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    sent_at             TEXT,
    platform_message_id TEXT NOT NULL DEFAULT '',
    last_error          TEXT NOT NULL DEFAULT ''
);

-- The dispatcher's question: what is pending for my platforms, and when.
CREATE INDEX outbox_due ON outbox (status, platform, due_at);
