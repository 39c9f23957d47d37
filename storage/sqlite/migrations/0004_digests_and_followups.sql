-- Matches held for a digest (daily or weekly profiles, and instant alerts
-- over a subscriber's hourly cap), until the digest that carries them is
-- enqueued and they are deleted in the same transaction.
CREATE TABLE digest_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    mode       TEXT NOT NULL,     -- daily or weekly
    profile_id INTEGER NOT NULL,
    notice_id  TEXT NOT NULL,
    card       TEXT NOT NULL,     -- JSON bot.Card, as it was when matched
    overflow   INTEGER NOT NULL DEFAULT 0, -- held because of the hourly cap
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace, user_id, channel_id, notice_id)
);
CREATE INDEX digest_items_due ON digest_items (mode, created_at);

-- Per-subscriber settings: quiet hours as minutes after local midnight
-- (NULL: none).
CREATE TABLE subscriber_settings (
    platform    TEXT NOT NULL,
    workspace   TEXT NOT NULL,
    user_id     TEXT NOT NULL DEFAULT '',
    channel_id  TEXT NOT NULL DEFAULT '',
    quiet_start INTEGER,
    quiet_end   INTEGER,
    PRIMARY KEY (platform, workspace, user_id, channel_id)
) WITHOUT ROWID;

-- Profile changes of delivery mode.
CREATE INDEX outbox_sent_to ON outbox (platform, workspace, user_id, channel_id, purpose, created_at);
