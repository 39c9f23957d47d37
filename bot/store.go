package bot

import (
	"context"
	"time"

	"github.com/tenderbot/tenderbot/bot/audit"
)

// Store is everything the core keeps: the ports below, one per concept,
// gathered in this file so that the whole contract a store must meet reads
// in one place. storage/sqlite implements it; bot/storetest is the suite of
// behaviour tests every implementation must pass.
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
	ReplayStore
	// Stats counts what an operator watches.
	Stats(ctx context.Context) (StoreStats, error)
}

// ProfileStore keeps profiles.
type ProfileStore interface {
	// CreateProfile stores p, with who made it, and sets its ID. It
	// returns ECONFLICT when the subscriber already has a profile with that
	// name.
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
	// UpdateProfile stores p's Name, Query and Paused for the profile
	// p.ID, keeping everything else it has (subscriber, delivery, mutes,
	// creation time). It returns ENOTFOUND when there is no such profile
	// and ECONFLICT when the subscriber has another profile of that name.
	UpdateProfile(ctx context.Context, p Profile) error
	// ProfilesAfter returns up to limit profiles whose ID is greater than
	// afterID, in ID order: every profile, a page at a time, for building
	// the matcher at start without holding them all at once.
	ProfilesAfter(ctx context.Context, afterID int64, limit int) ([]Profile, error)
}

// EffectsEncoder is a store that can make the rows of a notice's
// deliveries and digest items before the transaction that writes them.
// Ingest has it do so as it plans a notice, on another goroutine than
// the one that writes, and hands the result to SaveNotice in
// Effects.Encoded.
type EffectsEncoder interface {
	// EncodeEffects returns the rows of fx's Deliveries and Held, in a
	// form only the store reads, or nil to make them in SaveNotice.
	EncodeEffects(fx Effects) (any, error)
}

// NoticeStore keeps notices.
type NoticeStore interface {
	// SaveNotice stores n, replacing an earlier version with the same ID,
	// and records keys as n's cluster keys (a key already held by another
	// notice keeps pointing there). In the same transaction it enqueues the
	// effects' deliveries, ignoring those whose Key exists, and holds their
	// digest items, ignoring a notice the subscriber holds already; it
	// reports whether n was new.
	SaveNotice(ctx context.Context, n Notice, keys []string, effects Effects) (inserted bool, err error)
	// FindNotice returns the notice holding the first of keys that any
	// notice holds; ok is false when none does.
	FindNotice(ctx context.Context, keys []string) (n Notice, ok bool, err error)
	// Notice returns the notice with the given ID, or ENOTFOUND.
	Notice(ctx context.Context, id string) (Notice, error)
	// ContinueFanOuts writes the deliveries and digest items SaveNotice
	// kept for later (Effects.Chunk), a chunk a transaction that also
	// drops it from what is kept, oldest first, until none is left; after
	// a stop it finishes what the stop left. It returns the rows written.
	ContinueFanOuts(ctx context.Context) (int, error)
	// RecentNotices returns up to limit notices, newest published first.
	RecentNotices(ctx context.Context, limit int) ([]Notice, error)
	// SearchNotices returns up to limit notices whose title, description or
	// buyer contain any of words (case- and diacritic-insensitive; a word
	// ending in * is a prefix), best match first. Words are plain words, not
	// a query syntax: characters other than letters, digits and a trailing *
	// are ignored.
	SearchNotices(ctx context.Context, words []string, limit int) ([]Notice, error)
	// CountNotices returns how many notices are stored.
	CountNotices(ctx context.Context) (int, error)
}

// FeedStore keeps the feeds to poll and how their polls went.
type FeedStore interface {
	// EnsureFeed returns the feed with the given URL, creating it if needed.
	EnsureFeed(ctx context.Context, url, name string) (Feed, error)
	// ListFeeds returns every feed, oldest first.
	ListFeeds(ctx context.Context) ([]Feed, error)
	// RecordPoll stores the outcome of a poll of feed id, counting new
	// notices among its items.
	RecordPoll(ctx context.Context, id int64, r PollResult) error
	// AddFeed stores a partner's feed, with its owner, format and default
	// kind, and sets its ID; ECONFLICT when a feed with the URL or the name
	// exists.
	AddFeed(ctx context.Context, f *Feed) error
	// SetFeedStatus changes whether a feed is polled, and why, and enqueues
	// tell (the owner's notice of the change, if any) in the same
	// transaction, so that a feed is never disabled without its owner being
	// told; a delivery whose Key exists is skipped. ENOTFOUND when there is
	// no such feed.
	SetFeedStatus(ctx context.Context, id int64, status FeedStatus, reason string, tell []Delivery) error
	// DeleteFeed removes a feed; its notices stay. ENOTFOUND when there is
	// no such feed.
	DeleteFeed(ctx context.Context, id int64) error
	// FeedReach counts, for the notices a feed's source brought, the
	// profile matches and the alerts delivered: aggregates, never who.
	FeedReach(ctx context.Context, source string) (FeedReach, error)
}

