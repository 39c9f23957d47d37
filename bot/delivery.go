package bot

import (
	"context"
	"time"
)

// Purpose says why a delivery exists; it is part of the idempotency key.
type Purpose string

// Delivery purposes.
const (
	PurposeAlert   Purpose = "alert"   // a new notice matched one of the subscriber's profiles
	PurposePreview Purpose = "preview" // the matches a new profile already has, sent once feeds have loaded
)

// DeliveryStatus is where a delivery stands in the outbox.
type DeliveryStatus string

// Delivery states.
const (
	StatusPending DeliveryStatus = "pending"
	StatusSent    DeliveryStatus = "sent"
	StatusFailed  DeliveryStatus = "failed"
)

// Delivery is one message in the outbox, addressed to one subscriber. The
// message is rendered into platform-neutral form when it is enqueued, so what
// a person sees does not depend on when it is sent.
type Delivery struct {
	ID                int64
	Key               string // idempotency key: one delivery per key, ever
	To                Subscriber
	Purpose           Purpose
	NoticeID          string // "" when the message is not about one notice
	ProfileID         int64
	Message           Message
	Status            DeliveryStatus
	Attempts          int
	DueAt             time.Time
	CreatedAt         time.Time
	SentAt            time.Time
	PlatformMessageID string
	LastError         string
}

// AlertKey is the idempotency key of an alert: a subscriber hears about a
// notice once, however many of their profiles match it.
func AlertKey(s Subscriber, noticeID string) string {
	return string(PurposeAlert) + ":" + s.Key() + ":" + noticeID
}

// Outbox is the table deliveries wait in until a messenger has sent them.
type Outbox interface {
	// Enqueue stores d as pending and sets its ID; it reports false, and
	// changes nothing, when a delivery with d.Key exists.
	Enqueue(ctx context.Context, d *Delivery) (bool, error)
	// HasDelivery reports whether a delivery with the given key exists.
	HasDelivery(ctx context.Context, key string) (bool, error)
	// DueDeliveries returns up to limit pending deliveries for the given
	// platforms due at or before now, oldest due first.
	DueDeliveries(ctx context.Context, platforms []Platform, now time.Time, limit int) ([]Delivery, error)
	// NextDue returns the earliest due time of a pending delivery for the
	// given platforms; ok is false when there is none.
	NextDue(ctx context.Context, platforms []Platform) (due time.Time, ok bool, err error)
	// MarkSent records that delivery id was sent, with the platform's id for
	// the message.
	MarkSent(ctx context.Context, id int64, at time.Time, platformMessageID string) error
	// Reschedule keeps delivery id pending, due again at due, counting one
	// more attempt and the reason it failed.
	Reschedule(ctx context.Context, id int64, due time.Time, reason string) error
	// MarkFailed records that delivery id can never be sent, and why.
	MarkFailed(ctx context.Context, id int64, reason string) error
}
