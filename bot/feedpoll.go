package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// FeedReader reads a feed now, out of its turn; the feed poller implements
// it. What the read brings is ingested and recorded as a scheduled poll's
// would be.
type FeedReader interface {
	// ReadNow reads feed, hands its notices to the core and records the
	// poll, and reports how it went.
	ReadNow(ctx context.Context, feed Feed) PollResult
}

// SetFeedReader gives the core the poller that reads feeds for it, for
// `feeds poll`. The poller is built on the core, so it comes after New;
// call it before the bot runs.
func (b *Bot) SetFeedReader(r FeedReader) { b.reader = r }

// feedsCommand is "feeds" (the list) and "feeds poll [n]".
func (b *Bot) feedsCommand(ctx context.Context, c Command, args string) (Message, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	switch strings.ToLower(verb) {
	case "":
		return b.feeds(ctx, c, "")
	case "poll":
		return b.feedsPoll(ctx, c, strings.TrimSpace(rest))
	}
	return Message{}, Errorf(EINVALID, "Write `feeds` for the list, or `feeds poll [n]` to read feed #n (or every feed) now.")
}

// feedsPoll reads feed #n now, or every feed when n is empty: for admins
// who just added a feed, or want to see a change without waiting for the
// next round.
func (b *Bot) feedsPoll(ctx context.Context, c Command, n string) (Message, error) {
	if err := b.rights.Require(ctx, c.From, RoleAdmin, "read feeds out of turn"); err != nil {
		return Message{}, err
	}
	if b.reader == nil {
		return Message{}, Errorf(EINVALID, "This bot reads its feeds on its schedule only.")
	}
	feeds, err := b.FeedsToPoll(ctx)
	if err != nil {
		return Message{}, err
	}
	if n != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(n, "#"), 10, 64)
		if err != nil {
			return Message{}, Errorf(EINVALID, "%q is not a feed number; `feeds` lists them (#1, #2, …).", n)
		}
		i := indexOfFeed(feeds, id)
		if i < 0 {
			return Message{}, Errorf(ENOTFOUND, "There is no feed #%d that I read; `feeds` lists them.", id)
		}
		feeds = feeds[i : i+1]
	}
	var sb strings.Builder
	for _, f := range feeds {
		r := b.reader.ReadNow(ctx, f)
		switch {
		case r.Err != nil:
			b.log.Warn("feed read on request failed", "feed", f.ID, "by", c.From.Key(), "err", r.Err)
			fmt.Fprintf(&sb, "#%d %s: the read failed; `feeds` shows how its reads went, the log has the details.\n", f.ID, f.Name)
		case r.NotModified:
			fmt.Fprintf(&sb, "#%d %s: read now, nothing changed since the last read.\n", f.ID, f.Name)
		default:
			fmt.Fprintf(&sb, "#%d %s: read now, %d items; what is new alerts its profiles as usual.\n", f.ID, f.Name, r.Items)
		}
	}
	if sb.Len() == 0 {
		return Message{Text: "I read no feeds."}, nil
	}
	return Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}

// indexOfFeed is where feed id is in feeds, or -1.
func indexOfFeed(feeds []Feed, id int64) int {
	for i, f := range feeds {
		if f.ID == id {
			return i
		}
	}
	return -1
}
