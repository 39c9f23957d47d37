package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// overdueGrace is how long past its next poll a feed may go unpolled before
// the bot stops calling itself ready: a poll may be slow, not stuck.
const overdueGrace = 5 * time.Minute

// Connector is implemented by messengers that hold a connection (a
// WebSocket to Slack or Discord); the outbox worker's Readiness asks them.
type Connector interface {
	// Connected reports whether the messenger can send now.
	Connected() bool
}

// Readiness lists, in words, whatever keeps the core from doing its job:
// the store cannot be read, the feeds have not been read once, or a feed is
// long overdue. Empty means ready. Whether the chats are connected is the
// outbox worker's to say.
func (b *Bot) Readiness(ctx context.Context) []string {
	var problems []string
	feeds, err := b.FeedsToPoll(ctx)
	if err != nil {
		b.log.Error("readiness: store", "err", err)
		problems = append(problems, "store: cannot be read")
	}
	if !b.loading.over() {
		problems = append(problems, "feeds: the first poll has not finished")
	}
	now := b.clock.Now()
	for _, f := range feeds {
		if !f.NextPoll.IsZero() && now.Sub(f.NextPoll) > overdueGrace {
			problems = append(problems, fmt.Sprintf("feeds: %s is overdue since %s", f.Name, b.formatTime(text.Printer{}, f.NextPoll)))
		}
	}
	return problems
}
