-- When a profile was deleted, so that its tombstone can go once every
-- running replica has long applied it (the retention job, after a day).
ALTER TABLE profile_tombstones ADD COLUMN deleted_at TIMESTAMPTZ NOT NULL DEFAULT now();
