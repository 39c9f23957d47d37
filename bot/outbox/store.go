package outbox

import (
	"context"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Store is the part of the outbox table the worker reads and writes: it
// claims due rows and records what became of them. Enqueueing is the core's
// business (bot.Outbox). storage/sqlite.Store and storage/postgres.Store
// implement it.
type Store interface {
	// DueDeliveries returns up to limit pending deliveries for the
	// platforms due at or before now with an ID after after, in the order
	// they were enqueued; a conversation waiting for a retry holds back its
	// newer deliveries.
	DueDeliveries(ctx context.Context, platforms []bot.Platform, now time.Time, after int64, limit int) ([]bot.Delivery, error)
	// NextDue returns when DueDeliveries will next have a delivery for the
	// platforms, judged at now; ok is false when nothing is pending.
	NextDue(ctx context.Context, platforms []bot.Platform, now time.Time) (due time.Time, ok bool, err error)
	// MarkSending records that the deliveries are about to be handed to the
	// platform, all at once, so that a crash before their outcomes are
	// recorded is found by Sending at the next start.
	MarkSending(ctx context.Context, ids ...int64) error
	// Record records what became of the deliveries taken to send, all at
	// once.
	Record(ctx context.Context, results []bot.DeliveryResult) error
	// Sending returns the deliveries left in the sending state.
	Sending(ctx context.Context) ([]bot.Delivery, error)
	// MarkSent records that delivery id arrived, with the platform's id
	// for the message, which follow-ups thread under.
	MarkSent(ctx context.Context, id int64, at time.Time, platformMessageID string) error
	// Reschedule puts delivery id back to pending, due at due, counting
	// one more attempt and why the last one failed.
	Reschedule(ctx context.Context, id int64, due time.Time, reason string) error
	// MarkFailed records that delivery id can never be sent, and why: it
	// becomes a dead letter.
	MarkFailed(ctx context.Context, id int64, reason string) error
}

// Claimer is a Store that several workers share: replicas of the bot on
// one database. A worker whose store is a Claimer claims due deliveries
// with a lease instead of reading them and marking them sending, so no two
// workers send one delivery; and it takes over the claims whose lease ran
// out (their worker died), settling each with the platform exactly as a
// restart settles what a crash left. storage/postgres.Store implements it.
type Claimer interface {
	Store
	// Claim marks sending, leased to owner until until, up to limit of the
	// deliveries DueDeliveries would return at now after after, and
	// returns them in the order they were enqueued. Rows another worker
	// holds are skipped, and a conversation with a delivery being sent by
	// any worker gives none newer, so messages keep their order.
	Claim(ctx context.Context, owner string, platforms []bot.Platform, now time.Time, after int64, limit int, until time.Time) ([]bot.Delivery, error)
	// TakeOver leases to owner until until the deliveries for the
	// platforms left sending whose lease ended at or before now (or that
	// have none), and returns them.
	TakeOver(ctx context.Context, owner string, platforms []bot.Platform, now, until time.Time) ([]bot.Delivery, error)
}
