package bot

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync/atomic"
)

// FeedsToPoll returns the feeds to poll: the operator's, registered by
// Start, and the partners' active ones. Operator feeds stored by an earlier
// run with another configuration keep their notices but are not polled.
func (b *Bot) FeedsToPoll(ctx context.Context) ([]Feed, error) {
	b.mu.Lock()
	active := make(map[int64]bool, len(b.feedIDs))
	for _, id := range b.feedIDs {
		active[id] = true
	}
	kinds := b.feedKinds
	b.mu.Unlock()
	all, err := b.store.ListFeeds(ctx)
	if err != nil {
		return nil, fmt.Errorf("bot: list feeds: %w", err)
	}
	var feeds []Feed
	for _, f := range all {
		if active[f.ID] || (!f.Trusted() && f.Status == FeedActive) {
			if k, ok := kinds[f.ID]; ok && f.Trusted() {
				f.DefaultKind = k // the configuration's, not stored
			}
			feeds = append(feeds, f)
		}
	}
	return feeds, nil
}

// Ingest stores the notices read from a feed. A notice seen for the first
// time enqueues one alert per subscriber whose profiles it matches — in the
// same transaction, so a notice is never stored without its alerts (those
// past the first Chunk kept durably, and written a chunk a transaction
// after it) — unless it is part of the feed's first poll (the baseline:
// stored and searchable, but no flood of alerts), backfill (dated well
// before the previous poll), or a change or award of a tender never seen.
// A notice that clusters with one already stored (the same tender on
// another source, or a new version of an item) updates that one and never
// alerts afresh. A notice that fails to store is logged and the rest go
// on; the returned error joins every failure.
//
// The notices are stored one after another, in order, and the next ones
// are planned while one is written (see planAhead), so that matching and
// deciding who hears of a notice take the other core while the store
// writes.
func (b *Bot) Ingest(ctx context.Context, feed Feed, notices []Notice) error {
	var r ingestReport
	var errs []error
	var done atomic.Int64  // how many notices are written (or failed to be)
	var recent []footprint // of the notices written, those a plan still coming may not have seen
	for p := range b.planAhead(ctx, feed, notices, &done) {
		// Plans come in order, each begun after the one before it, so none
		// still coming was begun before this one.
		seen := p.seen
		if p.dependsOn(recent, b.alertCap) {
			p = b.plan(ctx, feed, p.incoming, p.index) // again, now that those are stored
		}
		err := p.err
		if err == nil {
			err = b.write(ctx, p, &r)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("notice %q: %w", p.incoming.ID, err))
		} else {
			recent = append(recent, p.footprint(b.alertCap))
		}
		done.Store(int64(p.index + 1))
		recent = slices.DeleteFunc(recent, func(f footprint) bool { return f.index < seen })
	}
	if r.alerts > 0 {
		b.wakeDispatcher()
	}
	b.mu.Lock()
	b.newItems[feed.ID] += r.added
	b.mu.Unlock()
	b.log.Info("feed ingested", "feed", feed.Name, "notices", len(notices), "new", r.added,
		"updated", r.updated, "unchanged", r.unchanged, "quiet", r.quiet, "alerts", r.alerts, "errors", len(errs))
	return errors.Join(errs...)
}

// ingestReport counts what an Ingest did, for the log.
type ingestReport struct {
	added   int // new notices
	updated int // notices that updated a stored one
	// unchanged are notices read again as they are stored: skipped before
	// any write, so an unchanged feed costs its parse and reads only.
	unchanged int
	quiet     int // of the new, those that alert nobody by rule: baseline, backfill, orphan change or award
	alerts    int
}

