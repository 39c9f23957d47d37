package bot

import (
	"context"
	"time"
)

// Purpose says why a delivery exists; it is part of the idempotency key.
type Purpose string

// Delivery purposes.
const (
	PurposeAlert    Purpose = "alert"    // a new notice matched one of the subscriber's profiles
	PurposePreview  Purpose = "preview"  // the matches a new profile already has, sent once feeds have loaded
	PurposeDigest   Purpose = "digest"   // the matches of a day or a week, in one message
	PurposeNotice   Purpose = "notice"   // a word from the bot itself, such as "you reached your hourly cap"
	PurposeUpdate   Purpose = "update"   // a change to a followed tender, threaded under its alert
	PurposeReminder Purpose = "reminder" // a followed tender closes in a few days, or an event starts soon
	// Engagement events.
	PurposeAnnouncement Purpose = "announcement" // a new event, posted in an announcement channel
	PurposeInvite       Purpose = "invite"       // an invitation to an event whose target matches a profile
	PurposeEvent        Purpose = "event"        // an answer, material, change, cancellation or promotion, to registrants; a question, to staff
)

// DeliveryStatus is where a delivery stands in the outbox.
type DeliveryStatus string

// Delivery states.
const (
	StatusPending   DeliveryStatus = "pending"
	StatusSending   DeliveryStatus = "sending" // handed to the platform; its outcome not yet recorded
	StatusSent      DeliveryStatus = "sent"
	StatusFailed    DeliveryStatus = "failed"    // can never be sent: the dead letters, with the reason
	StatusCancelled DeliveryStatus = "cancelled" // no longer wanted, such as a reminder for a moved deadline
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

// Effects are what storing a notice causes, written in the same
// transaction as the notice.
type Effects struct {
	Deliveries []Delivery
	Held       []DigestItem
	Cancel     []string     // key prefixes of pending deliveries to cancel first
	Unfollow   []Subscriber // who stops following the notice
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
	// given platforms that DueDeliveries would return once due, judged at
	// now (one waiting behind a conversation's retry is not); ok is false
	// when there is none.
	NextDue(ctx context.Context, platforms []Platform, now time.Time) (due time.Time, ok bool, err error)
	// MarkSending records that delivery id is being handed to the platform:
	// found in this state at start, it may or may not have arrived.
	MarkSending(ctx context.Context, id int64) error
	// Sending returns the deliveries left in the sending state.
	Sending(ctx context.Context) ([]Delivery, error)
	// MarkSent records that delivery id was sent, with the platform's id for
	// the message.
	MarkSent(ctx context.Context, id int64, at time.Time, platformMessageID string) error
	// Reschedule keeps delivery id pending, due again at due, counting one
	// more attempt and the reason it failed.
	Reschedule(ctx context.Context, id int64, due time.Time, reason string) error
	// MarkFailed records that delivery id can never be sent, and why.
	MarkFailed(ctx context.Context, id int64, reason string) error
	// CountSince counts the deliveries with the purpose made for s since t.
	CountSince(ctx context.Context, s Subscriber, purpose Purpose, since time.Time) (int, error)
	// SentMessageID returns the platform's id of the sent delivery with the
	// key, "" when there is none.
	SentMessageID(ctx context.Context, key string) (string, error)
	// CancelPending cancels the pending deliveries whose key starts with
	// prefix.
	CancelPending(ctx context.Context, keyPrefix string) error
	// Failed returns up to limit deliveries that failed for good, newest
	// first; to s only, unless s is the zero Subscriber.
	Failed(ctx context.Context, s Subscriber, limit int) ([]Delivery, error)
}
