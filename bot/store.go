package bot

// Store is everything the core keeps. storage/sqlite implements it.
type Store interface {
	ProfileStore
	NoticeStore
	FeedStore
	Outbox
}
