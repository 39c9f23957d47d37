-- Early market engagement events: the events, who registered, the questions
-- asked, the materials shared, and each event's tamper-evident audit chain
-- with the table that maps its pseudonyms back to people.
--
-- Subscribers are four columns, '' for the unused one, as in profiles. Times
-- the store compares are UTC text in the fixed-width layout; an event's
-- start, end and registration deadline are kept as given, with their offset
-- and zone (see value.go), beside start_utc for ordering.

-- Ids are AUTOINCREMENT: public pages, calendar UIDs and audit chains name
-- events by id, which must never be handed out again.
CREATE TABLE events (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    title                TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    kind                 TEXT NOT NULL DEFAULT '',
    start_at             TEXT,             -- zoned; NULL: not set yet
    end_at               TEXT,             -- zoned
    start_utc            TEXT,             -- start_at in UTC, for ordering
    place                TEXT NOT NULL DEFAULT '',
    capacity             INTEGER NOT NULL DEFAULT 0,
    register_by          TEXT,             -- zoned
    target               TEXT NOT NULL DEFAULT '',
    related              TEXT NOT NULL DEFAULT '',
    documents            TEXT,             -- JSON array of links
    organizer_platform   TEXT NOT NULL DEFAULT '',
    organizer_workspace  TEXT NOT NULL DEFAULT '',
    organizer_user_id    TEXT NOT NULL DEFAULT '',
    organizer_channel_id TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,    -- draft, published, cancelled
    sequence             INTEGER NOT NULL DEFAULT 0,
    reason               TEXT NOT NULL DEFAULT '',
    created_at           TEXT,
    updated_at           TEXT,
    published_at         TEXT
);
CREATE INDEX events_by_start ON events (status, start_utc, id);

-- Registration order (registered_at, then rowid) decides who leaves the
-- waitlist first, so the table keeps its rowid.
CREATE TABLE event_registrations (
    event_id          INTEGER NOT NULL REFERENCES events (id),
    platform          TEXT NOT NULL,
    workspace         TEXT NOT NULL,
    user_id           TEXT NOT NULL DEFAULT '',
    channel_id        TEXT NOT NULL DEFAULT '',
    name              TEXT NOT NULL DEFAULT '',
    company           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,       -- going, maybe, not_going, waitlisted
    invited           INTEGER NOT NULL DEFAULT 0,
    prior_involvement TEXT NOT NULL DEFAULT '',
    registered_at     TEXT,
    updated_at        TEXT,
    PRIMARY KEY (event_id, platform, workspace, user_id, channel_id)
);
CREATE INDEX event_registrations_who ON event_registrations (platform, workspace, user_id, channel_id);

-- A forgotten asker's columns are emptied: the question and its answer stay
-- in the event's public Q&A.
CREATE TABLE event_questions (
    event_id         INTEGER NOT NULL REFERENCES events (id),
    number           INTEGER NOT NULL,     -- Q1, Q2, … per event
    text             TEXT NOT NULL,
    asker_platform   TEXT NOT NULL DEFAULT '',
    asker_workspace  TEXT NOT NULL DEFAULT '',
    asker_user_id    TEXT NOT NULL DEFAULT '',
    asker_channel_id TEXT NOT NULL DEFAULT '',
    asked_at         TEXT,
    answer           TEXT NOT NULL DEFAULT '',
    answered_at      TEXT,
    PRIMARY KEY (event_id, number)
) WITHOUT ROWID;
CREATE INDEX event_questions_asker ON event_questions (asker_platform, asker_workspace, asker_user_id, asker_channel_id);

CREATE TABLE event_materials (
    event_id INTEGER NOT NULL REFERENCES events (id),
    number   INTEGER NOT NULL,
    title    TEXT NOT NULL,
    url      TEXT NOT NULL,
    added_at TEXT,
    PRIMARY KEY (event_id, number)
) WITHOUT ROWID;

-- Each event's audit chain, entries exactly as sealed: every hash covers
-- the text of the entry and the hash before it, so nothing here is ever
-- rewritten, and the triggers below refuse to.
CREATE TABLE audit_log (
    event_id  INTEGER NOT NULL REFERENCES events (id),
    seq       INTEGER NOT NULL,            -- 1, 2, … per event
    time      TEXT NOT NULL,               -- as sealed: RFC 3339, UTC, milliseconds
    action    TEXT NOT NULL,
    actor     TEXT NOT NULL,               -- a pseudonym from audit_actors, or "tenderbot"
    data      TEXT,                        -- canonical JSON, byte for byte
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The only link from a pseudonym to a person: actor is "p-" and the first
-- 32 hex digits of SHA-256(salt || subscriber key). Forgetting a person
-- deletes their row, and the pseudonym in the chains names nobody.
CREATE TABLE audit_actors (
    actor      TEXT PRIMARY KEY,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    salt       BLOB NOT NULL,              -- 16 random bytes
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace, user_id, channel_id)
) WITHOUT ROWID;
