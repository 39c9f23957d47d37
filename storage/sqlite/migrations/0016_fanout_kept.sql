-- The rows of a large fan-out past its first chunk (bot.Effects.Chunk):
-- kept in the notice's own transaction, so a notice is never stored
-- without its alerts, and moved into the outbox and digest_items a chunk a
-- transaction by ContinueFanOuts, which deletes each kept row in the
-- transaction that writes its rows. A stop leaves what is not written
-- here, and the next start writes it.
CREATE TABLE fanout_kept (
    id         INTEGER PRIMARY KEY,
    notice_id  TEXT NOT NULL,
    card_id    INTEGER,       -- the stored card its rows reference: kept while they wait
    rows       TEXT NOT NULL, -- JSON of keptRows (fanout.go): the rows' values, as written
    created_at TEXT NOT NULL
);
