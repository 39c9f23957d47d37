package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot/lease"
)

// The store is a lease.Releaser: of the replicas on one database, the one
// holding a lease does its work (the scheduled work, a feed's polls, the
// Discord gateway).
var (
	_ lease.Leaser   = (*Store)(nil)
	_ lease.Releaser = (*Store)(nil)
)

// HoldLease takes the lease name for owner, or renews it, until ttl from
// the store's clock; another owner's lease is taken only once it has run
// out. One statement, so two replicas asking at once cannot both win.
func (s *Store) HoldLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	now := s.now()
	const q = `
		INSERT INTO work_leases (name, owner, until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
			WHERE work_leases.owner = EXCLUDED.owner OR work_leases.until <= $4
		RETURNING owner`
	var holder string
	err := s.pool.QueryRow(ctx, q, name, owner, unixNano(now.Add(ttl)), unixNano(now)).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil // another owner's lease runs on
	}
	if err != nil {
		return false, fmt.Errorf("postgres: lease %s: %w", name, err)
	}
	return holder == owner, nil
}

// ReleaseLease ends owner's lease name, so that another replica takes the
// work at its next try instead of waiting for the lease to run out.
func (s *Store) ReleaseLease(ctx context.Context, name, owner string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM work_leases WHERE name = $1 AND owner = $2`, name, owner); err != nil {
		return fmt.Errorf("postgres: release lease %s: %w", name, err)
	}
	return nil
}
