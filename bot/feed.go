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
	// ETag and LastModified are the validators of the last response, sent
	// back on the next poll so an unchanged feed costs no download.
	ETag         string
	LastModified string
	NextPoll     time.Time // when the feed is due again; zero: at once
}

// Polled reports whether the feed has ever been read successfully.
func (f Feed) Polled() bool { return !f.LastSuccess.IsZero() }

// PollResult is the outcome of one poll of a feed.
type PollResult struct {
	At          time.Time
	Items       int   // items read, when Err is nil
	Err         error // why the poll failed, nil on success
	NotModified bool  // the server said nothing changed since the last poll
	// ETag and LastModified are the response's validators; empty keeps
	// the stored ones.
	ETag         string
	LastModified string
	NextPoll     time.Time // when to poll again
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