// plannedNotice is what storing one notice will write, decided from what
// the store held when it was planned.
type plannedNotice struct {
	index    int      // its place in the poll
	seen     int      // how many of the poll's notices were written when it was planned
	incoming Notice   // as read from the feed
	n        Notice   // as it will be stored: merged into the stored one it updates, if any
	keys     []string // its cluster keys
	found    bool     // it updates a stored notice, stored
	stored   Notice
	// unchanged: it is stored as it is, and nothing is written.
	unchanged bool
	quiet     bool // a new notice that alerts nobody by rule
	fx        Effects
	counted   map[Subscriber]int // the hourly counts its alerts were decided by (effectsFor)
	err       error
}

// plansAhead is about how many notices of a poll may be planned ahead of
// the one being written.
const plansAhead = 4

// planAhead plans the notices in order, up to plansAhead of them ahead of
// the one Ingest writes, noting in each how many were written (done) when
// its planning began. A single notice is planned where it is written.
func (b *Bot) planAhead(ctx context.Context, feed Feed, notices []Notice, done *atomic.Int64) iter.Seq[plannedNotice] {
	return func(yield func(plannedNotice) bool) {
		if len(notices) == 1 {
			yield(b.plan(ctx, feed, notices[0], 0))
			return
		}
		plans := make(chan plannedNotice, plansAhead-1)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			defer close(plans)
			for i, n := range notices {
				seen := int(done.Load())
				p := b.plan(ctx, feed, n, i)
				p.seen = seen
				select {
				case plans <- p:
				case <-stop:
					return
				}
			}
		}()
		for p := range plans {
			if !yield(p) {
				return
			}
		}
	}
}

// footprint is what writing a notice changed that a plan made before may
// have read otherwise: the cluster keys it claimed, the stored notice it
// updated, and, under the hourly cap, the alerts it made by subscriber.
type footprint struct {
	index  int
	keys   []string
	found  bool
	stored string
	alerts map[Subscriber]int
}

// footprint returns what writing p changed; alerts are counted under a
// cap of cap alerts only.
func (p plannedNotice) footprint(cap int) footprint {
	f := footprint{index: p.index, keys: p.keys, found: p.found, stored: p.stored.ID}
	if cap > 0 {
		for _, d := range p.fx.Deliveries {
			if d.Purpose == PurposeAlert {
				if f.alerts == nil {
					f.alerts = map[Subscriber]int{}
				}
				f.alerts[d.To]++
			}
		}
	}
	return f
}

// dependsOn reports whether p may have been decided otherwise had the
// notices written since it was planned (those of recent at or past
// p.seen) been stored when it was: it clusters with one of them (they
// share a cluster key, or update the same stored notice), or, under the
// hourly cap of cap alerts, their alerts bring a subscriber that p alerts
// to the cap, or reach one p holds back past it (whose word about the cap
// counts the alerts).
func (p plannedNotice) dependsOn(recent []footprint, cap int) bool {
	alerted := map[Subscriber]int{}
	for _, f := range recent {
		if f.index < p.seen {
			continue
		}
		for _, k := range p.keys {
			if slices.Contains(f.keys, k) {
				return true
			}
		}
		if p.found && f.found && p.stored.ID == f.stored {
			return true
		}
		for s, k := range f.alerts {
			alerted[s] += k
		}
	}
	if cap <= 0 || len(alerted) == 0 {
		return false
	}
	for _, d := range p.fx.Deliveries {
		if k := alerted[d.To]; k > 0 && (d.Purpose == PurposeNotice || p.counted[d.To]+k >= cap) {
			return true
		}
	}
	return false
}

