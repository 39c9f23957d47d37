package partner

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

const (
	// previewWindow is how far back a feed preview counts matching
	// profiles.
	previewWindow = 30 * 24 * time.Hour
	previewItems  = 3
)

// Probe reads a feed once, as a partner proposed it, through the guard
// against private networks; nothing is stored. feeds.Prober implements it.
type Probe interface {
	// Probe fetches and parses the feed at url. A URL the guard refuses is
	// a *RefusedError; any other error is for the log only.
	Probe(ctx context.Context, url string) (ProbeResult, error)
}

// RefusedError is what a Probe returns for an address it will not read.
// Rule says why, in words fit for whoever proposed the feed: a message id
// of bot/text, formatted with Args, so that it is said in their language;
// an argument that is a Phrase is said in their language too. Setting,
// when not empty, is what a closed deployment sets to allow it, which
// only admins are told.
type RefusedError struct {
	Rule    string
	Args    []any
	Setting string
	Err     error // the detail, for the log
}

// Phrase is an argument of a RefusedError's Rule that is a message id of
// its own ("a private address"), marked with text.N where it is written.
type Phrase string

func (e *RefusedError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return "refused: " + fmt.Sprintf(e.Rule, e.Args...)
}

func (e *RefusedError) Unwrap() error { return e.Err }

// Text is the rule in p's language.
func (e *RefusedError) Text(p text.Printer) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if phrase, ok := a.(Phrase); ok {
			a = p.Text(string(phrase))
		}
		args[i] = a
	}
	return p.Sprintf(e.Rule, args...)
}

// ProbeResult is what a probe found.
type ProbeResult struct {
	Format  string
	Notices []bot.Notice
	// Name is the source's own name when the location names a national
	// source ("tenderned" is TenderNed); "" for an address.
	Name string
}

// add previews a partner's feed, or with "confirm" at the end saves it.
func (s *Service) add(ctx context.Context, c bot.Command, args string) (bot.Message, error) {
	if err := s.rights.Require(ctx, c.From, bot.RolePartner, text.N("add feeds")); err != nil {
		return bot.Message{}, err
	}
	fields := strings.Fields(args)
	confirm := len(fields) > 0 && strings.EqualFold(fields[len(fields)-1], "confirm")
	if confirm {
		fields = fields[:len(fields)-1]
	}
	p := c.Printer()
	kind, fields, err := kindOption(p, fields)
	if err != nil {
		return bot.Message{}, err
	}
	if len(fields) == 0 {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Give the feed's address, e.g. `feed add https://www.example.nl/aanbestedingen.rss Twente Business Desk`, "+
			"or a national source: `feed add tenderned` (TenderNed), `feed add de` (Germany's daily exports).")
	}
	location := fields[0]
	name := strings.Trim(strings.Join(fields[1:], " "), `"`)
	if s.probe == nil {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "This bot cannot read new feeds from chat.")
	}
	found, err := s.probe.Probe(ctx, location)
	if err != nil {
		s.log.Info("feed probe refused or failed", "by", c.From.Key(), "err", err)
		return bot.Message{}, s.probeError(ctx, c, err)
	}
	if len(found.Notices) == 0 {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "That address is a %s feed with no items; I would have nothing to read.", found.Format)
	}
	if name == "" {
		name = defaultName(location, found)
	}
	if !confirm {
		return s.preview(p, found, location, name, kind), nil
	}
	f := bot.Feed{URL: location, Name: name, Owner: c.From, Status: bot.FeedActive, Format: found.Format, DefaultKind: kind}
	if err := s.store.AddFeed(ctx, &f); err != nil {
		return bot.Message{}, err
	}
	s.log.Info("partner feed added", "feed", f.ID, "name", f.Name, "owner", c.From.Key(), "default_kind", kind)
	reply := p.Sprintf("Added feed #%d %q. I read it from the next round on; its first read stores what it holds without alerting, and later items alert as \"via %s\".", f.ID, f.Name, f.Name)
	if kind != "" {
		reply += " " + noKindCountsAs(p, kind)
	}
	return bot.Message{Text: reply, Language: p.Language()}, nil
}

