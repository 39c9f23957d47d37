-- Clusters: the same tender seen on several sources is one notice. Each
-- notice claims keys (its own id, its procedure id, its buyer and title); a
-- key points at the notice that claimed it first.
CREATE TABLE notice_keys (
    key       TEXT PRIMARY KEY,
    notice_id TEXT NOT NULL REFERENCES notices (id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Every source a notice was seen on, as a JSON array of {source, url}.
ALTER TABLE notices ADD COLUMN sources TEXT;

-- Polite polling: the validators of the last response, sent back as
-- If-None-Match / If-Modified-Since, and when the feed is due again (after
-- Cache-Control max-age, Retry-After or backoff).
ALTER TABLE feeds ADD COLUMN etag TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN last_modified TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN next_poll TEXT;

-- Notices stored before clusters existed claim their own id.
INSERT OR IGNORE INTO notice_keys (key, notice_id) SELECT 'id:' || id, id FROM notices;
