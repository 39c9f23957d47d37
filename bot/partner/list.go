package partner

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// list shows the operator's feeds the bot reads and every partner's, with
// who added each, its format, the state of its polls and the alerts it
// produced, in p's language.
func (s *Service) list(ctx context.Context, p text.Printer, read []bot.Feed) (bot.Message, error) {
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
		return bot.Message{Text: p.Sprintf("I read no feeds."), Language: p.Language()}, nil
	}
	lines := []string{p.Sprintf("Feeds (%d):", len(feeds))}
	for _, f := range feeds {
		owner := p.Sprintf("the operator")
		switch {
		case f.PassedToOperator():
			owner = p.Sprintf("a partner, now the operator's")
		case !f.Trusted():
			owner = f.Owner.User
		}
		details := []string{f.Format}
		if f.Format == "" {
			details[0] = p.Sprintf("auto-detected")
		}
		if f.DefaultKind != "" {
			details = append(details, p.Sprintf("items without a kind count as %s", p.Text(f.DefaultKind.Label())))
		}
		reach, err := s.store.FeedReach(ctx, f.Name)
		if err != nil {
			return bot.Message{}, err
		}
		lines = append(lines,
			p.Sprintf("#%d %s — added by %s, %s, %d alerts", f.ID, f.Name, owner, strings.Join(details, ", "), reach.Matches),
			"   "+s.state(p, f))
		if h := s.source(f.ID); h != nil {
			lines = append(lines, "   "+sourceLine(p, *h))
		}
	}
	return bot.Message{Text: strings.Join(lines, "\n"), Language: p.Language()}, nil
}

// state says in one line how a feed's polls went.
func (s *Service) state(p text.Printer, f bot.Feed) string {
	switch f.Status {
	case bot.FeedPaused:
		return p.Sprintf("paused: %s", statusReason(p, f.StatusReason))
	case bot.FeedDisabled:
		return p.Sprintf("disabled: %s", statusReason(p, f.StatusReason))
	}
	if isSilent(f, s.clock.Now()) {
		return p.Sprintf("silent: nothing new since %s, though it usually brings something %s", s.formatTime(p, f.LastNewAt), every(p, cadence(f)))
	}
	next := ""
	if !f.NextPoll.IsZero() {
		next = p.Sprintf("; next read %s", s.formatTime(p, f.NextPoll))
	}
	switch {
	case f.LastPolled.IsZero():
		return p.Sprintf("not read yet") + next
	case f.LastError != "":
		last := p.Sprintf("never read successfully")
		if f.Polled() {
			last = p.Sprintf("last read %s with %d items", s.formatTime(p, f.LastSuccess), f.Items)
		}
		return p.Sprintf("failing (%d in a row): %s; %s", f.ConsecutiveFailures, readableError(p, f.LastError), last) + next
	}
	return p.Sprintf("read %s, %d items", s.formatTime(p, f.LastSuccess), f.Items) + next
}

// every says how often something comes, d apart on average, in p's
// language: "every 7 days", "every 5 hours".
func every(p text.Printer, d time.Duration) string {
	hours := int(d.Round(time.Hour) / time.Hour)
	switch days := (hours + 12) / 24; {
	case days > 1:
		return p.Sprintf("every %d days", days)
	case days == 1:
		return p.Sprintf("every day")
	case hours > 1:
		return p.Sprintf("every %d hours", hours)
	}
	return p.Sprintf("every hour")
}

// pausedBy starts the reason of a feed paused in chat, before who paused
// it; forgetting that person leaves "paused" alone.
const pausedBy = "paused by "

// statusReason is why a feed is paused or disabled, in p's language: the
// reasons the partners' feeds store are written in English, and said
// again here in words; any other reason as it is.
func statusReason(p text.Printer, reason string) string {
	if who, ok := strings.CutPrefix(reason, pausedBy); ok {
		return p.Sprintf("paused by %s", who)
	}
	if reason == "paused" {
		return p.Sprintf("paused")
	}
	if n, last, ok := failedReason(reason); ok {
		return p.Sprintf("failed %d times in a row, last: %s", n, readableError(p, last))
	}
	return reason
}

// disabledReason is why a feed that kept failing n times was disabled, as
// it is stored; failedReason reads it back.
func disabledReason(n int, err error) string {
	return fmt.Sprintf("failed %d times in a row, last: %v", n, err)
}

// failedReason reads a reason disabledReason wrote: how many reads failed
// and the last one's error.
func failedReason(reason string) (n int, last string, ok bool) {
	rest, ok := strings.CutPrefix(reason, "failed ")
	if !ok {
		return 0, "", false
	}
	count, last, ok := strings.Cut(rest, " times in a row, last: ")
	if !ok {
		return 0, "", false
	}
	n, err := strconv.Atoi(count)
	return n, last, err == nil
}

// readableError is what chat shows of a failed read, in p's language: the
// server's answer ("server answered 502 Bad Gateway") or the guard's
// refusal, which are written for people, and otherwise only that the feed
// could not be read: Go's error text, resolver addresses and all, is for
// the log.
func readableError(p text.Printer, msg string) string {
	if i := strings.Index(msg, "server answered "); i >= 0 {
		return p.Sprintf("server answered %s", msg[i+len("server answered "):])
	}
	if i := strings.Index(msg, "refused "); i >= 0 {
		// "refused URL: rule", and after a further ": " the cause, for the
		// log. The rule was stored as the reader wrote it, in English.
		parts := strings.SplitN(msg[i:], ": ", 3)
		return strings.Join(parts[:min(len(parts), 2)], ": ")
	}
	return p.Sprintf("the feed could not be read (it did not answer, or not with a feed; the log has the details)")
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
func sourceLine(p text.Printer, h bot.SourceHealth) string {
	parts := []string{p.Sprintf("%d notices read today", h.ReadToday)}
	switch h.DetailsPending {
	case 0:
	case 1:
		parts = append(parts, p.Sprintf("1 detail pending"))
	default:
		parts = append(parts, p.Sprintf("%d details pending", h.DetailsPending))
	}
	if len(h.UnknownCodes) > 0 {
		var codes []string
		for _, code := range slices.Sorted(maps.Keys(h.UnknownCodes)) {
			codes = append(codes, fmt.Sprintf("%s (%d)", code, h.UnknownCodes[code]))
		}
		parts = append(parts, p.Sprintf("unknown codes %s", strings.Join(codes, ", ")))
	}
	if h.LastCompleteDay != "" {
		parts = append(parts, p.Sprintf("complete up to %s", h.LastCompleteDay))
	} else {
		parts = append(parts, p.Sprintf("no day complete yet"))
	}
	return strings.Join(parts, ", ")
}
