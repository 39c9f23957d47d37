package schedule

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/daytime"
	"github.com/tenderbot/tenderbot/bot/text"
)

// maxDigestCards bounds the notices one digest shows; the rest are counted.
const maxDigestCards = 15

// digestsPerCommit is how many subscribers' digests are enqueued in one
// write: a digest morning of 100,000 subscribers is 200 writes.
const digestsPerCommit = 500

// lastSlot returns the most recent moment at or before now at which a
// digest of the mode was due under s, in loc.
func lastSlot(s bot.DigestSchedule, mode bot.DeliveryMode, now time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	slot := daytime.On(local, s.At, loc)
	if slot.After(local) {
		slot = slot.AddDate(0, 0, -1)
	}
	if mode == bot.DeliverWeekly {
		back := (int(slot.Weekday()) - int(s.Weekday) + 7) % 7
		slot = slot.AddDate(0, 0, -back)
	}
	return slot
}

// sendDigests enqueues every digest that is due: for each subscriber, the
// matches held before the last digest slot of their mode.
func (s *Scheduler) sendDigests(ctx context.Context) error {
	now := s.clock.Now()
	for _, mode := range []bot.DeliveryMode{bot.DeliverDaily, bot.DeliverWeekly} {
		slot := lastSlot(s.digests, mode, now, s.location)
		items, err := s.store.DigestItems(ctx, mode, slot)
		if err != nil {
			return fmt.Errorf("digest items: %w", err)
		}
		groups := groupBySubscriber(items)
		for len(groups) > 0 {
			chunk := groups[:min(digestsPerCommit, len(groups))]
			groups = groups[len(chunk):]
			settings := s.settingsOf(ctx, chunk)
			commits := make([]bot.DigestCommit, len(chunk))
			for i, group := range chunk {
				p := text.For(settings[group[0].To].LanguageOr(s.language))
				commits[i].Delivery = digest(p, mode, slot, now, group)
				for _, it := range group {
					commits[i].ItemIDs = append(commits[i].ItemIDs, it.ID)
				}
			}
			if err := s.store.CommitDigests(ctx, commits); err != nil {
				return fmt.Errorf("commit %d %s digests: %w", len(commits), mode, err)
			}
			s.outbox.Wake()
		}
	}
	return nil
}

// settingsOf reads the settings of the subscribers of groups, in one
// query for all of them; a store that cannot say leaves them the default
// language.
func (s *Scheduler) settingsOf(ctx context.Context, groups [][]bot.DigestItem) map[bot.Subscriber]bot.Settings {
	subs := make([]bot.Subscriber, len(groups))
	for i, group := range groups {
		subs[i] = group[0].To
	}
	settings, err := s.store.SettingsOf(ctx, subs)
	if err != nil {
		s.log.Warn("settings unread; digests in the default language", "subscribers", len(subs), "err", err)
	}
	return settings
}

// groupBySubscriber splits items, which come grouped by subscriber, into
// one slice each.
func groupBySubscriber(items []bot.DigestItem) [][]bot.DigestItem {
	var groups [][]bot.DigestItem
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

// digest builds one subscriber's digest, due at now, in p's language:
// early engagement first, then tenders by closing date, then the rest; at
// most maxDigestCards shown and the others counted.
func digest(p text.Printer, mode bot.DeliveryMode, slot, now time.Time, items []bot.DigestItem) bot.Delivery {
	cards := make([]bot.Card, len(items))
	overflow := 0
	for i, it := range items {
		cards[i] = it.Card
		if it.Overflow {
			overflow++
		}
	}
	slices.SortStableFunc(cards, func(a, c bot.Card) int {
		if r := cmp.Compare(kindRank(a.Notice.Kind), kindRank(c.Notice.Kind)); r != 0 {
			return r
		}
		return compareDeadlines(a.Notice.Deadline, c.Notice.Deadline)
	})
	said := []string{p.Sprintf("Today's digest: %d notice(s) matched your profiles — early engagement first, then tenders by closing date.", len(cards))}
	if mode == bot.DeliverWeekly {
		said[0] = p.Sprintf("This week's digest: %d notice(s) matched your profiles — early engagement first, then tenders by closing date.", len(cards))
	}
	if overflow > 0 {
		said = append(said, p.Sprintf("%d of them arrived after you reached your hourly alert limit.", overflow))
	}
	if len(cards) > maxDigestCards {
		said = append(said, p.Sprintf("%d more are left out; `search` finds them.", len(cards)-maxDigestCards))
		cards = cards[:maxDigestCards]
	}
	to := items[0].To
	return bot.Delivery{
		Key:     fmt.Sprintf("%s:%s:%s:%s", bot.PurposeDigest, to.Key(), mode, slot.Format("2006-01-02")),
		To:      to,
		Purpose: bot.PurposeDigest,
		Message: bot.Message{Text: strings.Join(said, "\n"), Cards: cards, Language: p.Language()},
		DueAt:   now,
	}
}

// kindRank orders kinds in a digest: early engagement first.
func kindRank(k bot.Kind) int {
	switch k {
	case bot.KindEarly:
		return 0
	case bot.KindTender:
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
