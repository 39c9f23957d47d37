package partner

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Reader reads a feed now, out of its turn; the feed poller implements it.
// What the read brings is ingested and recorded as a scheduled poll's
// would be.
type Reader interface {
	// ReadNow reads feed, hands its notices to the core and records the
	// poll, and reports how it went.
	ReadNow(ctx context.Context, feed bot.Feed) bot.PollResult
}

// readElsewhere reports whether err says that another replica of the bot
// reads the feed (the poller's error has a ReadElsewhere method): not a
// failure, and not this replica's to read.
func readElsewhere(err error) bool {
	var e interface{ ReadElsewhere() bool }
	return errors.As(err, &e) && e.ReadElsewhere()
}

// SetReader gives the service the poller that reads feeds, for `feeds
// poll`. The poller is built on the core, so it comes after New; call it
// before the bot runs.
func (s *Service) SetReader(r Reader) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reader = r
}

// Feeds answers "feeds" (the list) and "feeds poll [n]"; read are the feeds
// the bot reads.
func (s *Service) Feeds(ctx context.Context, c bot.Command, args string, read []bot.Feed) (bot.Message, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	switch strings.ToLower(verb) {
	case "":
		return s.list(ctx, c.Printer(), read)
	case "poll":
		return s.poll(ctx, c, strings.TrimSpace(rest), read)
	}
	return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `feeds` for the list, or `feeds poll [n]` to read feed #n (or every feed) now.")
}

// poll reads feed #n now, or every feed when n is empty: for admins who
// just added a feed, or want to see a change without waiting for the next
// round.
func (s *Service) poll(ctx context.Context, c bot.Command, n string, feeds []bot.Feed) (bot.Message, error) {
	if err := s.rights.Require(ctx, c.From, bot.RoleAdmin, text.N("read feeds out of turn")); err != nil {
		return bot.Message{}, err
	}
	s.mu.Lock()
	reader := s.reader
	s.mu.Unlock()
	if reader == nil {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "This bot reads its feeds on its schedule only.")
	}
	if n != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(n, "#"), 10, 64)
		if err != nil {
			return bot.Message{}, bot.Errorf(bot.EINVALID, "%q is not a feed number; `feeds` lists them (#1, #2, …).", n)
		}
		i := slices.IndexFunc(feeds, func(f bot.Feed) bool { return f.ID == id })
		if i < 0 {
			return bot.Message{}, bot.Errorf(bot.ENOTFOUND, "There is no feed #%d that I read; `feeds` lists them.", id)
		}
		feeds = feeds[i : i+1]
	}
	p := c.Printer()
	var lines []string
	for _, f := range feeds {
		r := reader.ReadNow(ctx, f)
		switch {
		case readElsewhere(r.Err):
			lines = append(lines, p.Sprintf("#%d %s: another replica of the bot reads this feed; its next read brings what is new.", f.ID, f.Name))
		case r.Err != nil:
			s.log.Warn("feed read on request failed", "feed", f.ID, "by", c.From.Key(), "err", r.Err)
			lines = append(lines, p.Sprintf("#%d %s: the read failed; `feeds` shows how its reads went, the log has the details.", f.ID, f.Name))
		case r.NotModified:
			lines = append(lines, p.Sprintf("#%d %s: read now, nothing changed since the last read.", f.ID, f.Name))
		default:
			lines = append(lines, p.Sprintf("#%d %s: read now, %d items; what is new alerts its profiles as usual.", f.ID, f.Name, r.Items))
		}
	}
	if len(lines) == 0 {
		return bot.Message{Text: p.Sprintf("I read no feeds."), Language: p.Language()}, nil
	}
	return bot.Message{Text: strings.Join(lines, "\n"), Language: p.Language()}, nil
}
