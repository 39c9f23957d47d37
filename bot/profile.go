package bot

import (
	"time"
)

// DeliveryMode says when a profile's matches are delivered.
type DeliveryMode string

// Delivery modes.
const (
	DeliverInstant DeliveryMode = "instant" // one alert per matching notice, as it arrives
	DeliverDaily   DeliveryMode = "daily"   // one digest a day, at the digest time
	DeliverWeekly  DeliveryMode = "weekly"  // one digest a week, on Monday at the digest time
)

// Profile is a subscriber's named saved search: a query in the matching
// language and how its matches are delivered.
type Profile struct {
	ID         int64
	Subscriber Subscriber
	Name       string
	Query      string // canonical form, as shown back to the subscriber
	Delivery   DeliveryMode
	// Paused profiles keep their query and settings but alert nobody
	// until resumed.
	Paused    bool
	CreatedAt time.Time
	// CreatedBy is the user who made a channel's profile, who may change
	// or delete it; "" for a person's own profile, and once they are
	// forgotten.
	CreatedBy string
	// Mention is whom a channel profile's alerts call in the channel; the
	// zero Mention for nobody, and always for a person's own profile.
	Mention Mention
}
