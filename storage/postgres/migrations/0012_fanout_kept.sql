-- The rows of a large fan-out past its first chunk (bot.Effects.Chunk),
-- kept in the notice's own transaction and moved into the outbox and
-- digest_items a chunk a transaction by ContinueFanOuts, which deletes
-- each kept row in the transaction that writes its rows (kept.go).
CREATE TABLE fanout_kept (
	id BIGSERIAL PRIMARY KEY,
	notice_id TEXT NOT NULL,
	card_id BIGINT,        -- the stored card its rows reference: kept while they wait
	rows JSONB NOT NULL,   -- keptRows: the rows' columns, as written
	created_at BIGINT NOT NULL
);
