package bot

import "context"

// Partners runs the feeds partners share — a proposed feed's preview,
// managing one's feeds, their reach, the list of the feeds the bot reads
// and reading them out of turn — and hears how each poll went, to tell a
// feed's owner when it fails or falls silent (bot/partner implements it).
// The core keeps which feeds are read and ingests what they bring.
type Partners interface {
	// Feed answers "feed <args>"; read are the feeds the bot reads.
	Feed(ctx context.Context, c Command, args string, read []Feed) (Message, error)
	// Feeds answers "feeds [poll [n]]"; read are the feeds the bot reads.
	Feeds(ctx context.Context, c Command, args string, read []Feed) (Message, error)
	// Polled is told how a poll of f went before it is recorded; f counts
	// the poll's new items.
	Polled(ctx context.Context, f Feed, r PollResult)
}

// withPartners runs a feed command with the feeds the bot reads, or says
// that feeds are not managed in chat here.
func (b *Bot) withPartners(ctx context.Context, run func(Partners, []Feed) (Message, error)) (Message, error) {
	if b.partners == nil {
		return Message{}, Errorf(EINVALID, "Feeds are not managed in chat here.")
	}
	read, err := b.FeedsToPoll(ctx)
	if err != nil {
		return Message{}, err
	}
	return run(b.partners, read)
}
