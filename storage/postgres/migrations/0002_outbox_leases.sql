-- Replicas share the outbox: a worker claims due deliveries with a lease
-- (lease_owner, until lease_until) as it marks them sending, and another
-- takes over the claims whose lease ran out. A sending row without a lease
-- (marked by a worker that takes none) counts as run out.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;

-- A conversation with a delivery being sent gives none newer to any
-- worker: the claim asks, by conversation, for the rows being sent.
DROP INDEX outbox_sending;
CREATE INDEX outbox_sending ON outbox (platform, workspace, user_id, channel_id, id) WHERE status = 'sending';
