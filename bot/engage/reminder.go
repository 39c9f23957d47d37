package engage

import (
	"fmt"
	"strconv"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// remindsOf reports whether a registration in this state gets reminders.
func remindsOf(s bot.RSVP) bool { return s == bot.RSVPGoing || s == bot.RSVPMaybe }

// reminderOffsets are how long before the start registrants are reminded.
var reminderOffsets = []struct {
	before time.Duration
	label  string // in the delivery key
	words  string // the message's first line, a message id
}{
	{24 * time.Hour, "24h", text.N("Reminder: %q starts in 24 hours.")},
	{time.Hour, "1h", text.N("Reminder: %q starts in 1 hour.")},
}

// eventReminderPrefix is the key prefix of a person's reminders for an event;
// "" for who selects everybody's.
func eventReminderPrefix(eventID int64, who bot.Subscriber) string {
	p := fmt.Sprintf("event-reminder:%d:", eventID)
	if who != (bot.Subscriber{}) {
		p += who.Key() + ":"
	}
	return p
}

// rescheduleReminders cancels and schedules a person's reminders for a
// change of their answer: the reminders 24 hours and 1 hour before the
// start, those still ahead, for Going and Maybe, in p's language.
func (svc *Service) rescheduleReminders(p text.Printer, e bot.Event, who bot.Subscriber, from, to bot.RSVP, now time.Time, change int64) (cancel []string, schedule []bot.Delivery) {
	if remindsOf(from) == remindsOf(to) {
		return nil, nil
	}
	if !remindsOf(to) {
		return []string{eventReminderPrefix(e.ID, who)}, nil
	}
	return nil, svc.eventReminders(p, e, who, now, change)
}

// eventReminders are a person's reminders for the event as it now stands,
// in p's language, scheduled by the change numbered change (see
// auditTrail).
func (svc *Service) eventReminders(p text.Printer, e bot.Event, who bot.Subscriber, now time.Time, change int64) []bot.Delivery {
	var out []bot.Delivery
	for _, r := range reminderOffsets {
		due := e.Start.Add(-r.before)
		if !due.After(now) {
			continue
		}
		text := p.Sprintf(r.words, e.Title) + fmt.Sprintf("\n%s · %s", eventWhen(p, e), e.Place)
		if u := svc.eventURL(e.ID); u != "" {
			text += "\n" + u
		}
		out = append(out, bot.Delivery{
			Key: eventReminderPrefix(e.ID, who) + r.label + ":" + strconv.FormatInt(change, 10),
			To:  who, Purpose: bot.PurposeReminder, Message: bot.Message{Text: text, Language: p.Language()}, DueAt: due, CreatedAt: now,
		})
	}
	return out
}
