package feeds

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// DefaultInterval is how often a Poller polls when given no interval.
const DefaultInterval = 15 * time.Minute

// Sink receives what the poller reads; the core (*bot.Bot) implements it.
type Sink interface {
	// Feeds returns the feeds to poll this round.
	Feeds(ctx context.Context) ([]bot.Feed, error)
	// Ingest stores the notices read from feed and alerts whoever they match.
	Ingest(ctx context.Context, feed bot.Feed, notices []bot.Notice) error
	// FeedPolled records how a poll of feed went.
	FeedPolled(ctx context.Context, feed bot.Feed, r bot.PollResult)
}

// Poller polls every feed the sink knows, on an interval, and hands what it
// reads to the sink. Feeds are polled one after another; a feed that fails
// is logged and reported, and the round goes on.
type Poller struct {
	fetcher  *Fetcher
	sink     Sink
	interval time.Duration
	log      *slog.Logger
}

// NewPoller returns a Poller that reads feeds with f and reports to sink
// every interval (DefaultInterval when interval is not positive). A nil log
// discards.
func NewPoller(f *Fetcher, sink Sink, interval time.Duration, log *slog.Logger) *Poller {
	if interval <= 0 {
		interval = DefaultInterval
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Poller{fetcher: f, sink: sink, interval: interval, log: log}
}

// Run polls every feed at once and then every interval, re-reading the list
// of feeds each round so feeds added meanwhile are picked up, until ctx is
// done; then it returns nil. Rounds do not overlap: a round that overruns
// the interval delays the next.
func (p *Poller) Run(ctx context.Context) error {
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		if err := p.PollOnce(ctx); err != nil && ctx.Err() == nil {
			// The list of feeds could not be read (a busy store, say):
			// there is nothing to poll this round; try again next round.
			p.log.Error("feed poll round skipped", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// PollOnce polls every feed of sink.Feeds once. Each feed's outcome goes to
// sink.FeedPolled, exactly once; PollOnce itself fails only when the list of
// feeds cannot be read. When ctx is cancelled mid-round, the feeds not yet
// polled are left alone and the interrupted poll is not reported: shutting
// down is not the feed's failure.
func (p *Poller) PollOnce(ctx context.Context) error {
	feeds, err := p.sink.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("feeds: list feeds: %w", err)
	}
	for _, feed := range feeds {
		if ctx.Err() != nil {
			return nil
		}
		n, err := p.poll(ctx, feed)
		if err != nil && ctx.Err() != nil {
			return nil
		}
		r := bot.PollResult{At: time.Now().UTC(), Items: n, Err: err}
		if err != nil {
			r.Items = 0
			p.log.Warn("feed poll failed", "feed", redact(feed.URL), "name", feed.Name, "err", err)
		} else {
			p.log.Debug("feed polled", "feed", redact(feed.URL), "name", feed.Name, "items", n)
		}
		p.sink.FeedPolled(ctx, feed, r)
	}
	return nil
}

// poll reads one feed and ingests it, returning the number of notices read.
func (p *Poller) poll(ctx context.Context, feed bot.Feed) (int, error) {
	data, err := p.fetcher.Fetch(ctx, feed.URL)
	if err != nil {
		return 0, err
	}
	source := feed.Name
	if source == "" {
		source = redact(feed.URL)
	}
	notices, err := Parse(data, source)
	if err != nil {
		return 0, fmt.Errorf("parse %s: %w", redact(feed.URL), err)
	}
	if err := p.sink.Ingest(ctx, feed, notices); err != nil {
		return 0, fmt.Errorf("ingest %s: %w", redact(feed.URL), err)
	}
	return len(notices), nil
}
