package feeds

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/lease"
)

// DefaultLeaseTTL is how long a feed's lease lasts unrenewed while it is
// polled, when PollerOptions.LeaseTTL is 0: a replica that dies in the
// middle of a poll hands the feed over within it.
const DefaultLeaseTTL = 30 * time.Second

// dueMargin is how long after a feed is due its lease between polls ends
// (a third of the lease when that is shorter);
// heldRetry is how soon a due feed whose lease another replica holds is
// tried again (sooner when the lease is shorter).
const (
	dueMargin = time.Second
	heldRetry = 5 * time.Second
)

// retry is how soon a due feed whose lease another replica holds is tried
// again: when its holder died, the lease ends a moment after the feed is
// due, and the feed is read a few seconds late.
func (s *sharedFeeds) retry() time.Duration { return min(s.ttl, heldRetry) }

// ErrPolledElsewhere is wrapped by a read out of turn of a feed that
// another replica of the bot holds: it is not read twice at once. It has
// a ReadElsewhere method, which the core asks for.
var ErrPolledElsewhere error = polledElsewhere{}

type polledElsewhere struct{}

func (polledElsewhere) Error() string {
	return "another replica of the bot reads this feed; its next read brings what is new"
}

// ReadElsewhere says that the feed is another replica's to read.
func (polledElsewhere) ReadElsewhere() bool { return true }

// sharedFeeds shares the feeds between the replicas on one database. A
// feed is polled under its lease ("feed:ID"), taken for the poll, renewed
// while it runs and kept until a moment after the feed is due again: the
// replica that polled a feed last polls it next, a replica with an older
// list of feeds never reads one that was just read, and when the holder
// dies another takes the feed a few seconds after its due time. The conditional-GET state (ETag,
// Last-Modified, a named source's progress) is in the feed's row, so
// whichever replica reads next sends it.
type sharedFeeds struct {
	leases lease.Leaser
	owner  string
	ttl    time.Duration

	mu sync.Mutex
	// polled is when this replica last polled each feed, as reported: a
	// feed whose last poll the store says was at another time was read by
	// another replica since.
	polled map[int64]time.Time
}

func newSharedFeeds(l lease.Leaser, owner string, ttl time.Duration) *sharedFeeds {
	if owner == "" {
		owner = lease.NewOwner()
	}
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	return &sharedFeeds{leases: l, owner: owner, ttl: ttl, polled: map[int64]time.Time{}}
}

// poll runs poll under feed's lease, and reports whether it ran.
func (s *sharedFeeds) poll(ctx context.Context, feed bot.Feed, log *slog.Logger, poll func(ctx context.Context) bot.PollResult) bool {
	name := feedLease(feed.ID)
	var r bot.PollResult
	ran, err := lease.Do(ctx, s.leases, name, s.owner, s.ttl, func(ctx context.Context) { r = poll(ctx) })
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("feed lease not taken; trying again later", "feed", Redact(feed.URL), "err", err)
		}
		return false
	}
	if !ran || r.At.IsZero() {
		return ran
	}
	s.mu.Lock()
	s.polled[feed.ID] = r.At
	s.mu.Unlock()
	// The lease ends a moment after the feed is due: its holder, waking
	// then, takes it again first; another replica finds it free a moment
	// later when the holder died.
	keepFor := max(time.Until(r.NextPoll.Add(min(dueMargin, s.ttl/3))), s.ttl)
	if _, err := s.leases.HoldLease(ctx, name, s.owner, keepFor); err != nil && ctx.Err() == nil {
		log.Warn("feed lease not kept until its next poll; any replica may read it then", "feed", Redact(feed.URL), "err", err)
	}
	return true
}

// polledHereLast reports whether this replica did feed's last poll, as
// the store has it.
func (s *sharedFeeds) polledHereLast(feed bot.Feed) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.polled[feed.ID]
	return ok && at.Equal(feed.LastPolled)
}

// releaseAll hands back every feed lease this replica took.
func (s *sharedFeeds) releaseAll(log *slog.Logger) {
	s.mu.Lock()
	ids := make([]int64, 0, len(s.polled))
	for id := range s.polled {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		if err := lease.Release(s.leases, feedLease(id), s.owner); err != nil {
			log.Warn("feed lease not handed back; it runs out by itself", "feed", id, "err", err)
		}
	}
}

// feedLease names feed id's lease.
func feedLease(id int64) string { return "feed:" + strconv.FormatInt(id, 10) }
