package bot

import (
	"context"
	"time"
)

// Feed is a source of notices the bot polls.
type Feed struct {
	ID                  int64
	URL                 string // http(s) URL, local path, or builtin:NAME for a feed embedded in the binary
	Name                string
	LastPolled          time.Time // zero before the first poll
	LastSuccess         time.Time
	LastError           string // "" after a successful poll
	ConsecutiveFailures int
	Items               int // items in the last successful poll
}

// PollResult is the outcome of one poll of a feed.
type PollResult struct {
	At    time.Time
	Items int   // items read, when Err is nil
	Err   error // why the poll failed, nil on success
}

// FeedStore keeps the feeds to poll and how their polls went.
type FeedStore interface {
	// EnsureFeed returns the feed with the given URL, creating it if needed.
	EnsureFeed(ctx context.Context, url, name string) (Feed, error)
	// ListFeeds returns every feed, oldest first.
	ListFeeds(ctx context.Context) ([]Feed, error)
	// RecordPoll stores the outcome of a poll of feed id.
	RecordPoll(ctx context.Context, id int64, r PollResult) error
}
