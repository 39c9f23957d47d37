package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
)

// Stats counts what an operator watches: profiles, notices, and the
// deliveries waiting in the outbox with the due time of the oldest.
func (s *Store) Stats(ctx context.Context) (bot.StoreStats, error) {
	var st bot.StoreStats
	var oldest *int64
	const q = `
		SELECT
			(SELECT COUNT(*) FROM profiles),
			(SELECT COUNT(*) FROM notices),
			(SELECT COUNT(*) FROM outbox WHERE status = 'pending'),
			(SELECT MIN(due_at) FROM outbox WHERE status = 'pending')`
	if err := s.pool.QueryRow(ctx, q).Scan(&st.Profiles, &st.Notices, &st.Pending, &oldest); err != nil {
		return bot.StoreStats{}, fmt.Errorf("postgres: stats: %w", err)
	}
	st.OldestDue = fromNullNano(oldest)
	return st, nil
}

// replayBatch is how many expired keys one SeenRequest forgets.
const replayBatch = 100

// SeenRequest records key until expires and reports whether it was fresh at
// at; it forgets a batch of expired keys on the way. Two replicas racing
// with one key: the second's insert waits for the first's, then finds the
// key taken.
func (s *Store) SeenRequest(ctx context.Context, key string, at, expires time.Time) (bool, error) {
	now := unixNano(at)
	var fresh bool
	err := s.write(ctx, func(tx pgx.Tx) error {
		const forget = `
			DELETE FROM seen_requests
			WHERE key IN (SELECT key FROM seen_requests WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
			   OR (key = $3 AND expires_at <= $1)`
		if _, err := tx.Exec(ctx, forget, now, replayBatch, key); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO seen_requests (key, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, key, unixNano(expires))
		fresh = tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: seen request: %w", err)
	}
	return fresh, nil
}
