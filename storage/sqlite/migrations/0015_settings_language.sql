-- The language a subscriber chose (`language nl`), '' for none, and the
-- locale their chat last reported for them (Slack's user locale,
-- Discord's interaction locale), '' when it reported none: alerts are
-- written in the first of these the bot speaks.
ALTER TABLE subscriber_settings ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriber_settings ADD COLUMN locale TEXT NOT NULL DEFAULT '';
