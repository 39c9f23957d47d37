-- Who holds an event as the public sees it, and how to reach them: shown
-- on the event's page and in its calendar file. '' when not given.

ALTER TABLE events ADD COLUMN organiser TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN contact TEXT NOT NULL DEFAULT '';
