package bot

import (
	"fmt"
	"strconv"
	"time"
)

// remindsOf reports whether a registration in this state gets reminders.
func remindsOf(s RSVP) bool { return s == RSVPGoing || s == RSVPMaybe }

// reminderOffsets are how long before the start registrants are reminded.
var reminderOffsets = []struct {
	before time.Duration
	label  string // in the delivery key
	words  string // in the message
}{{24 * time.Hour, "24h", "24 hours"}, {time.Hour, "1h", "1 hour"}}

// eventReminderPrefix is the key prefix of a person's reminders for an event;
// "" for who selects everybody's.
func eventReminderPrefix(eventID int64, who Subscriber) string {
	p := fmt.Sprintf("event-reminder:%d:", eventID)
	if who != (Subscriber{}) {
		p += who.Key() + ":"
	}
	return p
}

// rescheduleReminders cancels and schedules a person's reminders for a
// change of their answer: the reminders 24 hours and 1 hour before the
// start, those still ahead, for Going and Maybe.
func (b *Bot) rescheduleReminders(e Event, who Subscriber, from, to RSVP, now time.Time, change int64) (cancel []string, schedule []Delivery) {
	if remindsOf(from) == remindsOf(to) {
		return nil, nil
	}
	if !remindsOf(to) {
		return []string{eventReminderPrefix(e.ID, who)}, nil
	}
	return nil, b.eventReminders(e, who, now, change)
}

// eventReminders are a person's reminders for the event as it now stands,
// scheduled by the change numbered change (see auditTrail).
func (b *Bot) eventReminders(e Event, who Subscriber, now time.Time, change int64) []Delivery {
	var out []Delivery
	for _, r := range reminderOffsets {
		due := e.Start.Add(-r.before)
		if !due.After(now) {
			continue
		}
		text := fmt.Sprintf("Reminder: %q starts in %s.\n%s · %s", e.Title, r.words, eventWhen(e), e.Place)
		if u := b.eventURL(e.ID); u != "" {
			text += "\n" + u
		}
		out = append(out, Delivery{
			Key: eventReminderPrefix(e.ID, who) + r.label + ":" + strconv.FormatInt(change, 10),
			To:  who, Purpose: PurposeReminder, Message: Message{Text: text}, DueAt: due, CreatedAt: now,
		})
	}
	return out
}