// Outbox is the table deliveries wait in until a messenger has sent them.
type Outbox interface {
	// Enqueue stores d as pending and sets its ID; it reports false, and
	// changes nothing, when a delivery with d.Key exists.
	Enqueue(ctx context.Context, d *Delivery) (bool, error)
	// HasDelivery reports whether a delivery with the given key exists.
	HasDelivery(ctx context.Context, key string) (bool, error)
	// DueDeliveries returns up to limit pending deliveries for the given
	// platforms due at or before now with an ID after after (0: from the
	// first), in the order they were enqueued; a conversation waiting for a
	// retry holds back its newer deliveries. A caller reading in batches
	// passes the last ID of one batch as after of the next, so that a round
	// never reads the same rows twice.
	DueDeliveries(ctx context.Context, platforms []Platform, now time.Time, after int64, limit int) ([]Delivery, error)
	// NextDue returns the earliest due time of a pending delivery for the
	// given platforms that DueDeliveries would return once due, judged at
	// now (one waiting behind a conversation's retry is not); ok is false
	// when there is none.
	NextDue(ctx context.Context, platforms []Platform, now time.Time) (due time.Time, ok bool, err error)
	// MarkSending records that the deliveries are being handed to the
	// platform, all at once: found in this state at start, they may or may
	// not have arrived. ENOTFOUND, and nothing marked, when one is missing.
	MarkSending(ctx context.Context, ids ...int64) error
	// Record records what became of deliveries taken to send, all at once:
	// sent ones keep their key, status and platform message id but not their
	// message; ENOTFOUND, and nothing recorded, when one is missing.
	Record(ctx context.Context, results []DeliveryResult) error
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
	// CountsSince counts, for each of subs, the deliveries with the purpose
	// made for them since t, in one set-based read; a subscriber with none
	// is left out of the map.
	CountsSince(ctx context.Context, subs []Subscriber, purpose Purpose, since time.Time) (map[Subscriber]int, error)
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

// FeedbackStore keeps what people did with the cards they were shown.
type FeedbackStore interface {
	// RecordAction stores a click on a card's button.
	RecordAction(ctx context.Context, from Subscriber, a Action, noticeID string, at time.Time) error
	// Follow records that s follows a notice and enqueues the reminders of
	// its deadline, in one transaction, so that a follow never lacks its
	// reminders: a reminder whose Key exists is skipped, as Enqueue does,
	// and any other failure writes neither. It reports false, and enqueues
	// nothing, when s follows the notice already; ENOTFOUND when there is
	// no such notice.
	Follow(ctx context.Context, s Subscriber, noticeID string, at time.Time, reminders []Delivery) (bool, error)
	// Unfollow ends s's follow of a notice and cancels its pending
	// deliveries whose key starts with cancelPrefix (the follow's
	// reminders), in one transaction. It reports false when s did not
	// follow the notice.
	Unfollow(ctx context.Context, s Subscriber, noticeID, cancelPrefix string) (bool, error)
	// Followed returns the notices s follows, most recently followed first.
	Followed(ctx context.Context, s Subscriber) ([]Notice, error)
	// MuteBuyer records that a profile never alerts about a buyer again;
	// buyer is a folded buyer name.
	MuteBuyer(ctx context.Context, profileID int64, buyer string, at time.Time) error
	// MutedBuyers returns the muted buyers of each of the given profiles
	// that has any.
	MutedBuyers(ctx context.Context, profileIDs []int64) (map[int64][]string, error)
	// NotRelevant returns the notices marked not relevant for a profile,
	// most recent mark first.
	NotRelevant(ctx context.Context, profileID int64) ([]Notice, error)
	// Followers returns who follows a notice.
	Followers(ctx context.Context, noticeID string) ([]Subscriber, error)
}

// DigestStore keeps the matches that wait for a digest.
type DigestStore interface {
	// DigestItems returns the held items of the mode created before t,
	// grouped by subscriber, oldest first.
	DigestItems(ctx context.Context, mode DeliveryMode, before time.Time) ([]DigestItem, error)
	// CommitDigests enqueues each digest's delivery and deletes the items
	// it carries, all in one transaction; a digest whose key exists is not
	// enqueued again, and its items are deleted all the same.
	CommitDigests(ctx context.Context, digests []DigestCommit) error
}

// SettingsStore keeps subscribers' preferences.
type SettingsStore interface {
	// Settings returns s's settings; the zero Settings when none are stored.
	Settings(ctx context.Context, s Subscriber) (Settings, error)
	// SaveSettings stores s's settings.
	SaveSettings(ctx context.Context, s Subscriber, settings Settings) error
	// SettingsOf returns the stored settings of each of subs, in one
	// set-based read; a subscriber with none stored is left out of the map.
	SettingsOf(ctx context.Context, subs []Subscriber) (map[Subscriber]Settings, error)
}

// RoleStore keeps who holds which role.
type RoleStore interface {
	// GrantRole gives s the role; granting it again changes nothing.
	GrantRole(ctx context.Context, s Subscriber, r Role, by Subscriber, at time.Time) error
	// RevokeRole takes the role from s; ENOTFOUND when s does not hold it.
	RevokeRole(ctx context.Context, s Subscriber, r Role) error
	// Roles returns the roles s holds.
	Roles(ctx context.Context, s Subscriber) ([]Role, error)
	// RoleHolders returns every granted role, by workspace and user.
	RoleHolders(ctx context.Context) ([]RoleGrant, error)
}

// PrivacyStore exports and erases a person's data.
type PrivacyStore interface {
	// PersonalData gathers everything stored about s.
	PersonalData(ctx context.Context, s Subscriber) (PersonalData, error)
	// Forget erases s's profiles (with their mutes), forgets them as the
	// maker of channel profiles, and erases their follows, clicks,
	// roles, settings, held digest items, the deliveries addressed to
	// them, their event registrations and the row that maps their audit
	// pseudonym to them; it removes them as the asker of their questions
	// (the questions and answers stay, unsigned) and as the organizer of
	// events, and hands the feeds they added to the operator, in one
	// transaction. Audit chains are left as they are: their hashes cover
	// the pseudonym, which now names nobody.
	Forget(ctx context.Context, s Subscriber) error
	// Prune deletes finished deliveries created before t and empties the
	// texts of notices first seen before t, reporting how many of each, and
	// deletes the cards (see Effects.Card) nothing shows any more. It works
	// in small steps that let ingest in between.
	Prune(ctx context.Context, before time.Time) (deliveries, notices int, err error)
}

// EventStore keeps events, registrations, questions, materials and the
// audit chain.
type EventStore interface {
	// ChangeEvent reads the event's state, calls change with it and writes
	// what change returns, all in one transaction; no other change to any
	// event runs in between. For id 0 it creates the event: change gets an
	// empty draft that already has its new ID. It returns the event as
	// written. An error from change is returned as is, and nothing is
	// written. ENOTFOUND when no event has the id.
	ChangeEvent(ctx context.Context, id int64, change func(EventState) (EventChange, error)) (Event, error)
	// EventState returns the event and everything that hangs on it;
	// ENOTFOUND when there is none.
	EventState(ctx context.Context, id int64) (EventState, error)
	// Events returns the events in the statuses given, by start time.
	Events(ctx context.Context, statuses ...EventStatus) ([]Event, error)
	// AuditLog returns the event's audit chain, oldest entry first.
	AuditLog(ctx context.Context, eventID int64) ([]audit.Entry, error)
	// AuditActors returns the pseudonym under which each subscriber appears
	// in audit chains, creating it with a fresh random salt the first time:
	// the chains hold only pseudonyms, and the table that maps them back is
	// what forget me erases.
	AuditActors(ctx context.Context, subs []Subscriber) (map[Subscriber]string, error)
}

// ReplayStore remembers the signed requests the chat platforms sent over
// HTTP, so that one sent again is refused: after a restart too, and by every
// replica.
type ReplayStore interface {
	// SeenRequest records key, seen at at, until expires, and reports
	// whether it is fresh: false when key was recorded before and has not
	// yet expired at at. The check and the record are one step, so two
	// callers racing with one key see it fresh once. It also forgets a small
	// batch of keys expired at at, so the memory stays as large as the
	// window, not as the history.
	SeenRequest(ctx context.Context, key string, at, expires time.Time) (fresh bool, err error)
}

// StoreStats are counts over the store, for health and metrics.
type StoreStats struct {
	Profiles  int
	Notices   int
	Pending   int       // deliveries waiting in the outbox
	OldestDue time.Time // due time of the oldest pending delivery; zero when none
}
