package bot

import (
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// DeliveryMode says when a profile's matches are delivered.
type DeliveryMode string

// Delivery modes.
const (
	DeliverInstant DeliveryMode = "instant" // one alert per matching notice, as it arrives
	DeliverDaily   DeliveryMode = "daily"   // one digest a day, at the digest time
	DeliverWeekly  DeliveryMode = "weekly"  // one digest a week, on Monday at the digest time
)

// label is the mode in words, in p's language: "instant" is "direct" in
// Dutch.
func (m DeliveryMode) label(p text.Printer) string { return p.DeliveryMode(string(m)) }

// when says how the mode delivers new matches, in p's language: "as they
// arrive", "in your daily digest".
func (m DeliveryMode) when(p text.Printer) string { return p.DeliveryWhen(string(m)) }

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
