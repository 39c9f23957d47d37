package partner

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

const (
	// disableAfter is how many failed polls in a row disable a partner's
	// feed; its owner is told once.
	disableAfter = 10
	// silentAfter is how long a feed that publishes at least weekly may
	// bring nothing new before it is reported silent.
	silentAfter = 30 * 24 * time.Hour
)

// Polled disables a partner's feed that keeps failing, telling its owner
// once, and tells the owner once when a feed that published at least
// weekly has been silent for a month. f is the feed before r is recorded,
// with r's new items counted. It keeps how a named source stands, for
// `feeds`.
func (s *Service) Polled(ctx context.Context, f bot.Feed, r bot.PollResult) {
	s.recordSource(f, r)
	if f.Trusted() {
		return // the operator sees logs and metrics
	}
	now := s.clock.Now()
	var notice, key string
	var disable string // why the feed is disabled; "" when it is not
	switch {
	case r.Err != nil && f.ConsecutiveFailures+1 >= disableAfter && f.Status == bot.FeedActive:
		disable = disabledReason(f.ConsecutiveFailures+1, r.Err)
		key = fmt.Sprintf("%s:feed-disabled:%d:%s", bot.PurposeNotice, f.ID, now.Format("2006-01-02"))
	case r.Err == nil && isSilent(f, now):
		key = fmt.Sprintf("%s:feed-silent:%d:%s", bot.PurposeNotice, f.ID, f.LastNewAt.Format(time.RFC3339))
	default:
		return
	}
	lang := s.languageOf(ctx, f.Owner)
	p := text.For(lang)
	if disable != "" {
		notice = p.Sprintf("I stopped reading your feed #%d %q: it failed %d times in a row, last: %s. Fix it and send `feed resume %d`.",
			f.ID, f.Name, f.ConsecutiveFailures+1, readableError(p, r.Err.Error()), f.ID)
	} else {
		notice = p.Sprintf("Your feed #%d %q usually brings something new %s, but nothing since %s. Is it still the right address?",
			f.ID, f.Name, every(p, cadence(f)), s.formatTime(p, f.LastNewAt))
	}
	d := bot.Delivery{Key: key, To: f.Owner, Purpose: bot.PurposeNotice, Message: bot.Message{Text: notice, Language: lang}, DueAt: now}
	tell := []bot.Delivery{d}
	if f.PassedToOperator() { // its partner was forgotten: nobody to tell but the log
		tell = nil
		s.log.Warn("feed of a forgotten partner", "feed", f.ID, "disabled", disable)
	}
	if disable != "" {
		// One call: a feed disabled without its owner told would stay
		// silent for good, since it is no longer polled to fail again.
		if err := s.store.SetFeedStatus(ctx, f.ID, bot.FeedDisabled, disable, tell); err != nil {
			s.log.Error("disable feed", "feed", f.ID, "err", err)
			return
		}
	} else if len(tell) > 0 {
		if _, err := s.store.Enqueue(ctx, &d); err != nil {
			s.log.Error("tell feed owner", "feed", f.ID, "err", err)
		}
	}
	s.outbox.Wake()
}

// cadence is how often a feed brought something new, on average.
func cadence(f bot.Feed) time.Duration {
	if f.NewItems < 2 {
		return 0
	}
	return f.LastNewAt.Sub(f.FirstNewAt) / time.Duration(f.NewItems-1)
}

// isSilent reports whether a feed that publishes at least weekly has
// brought nothing new for a month.
func isSilent(f bot.Feed, now time.Time) bool {
	c := cadence(f)
	return c > 0 && c <= 7*24*time.Hour && now.Sub(f.LastNewAt) > silentAfter
}
