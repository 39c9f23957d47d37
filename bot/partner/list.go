package partner

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// list shows the operator's feeds the bot reads and every partner's, with
// who added each, its format, the state of its polls and the alerts it
// produced.
func (s *Service) list(ctx context.Context, read []bot.Feed) (bot.Message, error) {
	all, err := s.store.ListFeeds(ctx)
	if err != nil {
		return bot.Message{}, fmt.Errorf("list feeds: %w", err)
	}
	var feeds []bot.Feed
	for _, f := range all {
		if !f.Trusted() || slices.ContainsFunc(read, func(r bot.Feed) bool { return r.ID == f.ID }) {
			feeds = append(feeds, f)
		}
	}
	if len(feeds) == 0 {
		return bot.Message{Text: "I read no feeds."}, nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Feeds (%d):\n", len(feeds))
	for _, f := range feeds {
		owner := "the operator"
		switch {
		case f.PassedToOperator():
			owner = "a partner, now the operator's"
		case !f.Trusted():
			owner = f.Owner.User
		}
		format := f.Format
		if format == "" {
			format = "auto-detected"
		}
		reach, err := s.store.FeedReach(ctx, f.Name)
		if err != nil {
			return bot.Message{}, err
		}
		kind := ""
		if f.DefaultKind != "" {
			kind = ", items without a kind count as " + f.DefaultKind.Label()
		}
		fmt.Fprintf(&sb, "#%d %s — added by %s, %s%s, %d alerts\n   %s\n", f.ID, f.Name, owner, format, kind, reach.Matches, s.state(f))
		if h := s.source(f.ID); h != nil {
			fmt.Fprintf(&sb, "   %s\n", sourceLine(*h))
		}
	}
	return bot.Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}

// state says in one line how a feed's polls went.
func (s *Service) state(f bot.Feed) string {
	switch f.Status {
	case bot.FeedPaused, bot.FeedDisabled:
		return fmt.Sprintf("%s: %s", f.Status, f.StatusReason)
	}
	if isSilent(f, s.clock.Now()) {
		return fmt.Sprintf("silent: nothing new since %s, though it usually brings something every %s", s.formatTime(f.LastNewAt), cadence(f).Round(time.Hour))
	}
	next := ""
	if !f.NextPoll.IsZero() {
		next = "; next read " + s.formatTime(f.NextPoll)
	}
	switch {
	case f.LastPolled.IsZero():
		return "not read yet" + next
	case f.LastError != "":
		last := "never read successfully"
		if f.Polled() {
			last = fmt.Sprintf("last read %s with %d items", s.formatTime(f.LastSuccess), f.Items)
		}
		return fmt.Sprintf("failing (%d in a row): %s; %s%s", f.ConsecutiveFailures, readableError(f.LastError), last, next)
	}
	return fmt.Sprintf("read %s, %d items%s", s.formatTime(f.LastSuccess), f.Items, next)
}

// readableError is what chat shows of a failed read: the server's answer
// ("server answered 502 Bad Gateway") or the guard's refusal, which are
// written for people, and otherwise only that the feed could not be read:
// Go's error text, resolver addresses and all, is for the log.
func readableError(msg string) string {
	if i := strings.Index(msg, "server answered "); i >= 0 {
		return msg[i:]
	}
	if i := strings.Index(msg, "refused "); i >= 0 {
		// "refused URL: rule", and after a further ": " the cause, for the log.
		parts := strings.SplitN(msg[i:], ": ", 3)
		return strings.Join(parts[:min(len(parts), 2)], ": ")
	}
	return "the feed could not be read (it did not answer, or not with a feed; the log has the details)"
}

// source is how the named source feed id stands after its last successful
// poll; nil for a feed that is none, or not read yet since the start.
func (s *Service) source(id int64) *bot.SourceHealth {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sources[id]
}

// recordSource keeps what a successful poll said of its named source.
func (s *Service) recordSource(f bot.Feed, r bot.PollResult) {
	if r.Err != nil || r.Source == nil {
		return
	}
	h := *r.Source
	h.UnknownCodes = maps.Clone(r.Source.UnknownCodes)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sources == nil {
		s.sources = map[int64]*bot.SourceHealth{}
	}
	s.sources[f.ID] = &h
}

// sourceLine says in one line how a named source stands: "230 notices read
// today, 1 detail pending, unknown codes XYZ (2), complete up to
// 2026-10-09".
func sourceLine(h bot.SourceHealth) string {
	parts := []string{fmt.Sprintf("%d notices read today", h.ReadToday)}
	switch h.DetailsPending {
	case 0:
	case 1:
		parts = append(parts, "1 detail pending")
	default:
		parts = append(parts, fmt.Sprintf("%d details pending", h.DetailsPending))
	}
	if len(h.UnknownCodes) > 0 {
		var codes []string
		for _, code := range slices.Sorted(maps.Keys(h.UnknownCodes)) {
			codes = append(codes, fmt.Sprintf("%s (%d)", code, h.UnknownCodes[code]))
		}
		parts = append(parts, "unknown codes "+strings.Join(codes, ", "))
	}
	if h.LastCompleteDay != "" {
		parts = append(parts, "complete up to "+h.LastCompleteDay)
	} else {
		parts = append(parts, "no day complete yet")
	}
	return strings.Join(parts, ", ")
}
