package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
)

// The store is an outbox.Claimer: replicas of the bot on one database
// share its outbox through leased claims.
var _ outbox.Claimer = (*Store)(nil)

// lockClaims is taken by every claim, for its transaction: claims run one
// at a time, each a single short statement, so that one claim sees the
// rows the one before it marked sending, and a conversation's newer
// deliveries never go to a second worker while its older ones are being
// sent by the first. The claim's statement is a statement of its own, after
// the lock's, so that what it reads is read once the lock is held.
//
// It also has the claim's transaction walk the pending rows in id order
// and stop at the claim's limit: with bitmap scans and sorts allowed, the
// planner, trusting statistics taken before a fan-out filled the outbox,
// checked every pending row's conversation and sorted them all to keep the
// first 50 — 14 ms a claim at 3,000 pending rows, and growing with the
// outbox, where the walk takes under a millisecond at any size.
const lockClaims = `SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true),
	pg_advisory_xact_lock(hashtextextended('tenderbot outbox claim ' || current_schema(), 0))`

// claimQuery is Claim's statement: $1 the platforms, $2 now, $3 the id the
// round has read up to, $4 the limit, $5 the owner, $6 the lease's end.
const claimQuery = `
	WITH claimed AS (
		SELECT o.id FROM outbox AS o
		WHERE ` + sendable + ` AND o.id > $3 AND o.due_at <= $2
			AND NOT EXISTS (
				SELECT 1 FROM outbox AS busy
				WHERE busy.status = 'sending'
					AND busy.platform = o.platform AND busy.workspace = o.workspace
					AND busy.user_id = o.user_id AND busy.channel_id = o.channel_id
					AND busy.id < o.id)
			AND NOT EXISTS (
				SELECT 1 FROM outbox AS passed
				WHERE passed.status = 'pending' AND (passed.attempts > 0 OR passed.lease_owner <> '') AND passed.id <= $3 AND passed.due_at <= $2
					AND passed.platform = o.platform AND passed.workspace = o.workspace
					AND passed.user_id = o.user_id AND passed.channel_id = o.channel_id)
		ORDER BY o.id
		LIMIT $4
		FOR UPDATE OF o SKIP LOCKED
	)
	UPDATE outbox AS o SET status = 'sending', lease_owner = $5, lease_until = $6
	FROM claimed WHERE o.id = claimed.id
	RETURNING ` + deliveryColumns

// Claim marks sending, leased to owner until until, up to limit of the
// deliveries DueDeliveries would return at now after after, skipping rows
// another transaction holds locked (FOR UPDATE SKIP LOCKED), the
// conversations with a delivery being sent, and those with a due
// delivery the round has passed (at or before after) that was tried or
// handed back since the round began: a failed send, a takeover, a lane
// that was full, a lease run short. Such a delivery has a lease owner, a
// fresh one none; the index of retries finds them. Newer deliveries of
// its conversation never overtake it. Claim returns them in enqueue order.
func (s *Store) Claim(ctx context.Context, owner string, platforms []bot.Platform, now time.Time, after int64, limit int, until time.Time) ([]bot.Delivery, error) {
	if len(platforms) == 0 || limit <= 0 {
		return nil, nil
	}
	// The lock and the claim go to the server together, as one implicit
	// transaction that ends with them: the lock is held while the server
	// claims and commits, never across a round trip to this process.
	batch := &pgx.Batch{}
	batch.Queue(lockClaims)
	batch.Queue(claimQuery, platformNames(platforms), unixNano(now), after, limit, owner, unixNano(until))
	br := s.pool.SendBatch(ctx, batch)
	_, err := br.Exec()
	var ds []bot.Delivery
	if err == nil {
		ds, err = scanDeliveries(br.Query())
	}
	if closeErr := br.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: claim due deliveries for %s: %w", owner, err)
	}
	slices.SortFunc(ds, func(a, b bot.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return ds, nil
}

// TakeOver leases to owner until until the deliveries for the platforms
// left sending whose lease ended at or before now, or that have none, and
// returns them, oldest first.
func (s *Store) TakeOver(ctx context.Context, owner string, platforms []bot.Platform, now, until time.Time) ([]bot.Delivery, error) {
	if len(platforms) == 0 {
		return nil, nil
	}
	const q = `
		WITH expired AS (
			SELECT o.id FROM outbox AS o
			WHERE o.status = 'sending' AND o.platform = ANY($1)
				AND (o.lease_until IS NULL OR o.lease_until <= $2)
			FOR UPDATE OF o SKIP LOCKED
		)
		UPDATE outbox AS o SET lease_owner = $3, lease_until = $4
		FROM expired WHERE o.id = expired.id
		RETURNING ` + deliveryColumns
	ds, err := queryDeliveries(ctx, s.pool, q, platformNames(platforms), unixNano(now), owner, unixNano(until))
	if err != nil {
		return nil, fmt.Errorf("postgres: take over expired claims for %s: %w", owner, err)
	}
	slices.SortFunc(ds, func(a, b bot.Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return ds, nil
}
