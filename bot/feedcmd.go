package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// feeds lists the operator's feeds and every partner's, with who added
// each, its format, the state of its polls and the alerts it produced.
func (b *Bot) feeds(ctx context.Context, _ Command, _ string) (Message, error) {
	polled, err := b.FeedsToPoll(ctx)
	if err != nil {
		return Message{}, err
	}
	all, err := b.store.ListFeeds(ctx)
	if err != nil {
		return Message{}, fmt.Errorf("list feeds: %w", err)
	}
	var feeds []Feed
	for _, f := range all {
		if !f.Trusted() || slices.ContainsFunc(polled, func(p Feed) bool { return p.ID == f.ID }) {
			feeds = append(feeds, f)
		}
	}
	if len(feeds) == 0 {
		return Message{Text: "I read no feeds."}, nil
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
		reach, err := b.store.FeedReach(ctx, f.Name)
		if err != nil {
			return Message{}, err
		}
		fmt.Fprintf(&sb, "#%d %s — added by %s, %s, %d alerts\n   %s\n", f.ID, f.Name, owner, format, reach.Matches, b.feedState(f))
	}
	return Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}

// feedState says in one line how a feed's polls went.
func (b *Bot) feedState(f Feed) string {
	switch f.Status {
	case FeedPaused, FeedDisabled:
		return fmt.Sprintf("%s: %s", f.Status, f.StatusReason)
	}
	if isSilent(f, b.clock.Now()) {
		return fmt.Sprintf("silent: nothing new since %s, though it usually brings something every %s", b.formatTime(f.LastNewAt), cadence(f).Round(time.Hour))
	}
	next := ""
	if !f.NextPoll.IsZero() {
		next = "; next read " + b.formatTime(f.NextPoll)
	}
	switch {
	case f.LastPolled.IsZero():
		return "not read yet" + next
	case f.LastError != "":
		last := "never read successfully"
		if f.Polled() {
			last = fmt.Sprintf("last read %s with %d items", b.formatTime(f.LastSuccess), f.Items)
		}
		return fmt.Sprintf("failing (%d in a row): %s; %s%s", f.ConsecutiveFailures, readableFeedError(f.LastError), last, next)
	}
	return fmt.Sprintf("read %s, %d items%s", b.formatTime(f.LastSuccess), f.Items, next)
}

// readableFeedError is what chat shows of a failed read: the server's answer
// ("server answered 502 Bad Gateway") or the guard's refusal, which are
// written for people, and otherwise only that the feed could not be read:
// Go's error text, resolver addresses and all, is for the log.
func readableFeedError(msg string) string {
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

// formatTime writes t in the bot's zone, with the date unless it is today.
func (b *Bot) formatTime(t time.Time) string {
	t = t.In(b.location)
	now := b.clock.Now().In(b.location)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2 Jan 15:04")
}
