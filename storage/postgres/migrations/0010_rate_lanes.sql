-- The platforms' sending limits, shared by every replica on the database:
-- one row a lane (a conversation, or a platform in all), holding the time
-- (nanoseconds) its sends so far would have been spread evenly to.

CREATE TABLE rate_lanes (
	name TEXT PRIMARY KEY,
	next_at BIGINT NOT NULL
);
