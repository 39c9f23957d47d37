-- The kind a feed's notices get when their items say none (feed add URL
-- kind=tender); '' for none.
ALTER TABLE feeds ADD COLUMN default_kind TEXT NOT NULL DEFAULT '';
