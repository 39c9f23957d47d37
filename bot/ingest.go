package bot

import (
	"context"
	"errors"
	"fmt"
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
// after it) — unless
// it is part of the feed's first poll (the baseline: stored and searchable,
// but no flood of alerts), backfill (dated well before the previous poll), or
// a change or award of a tender never seen. A notice that clusters with one
// already stored (the same tender on another source, or a new version of an
// item) updates that one and never alerts afresh. A notice that fails to
// store is logged and the rest go on; the returned error joins every failure.
func (b *Bot) Ingest(ctx context.Context, feed Feed, notices []Notice) error {
	var r ingestReport
	var errs []error
	for _, n := range notices {
		if err := b.ingest(ctx, feed, feed.WithDefaultKind(n), &r); err != nil {
			errs = append(errs, fmt.Errorf("notice %q: %w", n.ID, err))
		}
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

func (b *Bot) ingest(ctx context.Context, feed Feed, n Notice, r *ingestReport) error {
	n.Sources = sourcesOf(n)
	keys := clusterKeys(n)
	stored, found, err := b.store.FindNotice(ctx, keys)
	if err != nil {
		return err
	}
	if found {
		merged := merge(stored, n)
		fx, err := b.followUps(ctx, stored, merged, n)
		if err != nil {
			return fmt.Errorf("follow-ups: %w", err)
		}
		if fx.none() && sameContent(merged, stored) {
			r.unchanged++ // read again as it was: nothing to write
			return nil
		}
		if _, err := b.store.SaveNotice(ctx, merged, keys, fx); err != nil {
			return err
		}
		r.alerts += len(fx.Deliveries)
		r.updated++
		b.observe.NoticeIngested(n.Source, n.Kind, "updated")
		return nil
	}
	quiet := !feed.Polled() || isBackfill(n, feed.LastSuccess) || n.Kind == KindChange || n.Kind == KindAward
	var fx Effects
	if !quiet {
		via := ""
		if !feed.Trusted() {
			via = feed.Name
		}
		if fx, err = b.effectsFor(ctx, &n, via); err != nil {
			return fmt.Errorf("effects: %w", err)
		}
	}
	fx.Chunk = b.fanOutChunk
	inserted, err := b.store.SaveNotice(ctx, n, keys, fx)
	if err == nil && len(fx.Deliveries)+len(fx.Held) > fx.Chunk {
		_, err = b.store.ContinueFanOuts(ctx)
	}
	if err != nil || !inserted {
		return err
	}
	outcome := "new"
	if quiet {
		outcome = "quiet"
		r.quiet++
	}
	r.added++
	r.alerts += len(fx.Deliveries)
	b.observe.NoticeIngested(n.Source, n.Kind, outcome)
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
