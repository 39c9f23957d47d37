package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/lease"
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
// reads to the sink. A round's feeds are polled by a bounded pool of
// workers, one host at a time per worker, so one host's feeds are fetched
// one after another and a slow host holds back only its own feeds; each
// feed has a time budget per round. A feed that fails is logged and
// reported, and the round goes on.
type Poller struct {
	fetcher  *Fetcher
	sink     Sink
	interval time.Duration
	workers  int
	budget   time.Duration
	log      *slog.Logger
	shared   *sharedFeeds // nil: every feed is polled here

	// sinkMu makes the sink's calls one at a time, as a serial poller
	// made them: fetching and parsing run in parallel, storing does not.
	sinkMu sync.Mutex

	// items remembers each feed's items at its last stored read.
	items itemMemory

	mu sync.Mutex
	// promised are the feeds whose last read said more comes soon
	// (Response.PublishesIn), by id: WaitPublished waits for them.
	promised map[int64]bool
}

// Defaults for PollerOptions.
const (
	// DefaultWorkers is how many hosts are polled at once.
	DefaultWorkers = 4
	// DefaultBudget is how long one feed's reading may take in a round,
	// all its pages together.
	DefaultBudget = 2 * time.Minute
)

// PollerOptions configure a Poller. The zero value is usable.
type PollerOptions struct {
	// Interval is how often each feed is polled; 0 means DefaultInterval.
	Interval time.Duration
	// Workers is how many hosts are polled at once; 0 means
	// DefaultWorkers.
	Workers int
	// Budget bounds the time one feed's reading takes in a round; past it
	// the poll fails, reported as that feed's; 0 means DefaultBudget.
	Budget time.Duration
	// Logger receives the poller's log; nil discards it.
	Logger *slog.Logger
	// Leases shares the feeds between the replicas of the bot on one
	// database (PostgreSQL): each feed is polled by the replica that holds
	// its lease. nil polls every feed here.
	Leases lease.Leaser
	// Owner names this replica in the leases; "" is lease.NewOwner's.
	Owner string
	// LeaseTTL is how long a feed's lease lasts unrenewed while the feed
	// is polled (it is renewed every third of it), and how soon a due feed
	// whose lease another replica holds is tried again; 0 means
	// DefaultLeaseTTL.
	LeaseTTL time.Duration
}

