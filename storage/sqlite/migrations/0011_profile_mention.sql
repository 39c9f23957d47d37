-- Whom a channel profile's alerts call in the channel: "user:ID" or
-- "group:ID" (a Slack user group, a Discord role); '' for nobody.

ALTER TABLE profiles ADD COLUMN mention TEXT NOT NULL DEFAULT '';
