package bot

import (
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

// DeliveryResult is what became of a delivery the outbox worker took to
// send, for the outbox to record with others in one go.
type DeliveryResult struct {
	ID     int64
	Status DeliveryStatus // StatusSent, StatusPending (to be sent again) or StatusFailed
	// At is when it was sent; for StatusPending, when it is due again.
	At time.Time
	// PlatformMessageID is the platform's id of the sent message.
	PlatformMessageID string
	// Attempted reports, for StatusPending, whether an attempt failed (it
	// counts, with Reason) or the delivery is handed back untried.
	Attempted bool
	Reason    string // why the attempt failed
}

// AlertKey is the idempotency key of an alert: a subscriber hears about a
// notice once, however many of their profiles match it. The notice comes
// first, so that the keys of one notice's fan-out sort together and a
// store's unique index on them grows at one place instead of all over.
func AlertKey(s Subscriber, noticeID string) string {
	return string(PurposeAlert) + ":" + noticeID + ":" + s.Key()
}

// Effects are what storing a notice causes, written in the same
// transaction as the notice.
type Effects struct {
	// Card is the notice's card as every recipient sees it (see
	// Bot.noticeCard), or nil. The card of each of Deliveries and Held that
	// is about this notice is Card.For its own profile and reasons, so a
	// store may keep Card once and each recipient's part beside it.
	Card       *Card
	Deliveries []Delivery
	Held       []DigestItem
	Cancel     []string     // key prefixes of pending deliveries to cancel first
	Unfollow   []Subscriber // who stops following the notice
	// Chunk, when above 0, is the most deliveries and digest items a store
	// writes in one transaction: the rest it keeps, in the notice's own
	// transaction, for ContinueFanOuts to write a chunk at a time.
	Chunk int
	// Encoded, when not nil, is what the store's EncodeEffects made of
	// these Deliveries and Held: SaveNotice writes it instead of making
	// their rows again.
	Encoded any
}

// none reports whether fx has nothing for the store to do.
func (fx Effects) none() bool {
	return fx.Card == nil && len(fx.Deliveries) == 0 && len(fx.Held) == 0 && len(fx.Cancel) == 0 && len(fx.Unfollow) == 0
}
