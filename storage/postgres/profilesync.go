package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot/profilesync"
)

// The store numbers profile changes and announces them, so that every
// replica's matcher index follows every replica's profiles.
var (
	_ profilesync.Store    = (*Store)(nil)
	_ profilesync.Listener = (*Store)(nil)
)

// profileChannel is where a change to a profile is announced, with the
// schema as payload (migration 0008's trigger).
const profileChannel = "tenderbot_profiles"

// ProfileVersion returns the version of the latest committed change to a
// profile: versions commit in order, so every change up to it is visible.
func (s *Store) ProfileVersion(ctx context.Context) (int64, error) {
	const q = `SELECT GREATEST(
		(SELECT COALESCE(MAX(version), 0) FROM profiles),
		(SELECT COALESCE(MAX(version), 0) FROM profile_tombstones))`
	var v int64
	if err := s.pool.QueryRow(ctx, q).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: profile version: %w", err)
	}
	return v, nil
}

// ProfileChanges returns the profiles changed, and the deletions, after
// version after, oldest first.
func (s *Store) ProfileChanges(ctx context.Context, after int64, limit int) ([]profilesync.Change, error) {
	const q = `
		SELECT id, version, false, paused, query FROM profiles WHERE version > $1
		UNION ALL
		SELECT profile_id, version, true, false, '' FROM profile_tombstones WHERE version > $1
		ORDER BY 2
		LIMIT $2`
	rows, err := s.pool.Query(ctx, q, after, limit)
	changes, err := collect(rows, err, func(row pgx.Rows) (profilesync.Change, error) {
		var c profilesync.Change
		err := row.Scan(&c.ProfileID, &c.Version, &c.Deleted, &c.Paused, &c.Query)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: profile changes after version %d: %w", after, err)
	}
	return changes, nil
}

// ListenProfiles calls changed once it listens, then after each committed
// change to a profile in this store's schema, on a connection taken from
// the pool for it, until ctx ends or the connection is lost.
func (s *Store) ListenProfiles(ctx context.Context, changed func()) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: listen for profile changes: %w", err)
	}
	// A listening connection must not go back to the pool.
	raw := conn.Hijack()
	defer raw.Close(context.Background())
	var schema string
	if err := raw.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: listen for profile changes: %w", err)
	}
	if _, err := raw.Exec(ctx, `LISTEN `+profileChannel); err != nil {
		return fmt.Errorf("postgres: listen for profile changes: %w", err)
	}
	changed() // what changed before the listening began
	for {
		n, err := raw.WaitForNotification(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("postgres: listen for profile changes: %w", err)
		}
		if n.Payload == schema {
			changed()
		}
	}
}

// tombstoneAge is how long a deleted profile's tombstone is kept: every
// running replica applies it within seconds, and one that starts loads the
// profiles as they are.
const tombstoneAge = "1 day"

// pruneTombstones deletes the tombstones older than tombstoneAge, by the
// server's clock, which stamped them.
func (s *Store) pruneTombstones(ctx context.Context) error {
	_, err := s.inBatches(ctx, `DELETE FROM profile_tombstones WHERE version IN (
		SELECT version FROM profile_tombstones WHERE deleted_at < now() - $1::interval LIMIT $2)`, tombstoneAge)
	if err != nil {
		return fmt.Errorf("postgres: prune profile tombstones: %w", err)
	}
	return nil
}
