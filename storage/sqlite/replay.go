package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// replayBatch is how many expired keys one SeenRequest forgets: enough to
// keep up with the requests that come in, small enough that no call waits
// on a large delete.
const replayBatch = 100

// SeenRequest records key until expires and reports whether it was fresh at
// at; it forgets a batch of expired keys on the way.
func (s *Store) SeenRequest(ctx context.Context, key string, at, expires time.Time) (bool, error) {
	now := formatTime(at)
	var fresh bool
	err := write(ctx, s.writer, func(tx *sql.Tx) error {
		const forget = `
			DELETE FROM seen_requests
			WHERE key IN (SELECT key FROM seen_requests WHERE expires_at <= ? LIMIT ?)
			   OR (key = ? AND expires_at <= ?)`
		if _, err := tx.ExecContext(ctx, forget, now, replayBatch, key, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO seen_requests (key, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, key, formatTime(expires))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		fresh = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: seen request: %w", err)
	}
	return fresh, nil
}
