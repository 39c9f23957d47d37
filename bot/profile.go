package bot

import (
	"context"
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
	CreatedAt  time.Time
}

// ProfileStore keeps profiles.
type ProfileStore interface {
	// CreateProfile stores p and sets its ID. It returns ECONFLICT when the
	// subscriber already has a profile with that name.
	CreateProfile(ctx context.Context, p *Profile) error
	// ListProfiles returns the subscriber's profiles, oldest first.
	ListProfiles(ctx context.Context, s Subscriber) ([]Profile, error)
	// DeleteProfile removes a profile, or returns ENOTFOUND.
	DeleteProfile(ctx context.Context, id int64) error
	// ProfilesByID returns the profiles with the given IDs that exist, in
	// any order.
	ProfilesByID(ctx context.Context, ids []int64) ([]Profile, error)
	// SetDelivery changes how a profile's matches are delivered, or
	// returns ENOTFOUND.
	SetDelivery(ctx context.Context, id int64, mode DeliveryMode) error
	// AllProfiles returns every profile, for building the matcher at start.
	AllProfiles(ctx context.Context) ([]Profile, error)
}
