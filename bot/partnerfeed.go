package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// disableAfter is how many failed polls in a row disable a partner's
	// feed; its owner is told once.
	disableAfter = 10
	// silentAfter is how long a feed that publishes at least weekly may
	// bring nothing new before it is reported silent.
	silentAfter = 30 * 24 * time.Hour
	// previewWindow is how far back a feed preview counts matching
	// profiles.
	previewWindow = 30 * 24 * time.Hour
	previewItems  = 3
)

// FeedProbe reads a feed once, as a partner proposed it, through the guard
// against private networks; nothing is stored.
type FeedProbe interface {
	// Probe fetches and parses the feed at url. A URL the guard refuses is
	// a *FeedRefusedError; any other error is for the log only.
	Probe(ctx context.Context, url string) (ProbeResult, error)
}

// FeedRefusedError is what a FeedProbe returns for an address it will not
// read. Rule says why, in words fit for whoever proposed the feed; Setting,
// when not empty, is what a closed deployment sets to allow it, which only
// admins are told.
type FeedRefusedError struct {
	Rule    string
	Setting string
	Err     error // the detail, for the log
}

func (e *FeedRefusedError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return "refused: " + e.Rule
}

func (e *FeedRefusedError) Unwrap() error { return e.Err }

// ProbeResult is what a probe found.
type ProbeResult struct {
	Format  string
	Notices []Notice
}

// feedCommand is "feed add|list|pause|resume|remove|stats …".
func (b *Bot) feedCommand(ctx context.Context, c Command, args string) (Message, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(verb) {
	case "add":
		return b.feedAdd(ctx, c, rest)
	case "list", "":
		return b.feeds(ctx, c, "")
	case "pause":
		return b.feedSetStatus(ctx, c, rest, FeedPaused)
	case "resume":
		return b.feedSetStatus(ctx, c, rest, FeedActive)
	case "remove":
		return b.feedRemove(ctx, c, rest)
	case "stats":
		return b.feedStats(ctx, c, rest)
	}
	return Message{}, Errorf(EINVALID, "Write `feed add <url> [name]`, `feed list`, `feed pause|resume|remove <id>` or `feed stats <id>`.")
}

// feedAdd previews a partner's feed, or with "confirm" at the end saves it.
func (b *Bot) feedAdd(ctx context.Context, c Command, args string) (Message, error) {
	if err := b.rights.Require(ctx, c.From, RolePartner, "add feeds"); err != nil {
		return Message{}, err
	}
	fields := strings.Fields(args)
	confirm := len(fields) > 0 && strings.EqualFold(fields[len(fields)-1], "confirm")
	if confirm {
		fields = fields[:len(fields)-1]
	}
	if len(fields) == 0 {
		return Message{}, Errorf(EINVALID, "Give the feed's address, e.g. `feed add https://www.example.nl/aanbestedingen.rss Twente Business Desk`.")
	}
	location := fields[0]
	name := strings.Trim(strings.Join(fields[1:], " "), `"`)
	if name == "" {
		if u, err := url.Parse(location); err == nil && u.Host != "" {
			name = u.Host
		} else {
			name = location
		}
	}
	if b.probe == nil {
		return Message{}, Errorf(EINVALID, "This bot cannot read new feeds from chat.")
	}
	found, err := b.probe.Probe(ctx, location)
	if err != nil {
		b.log.Info("feed probe refused or failed", "by", c.From.Key(), "err", err)
		return Message{}, b.feedProbeError(ctx, c.From, err)
	}
	if len(found.Notices) == 0 {
		return Message{}, Errorf(EINVALID, "That address is a %s feed with no items; I would have nothing to read.", found.Format)
	}
	if !confirm {
		return b.feedPreview(found, location, name), nil
	}
	f := Feed{URL: location, Name: name, Owner: c.From, Status: FeedActive, Format: found.Format}
	if err := b.store.AddFeed(ctx, &f); err != nil {
		return Message{}, err
	}
	b.log.Info("partner feed added", "feed", f.ID, "name", f.Name, "owner", c.From.Key())
	return Message{Text: fmt.Sprintf("Added feed #%d %q. I read it from the next round on; its first read stores what it holds without alerting, and later items alert as \"via %s\".", f.ID, f.Name, f.Name)}, nil
}

