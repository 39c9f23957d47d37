package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DigestCommit is a digest to enqueue and the held items it carries.
type DigestCommit struct {
	Delivery Delivery
	ItemIDs  []int64
}

// DigestItem is a match held for a subscriber's next digest.
type DigestItem struct {
	ID        int64
	To        Subscriber
	Mode      DeliveryMode // daily or weekly
	ProfileID int64
	NoticeID  string
	Card      Card // as it was when the notice matched
	Overflow  bool // held because the hourly cap was reached
	CreatedAt time.Time
}

// DigestSchedule says when digests go out.
type DigestSchedule struct {
	// At is the local time of day, e.g. 8*time.Hour for 08:00.
	At time.Duration
	// Weekday is the day weekly digests go out.
	Weekday time.Weekday
}

// digestCommand shows or changes how a profile's matches are delivered:
// "digest", "digest 1 daily", "digest here 1 weekly".
func (b *Bot) digestCommand(ctx context.Context, c Command, args string) (Message, error) {
	from, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	list, err := b.store.ListProfiles(ctx, from)
	if err != nil {
		return Message{}, fmt.Errorf("list profiles: %w", err)
	}
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return b.profiles(ctx, c, "")
	}
	pr := c.Printer()
	usage := pr.Sprintf("Write `digest <profile number or name> instant|daily|weekly`, e.g. `digest 1 daily`.")
	if len(fields) < 2 {
		return Message{}, Errorf(EINVALID, "%s", usage)
	}
	mode := DeliveryMode(strings.ToLower(fields[len(fields)-1]))
	switch mode {
	case DeliverInstant, DeliverDaily, DeliverWeekly:
	default:
		return Message{}, Errorf(EINVALID, "%q is not a delivery mode. %s", fields[len(fields)-1], usage)
	}
	ref := strings.Trim(strings.Join(fields[:len(fields)-1], " "), `"`)
	p, ok := findProfile(list, ref)
	if !ok {
		return Message{}, Errorf(ENOTFOUND, "You have no profile %q; `profiles` lists yours (%d).", ref, len(list))
	}
	if err := b.store.SetDelivery(ctx, p.ID, mode); err != nil {
		return Message{}, err
	}
	when := pr.Sprintf("as they arrive")
	switch mode {
	case DeliverDaily:
		when = pr.Sprintf("in one message a day at %s", b.scheduleTime())
	case DeliverWeekly:
		when = pr.Sprintf("in one message every %s at %s", pr.Weekday(b.schedule.Weekday), b.scheduleTime())
	}
	return Message{Text: pr.Sprintf("Profile %q now delivers its matches %s.", p.Name, when)}, nil
}

func (b *Bot) scheduleTime() string {
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(b.schedule.At).Format("15:04")
}
