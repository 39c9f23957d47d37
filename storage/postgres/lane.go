package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot/outbox"
)

// The store keeps the platforms' limits for all the replicas on it.
var _ outbox.Lanes = (*Store)(nil)

// TakeLanes counts one send at now in every lane, all or none, in one short
// transaction that locks the lanes' rows (in name order, so two replicas
// taking overlapping lanes cannot deadlock): it returns 0 when the send may
// go, else how long until it may.
func (s *Store) TakeLanes(ctx context.Context, lanes []outbox.Lane, now time.Time) (time.Duration, error) {
	if len(lanes) == 0 {
		return 0, nil
	}
	lanes = slices.Clone(lanes)
	slices.SortFunc(lanes, func(a, b outbox.Lane) int { return strings.Compare(a.Name, b.Name) })
	names := make([]string, len(lanes))
	for i, l := range lanes {
		names[i] = l.Name
	}
	var wait time.Duration
	err := s.write(ctx, func(tx pgx.Tx) error {
		wait = 0
		if _, err := tx.Exec(ctx, `INSERT INTO rate_lanes (name, next_at) SELECT unnest($1::text[]), 0 ON CONFLICT (name) DO NOTHING`, names); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT name, next_at FROM rate_lanes WHERE name = ANY($1) ORDER BY name FOR UPDATE`, names)
		if err != nil {
			return err
		}
		next := map[string]int64{}
		for rows.Next() {
			var name string
			var at int64
			if err := rows.Scan(&name, &at); err != nil {
				return err
			}
			next[name] = at
		}
		if err := rows.Err(); err != nil {
			return err
		}
		afters := make([]int64, len(lanes))
		for i, l := range lanes {
			var at time.Time
			if ns := next[l.Name]; ns > 0 {
				at = fromNano(ns)
			}
			w, after := l.Admit(at, now)
			wait = max(wait, w)
			afters[i] = unixNano(after)
		}
		if wait > 0 {
			return nil // counts nothing
		}
		_, err = tx.Exec(ctx, `
			UPDATE rate_lanes AS l SET next_at = v.next_at
			FROM unnest($1::text[], $2::bigint[]) AS v(name, next_at) WHERE l.name = v.name`, names, afters)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: take platform limits %s: %w", strings.Join(names, ", "), err)
	}
	return wait, nil
}
