package bot

import (
	"context"
	"errors"
	"fmt"
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

// Ingest stores the notices read from a feed and, for each notice seen for
// the first time, enqueues one alert per subscriber whose profiles it
// matches — in the same transaction, so a notice is never stored without its
// alerts. A notice that fails to store is logged and the rest go on; the
// returned error joins every failure.
func (b *Bot) Ingest(ctx context.Context, feed Feed, notices []Notice) error {
	var errs []error
	alerted := 0
	for i := range notices {
		n := &notices[i]
		deliveries, err := b.alertsFor(ctx, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		inserted, err := b.store.SaveNotice(ctx, *n, deliveries)
		if err != nil {
			errs = append(errs, fmt.Errorf("save notice %q: %w", n.ID, err))
			continue
		}
		if inserted {
			alerted += len(deliveries)
		}
	}
	if alerted > 0 {
		b.wakeDispatcher()
	}
	b.log.Info("feed ingested", "feed", feed.URL, "notices", len(notices), "alerts", alerted, "errors", len(errs))
	return errors.Join(errs...)
}

// alertsFor builds the alerts a notice would cause: one per subscriber, from
// their first matching profile.
func (b *Bot) alertsFor(ctx context.Context, n *Notice) ([]Delivery, error) {
	hits := b.matcher.Match(n)
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
	now := b.clock.Now()
	seen := map[string]bool{}
	var deliveries []Delivery
	for _, h := range hits {
		p, ok := byID[h.ProfileID]
		if !ok { // deleted since the matcher saw it
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
				Cards: []Card{b.card(*n, p.Name, h.Reasons)},
			},
			DueAt: now,
		})
	}
	return deliveries, nil
}

// FeedPolled records how a poll went. The poll that completes the first
// round of every feed releases the previews that waited for it.
func (b *Bot) FeedPolled(ctx context.Context, feed Feed, r PollResult) {
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
