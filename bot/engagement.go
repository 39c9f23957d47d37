package bot

import "context"

// Engagement runs early market engagement events: market consultations,
// supplier days, their RSVPs, Q&A and record (bot/engage implements it).
// The core keeps the one command router and hands it the event commands,
// the buttons on event messages, and the lines that answer an event form in
// progress.
type Engagement interface {
	// Events answers "events": the upcoming events.
	Events(ctx context.Context, c Command) (Message, error)
	// Event answers "event <args>". Bad input is EINVALID, an event the
	// person may not see ENOTFOUND, a step the event's state forbids
	// ECONFLICT.
	Event(ctx context.Context, c Command, args string) (Message, error)
	// Act answers a button on an event's message (Going, Maybe, Can't go,
	// Ask a question, Publish).
	Act(ctx context.Context, from Subscriber, a Action) (Message, error)
	// Continue takes c as the answer to the person's event form in
	// progress; ok is false when it is not one, and the command runs as
	// usual.
	Continue(ctx context.Context, c Command) (reply Message, ok bool)
	// FillPlaces gives an event's free places to its waitlist: forget me
	// calls it when a person who held a place is erased.
	FillPlaces(ctx context.Context, eventID int64) error
}

// withEvents runs an event command on the events, or says there are none
// here.
func (b *Bot) withEvents(run func(Engagement) (Message, error)) (Message, error) {
	if b.events == nil {
		return Message{}, Errorf(EINVALID, "No engagement events are run here.")
	}
	return run(b.events)
}
