-- Roles people hold in their workspace.
CREATE TABLE roles (
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    granted_by TEXT NOT NULL,  -- subscriber key of the admin
    granted_at TEXT NOT NULL,
    PRIMARY KEY (platform, workspace, user_id, role)
) WITHOUT ROWID;

-- Partner feeds: who added a feed ('' platform: the operator, trusted),
-- whether it is polled, and why not; the format found when it was added;
-- and when it last brought a new notice, for telling a silent feed.
ALTER TABLE feeds ADD COLUMN owner_platform TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN owner_workspace TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN owner_user TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE feeds ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN format TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN new_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN first_new_at TEXT;
ALTER TABLE feeds ADD COLUMN last_new_at TEXT;
