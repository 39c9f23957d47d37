package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// countingStore is the store as the core sees it in the bench, counting
// the rows each new notice causes: the outbox's deliveries and the digest
// items. Counting what the core hands the store keeps the bench off the
// store's tables, and splits the rows by notice for the floor; when each
// notice was stored times it within its poll.
type countingStore struct {
	fanoutStore
	deliveries atomic.Int64
	held       atomic.Int64
	mu         sync.Mutex
	saved      []savedNotice
}

// savedNotice is a new notice stored: its rows, and when it was.
type savedNotice struct {
	noticeRows
	at time.Time
}

// SaveNotice stores the notice and its effects, counting those of a new
// notice (the store ignores none of them: nothing is keyed on it yet).
func (s *countingStore) SaveNotice(ctx context.Context, n bot.Notice, keys []string, fx bot.Effects) (bool, error) {
	inserted, err := s.fanoutStore.SaveNotice(ctx, n, keys, fx)
	if err == nil && inserted {
		s.deliveries.Add(int64(len(fx.Deliveries)))
		s.held.Add(int64(len(fx.Held)))
		s.mu.Lock()
		s.saved = append(s.saved, savedNotice{noticeRows{n.ID, len(fx.Deliveries) + len(fx.Held)}, time.Now()})
		s.mu.Unlock()
	}
	return inserted, err
}

// EncodeEffects has the store make fx's rows ahead of SaveNotice, as the
// bot has it when it is the store itself, where the store can.
func (s *countingStore) EncodeEffects(fx bot.Effects) (any, error) {
	if enc, ok := s.fanoutStore.(bot.EffectsEncoder); ok {
		return enc.EncodeEffects(fx)
	}
	return nil, nil
}

// savedSince returns the notices stored since the first mark of them.
func (s *countingStore) savedSince(mark int) []savedNotice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.saved[mark:])
}

// savedCount is how many new notices are stored: a mark for savedSince.
func (s *countingStore) savedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.saved)
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

// measureIngest ingests the notices a poll of cfg.poll at a time, timing
// each call, and measures the database's growth. A notice's time is what
// it adds to its poll: from the store's write of the one before it (or
// the poll's start) to its own, so that notices planned while another is
// written are not timed twice.
func (r *fanout) measureIngest(ctx context.Context, rep *fanoutReport, progress func(string, ...any)) error {
	before, err := r.size(ctx)
	if err != nil {
		return err
	}
	notices := r.w.notices
	took := make([]time.Duration, 0, len(notices))
	r.perNotice = make([]noticeRows, 0, len(notices))
	step := max(100, len(notices)/10) // a line every tenth, on runs long enough to want one
	var total time.Duration
	for start := 0; start < len(notices); start += r.cfg.poll {
		poll := notices[start:min(start+r.cfg.poll, len(notices))]
		mark := r.counted.savedCount()
		began := time.Now()
		if err := r.bot.Ingest(ctx, r.feed, poll); err != nil {
			return fmt.Errorf("bench fanout: ingest: %w", err)
		}
		total += time.Since(began)
		saved := r.counted.savedSince(mark)
		if len(saved) != len(poll) {
			return fmt.Errorf("bench fanout: ingest: %d of a poll's %d notices stored as new", len(saved), len(poll))
		}
		last := began
		for _, s := range saved {
			took = append(took, s.at.Sub(last))
			last = s.at
			r.perNotice = append(r.perNotice, s.noticeRows)
		}
		if done := start + len(poll); done/step > start/step && done < len(notices) {
			progress("ingest: %d of %d notices, %d rows, %.1f s", done, len(notices),
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
	progress("ingest: %d notices in polls of %d, %d deliveries and %d digest items in %.1f s; the database grew by %.1f MB",
		len(notices), r.cfg.poll, rep.deliveries, rep.digestItems, total.Seconds(), float64(rep.grown)/1e6)
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
