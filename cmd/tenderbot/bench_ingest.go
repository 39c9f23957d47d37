package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// countingStore is the store as the core sees it in the bench, counting
// the rows each new notice causes: the outbox's deliveries and the digest
// items. Counting what the core hands the store keeps the bench off the
// store's tables, and splits the rows by notice for the floor.
type countingStore struct {
	fanoutStore
	deliveries atomic.Int64
	held       atomic.Int64
}

// SaveNotice stores the notice and its effects, counting those of a new
// notice (the store ignores none of them: nothing is keyed on it yet).
func (s *countingStore) SaveNotice(ctx context.Context, n bot.Notice, keys []string, fx bot.Effects) (bool, error) {
	inserted, err := s.fanoutStore.SaveNotice(ctx, n, keys, fx)
	if err == nil && inserted {
		s.deliveries.Add(int64(len(fx.Deliveries)))
		s.held.Add(int64(len(fx.Held)))
	}
	return inserted, err
}

// size returns the bytes the database takes: the SQLite file and its log,
// or the tables of the bench's schema on PostgreSQL.
func (r *fanout) size(ctx context.Context) (int64, error) {
	if r.cfg.databaseURL != "" {
		return schemaSize(ctx, r.path)
	}
	return databaseSize(ctx, r.path)
}

// noticeRows is how many rows one ingested notice caused.
type noticeRows struct {
	noticeID string
	rows     int
}

// measureIngest ingests the notices one poll each, timing each call, and
// measures the database's growth.
func (r *fanout) measureIngest(ctx context.Context, rep *fanoutReport, progress func(string, ...any)) error {
	before, err := r.size(ctx)
	if err != nil {
		return err
	}
	took := make([]time.Duration, len(r.w.notices))
	r.perNotice = make([]noticeRows, len(r.w.notices))
	step := max(100, len(r.w.notices)/10) // a line every tenth, on runs long enough to want one
	var total time.Duration
	for i, n := range r.w.notices {
		rows0 := r.counted.deliveries.Load() + r.counted.held.Load()
		began := time.Now()
		if err := r.bot.Ingest(ctx, r.feed, []bot.Notice{n}); err != nil {
			return fmt.Errorf("bench fanout: ingest: %w", err)
		}
		took[i] = time.Since(began)
		total += took[i]
		r.perNotice[i] = noticeRows{noticeID: n.ID, rows: int(r.counted.deliveries.Load() + r.counted.held.Load() - rows0)}
		if (i+1)%step == 0 && i+1 < len(r.w.notices) {
			progress("ingest: %d of %d notices, %d rows, %.1f s", i+1, len(r.w.notices),
				r.counted.deliveries.Load()+r.counted.held.Load(), total.Seconds())
		}
	}
	after, err := r.size(ctx)
	if err != nil {
		return err
	}
	rep.deliveries = int(r.counted.deliveries.Load())
	rep.digestItems = int(r.counted.held.Load())
	rep.ingest = total
	rep.p50, rep.p99 = percentile(took, 0.50), percentile(took, 0.99)
	rep.grown = after - before
	progress("ingest: %d notices, %d deliveries and %d digest items in %.1f s; the database grew by %.1f MB",
		len(r.w.notices), rep.deliveries, rep.digestItems, total.Seconds(), float64(rep.grown)/1e6)
	return r.checkPending(ctx, rep.deliveries, progress)
}

// checkPending says so when the outbox does not hold the deliveries the
// core handed the store: the counts would not describe the database.
func (r *fanout) checkPending(ctx context.Context, deliveries int, progress func(string, ...any)) error {
	stats, err := r.store.Stats(ctx)
	if err != nil {
		return fmt.Errorf("bench fanout: %w", err)
	}
	if stats.Pending != deliveries {
		progress("warning: the outbox holds %d pending deliveries, the core enqueued %d", stats.Pending, deliveries)
	}
	return nil
}

// percentile returns the q-quantile of ds by nearest rank, in
// milliseconds.
func percentile(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	i := min(len(sorted)-1, max(0, int(math.Ceil(q*float64(len(sorted))))-1))
	return float64(sorted[i].Microseconds()) / 1000
}
