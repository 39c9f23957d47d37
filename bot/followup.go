package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// reminderDays are how many days before a followed tender's deadline a
// reminder comes.
var reminderDays = []int{7, 2}

// followUps decides what an update of a stored notice tells the people who
// follow it: one message per follower, in their language, threaded under
// the alert they had, naming what changed. A moved deadline moves their
// reminders; an award closes the tender and ends the follow.
func (b *Bot) followUps(ctx context.Context, stored, merged, incoming Notice) (Effects, error) {
	changes := b.describeChanges(text.Printer{}, stored, merged, incoming)
	if len(changes) == 0 {
		return Effects{}, nil
	}
	followers, err := b.store.Followers(ctx, stored.ID)
	if err != nil || len(followers) == 0 {
		return Effects{}, err
	}
	settings, err := b.store.SettingsOf(ctx, followers)
	if err != nil {
		return Effects{}, err
	}
	sum := sha256.Sum256([]byte(incoming.ID + "\n" + strings.Join(changes, "\n")))
	change := hex.EncodeToString(sum[:6])
	awarded := merged.Kind == KindAward && stored.Kind != KindAward
	said := map[text.Language]string{} // the update, in each follower's language
	now := b.clock.Now()
	var fx Effects
	for _, f := range followers {
		replyTo, err := b.store.SentMessageID(ctx, AlertKey(f, stored.ID))
		if err != nil {
			return Effects{}, err
		}
		p := text.For(b.languageOf(settings[f]))
		if _, ok := said[p.Language()]; !ok {
			said[p.Language()] = b.updateText(p, stored, merged, incoming, awarded)
		}
		fx.Deliveries = append(fx.Deliveries, Delivery{
			Key:      fmt.Sprintf("%s:%s:%s:%s", PurposeUpdate, f.Key(), stored.ID, change),
			To:       f,
			Purpose:  PurposeUpdate,
			NoticeID: stored.ID,
			Message:  Message{Text: said[p.Language()], Cards: []Card{b.followedCard(merged)}, ReplyTo: replyTo, Language: p.Language()},
			DueAt:    now,
		})
		if awarded || !merged.Deadline.Equal(stored.Deadline) {
			fx.Cancel = append(fx.Cancel, reminderPrefix(f, stored.ID))
		}
		if awarded {
			fx.Unfollow = append(fx.Unfollow, f)
		} else if !merged.Deadline.Equal(stored.Deadline) {
			fx.Deliveries = append(fx.Deliveries, b.reminders(p, f, merged, replyTo)...)
		}
	}
	return fx, nil
}

// updateText is what an update tells a follower, in p's language.
func (b *Bot) updateText(p text.Printer, stored, merged, incoming Notice, awarded bool) string {
	said := p.Sprintf("Update on %q: %s.", merged.Title, strings.Join(b.describeChanges(p, stored, merged, incoming), "; "))
	if awarded {
		said += " " + p.Sprintf("The tender is closed, so you no longer follow it.")
	}
	return said
}

// describeChanges says in words, in p's language, what an update changed
// for a follower.
func (b *Bot) describeChanges(p text.Printer, stored, merged, incoming Notice) []string {
	var changes []string
	if !merged.Deadline.Equal(stored.Deadline) {
		changes = append(changes, p.Sprintf("the deadline moved from %s to %s", b.formatDate(p, stored.Deadline), b.formatDate(p, merged.Deadline)))
	}
	if merged.Kind == KindAward && stored.Kind != KindAward {
		changes = append(changes, p.Sprintf("it has been awarded"))
	}
	if n := len(merged.Lots) - len(stored.Lots); n > 0 {
		changes = append(changes, p.Sprintf("%d new lot(s)", n))
	}
	if merged.Value != nil && (stored.Value == nil || *merged.Value != *stored.Value) {
		changes = append(changes, p.Sprintf("the estimated value is now %s", p.Amount(merged.Value.Amount, merged.Value.Currency)))
	}
	if incoming.Kind == KindChange && incoming.ID != stored.ID {
		changes = append(changes, p.Sprintf("a correction was published: %s", incoming.URL))
	}
	return changes
}

// reminders are the deliveries that remind s of n's deadline, those still
// ahead, in p's language.
func (b *Bot) reminders(p text.Printer, s Subscriber, n Notice, replyTo string) []Delivery {
	if n.Deadline.IsZero() || n.Kind == KindAward {
		return nil
	}
	now := b.clock.Now()
	var ds []Delivery
	for _, days := range reminderDays {
		due := n.Deadline.Add(-time.Duration(days) * 24 * time.Hour)
		if !due.After(now) {
			continue
		}
		ds = append(ds, Delivery{
			Key:      fmt.Sprintf("%s%s:%dd", reminderPrefix(s, n.ID), n.Deadline.UTC().Format(time.RFC3339), days),
			To:       s,
			Purpose:  PurposeReminder,
			NoticeID: n.ID,
			Message: Message{
				Text:     p.Sprintf("Reminder: %q closes in %d days, on %s.", n.Title, days, b.formatDate(p, n.Deadline)),
				Cards:    []Card{b.followedCard(n)},
				ReplyTo:  replyTo,
				Language: p.Language(),
			},
			DueAt: due,
		})
	}
	return ds
}

// reminderPrefix starts the keys of s's reminders for a notice.
func reminderPrefix(s Subscriber, noticeID string) string {
	return fmt.Sprintf("%s:%s:%s:", PurposeReminder, s.Key(), noticeID)
}

// followedCard shows a followed notice, without buttons: it is followed.
func (b *Bot) followedCard(n Notice) Card {
	c := b.card(n, 0, "", nil)
	c.Actions = nil
	return c
}

// formatDate writes a deadline for people, in the bot's zone and p's
// language.
func (b *Bot) formatDate(p text.Printer, t time.Time) string {
	if t.IsZero() {
		return p.Sprintf("no date")
	}
	return p.Format(t.In(b.location), "Mon 2 Jan 2006 15:04")
}
