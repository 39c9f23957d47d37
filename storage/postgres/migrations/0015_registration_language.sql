-- The language of the public page a person registered on, which every
-- mail to them is written in: answers, materials, changes, reminders, a
-- place from the waitlist. '' for who registered in chat, whose own
-- settings say.
ALTER TABLE event_registrations ADD COLUMN language TEXT NOT NULL DEFAULT '';