// NewPoller returns a Poller that reads feeds with f and reports to sink,
// with opts' defaults filled in.
func NewPoller(f *Fetcher, sink Sink, opts PollerOptions) *Poller {
	p := &Poller{fetcher: f, sink: sink, interval: opts.Interval, workers: opts.Workers, budget: opts.Budget, log: opts.Logger,
		promised: map[int64]bool{}}
	if p.interval <= 0 {
		p.interval = DefaultInterval
	}
	if p.workers <= 0 {
		p.workers = DefaultWorkers
	}
	if p.budget <= 0 {
		p.budget = DefaultBudget
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if opts.Leases != nil {
		p.shared = newSharedFeeds(opts.Leases, opts.Owner, opts.LeaseTTL)
	}
	return p
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
	defer p.releaseLeases()
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

// PollOnce polls every feed of sink.Feeds once, due or not. Each feed's
// outcome goes to sink.FeedPolled, exactly once; PollOnce itself fails only
// when the list of feeds cannot be read. When ctx is cancelled mid-round,
// the feeds not yet polled are left alone and the interrupted poll is not
// reported: shutting down is not the feed's failure.
func (p *Poller) PollOnce(ctx context.Context) error {
	defer p.releaseLeases()
	_, err := p.poll(ctx, func(bot.Feed) bool { return true })
	return err
}

// ReadNow polls feed now, out of its turn, and reports the outcome to the
// sink as a scheduled poll does; it implements bot.FeedReader.
// A feed that another replica is polling is not read again: the result
// says so (ErrPolledElsewhere) and is not reported.
func (p *Poller) ReadNow(ctx context.Context, feed bot.Feed) bot.PollResult {
	var r bot.PollResult
	held := p.leased(ctx, feed, func(ctx context.Context) bot.PollResult {
		r = p.pollFeed(ctx, feed)
		p.report(ctx, feed, r)
		return r
	})
	if !held {
		return bot.PollResult{At: time.Now().UTC(), Err: fmt.Errorf("read %s: %w", Redact(feed.URL), ErrPolledElsewhere)}
	}
	return r
}

// ElsewhereSink is a Sink that is told of the feeds another replica
// polls (*bot.Bot): they count as polled for its first round.
type ElsewhereSink interface {
	FeedPolledElsewhere(ctx context.Context, feed bot.Feed)
}

// polledElsewhere tells the sink, when it listens, that another replica
// polls feed.
func (p *Poller) polledElsewhere(ctx context.Context, feed bot.Feed) {
	if s, ok := p.sink.(ElsewhereSink); ok {
		p.sinkMu.Lock()
		s.FeedPolledElsewhere(ctx, feed)
		p.sinkMu.Unlock()
	}
}

// report hands the outcome of a poll of feed to the sink.
func (p *Poller) report(ctx context.Context, feed bot.Feed, r bot.PollResult) {
	p.sinkMu.Lock()
	p.sink.FeedPolled(ctx, feed, r)
	p.sinkMu.Unlock()
}

// poll polls the feeds for which due reports true, and returns when the
// earliest feed is due next (zero when there are no feeds). It returns
// once every feed of the round is done.
func (p *Poller) poll(ctx context.Context, due func(bot.Feed) bool) (next time.Time, err error) {
	feeds, err := p.sink.FeedsToPoll(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("feeds: list feeds: %w", err)
	}
	var mu sync.Mutex // guards next
	earliest := func(t time.Time) {
		mu.Lock()
		defer mu.Unlock()
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	var toPoll []bot.Feed
	for _, feed := range feeds {
		if due(feed) {
			toPoll = append(toPoll, feed)
		} else {
			earliest(feed.NextPoll)
		}
	}
	hosts := make(chan []bot.Feed)
	var wg sync.WaitGroup
	for range min(p.workers, len(toPoll)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for group := range hosts {
				p.pollHost(ctx, group, earliest)
			}
		}()
	}
	for _, group := range byHost(toPoll) {
		hosts <- group
	}
	close(hosts)
	wg.Wait()
	return next, nil
}

// byHost groups feeds by the host they are read from, keeping the order
// of the feeds within a group and of the groups by their first feed.
// Feeds that are no web address (files, the builtin feed) are a group each.
func byHost(feeds []bot.Feed) [][]bot.Feed {
	var groups [][]bot.Feed
	index := map[string]int{}
	for _, feed := range feeds {
		key := hostKey(feed.URL)
		if i, ok := index[key]; ok && key != "" {
			groups[i] = append(groups[i], feed)
			continue
		}
		index[key] = len(groups)
		groups = append(groups, []bot.Feed{feed})
	}
	return groups
}

// hostKey is the host a feed location is fetched from: "ted:" for every
// TED query (they go to one API), "" for a location that is no web address.
func hostKey(location string) string {
	location = strings.TrimSpace(location)
	if strings.HasPrefix(location, TEDScheme) {
		return TEDScheme
	}
	u, err := url.Parse(location)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Host)
}

// pollHost polls one host's feeds one after another and reports each. When
// the host asks to wait (429 or 503), its feeds after that one are not
// asked this round; they are reported as held back by the same answer.
func (p *Poller) pollHost(ctx context.Context, feeds []bot.Feed, earliest func(time.Time)) {
	var throttled *ThrottledError
	var until time.Time
	for _, feed := range feeds {
		if ctx.Err() != nil {
			return
		}
		held := p.leased(ctx, feed, func(ctx context.Context) bot.PollResult {
			var r bot.PollResult
			if throttled != nil {
				now := time.Now().UTC()
				wait := &ThrottledError{Status: throttled.Status, RetryAfter: max(until.Sub(now), 0)}
				err := fmt.Errorf("read %s: not asked, the host asked to wait: %w", Redact(feed.URL), wait)
				r = bot.PollResult{At: now, Err: err, NextPoll: p.nextPoll(feed, now, Response{}, err)}
			} else {
				r = p.pollFeed(ctx, feed)
				if r.Err != nil && ctx.Err() != nil {
					return bot.PollResult{}
				}
				if errors.As(r.Err, &throttled) {
					until = r.At.Add(throttled.RetryAfter)
				}
			}
			if r.Err != nil {
				p.log.Warn("feed poll failed", "feed", Redact(feed.URL), "name", feed.Name, "err", r.Err, "detail", ErrorDetail(r.Err), "next_poll", r.NextPoll)
			} else {
				p.log.Debug("feed polled", "feed", Redact(feed.URL), "name", feed.Name, "items", r.Items, "not_modified", r.NotModified)
			}
			p.report(ctx, feed, r)
			earliest(r.NextPoll)
			return r
		})
		if !held {
			p.polledElsewhere(ctx, feed)
			earliest(time.Now().Add(p.shared.retry())) // in case its holder died
		}
	}
}

// releaseLeases hands back the feeds' leases this replica holds, as it
// stops: another replica reads them at their due time, or a restarted one
// at its start, instead of waiting for the leases to run out.
func (p *Poller) releaseLeases() {
	if p.shared != nil {
		p.shared.releaseAll(p.log)
	}
}

// leased runs poll, which polls feed and returns how it went (zero when
// it was cut off), under the feed's lease when the feeds are shared
// between replicas; it reports whether poll ran: false when another
// replica holds the lease.
func (p *Poller) leased(ctx context.Context, feed bot.Feed, poll func(ctx context.Context) bot.PollResult) bool {
	if p.shared == nil {
		poll(ctx)
		return true
	}
	return p.shared.poll(ctx, feed, p.log, func(ctx context.Context) bot.PollResult {
		if !p.shared.polledHereLast(feed) {
			p.items.forget(feed.ID) // another replica read it since
		}
		return poll(ctx)
	})
}

// pollFeed reads one feed, conditionally, within its budget, and ingests
// what changed.
func (p *Poller) pollFeed(ctx context.Context, feed bot.Feed) bot.PollResult {
	resp, n, err := p.read(ctx, feed)
	p.promise(feed.ID, err == nil && resp.PublishesIn > 0)
	now := time.Now().UTC()
	r := bot.PollResult{At: now, Err: err, NextPoll: p.nextPoll(feed, now, resp, err)}
	if err == nil {
		r.Items, r.NotModified, r.ETag, r.LastModified = n, resp.NotModified, resp.ETag, resp.LastModified
		r.Source = resp.Source
	}
	return r
}

// read fetches and ingests one feed, returning the response and the number
// of notices read. The fetching, every page of it, has the budget; the
// storing does not, so a feed read in time is never half stored.
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
	fetchCtx, cancel := context.WithTimeout(ctx, p.budget)
	doc, err := p.fetcher.Read(fetchCtx, r, format, source, pollMaxPages)
	overBudget := fetchCtx.Err() != nil && ctx.Err() == nil
	cancel()
	if err != nil && overBudget {
		return Response{}, 0, fmt.Errorf("read %s: took longer than its budget of %s for a round: %w", Redact(feed.URL), p.budget, ErrTimedOut)
	}
	if err != nil {
		return Response{}, 0, fmt.Errorf("read %s: %w", Redact(feed.URL), err)
	}
	if doc.NotModified {
		return doc.Response, 0, nil
	}
	if doc.More != "" {
		p.log.Info("feed has more pages than one poll reads", "feed", Redact(feed.URL), "pages", pollMaxPages)
	}
	for _, problem := range doc.Problems {
		p.log.Warn("feed read in part", "feed", Redact(feed.URL), "name", feed.Name, "problem", RedactText(problem))
	}
	fresh, seen := p.items.changed(feed.ID, doc.Notices)
	if len(fresh) > 0 {
		p.sinkMu.Lock()
		err = p.sink.Ingest(ctx, feed, fresh)
		p.sinkMu.Unlock()
	}
	if err != nil {
		// What failed is not remembered, so the next read hands it on again.
		return doc.Response, 0, fmt.Errorf("ingest %s: %w", Redact(feed.URL), err)
	}
	p.items.remember(feed.ID, seen)
	if skipped := len(doc.Notices) - len(fresh); skipped > 0 {
		p.log.Debug("feed items unchanged since the last read", "feed", Redact(feed.URL), "unchanged", skipped, "changed", len(fresh))
	}
	return doc.Response, len(doc.Notices), nil
}

// ErrTimedOut is wrapped by a poll that ran out of time.
var ErrTimedOut = errors.New("timed out")

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
