-- A notice's card is stored once and referenced by every delivery and
-- digest item that shows it: a notice matching thousands of subscribers
-- wrote the same card thousands of times. A row that references a card
-- keeps only what is its recipient's own (see card.go): the message's text,
-- the profile that matched and why; its buttons follow from the notice and
-- the row's profile_id.
CREATE TABLE cards (
    id         INTEGER PRIMARY KEY,
    notice_id  TEXT NOT NULL,
    body       TEXT NOT NULL,   -- JSON of bot.Card, without a recipient's profile, reasons and buttons
    created_at TEXT NOT NULL
);
CREATE INDEX cards_notice ON cards (notice_id);

-- card_id is no foreign key, nor indexed: checking or indexing it would
-- cost a write per row of a fan-out, and retention finds the cards no row
-- references any more in one pass over the rows.
ALTER TABLE outbox ADD COLUMN card_id INTEGER;

-- Alert keys put the notice first (bot.AlertKey), so that one notice's
-- alerts sort together in the key's index. Old keys were
-- alert:<subscriber>:<notice>.
UPDATE outbox
SET key = 'alert:' || notice_id || ':' || substr(key, 7, length(key) - 7 - length(notice_id))
WHERE purpose = 'alert' AND notice_id != '' AND substr(key, 1, 6) = 'alert:'
    AND substr(key, -length(notice_id) - 1) = ':' || notice_id;

-- Inline alert cards and digest cards become referenced ones: one card per
-- notice and distinct body, the rows keeping their recipient's part.
INSERT INTO cards (notice_id, body, created_at)
SELECT notice_id, body, MIN(created_at) FROM (
    SELECT notice_id, json_remove(message -> '$.cards[0]', '$.profile', '$.reasons', '$.actions') AS body, created_at
    FROM outbox
    WHERE purpose = 'alert' AND notice_id != '' AND json_array_length(message, '$.cards') = 1
    UNION ALL
    SELECT notice_id, json_remove(card, '$.profile', '$.reasons', '$.actions'), created_at
    FROM digest_items
)
GROUP BY notice_id, body;

UPDATE outbox
SET card_id = (
        SELECT c.id FROM cards AS c
        WHERE c.notice_id = outbox.notice_id
            AND c.body = json_remove(outbox.message -> '$.cards[0]', '$.profile', '$.reasons', '$.actions')),
    message = json_object('t', message ->> '$.text',
        'p', message ->> '$.cards[0].profile', 'r', json(message -> '$.cards[0].reasons'))
WHERE purpose = 'alert' AND notice_id != '' AND json_array_length(message, '$.cards') = 1;

-- Digest items are unique by notice first, so that one notice's items are
-- written at one place of the index, as alerts are.
CREATE TABLE digest_items_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    mode       TEXT NOT NULL,     -- daily or weekly
    profile_id INTEGER NOT NULL,
    notice_id  TEXT NOT NULL,
    card       TEXT NOT NULL,     -- JSON bot.Card, or the recipient's part of the card card_id
    card_id    INTEGER,
    overflow   INTEGER NOT NULL DEFAULT 0, -- held because of the hourly cap
    created_at TEXT NOT NULL,
    UNIQUE (notice_id, platform, workspace, user_id, channel_id)
);
INSERT INTO digest_items_new (id, platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, overflow, created_at)
SELECT id, platform, workspace, user_id, channel_id, mode, profile_id, notice_id, card, overflow, created_at FROM digest_items;
DROP TABLE digest_items;
ALTER TABLE digest_items_new RENAME TO digest_items;
CREATE INDEX digest_items_due ON digest_items (mode, created_at);

UPDATE digest_items
SET card_id = (
        SELECT c.id FROM cards AS c
        WHERE c.notice_id = digest_items.notice_id
            AND c.body = json_remove(digest_items.card, '$.profile', '$.reasons', '$.actions')),
    card = json_object('p', card ->> '$.profile', 'r', json(card -> '$.reasons'));

-- The outbox's indexes follow what the worker asks, and only for the rows
-- that ask it: the pending rows in enqueue order (their due times are read
-- from the rows, which that order visits in turn); the few that wait for a
-- retry, which hold back their conversation; the dead letters. A sent row
-- leaves every index but its key's. There is no index by subscriber: the
-- hourly cap is counted from memory (recent.go), and a fan-out would write
-- such an index at a random place for every alert.
DROP INDEX outbox_due;
DROP INDEX outbox_sent_to;
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX outbox_retrying ON outbox (platform, workspace, user_id, channel_id, id) WHERE status = 'pending' AND attempts > 0;
CREATE INDEX outbox_failed ON outbox (id) WHERE status = 'failed';
