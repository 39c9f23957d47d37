-- A paused profile keeps its query, delivery, mutes and name, but alerts
-- nobody until it is resumed.
ALTER TABLE profiles ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
