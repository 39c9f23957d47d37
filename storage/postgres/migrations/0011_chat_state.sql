-- What a person is in the middle of in chat (a form between its steps),
-- kept here so that any replica takes the next step and a restart forgets
-- nothing typed; each row until it expires (nanoseconds).

CREATE TABLE chat_state (
	key TEXT PRIMARY KEY,
	value BYTEA NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX chat_state_expiry ON chat_state (expires_at);
