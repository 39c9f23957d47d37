package bot

import (
	"time"
)

// Feed is a source of notices the bot polls.
type Feed struct {
	ID                  int64
	URL                 string // http(s) URL, local path, or builtin:NAME for a feed embedded in the binary
	Name                string
	LastPolled          time.Time // zero before the first poll
	LastSuccess         time.Time
	LastError           string // "" after a successful poll
	ConsecutiveFailures int
	Items               int // items in the last successful poll
	// ETag and LastModified are the validators of the last response, sent
	// back on the next poll so an unchanged feed costs no download.
	ETag         string
	LastModified string
	NextPoll     time.Time // when the feed is due again; zero: at once
	// Owner is the partner who added the feed; the zero Subscriber for a
	// feed the operator configured, which is trusted. A partner's feed
	// whose partner was forgotten keeps the platform and workspace with no
	// user: it is the operator's now, but still a URL a partner gave.
	Owner        Subscriber
	Status       FeedStatus
	StatusReason string // why the feed is paused or disabled
	Format       string // the format found when the feed was added
	// DefaultKind is the kind a notice from the feed gets when its item
	// says none ("other"): an RSS feed of a portal's open tenders carries no
	// kind, and would otherwise miss every profile of kind:early,tender.
	// "" gives none.
	DefaultKind Kind
	// NewItems counts the notices the feed brought that were new, the
	// first at FirstNewAt and the last at LastNewAt: how often it publishes.
	NewItems   int
	FirstNewAt time.Time
	LastNewAt  time.Time
}

// FeedStatus says whether a feed is polled.
type FeedStatus string

// Feed states.
const (
	FeedActive   FeedStatus = "active"
	FeedPaused   FeedStatus = "paused"   // by its owner or an admin
	FeedDisabled FeedStatus = "disabled" // by the bot, after failing again and again
)

// WithDefaultKind returns n with the feed's default kind when its item said
// no kind ("other"): a portal's feed of open tenders says by what it is
// what every item is.
func (f Feed) WithDefaultKind(n Notice) Notice {
	if f.DefaultKind != "" && (n.Kind == KindOther || n.Kind == "") {
		n.Kind = f.DefaultKind
	}
	return n
}

// Polled reports whether the feed has ever been read successfully.
func (f Feed) Polled() bool { return !f.LastSuccess.IsZero() }

// Trusted reports whether the operator configured the feed: a partner's
// feed is fetched through the guard against private networks.
func (f Feed) Trusted() bool { return f.Owner == Subscriber{} }

// PassedToOperator reports whether the feed's partner was forgotten: the
// feed is the operator's to manage, and still fetched through the guard.
func (f Feed) PassedToOperator() bool { return !f.Trusted() && f.Owner.User == "" }

// PollResult is the outcome of one poll of a feed.
type PollResult struct {
	At          time.Time
	Items       int   // items read, when Err is nil
	NewItems    int   // of them, notices seen for the first time
	Err         error // why the poll failed, nil on success
	NotModified bool  // the server said nothing changed since the last poll
	// ETag and LastModified are the response's validators; empty keeps
	// the stored ones.
	ETag         string
	LastModified string
	NextPoll     time.Time // when to poll again
	// Source is how a named source (TenderNed, Germany's exports) stands
	// after the poll; nil for other feeds, and when the poll failed.
	Source *SourceHealth
}

// SourceHealth is how a named national source stands: what `feeds` and
// the health page show of it.
type SourceHealth struct {
	// ReadToday counts the notices of today's publication day read so far.
	ReadToday int
	// DetailsPending counts publications whose detail, and so whose CPV
	// and NUTS codes, has not been read yet.
	DetailsPending int
	// UnknownCodes counts, by code, the notices whose type the source's
	// code list does not know: kept, with a kind read from their words or
	// "other".
	UnknownCodes map[string]int
	// LastCompleteDay is the last publication day read in full
	// (YYYY-MM-DD), with every day before it; "" before the first.
	LastCompleteDay string
}

// FeedReach is how far a feed's notices went.
type FeedReach struct {
	Notices   int // notices from the feed
	Matches   int // alerts and digest entries they caused
	Delivered int // alerts delivered
	// RSVPs are the registrations (going, maybe, waitlisted) for events
	// whose related notice came from the feed.
	RSVPs int
}