// plan decides what storing incoming, the poll's notice index, from feed
// writes, reading what the store holds.
func (b *Bot) plan(ctx context.Context, feed Feed, incoming Notice, index int) plannedNotice {
	n := feed.WithDefaultKind(incoming)
	n.Sources = sourcesOf(n)
	p := plannedNotice{index: index, seen: index, incoming: incoming, n: n, keys: clusterKeys(n)}
	var err error
	if p.stored, p.found, err = b.store.FindNotice(ctx, p.keys); err != nil {
		p.err = err
		return p
	}
	if p.found {
		p.n = merge(p.stored, n)
		if p.fx, err = b.followUps(ctx, p.stored, p.n, n); err != nil {
			p.err = fmt.Errorf("follow-ups: %w", err)
			return p
		}
		p.unchanged = p.fx.none() && sameContent(p.n, p.stored)
		return p
	}
	p.quiet = !feed.Polled() || isBackfill(n, feed.LastSuccess) || n.Kind == KindChange || n.Kind == KindAward
	if !p.quiet {
		via := ""
		if !feed.Trusted() {
			via = feed.Name
		}
		if p.fx, p.counted, err = b.effectsFor(ctx, &p.n, via); err != nil {
			p.err = fmt.Errorf("effects: %w", err)
			return p
		}
		if enc, ok := b.store.(EffectsEncoder); ok && len(p.fx.Deliveries)+len(p.fx.Held) > 0 {
			if p.fx.Encoded, err = enc.EncodeEffects(p.fx); err != nil {
				p.err = fmt.Errorf("effects: %w", err)
				return p
			}
		}
	}
	p.fx.Chunk = b.fanOutChunk
	return p
}

// write stores a planned notice and its effects.
func (b *Bot) write(ctx context.Context, p plannedNotice, r *ingestReport) error {
	if p.unchanged {
		r.unchanged++ // read again as it was: nothing to write
		return nil
	}
	if p.found {
		if _, err := b.store.SaveNotice(ctx, p.n, p.keys, p.fx); err != nil {
			return err
		}
		r.alerts += len(p.fx.Deliveries)
		r.updated++
		b.observe.NoticeIngested(p.n.Source, p.n.Kind, "updated")
		return nil
	}
	inserted, err := b.store.SaveNotice(ctx, p.n, p.keys, p.fx)
	if err == nil && len(p.fx.Deliveries)+len(p.fx.Held) > p.fx.Chunk {
		_, err = b.store.ContinueFanOuts(ctx)
	}
	if err != nil || !inserted {
		return err
	}
	outcome := "new"
	if p.quiet {
		outcome = "quiet"
		r.quiet++
	}
	r.added++
	r.alerts += len(p.fx.Deliveries)
	b.observe.NoticeIngested(p.n.Source, p.n.Kind, outcome)
	return nil
}

// FeedPolled records how a poll went. The poll that completes the first
// round of every feed releases the previews that waited for it.
func (b *Bot) FeedPolled(ctx context.Context, feed Feed, r PollResult) {
	b.mu.Lock()
	r.NewItems = b.newItems[feed.ID]
	delete(b.newItems, feed.ID)
	b.mu.Unlock()
	b.observe.FeedPolled(feed, r)
	if r.NewItems > 0 {
		feed.NewItems += r.NewItems
		if feed.FirstNewAt.IsZero() {
			feed.FirstNewAt = r.At
		}
		feed.LastNewAt = r.At
	}
	if b.partners != nil {
		b.partners.Polled(ctx, feed, r)
	}
	if err := b.store.RecordPoll(ctx, feed.ID, r); err != nil {
		b.log.Error("record poll failed", "feed", feed.URL, "err", err)
	}
	if r.Err != nil {
		b.log.Warn("feed poll failed", "feed", feed.URL, "err", r.Err)
	}
	b.firstRound(ctx, feed.ID)
}

// FeedPolledElsewhere records that another replica of the bot polls feed:
// for this replica's first round of polls it counts as polled.
func (b *Bot) FeedPolledElsewhere(ctx context.Context, feed Feed) { b.firstRound(ctx, feed.ID) }

// firstRound counts feed id as polled in the first round, and enqueues the
// previews that waited for the round once it is over.
func (b *Bot) firstRound(ctx context.Context, id int64) {
	if previews, over := b.loading.polled(id); over {
		b.enqueuePreviews(ctx, previews)
		b.loading.finish()
		b.log.Info("first poll of every feed finished", "previews", len(previews))
	}
}
