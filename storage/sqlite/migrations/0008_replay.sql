-- The signed requests Slack and Discord sent over HTTP, remembered until
-- their timestamp is too old to be accepted anyway, so that one sent again
-- is refused after a restart and by every replica.

CREATE TABLE seen_requests (
    key        TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX seen_requests_expiry ON seen_requests (expires_at);
