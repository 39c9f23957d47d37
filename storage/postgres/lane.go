package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot/outbox"
)

// The store keeps the platforms' limits for all the replicas on it.
var _ outbox.Lanes = (*Store)(nil)

// takeLanes applies outbox.Lane.Admit to every lane named in $1 (their
// intervals in $2, nanoseconds) at $3, in one statement:
// it locks the lanes' rows in name order (so two replicas taking
// overlapping lanes cannot deadlock), and moves each lane's next time on
// only when all $4 lanes are there and every one lets the send go. It
// returns the longest wait (0 or less: sent) and how many lanes it found.
// Its commit does not wait for the disk (synchronous_commit off, for this
// statement's transaction alone): the platform's row is locked by every
// send on it, and a flush per send would hold it ten times as long. A
// server crash may forget the last few sends counted, which costs at
// worst a 429 and a retry, never a message.
const takeLanes = `
	WITH want AS (
		SELECT * FROM unnest($1::text[], $2::bigint[]) AS w(name, interval_ns)
	), cur AS (
		SELECT l.name, l.next_at, w.interval_ns
		FROM rate_lanes AS l JOIN want AS w ON w.name = l.name
		ORDER BY l.name
		FOR UPDATE OF l
	), verdict AS (
		SELECT COALESCE(MAX(GREATEST(next_at, $3) - $3), 0) AS wait, count(*) AS found FROM cur
	), moved AS (
		UPDATE rate_lanes AS l SET next_at = GREATEST(c.next_at, $3) + c.interval_ns
		FROM cur AS c, verdict AS v
		WHERE l.name = c.name AND v.wait <= 0 AND v.found = $4
		RETURNING 1
	), relaxed AS (
		SELECT set_config('synchronous_commit', 'off', true)
	)
	SELECT wait, found FROM verdict, (SELECT count(*) FROM moved) AS m, relaxed`

// TakeLanes counts one send at now in every lane, all or none, in one
// statement (two the first time a lane is used): it returns 0 when the
// send may go, else how long until it may.
func (s *Store) TakeLanes(ctx context.Context, lanes []outbox.Lane, now time.Time) (time.Duration, error) {
	if len(lanes) == 0 {
		return 0, nil
	}
	names := make([]string, len(lanes))
	intervals := make([]int64, len(lanes))
	for i, l := range lanes {
		names[i], intervals[i] = l.Name, int64(l.Interval())
	}
	for range 2 {
		var wait, found int64
		err := s.pool.QueryRow(ctx, takeLanes, names, intervals, unixNano(now), len(lanes)).Scan(&wait, &found)
		if err != nil {
			return 0, fmt.Errorf("postgres: take platform limits %s: %w", strings.Join(names, ", "), err)
		}
		if found == int64(len(lanes)) {
			return max(time.Duration(wait), 0), nil
		}
		// A lane used for the first time: make its row, then take it.
		if _, err := s.pool.Exec(ctx, `INSERT INTO rate_lanes (name, next_at) SELECT unnest($1::text[]), 0 ON CONFLICT (name) DO NOTHING`, names); err != nil {
			return 0, fmt.Errorf("postgres: make platform limits %s: %w", strings.Join(names, ", "), err)
		}
	}
	return 0, fmt.Errorf("postgres: take platform limits %s: a lane vanished as it was made", strings.Join(names, ", "))
}
