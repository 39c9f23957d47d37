package bot

import "time"

// Observer is told what the core does, so an operator can watch it (the
// web adapter turns it into Prometheus metrics). Methods must be cheap and
// must not block: they are called on hot paths.
type Observer interface {
	// FeedPolled reports a finished poll of a feed.
	FeedPolled(feed Feed, r PollResult)
	// NoticeIngested reports one notice read from a feed and what became of
	// it: "new", "updated" or "quiet" (new, but alerting nobody by rule).
	NoticeIngested(source string, kind Kind, outcome string)
	// Matched reports how long matching one notice took and how many
	// profiles it satisfied.
	Matched(took time.Duration, hits int)
	// Delivered reports one attempt to send a delivery: "sent",
	// "rate_limited", "retry" or "failed".
	Delivered(platform Platform, outcome string)
	// EventPublished reports an engagement event going public, with the
	// number of invitations it sent.
	EventPublished(invites int)
	// RSVP reports a registrant's answer as recorded: "going", "maybe",
	// "not_going" or "waitlisted".
	RSVP(status string)
}

// Delivery outcomes reported to the Observer.
const (
	OutcomeSent        = "sent"
	OutcomeRateLimited = "rate_limited"
	OutcomeRetry       = "retry"
	OutcomeFailed      = "failed"
)

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) FeedPolled(Feed, PollResult)         {}
func (nopObserver) NoticeIngested(string, Kind, string) {}
func (nopObserver) Matched(time.Duration, int)          {}
func (nopObserver) Delivered(Platform, string)          {}
func (nopObserver) EventPublished(int)                  {}
func (nopObserver) RSVP(string)                         {}
