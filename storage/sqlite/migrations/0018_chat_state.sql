-- What a person is in the middle of in chat (a form between its steps, an
-- interaction acknowledged but not yet answered), kept here so that a
-- restart forgets nothing typed; each row until it expires.

CREATE TABLE chat_state (
    key        TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX chat_state_expiry ON chat_state (expires_at);
