-- The workspaces the bot is installed in, when the Slack app is
-- distributed ("Add to Slack"): one row a workspace, its bot token sealed
-- (AES-GCM, a key derived from TENDERBOT_SECRET_KEY) before it reaches the
-- database. installed_at in nanoseconds, as every time here.

CREATE TABLE installations (
    platform     TEXT NOT NULL,
    team         TEXT NOT NULL,
    team_name    TEXT NOT NULL DEFAULT '',
    bot_user     TEXT NOT NULL DEFAULT '',
    scope        TEXT NOT NULL DEFAULT '',
    installed_by TEXT NOT NULL DEFAULT '',
    installed_at BIGINT NOT NULL,
    token        BYTEA NOT NULL,
    PRIMARY KEY (platform, team)
);
