package partner

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// Feed answers "feed add|list|pause|resume|remove|stats …".
func (s *Service) Feed(ctx context.Context, c bot.Command, args string, read []bot.Feed) (bot.Message, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(verb) {
	case "add":
		return s.add(ctx, c, rest)
	case "list", "":
		return s.list(ctx, c.Printer(), read)
	case "pause":
		return s.setStatus(ctx, c, rest, bot.FeedPaused)
	case "resume":
		return s.setStatus(ctx, c, rest, bot.FeedActive)
	case "remove":
		return s.remove(ctx, c, rest)
	case "stats":
		return s.stats(ctx, c, rest)
	}
	return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `feed add <url> [name] [kind=tender]` (or `feed add tenderned`, `feed add de`), `feed list`, `feed pause|resume|remove <id>` or `feed stats <id>`.")
}

// owned finds feed #ref and checks that from may manage it: its owner, or
// an admin. The operator's feeds are managed in TENDERBOT_FEEDS.
func (s *Service) owned(ctx context.Context, from bot.Subscriber, ref string) (bot.Feed, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(ref), "#"), 10, 64)
	if err != nil {
		return bot.Feed{}, bot.Errorf(bot.EINVALID, "Give the feed's number as `feed list` shows it, e.g. `feed pause 3`.")
	}
	all, err := s.store.ListFeeds(ctx)
	if err != nil {
		return bot.Feed{}, fmt.Errorf("list feeds: %w", err)
	}
	for _, f := range all {
		if f.ID != id {
			continue
		}
		if f.Trusted() {
			return bot.Feed{}, bot.Errorf(bot.EINVALID, "Feed #%d is configured by the operator (TENDERBOT_FEEDS); it is changed there, not in chat.", id)
		}
		admin, err := s.rights.Can(ctx, from, bot.RoleAdmin)
		if err != nil {
			return bot.Feed{}, err
		}
		if f.Owner != from && !admin {
			return bot.Feed{}, bot.Errorf(bot.EINVALID, "Feed #%d belongs to another partner; only they and admins can change it.", id)
		}
		return f, nil
	}
	return bot.Feed{}, bot.Errorf(bot.ENOTFOUND, "There is no feed #%d; `feed list` shows them.", id)
}

func (s *Service) setStatus(ctx context.Context, c bot.Command, ref string, status bot.FeedStatus) (bot.Message, error) {
	f, err := s.owned(ctx, c.From, ref)
	if err != nil {
		return bot.Message{}, err
	}
	reason := ""
	if status == bot.FeedPaused {
		reason = pausedBy + c.From.User
	}
	if err := s.store.SetFeedStatus(ctx, f.ID, status, reason, nil); err != nil {
		return bot.Message{}, err
	}
	p := c.Printer()
	if status == bot.FeedActive {
		return bot.Message{Text: p.Sprintf("Feed #%d %q is read again from the next round.", f.ID, f.Name), Language: p.Language()}, nil
	}
	return bot.Message{Text: p.Sprintf("Feed #%d %q is paused; `feed resume %d` reads it again.", f.ID, f.Name, f.ID), Language: p.Language()}, nil
}

func (s *Service) remove(ctx context.Context, c bot.Command, ref string) (bot.Message, error) {
	f, err := s.owned(ctx, c.From, ref)
	if err != nil {
		return bot.Message{}, err
	}
	if err := s.store.DeleteFeed(ctx, f.ID); err != nil {
		return bot.Message{}, err
	}
	p := c.Printer()
	return bot.Message{Text: p.Sprintf("Removed feed #%d %q. The notices it brought stay searchable.", f.ID, f.Name), Language: p.Language()}, nil
}

// stats gives a feed's owner its aggregate reach, never who.
func (s *Service) stats(ctx context.Context, c bot.Command, ref string) (bot.Message, error) {
	f, err := s.owned(ctx, c.From, ref)
	if err != nil {
		return bot.Message{}, err
	}
	r, err := s.store.FeedReach(ctx, f.Name)
	if err != nil {
		return bot.Message{}, err
	}
	p := c.Printer()
	return bot.Message{Text: p.Sprintf("Feed #%d %q: %d notices read; they matched profiles %d times; %d alerts were delivered; %d registrations for events about them. (Totals only: who they reached stays private.)",
		f.ID, f.Name, r.Notices, r.Matches, r.Delivered, r.RSVPs), Language: p.Language()}, nil
}
