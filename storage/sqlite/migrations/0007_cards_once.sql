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

ALTER TABLE outbox ADD COLUMN card_id INTEGER REFERENCES cards (id);
ALTER TABLE digest_items ADD COLUMN card_id INTEGER REFERENCES cards (id);

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
    message = json_object('text', message ->> '$.text',
        'profile', message ->> '$.cards[0].profile', 'reasons', json(message -> '$.cards[0].reasons'))
WHERE purpose = 'alert' AND notice_id != '' AND json_array_length(message, '$.cards') = 1;

UPDATE digest_items
SET card_id = (
        SELECT c.id FROM cards AS c
        WHERE c.notice_id = digest_items.notice_id
            AND c.body = json_remove(digest_items.card, '$.profile', '$.reasons', '$.actions')),
    card = json_object('profile', card ->> '$.profile', 'reasons', json(card -> '$.reasons'));
