package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// feeds lists the polled feeds with the state of their polls.
func (b *Bot) feeds(ctx context.Context, _ Command, _ string) (Message, error) {
	feeds, err := b.Feeds(ctx)
	if err != nil {
		return Message{}, err
	}
	if len(feeds) == 0 {
		return Message{Text: "I read no feeds."}, nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "I read %d feed(s):\n", len(feeds))
	for i, f := range feeds {
		fmt.Fprintf(&sb, "%d. %s\n   %s\n", i+1, f.Name, b.feedState(f))
	}
	return Message{Text: strings.TrimRight(sb.String(), "\n")}, nil
}

// feedState says in one line how a feed's polls went.
func (b *Bot) feedState(f Feed) string {
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
		return fmt.Sprintf("failing (%d in a row): %s; %s%s", f.ConsecutiveFailures, f.LastError, last, next)
	}
	return fmt.Sprintf("read %s, %d items%s", b.formatTime(f.LastSuccess), f.Items, next)
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