// noKindCountsAs says which kind a feed's items that say none count as.
func noKindCountsAs(p text.Printer, kind bot.Kind) string {
	return p.Sprintf("Its items that say no kind count as %s.", p.Text(kind.Label()))
}

// kindOption takes a "kind=<kind>" field out of fields: the kind a feed's
// notices get when their items say none.
func kindOption(p text.Printer, fields []string) (bot.Kind, []string, error) {
	var kind bot.Kind
	rest := fields[:0:0]
	for _, f := range fields {
		name, value, ok := strings.Cut(f, "=")
		if !ok || !strings.EqualFold(name, "kind") {
			rest = append(rest, f)
			continue
		}
		k, err := bot.ParseKind(value)
		if err != nil {
			return "", nil, bot.Errorf(bot.EINVALID, "`%s`: %s For example `feed add https://www.example.nl/aanbestedingen.rss kind=tender`.", f, bot.ErrorText(p, err))
		}
		kind = k
	}
	return kind, rest, nil
}

// defaultName is what a feed is called when its partner gives no name: a
// national source's own name, else the address's host.
func defaultName(location string, found ProbeResult) string {
	if found.Name != "" {
		return found.Name
	}
	if u, err := url.Parse(location); err == nil && u.Host != "" {
		return u.Host
	}
	return location
}

// probeError is what the person who proposed a feed is told when it cannot
// be used: the rule that refused it (and, to an admin, the setting that
// lifts it), or that it could not be read; never the error's text, which
// may name the resolver or the network.
func (s *Service) probeError(ctx context.Context, c bot.Command, err error) error {
	var refused *RefusedError
	if !errors.As(err, &refused) {
		return bot.Errorf(bot.EINVALID, "I could not read that feed: it did not answer, or not with a feed I can read. Check the address in a browser; the details are in the bot's log.")
	}
	rule := refused.Text(c.Printer())
	if refused.Setting != "" {
		if admin, cerr := s.rights.Can(ctx, c.From, bot.RoleAdmin); cerr == nil && admin {
			return bot.Errorf(bot.EINVALID, "I cannot use that feed: %s. A closed deployment that trusts its partners allows it with `%s`.", rule, refused.Setting)
		}
	}
	return bot.Errorf(bot.EINVALID, "I cannot use that feed: %s.", rule)
}

// preview shows what a proposed feed holds and how far it would reach,
// counting its notices as kind does when their items say no kind.
func (s *Service) preview(p text.Printer, found ProbeResult, location, name string, kind bot.Kind) bot.Message {
	ns := slices.Clone(found.Notices)
	for i := range ns {
		ns[i] = bot.Feed{DefaultKind: kind}.WithDefaultKind(ns[i])
	}
	var cpv, value, deadline, region int
	matched := map[int64]bool{}
	now := s.clock.Now()
	since := now.Add(-previewWindow)
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
			for _, h := range s.matcher.Match(n) {
				matched[h.ProfileID] = true
			}
		}
	}
	lines := []string{
		p.Sprintf("%q is a %s feed with %d items. Found in them: CPV codes in %d, a region in %d, a value in %d, a deadline in %d.",
			name, found.Format, len(ns), cpv, region, value, deadline),
		p.Sprintf("%d current profile(s) would have matched its items of the last 30 days.", len(matched)),
	}
	option := ""
	if kind != "" {
		option = " kind=" + string(kind)
		lines = append(lines, noKindCountsAs(p, kind))
	}
	lines = append(lines, p.Sprintf("To save it, send `feed add %s %s%s confirm`. The newest items:", location, name, option))
	newest := slices.Clone(ns)
	slices.SortStableFunc(newest, func(a, b bot.Notice) int { return b.Published.Compare(a.Published) })
	msg := bot.Message{Text: strings.Join(lines, "\n"), Language: p.Language()}
	for _, n := range newest[:min(previewItems, len(newest))] {
		card := bot.NoticeCard(n, s.vocab, now)
		card.Actions = nil // not stored yet: nothing to follow
		msg.Cards = append(msg.Cards, card)
	}
	return msg
}
