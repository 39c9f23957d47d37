-- Who made a channel's profile: they may change or delete it, as may the
-- channel's managers and the bot's admins. '' for a person's own profile,
-- and once the one who made it is forgotten.

ALTER TABLE profiles ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
