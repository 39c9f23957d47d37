-- A delivery a worker handed back untried (its conversation's lane was
-- full, or its lease ran short) is pending with a lease owner and no
-- attempt. A claim treats it as it treats a retry: a round that has
-- passed it claims none of its conversation's newer deliveries, so they
-- never overtake it. The index of retries covers both.
DROP INDEX outbox_retrying;
CREATE INDEX outbox_retrying ON outbox (platform, workspace, user_id, channel_id, id)
	WHERE status = 'pending' AND (attempts > 0 OR lease_owner IS NOT NULL);
