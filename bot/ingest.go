package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Feeds returns the feeds to poll: those registered by Start. Feeds stored
// by an earlier run with another configuration keep their notices but are
// not polled.
func (b *Bot) Feeds(ctx context.Context) ([]Feed, error) {
	b.mu.Lock()
	active := make(map[int64]bool, len(b.feedIDs))
	for _, id := range b.feedIDs {
		active[id] = true
	}
	b.mu.Unlock()
	all, err := b.store.ListFeeds(ctx)
	if err != nil {
		return nil, fmt.Errorf("bot: list feeds: %w", err)
	}
	var feeds []Feed
	for _, f := range all {
		if active[f.ID] {
			feeds = append(feeds, f)
		}
	}
	return feeds, nil
}

// Ingest stores the notices read from a feed. A notice seen for the first
// time enqueues one alert per subscriber whose profiles it matches — in the
// same transaction, so a notice is never stored without its alerts — unless
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
		if err := b.ingest(ctx, feed, n, &r); err != nil {
			errs = append(errs, fmt.Errorf("notice %q: %w", n.ID, err))
		}
	}
	if r.alerts > 0 {
		b.wakeDispatcher()
	}
	b.log.Info("feed ingested", "feed", feed.Name, "notices", len(notices), "new", r.added,
		"updated", r.updated, "quiet", r.quiet, "alerts", r.alerts, "errors", len(errs))
	return errors.Join(errs...)
}

// ingestReport counts what an Ingest did, for the log.
type ingestReport struct {
	added   int // new notices
	updated int // notices that updated a stored one
	quiet   int // of the new, those that alert nobody by rule: baseline, backfill, orphan change or award
	alerts  int
}

func (b *Bot) ingest(ctx context.Context, feed Feed, n Notice, r *ingestReport) error {
	n.Sources = sourcesOf(n)
	keys := clusterKeys(n)
	stored, found, err := b.store.FindNotice(ctx, keys)
	if err != nil {
		return err
	}
	if found {
		if _, err := b.store.SaveNotice(ctx, merge(stored, n), keys, nil); err != nil {
			return err
		}
		r.updated++
		b.observe.NoticeIngested(n.Source, n.Kind, "updated")
		return nil
	}
	quiet := !feed.Polled() || isBackfill(n, feed.LastSuccess) || n.Kind == KindChange || n.Kind == KindAward
	var deliveries []Delivery
	if !quiet {
		if deliveries, err = b.alertsFor(ctx, &n); err != nil {
			return err
		}
	}
	inserted, err := b.store.SaveNotice(ctx, n, keys, deliveries)
	if err != nil || !inserted {
		return err
	}
	outcome := "new"
	if quiet {
		outcome = "quiet"
		r.quiet++
	}
	r.added++
	r.alerts += len(deliveries)
	b.observe.NoticeIngested(n.Source, n.Kind, outcome)
	return nil
}

// alertsFor builds the alerts a notice would cause: one per subscriber, from
// their first matching profile.
func (b *Bot) alertsFor(ctx context.Context, n *Notice) ([]Delivery, error) {
	began := time.Now()
	hits := b.matcher.Match(n)
	b.observe.Matched(time.Since(began), len(hits))
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ProfileID
	}
	profiles, err := b.store.ProfilesByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("alerts for %q: %w", n.ID, err)
	}
	byID := make(map[int64]Profile, len(profiles))
	for _, p := range profiles {
		byID[p.ID] = p
	}
	muted, err := b.store.MutedBuyers(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("alerts for %q: %w", n.ID, err)
	}
	buyer := foldKey(n.Buyer)
	now := b.clock.Now()
	seen := map[string]bool{}
	var deliveries []Delivery
	for _, h := range hits {
		p, ok := byID[h.ProfileID]
		if !ok || (buyer != "" && slices.Contains(muted[p.ID], buyer)) { // deleted since the matcher saw it, or muted
			continue
		}
		key := AlertKey(p.Subscriber, n.ID)
		if seen[key] {
			continue
		}
		seen[key] = true
		deliveries = append(deliveries, Delivery{
			Key:       key,
			To:        p.Subscriber,
			Purpose:   PurposeAlert,
			NoticeID:  n.ID,
			ProfileID: p.ID,
			Message: Message{
				Text:  fmt.Sprintf("New %s for your profile %q:", n.Kind.Label(), p.Name),
				Cards: []Card{b.card(*n, p.ID, p.Name, h.Reasons)},
			},
			DueAt: now,
		})
	}
	return deliveries, nil
}

// FeedPolled records how a poll went. The poll that completes the first
// round of every feed releases the previews that waited for it.
func (b *Bot) FeedPolled(ctx context.Context, feed Feed, r PollResult) {
	b.observe.FeedPolled(feed, r)
	if err := b.store.RecordPoll(ctx, feed.ID, r); err != nil {
		b.log.Error("record poll failed", "feed", feed.URL, "err", err)
	}
	if r.Err != nil {
		b.log.Warn("feed poll failed", "feed", feed.URL, "err", r.Err)
	}
	if previews, over := b.loading.polled(feed.ID); over {
		b.enqueuePreviews(ctx, previews)
		b.loading.finish()
		b.log.Info("first poll of every feed finished", "previews", len(previews))
	}
}
