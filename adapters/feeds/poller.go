package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// DefaultInterval is how often a Poller polls when given no interval.
const DefaultInterval = 15 * time.Minute

// Sink receives what the poller reads; the core (*bot.Bot) implements it.
type Sink interface {
	// FeedsToPoll returns the feeds to poll this round.
	FeedsToPoll(ctx context.Context) ([]bot.Feed, error)
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

	mu sync.Mutex
	// promised are the feeds whose last read said more comes soon
	// (Response.PublishesIn), by id: WaitPublished waits for them.
	promised map[int64]bool
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
	return &Poller{fetcher: f, sink: sink, interval: interval, log: log, promised: map[int64]bool{}}
}

// waitCheckInterval is how often WaitPublished looks again.
const waitCheckInterval = 50 * time.Millisecond

// WaitPublished returns once no feed has promised more soon, or when ctx is
// done: a scripted console session on the example feed ends after the
// alerts its later items bring, not before.
func (p *Poller) WaitPublished(ctx context.Context) error {
	ticker := time.NewTicker(waitCheckInterval)
	defer ticker.Stop()
	for {
		p.mu.Lock()
		waiting := len(p.promised)
		p.mu.Unlock()
		if waiting == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

// promise records whether feed's read just now promised more soon.
func (p *Poller) promise(feed int64, soon bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if soon {
		p.promised[feed] = true
	} else {
		delete(p.promised, feed)
	}
}

// maxBackoff caps the wait before a failing feed is tried again.
const maxBackoff = 24 * time.Hour

// Run polls every feed at once, then each feed when it is due again, until
// ctx is done; then it returns nil. A feed is due an interval after its last
// poll, later when the server asked (Cache-Control max-age, Retry-After), and
// later and later while it keeps failing. The list of feeds is re-read each
// round, so feeds added meanwhile are picked up.
func (p *Poller) Run(ctx context.Context) error {
	// The first round polls every feed, due or not: the bot promised a
	// fresh look at start, and conditional GET keeps it cheap.
	next, err := p.poll(ctx, func(bot.Feed) bool { return true })
	for {
		if err != nil && ctx.Err() == nil {
			// The list of feeds could not be read (a busy store, say):
			// there is nothing to poll this round; try again later.
			p.log.Error("feed poll round skipped", "err", err)
		}
		wait := p.interval
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), time.Second))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		now := time.Now()
		next, err = p.poll(ctx, func(f bot.Feed) bool { return !f.NextPoll.After(now) })
	}
}

// ReadNow polls feed now, out of its turn, and reports the outcome to the
// sink as a scheduled poll does; it implements bot.FeedReader.
func (p *Poller) ReadNow(ctx context.Context, feed bot.Feed) bot.PollResult {
	r := p.pollFeed(ctx, feed)
	p.sink.FeedPolled(ctx, feed, r)
	return r
}

// PollOnce polls every feed of sink.Feeds once, due or not. Each feed's
// outcome goes to sink.FeedPolled, exactly once; PollOnce itself fails only
// when the list of feeds cannot be read. When ctx is cancelled mid-round,
// the feeds not yet polled are left alone and the interrupted poll is not
// reported: shutting down is not the feed's failure.
func (p *Poller) PollOnce(ctx context.Context) error {
	_, err := p.poll(ctx, func(bot.Feed) bool { return true })
	return err
}

// poll polls the feeds for which due reports true, and returns when the
// earliest feed is due next (zero when there are no feeds).
func (p *Poller) poll(ctx context.Context, due func(bot.Feed) bool) (next time.Time, err error) {
	feeds, err := p.sink.FeedsToPoll(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("feeds: list feeds: %w", err)
	}
	earliest := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, feed := range feeds {
		if ctx.Err() != nil {
			return next, nil
		}
		if !due(feed) {
			earliest(feed.NextPoll)
			continue
		}
		r := p.pollFeed(ctx, feed)
		if r.Err != nil && ctx.Err() != nil {
			return next, nil
		}
		if r.Err != nil {
			p.log.Warn("feed poll failed", "feed", Redact(feed.URL), "name", feed.Name, "err", r.Err, "next_poll", r.NextPoll)
		} else {
			p.log.Debug("feed polled", "feed", Redact(feed.URL), "name", feed.Name, "items", r.Items, "not_modified", r.NotModified)
		}
		p.sink.FeedPolled(ctx, feed, r)
		earliest(r.NextPoll)
	}
	return next, nil
}

// pollFeed reads one feed, conditionally, and ingests what changed.
func (p *Poller) pollFeed(ctx context.Context, feed bot.Feed) bot.PollResult {
	resp, n, err := p.read(ctx, feed)
	now := time.Now().UTC()
	r := bot.PollResult{At: now, Err: err, NextPoll: p.nextPoll(feed, now, resp, err)}
	p.promise(feed.ID, err == nil && resp.PublishesIn > 0)
	if err == nil {
		r.Items, r.NotModified, r.ETag, r.LastModified = n, resp.NotModified, resp.ETag, resp.LastModified
	}
	return r
}

// read fetches and ingests one feed, returning the response and the number
// of notices read.
func (p *Poller) read(ctx context.Context, feed bot.Feed) (Response, int, error) {
	source := feed.Name
	if source == "" {
		source = Redact(feed.URL)
	}
	r := Request{Location: feed.URL, ETag: feed.ETag, LastModified: feed.LastModified, Untrusted: !feed.Trusted()}
	format := Format(feed.Format) // recorded when a partner added the feed
	if format == "" {
		format = FormatAuto
	}
	doc, err := p.fetcher.Read(ctx, r, format, source, pollMaxPages)
	if err != nil {
		return Response{}, 0, fmt.Errorf("read %s: %w", Redact(feed.URL), err)
	}
	if doc.NotModified {
		return doc.Response, 0, nil
	}
	if doc.More != "" {
		p.log.Info("feed has more pages than one poll reads", "feed", Redact(feed.URL), "pages", pollMaxPages)
	}
	if err := p.sink.Ingest(ctx, feed, doc.Notices); err != nil {
		return doc.Response, 0, fmt.Errorf("ingest %s: %w", Redact(feed.URL), err)
	}
	return doc.Response, len(doc.Notices), nil
}

// pollMaxPages bounds the pages one poll of a feed reads.
const pollMaxPages = 10

// nextPoll decides when a feed is due again: after the interval, or what
// the server asked for when that is longer; after a failure, after a wait
// that doubles with each failure in a row.
func (p *Poller) nextPoll(feed bot.Feed, now time.Time, resp Response, err error) time.Time {
	var throttled *ThrottledError
	switch {
	case errors.As(err, &throttled):
		return now.Add(max(p.interval, throttled.RetryAfter))
	case err != nil:
		return now.Add(backoff(p.interval, feed.ConsecutiveFailures+1))
	case resp.PublishesIn > 0:
		return now.Add(resp.PublishesIn)
	}
	return now.Add(max(p.interval, resp.MaxAge))
}

// backoff is the wait after the given number of failures in a row: the
// interval, doubled for each failure after the first, at most maxBackoff.
func backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for i := 1; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}
