-- Leases on work that one replica at a time does (the scheduled work:
-- digests and retention): who holds each, and until when (nanoseconds).

CREATE TABLE work_leases (
	name TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	until BIGINT NOT NULL
);
