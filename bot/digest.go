package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// maxDigestCards bounds the notices one digest shows; the rest are counted.
const maxDigestCards = 15

// DigestCommit is a digest to enqueue and the held items it carries.
type DigestCommit struct {
	Delivery Delivery
	ItemIDs  []int64
}

// digestsPerCommit is how many subscribers' digests are enqueued in one
// write: a digest morning of 100,000 subscribers is 200 writes.
const digestsPerCommit = 500

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

// lastSlot returns the most recent moment at or before now at which a
// digest of the mode was due, in loc.
func (s DigestSchedule) lastSlot(mode DeliveryMode, now time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	y, m, d := local.Date()
	slot := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(s.At)
	if slot.After(local) {
		slot = slot.AddDate(0, 0, -1)
	}
	if mode == DeliverWeekly {
		back := (int(slot.Weekday()) - int(s.Weekday) + 7) % 7
		slot = slot.AddDate(0, 0, -back)
	}
	return slot
}

// sendDigests enqueues every digest that is due: for each subscriber, the
// matches held before the last digest slot of their mode.
func (b *Bot) sendDigests(ctx context.Context) error {
	now := b.clock.Now()
	for _, mode := range []DeliveryMode{DeliverDaily, DeliverWeekly} {
		slot := b.schedule.lastSlot(mode, now, b.location)
		items, err := b.store.DigestItems(ctx, mode, slot)
		if err != nil {
			return fmt.Errorf("digest items: %w", err)
		}
		groups := groupBySubscriber(items)
		for len(groups) > 0 {
			chunk := groups[:min(digestsPerCommit, len(groups))]
			groups = groups[len(chunk):]
			commits := make([]DigestCommit, len(chunk))
			for i, group := range chunk {
				commits[i].Delivery = b.digest(mode, slot, group)
				for _, it := range group {
					commits[i].ItemIDs = append(commits[i].ItemIDs, it.ID)
				}
			}
			if err := b.store.CommitDigests(ctx, commits); err != nil {
				return fmt.Errorf("commit %d %s digests: %w", len(commits), mode, err)
			}
			b.wakeDispatcher()
		}
	}
	return nil
}

// groupBySubscriber splits items, which come grouped by subscriber, into
// one slice each.
func groupBySubscriber(items []DigestItem) [][]DigestItem {
	var groups [][]DigestItem
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && items[j].To == items[i].To {
			j++
		}
		groups = append(groups, items[i:j])
		i = j
	}
	return groups
}

// digest builds one subscriber's digest: early engagement first, then
// tenders by closing date, then the rest; at most maxDigestCards shown and
// the others counted.
func (b *Bot) digest(mode DeliveryMode, slot time.Time, items []DigestItem) Delivery {
	cards := make([]Card, len(items))
	overflow := 0
	for i, it := range items {
		cards[i] = it.Card
		if it.Overflow {
			overflow++
		}
	}
	slices.SortStableFunc(cards, func(a, c Card) int {
		if r := cmp.Compare(kindRank(a.Notice.Kind), kindRank(c.Notice.Kind)); r != 0 {
			return r
		}
		return compareDeadlines(a.Notice.Deadline, c.Notice.Deadline)
	})
	period := "today's"
	if mode == DeliverWeekly {
		period = "this week's"
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Your %s digest: %d notice(s) matched your profiles — early engagement first, then tenders by closing date.", period, len(cards))
	if overflow > 0 {
		fmt.Fprintf(&text, "\n%d of them arrived after you reached your hourly alert limit.", overflow)
	}
	if len(cards) > maxDigestCards {
		fmt.Fprintf(&text, "\n%d more are left out; `search` finds them.", len(cards)-maxDigestCards)
		cards = cards[:maxDigestCards]
	}
	to := items[0].To
	return Delivery{
		Key:     fmt.Sprintf("%s:%s:%s:%s", PurposeDigest, to.Key(), mode, slot.Format("2006-01-02")),
		To:      to,
		Purpose: PurposeDigest,
		Message: Message{Text: text.String(), Cards: cards},
		DueAt:   b.clock.Now(),
	}
}

// kindRank orders kinds in a digest: early engagement first.
func kindRank(k Kind) int {
	switch k {
	case KindEarly:
		return 0
	case KindTender:
		return 1
	}
	return 2
}

// compareDeadlines orders the sooner deadline first, none last.
func compareDeadlines(a, c time.Time) int {
	switch {
	case a.IsZero() && c.IsZero():
		return 0
	case a.IsZero():
		return 1
	case c.IsZero():
		return -1
	}
	return a.Compare(c)
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
	usage := "Write `digest <profile number or name> instant|daily|weekly`, e.g. `digest 1 daily`."
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
	when := "as they arrive"
	switch mode {
	case DeliverDaily:
		when = fmt.Sprintf("in one message a day at %s", b.scheduleTime())
	case DeliverWeekly:
		when = fmt.Sprintf("in one message every %s at %s", b.schedule.Weekday, b.scheduleTime())
	}
	return Message{Text: fmt.Sprintf("Profile %q now delivers its matches %s.", p.Name, when)}, nil
}

func (b *Bot) scheduleTime() string {
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(b.schedule.At).Format("15:04")
}
