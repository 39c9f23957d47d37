package bot

import (
	"context"
	"time"
)

// Store is everything the core keeps. storage/sqlite implements it.
type Store interface {
	ProfileStore
	NoticeStore
	FeedStore
	Outbox
	FeedbackStore
	DigestStore
	SettingsStore
	RoleStore
	PrivacyStore
	EventStore
	// Stats counts what an operator watches.
	Stats(ctx context.Context) (StoreStats, error)
}

// StoreStats are counts over the store, for health and metrics.
type StoreStats struct {
	Profiles  int
	Notices   int
	Pending   int       // deliveries waiting in the outbox
	OldestDue time.Time // due time of the oldest pending delivery; zero when none
}