// feedProbeError is what the person who proposed a feed is told when it
// cannot be used: the rule that refused it (and, to an admin, the setting
// that lifts it), or that it could not be read; never the error's text,
// which may name the resolver or the network.
func (b *Bot) feedProbeError(ctx context.Context, from Subscriber, err error) error {
	var refused *FeedRefusedError
	if !errors.As(err, &refused) {
		return Errorf(EINVALID, "I could not read that feed: it did not answer, or not with a feed I can read. Check the address in a browser; the details are in the bot's log.")
	}
	text := fmt.Sprintf("I cannot use that feed: %s.", refused.Rule)
	if refused.Setting != "" {
		if admin, cerr := b.rights.Can(ctx, from, RoleAdmin); cerr == nil && admin {
			text += fmt.Sprintf(" A closed deployment that trusts its partners allows it with `%s`.", refused.Setting)
		}
	}
	return Errorf(EINVALID, "%s", text)
}

// feedPreview shows what a proposed feed holds and how far it would reach.
func (b *Bot) feedPreview(found ProbeResult, location, name string) Message {
	ns := found.Notices
	var cpv, value, deadline, region int
	matched := map[int64]bool{}
	since := b.clock.Now().Add(-previewWindow)
	for i := range ns {
		n := &ns[i]
		if len(n.CPV) > 0 {
			cpv++
		}
		if n.Value != nil {
			value++
		}
		if !n.Deadline.IsZero() {
			deadline++
		}
		if len(n.NUTS) > 0 {
			region++
		}
		if n.Published.After(since) {
			for _, h := range b.matcher.Match(n) {
				matched[h.ProfileID] = true
			}
		}
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%q is a %s feed with %d items. Found in them: CPV codes in %d, a region in %d, a value in %d, a deadline in %d.\n",
		name, found.Format, len(ns), cpv, region, value, deadline)
	fmt.Fprintf(&text, "%d current profile(s) would have matched its items of the last 30 days.\n", len(matched))
	fmt.Fprintf(&text, "To save it, send `feed add %s %s confirm`. The newest items:", location, name)
	newest := newestFirst(ns)
	msg := Message{Text: text.String()}
	for _, n := range newest[:min(previewItems, len(newest))] {
		card := b.card(n, 0, "", nil)
		card.Actions = nil // not stored yet: nothing to follow
		msg.Cards = append(msg.Cards, card)
	}
	return msg
}

// newestFirst returns the notices sorted newest published first.
func newestFirst(ns []Notice) []Notice {
	out := append([]Notice(nil), ns...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Published.After(out[j-1].Published); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ownedFeed finds feed #ref and checks that from may manage it: its owner,
// or an admin. The operator's feeds are managed in TENDERBOT_FEEDS.
func (b *Bot) ownedFeed(ctx context.Context, from Subscriber, ref string) (Feed, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(ref), "#"), 10, 64)
	if err != nil {
		return Feed{}, Errorf(EINVALID, "Give the feed's number as `feed list` shows it, e.g. `feed pause 3`.")
	}
	all, err := b.store.ListFeeds(ctx)
	if err != nil {
		return Feed{}, fmt.Errorf("list feeds: %w", err)
	}
	for _, f := range all {
		if f.ID != id {
			continue
		}
		if f.Trusted() {
			return Feed{}, Errorf(EINVALID, "Feed #%d is configured by the operator (TENDERBOT_FEEDS); it is changed there, not in chat.", id)
		}
		admin, err := b.rights.Can(ctx, from, RoleAdmin)
		if err != nil {
			return Feed{}, err
		}
		if f.Owner != from && !admin {
			return Feed{}, Errorf(EINVALID, "Feed #%d belongs to another partner; only they and admins can change it.", id)
		}
		return f, nil
	}
	return Feed{}, Errorf(ENOTFOUND, "There is no feed #%d; `feed list` shows them.", id)
}

func (b *Bot) feedSetStatus(ctx context.Context, c Command, ref string, status FeedStatus) (Message, error) {
	f, err := b.ownedFeed(ctx, c.From, ref)
	if err != nil {
		return Message{}, err
	}
	reason := ""
	if status == FeedPaused {
		reason = "paused by " + c.From.User
	}
	if err := b.store.SetFeedStatus(ctx, f.ID, status, reason, nil); err != nil {
		return Message{}, err
	}
	if status == FeedActive {
		return Message{Text: fmt.Sprintf("Feed #%d %q is read again from the next round.", f.ID, f.Name)}, nil
	}
	return Message{Text: fmt.Sprintf("Feed #%d %q is paused; `feed resume %d` reads it again.", f.ID, f.Name, f.ID)}, nil
}

