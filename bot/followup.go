package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// reminderDays are how many days before a followed tender's deadline a
// reminder comes.
var reminderDays = []int{7, 2}

// followUps decides what an update of a stored notice tells the people who
// follow it: one message per follower, threaded under the alert they had,
// naming what changed. A moved deadline moves their reminders; an award
// closes the tender and ends the follow.
func (b *Bot) followUps(ctx context.Context, stored, merged, incoming Notice) (Effects, error) {
	changes := b.describeChanges(stored, merged, incoming)
	if len(changes) == 0 {
		return Effects{}, nil
	}
	followers, err := b.store.Followers(ctx, stored.ID)
	if err != nil || len(followers) == 0 {
		return Effects{}, err
	}
	sum := sha256.Sum256([]byte(incoming.ID + "\n" + strings.Join(changes, "\n")))
	change := hex.EncodeToString(sum[:6])
	text := fmt.Sprintf("Update on %q: %s.", merged.Title, strings.Join(changes, "; "))
	awarded := merged.Kind == KindAward && stored.Kind != KindAward
	if awarded {
		text += " The tender is closed, so you no longer follow it."
	}
	now := b.clock.Now()
	var fx Effects
	for _, f := range followers {
		replyTo, err := b.store.SentMessageID(ctx, AlertKey(f, stored.ID))
		if err != nil {
			return Effects{}, err
		}
		fx.Deliveries = append(fx.Deliveries, Delivery{
			Key:      fmt.Sprintf("%s:%s:%s:%s", PurposeUpdate, f.Key(), stored.ID, change),
			To:       f,
			Purpose:  PurposeUpdate,
			NoticeID: stored.ID,
			Message:  Message{Text: text, Cards: []Card{b.followedCard(merged)}, ReplyTo: replyTo},
			DueAt:    now,
		})
		if awarded || !merged.Deadline.Equal(stored.Deadline) {
			fx.Cancel = append(fx.Cancel, reminderPrefix(f, stored.ID))
		}
		if awarded {
			fx.Unfollow = append(fx.Unfollow, f)
		} else if !merged.Deadline.Equal(stored.Deadline) {
			fx.Deliveries = append(fx.Deliveries, b.reminders(f, merged, replyTo)...)
		}
	}
	return fx, nil
}

// describeChanges says in words what an update changed for a follower.
func (b *Bot) describeChanges(stored, merged, incoming Notice) []string {
	var changes []string
	if !merged.Deadline.Equal(stored.Deadline) {
		changes = append(changes, fmt.Sprintf("the deadline moved from %s to %s", b.formatDate(stored.Deadline), b.formatDate(merged.Deadline)))
	}
	if merged.Kind == KindAward && stored.Kind != KindAward {
		changes = append(changes, "it has been awarded")
	}
	if n := len(merged.Lots) - len(stored.Lots); n > 0 {
		changes = append(changes, fmt.Sprintf("%d new lot(s)", n))
	}
	if merged.Value != nil && (stored.Value == nil || *merged.Value != *stored.Value) {
		changes = append(changes, fmt.Sprintf("the estimated value is now %s %.0f", merged.Value.Currency, merged.Value.Amount))
	}
	if incoming.Kind == KindChange && incoming.ID != stored.ID {
		changes = append(changes, "a correction was published: "+incoming.URL)
	}
	return changes
}

// reminders are the deliveries that remind s of n's deadline, those still
// ahead.
func (b *Bot) reminders(s Subscriber, n Notice, replyTo string) []Delivery {
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
				Text:    fmt.Sprintf("Reminder: %q closes in %d days, on %s.", n.Title, days, b.formatDate(n.Deadline)),
				Cards:   []Card{b.followedCard(n)},
				ReplyTo: replyTo,
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

// formatDate writes a deadline for people, in the bot's zone.
func (b *Bot) formatDate(t time.Time) string {
	if t.IsZero() {
		return "no date"
	}
	return t.In(b.location).Format("Mon 2 Jan 2006 15:04")
}