func (b *Bot) feedRemove(ctx context.Context, c Command, ref string) (Message, error) {
	f, err := b.ownedFeed(ctx, c.From, ref)
	if err != nil {
		return Message{}, err
	}
	if err := b.store.DeleteFeed(ctx, f.ID); err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Removed feed #%d %q. The notices it brought stay searchable.", f.ID, f.Name)}, nil
}

// feedStats gives a feed's owner its aggregate reach, never who.
func (b *Bot) feedStats(ctx context.Context, c Command, ref string) (Message, error) {
	f, err := b.ownedFeed(ctx, c.From, ref)
	if err != nil {
		return Message{}, err
	}
	r, err := b.store.FeedReach(ctx, f.Name)
	if err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Feed #%d %q: %d notices read; they matched profiles %d times; %d alerts were delivered; %d registrations for events about them. (Totals only: who they reached stays private.)",
		f.ID, f.Name, r.Notices, r.Matches, r.Delivered, r.RSVPs)}, nil
}

// feedHealth disables a partner's feed that keeps failing, telling its
// owner once, and tells the owner once when a feed that published at least
// weekly has been silent for a month.
func (b *Bot) feedHealth(ctx context.Context, f Feed, r PollResult) {
	if f.Trusted() {
		return // the operator sees logs and metrics
	}
	now := b.clock.Now()
	var notice string
	var key string
	var disable string // why the feed is disabled; "" when it is not
	switch {
	case r.Err != nil && f.ConsecutiveFailures+1 >= disableAfter && f.Status == FeedActive:
		disable = fmt.Sprintf("failed %d times in a row, last: %v", f.ConsecutiveFailures+1, r.Err)
		notice = fmt.Sprintf("I stopped reading your feed #%d %q: it %s. Fix it and send `feed resume %d`.", f.ID, f.Name, disable, f.ID)
		key = fmt.Sprintf("%s:feed-disabled:%d:%s", PurposeNotice, f.ID, now.Format("2006-01-02"))
	case r.Err == nil && isSilent(f, now):
		notice = fmt.Sprintf("Your feed #%d %q usually brings something new every %s, but nothing since %s. Is it still the right address?",
			f.ID, f.Name, cadence(f).Round(time.Hour), b.formatTime(f.LastNewAt))
		key = fmt.Sprintf("%s:feed-silent:%d:%s", PurposeNotice, f.ID, f.LastNewAt.Format(time.RFC3339))
	default:
		return
	}
	d := Delivery{Key: key, To: f.Owner, Purpose: PurposeNotice, Message: Message{Text: notice}, DueAt: now}
	tell := []Delivery{d}
	if f.PassedToOperator() { // its partner was forgotten: nobody to tell but the log
		tell = nil
		b.log.Warn("feed of a forgotten partner", "feed", f.ID, "disabled", disable)
	}
	if disable != "" {
		// One call: a feed disabled without its owner told would stay
		// silent for good, since it is no longer polled to fail again.
		if err := b.store.SetFeedStatus(ctx, f.ID, FeedDisabled, disable, tell); err != nil {
			b.log.Error("disable feed", "feed", f.ID, "err", err)
			return
		}
	} else if len(tell) > 0 {
		if _, err := b.store.Enqueue(ctx, &d); err != nil {
			b.log.Error("tell feed owner", "feed", f.ID, "err", err)
		}
	}
	b.wakeDispatcher()
}

// cadence is how often a feed brought something new, on average.
func cadence(f Feed) time.Duration {
	if f.NewItems < 2 {
		return 0
	}
	return f.LastNewAt.Sub(f.FirstNewAt) / time.Duration(f.NewItems-1)
}

// isSilent reports whether a feed that publishes at least weekly has
// brought nothing new for a month.
func isSilent(f Feed, now time.Time) bool {
	c := cadence(f)
	return c > 0 && c <= 7*24*time.Hour && now.Sub(f.LastNewAt) > silentAfter
}
