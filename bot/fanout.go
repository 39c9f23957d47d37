package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// recipient is a subscriber a new notice reaches, through the profiles of
// theirs it matches; the first decides how it reaches them.
type recipient struct {
	to      Subscriber
	matched []matchedProfile
}

// matchedProfile is one of a recipient's profiles that a notice matches,
// and why.
type matchedProfile struct {
	Profile
	reasons []string
}

// deciding is the profile whose delivery mode, name, reasons and buttons
// the notice reaches the recipient with.
func (r recipient) deciding() matchedProfile { return r.matched[0] }

// effectsFor decides what a new notice causes, in bulk: the matcher's hits
// become one recipient per subscriber, whose profiles, mutes, settings and
// hourly counts are read in a few set-based queries for all of them at
// once. Each recipient gets an instant alert, held until their quiet hours
// end, or an item for their daily or weekly digest, or, past their hourly
// cap, an item for the next daily digest and once an hour a word that this
// happened. The most immediate of a subscriber's matching profiles decides
// (instant over daily over weekly, then the oldest profile), so a digest
// profile never holds back what an instant one would alert; a buyer muted
// for a profile takes that profile out. The notice's card is made once;
// every recipient's is that card For their profile.
//
// Under the hourly cap, counted holds the hourly count each instant
// recipient was decided by (Ingest checks them against the notice written
// just before); nil without a cap.
func (b *Bot) effectsFor(ctx context.Context, n *Notice, via string) (fx Effects, counted map[Subscriber]int, err error) {
	began := time.Now()
	hits := b.matcher.Match(n)
	b.observe.Matched(time.Since(began), len(hits))
	if len(hits) == 0 {
		return Effects{}, nil, nil
	}
	recipients, err := b.recipients(ctx, n, hits)
	if err != nil || len(recipients) == 0 {
		return Effects{}, nil, err
	}
	shared := b.noticeCard(*n)
	shared.Via = via
	fx = Effects{Card: &shared}
	digests := 0
	for _, r := range recipients {
		if immediacy(r.deciding().Delivery) > 0 {
			digests++
		}
	}
	fx.Held = make([]DigestItem, 0, digests)
	instant := make([]recipient, 0, len(recipients)-digests)
	for _, r := range recipients {
		p := r.deciding()
		if immediacy(p.Delivery) > 0 {
			fx.Held = append(fx.Held, DigestItem{To: r.to, Mode: p.Delivery, ProfileID: p.ID, NoticeID: n.ID, Card: shared.For(p.ID, p.Name, p.reasons)})
			continue
		}
		instant = append(instant, r)
	}
	if counted, err = b.instantAlerts(ctx, &fx, n, instant); err != nil {
		return Effects{}, nil, err
	}
	return fx, counted, nil
}

// recipients groups the matcher's hits by subscriber, leaving out the
// profiles deleted since the matcher saw them, those that muted the
// notice's buyer and those in a workspace the bot cannot reach, and orders
// each subscriber's profiles deciding first.
// Recipients come in the order of their deciding profile.
func (b *Bot) recipients(ctx context.Context, n *Notice, hits []Hit) ([]recipient, error) {
	ids, reasons := HitProfiles(hits)
	profiles, err := b.store.ProfilesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	muted, err := b.store.MutedBuyers(ctx, ids)
	if err != nil {
		return nil, err
	}
	buyer := foldKey(n.Buyer)
	reachable := b.reachable(ctx)
	bySubscriber := make(map[Subscriber]*recipient, len(profiles))
	out := make([]*recipient, 0, len(profiles))
	for _, p := range profiles {
		if buyer != "" && slices.Contains(muted[p.ID], buyer) {
			continue
		}
		if ok, err := reachable(p.Subscriber); err != nil {
			return nil, fmt.Errorf("can the bot reach %s: %w", p.Subscriber.Key(), err)
		} else if !ok {
			continue
		}
		r := bySubscriber[p.Subscriber]
		if r == nil {
			r = &recipient{to: p.Subscriber}
			bySubscriber[p.Subscriber] = r
			out = append(out, r)
		}
		r.matched = append(r.matched, matchedProfile{Profile: p, reasons: reasons[p.ID]})
	}
	list := make([]recipient, len(out))
	for i, r := range out {
		slices.SortFunc(r.matched, func(x, y matchedProfile) int {
			return cmp.Or(cmp.Compare(immediacy(x.Delivery), immediacy(y.Delivery)), cmp.Compare(x.ID, y.ID))
		})
		list[i] = *r
	}
	slices.SortFunc(list, func(x, y recipient) int { return cmp.Compare(x.deciding().ID, y.deciding().ID) })
	return list, nil
}

// immediacy ranks delivery modes, the most immediate first.
func immediacy(m DeliveryMode) int {
	switch m {
	case DeliverDaily:
		return 1
	case DeliverWeekly:
		return 2
	}
	return 0
}

// instantAlerts adds to fx the alerts of a notice for the recipients whose
// deciding profile is instant: held through quiet hours, or diverted to
// the next daily digest past the hourly cap. Their settings and hourly
// counts are read once for all of them; the counts are returned (nil
// without a cap).
func (b *Bot) instantAlerts(ctx context.Context, fx *Effects, n *Notice, rs []recipient) (map[Subscriber]int, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	subs := make([]Subscriber, len(rs))
	for i, r := range rs {
		subs[i] = r.to
	}
	now := b.clock.Now()
	var counts map[Subscriber]int
	if b.alertCap > 0 {
		var err error
		if counts, err = b.store.CountsSince(ctx, subs, PurposeAlert, now.Add(-time.Hour)); err != nil {
			return nil, err
		}
	}
	settings, err := b.store.SettingsOf(ctx, subs)
	if err != nil {
		return nil, err
	}
	fx.Deliveries = slices.Grow(fx.Deliveries, len(rs))
	for _, r := range rs {
		p := r.deciding()
		card := fx.Card.For(p.ID, p.Name, p.reasons)
		say := text.For(b.languageOf(settings[r.to]))
		if sent := counts[r.to]; b.alertCap > 0 && sent >= b.alertCap {
			fx.Held = append(fx.Held, DigestItem{To: r.to, Mode: DeliverDaily, ProfileID: p.ID, NoticeID: n.ID, Card: card, Overflow: true})
			fx.Deliveries = append(fx.Deliveries, b.capNotice(say, r.to, sent, now))
			continue
		}
		due := now
		if q := settings[r.to].Quiet; q != nil {
			due = q.Until(now, b.location)
		}
		msg := AlertMessage(say, card, instantNames(r.matched))
		msg.Mentions = instantMentions(r.matched)
		fx.Deliveries = append(fx.Deliveries, Delivery{
			Key:       AlertKey(r.to, n.ID),
			To:        r.to,
			Purpose:   PurposeAlert,
			NoticeID:  n.ID,
			ProfileID: p.ID,
			Message:   msg,
			DueAt:     due,
		})
	}
	return counts, nil
}

// instantNames are the names of the instant profiles among matched.
func instantNames(matched []matchedProfile) []string {
	var names []string
	for _, p := range matched {
		if immediacy(p.Delivery) == 0 {
			names = append(names, p.Name)
		}
	}
	return names
}

// instantMentions are whom the instant profiles among matched call, each
// once.
func instantMentions(matched []matchedProfile) []Mention {
	var out []Mention
	for _, p := range matched {
		if immediacy(p.Delivery) == 0 && !p.Mention.IsZero() && !slices.Contains(out, p.Mention) {
			out = append(out, p.Mention)
		}
	}
	return out
}

// AlertMessage is the alert of a card in p's language: the card, opened by
// naming the instant profiles that matched (`New tender for your profile
// "sporthal":`). It is a function of the language, the card and the names
// alone, so a store may keep a notice's card once and rebuild each
// recipient's alert from its part.
func AlertMessage(p text.Printer, card Card, profiles []string) Message {
	return Message{Text: AlertLine(p, card.Notice.Kind, profiles), Cards: []Card{card}, Language: p.Language()}
}

// AlertLine is the line an alert of a notice of kind opens with in p's
// language, naming the instant profiles that matched. The line for one
// profile is made once for each language and kind, around the quoted
// name: a fan-out writes it for every recipient.
func AlertLine(p text.Printer, kind Kind, profiles []string) string {
	if len(profiles) == 1 {
		key := alertLineKey{p.Language(), kind}
		around, ok := oneProfileLines.Load(key)
		if !ok {
			around, _ = oneProfileLines.LoadOrStore(key, splitAround(alertLine(p, kind, []string{lineHole}), strconv.Quote(lineHole)))
		}
		if a := around.(lineAround); a.ok {
			return a.before + strconv.Quote(profiles[0]) + a.after
		}
	}
	return alertLine(p, kind, profiles)
}

// alertLine makes AlertLine's line.
func alertLine(p text.Printer, kind Kind, profiles []string) string {
	quoted := make([]string, len(profiles))
	for i, name := range profiles {
		quoted[i] = strconv.Quote(name) // as %q quotes
	}
	label := p.Text(kind.Label())
	if len(quoted) <= 1 {
		return p.Sprintf("New %s for your profile %s:", label, strings.Join(quoted, ""))
	}
	return p.Sprintf("New %s for your profiles %s:", label, p.List(quoted))
}

// alertLineKey is what the line for one profile depends on besides its name.
type alertLineKey struct {
	lang text.Language
	kind Kind
}

// oneProfileLines holds, by alertLineKey, the lineAround of the line for
// one profile, around its quoted name.
var oneProfileLines sync.Map

// lineAround is a line split around the one place it holds a name: the
// text before and after; ok is false when the name is not there once.
type lineAround struct {
	before, after string
	ok            bool
}

// lineHole stands for the profile's name where a line is split: no
// translation holds it.
const lineHole = "\x00"

// splitAround splits line around the one place it holds hole.
func splitAround(line, hole string) lineAround {
	if strings.Count(line, hole) != 1 {
		return lineAround{}
	}
	before, after, _ := strings.Cut(line, hole)
	return lineAround{before, after, true}
}

// capNotice is the word, once an hour, that a subscriber reached the
// hourly cap and the rest of the hour's matches wait for the daily digest,
// in p's language.
func (b *Bot) capNotice(p text.Printer, to Subscriber, sent int, now time.Time) Delivery {
	hour := now.Truncate(time.Hour)
	return Delivery{
		Key:     fmt.Sprintf("%s:cap:%s:%s", PurposeNotice, to.Key(), hour.Format(time.RFC3339)),
		To:      to,
		Purpose: PurposeNotice,
		Message: Message{Text: p.Sprintf("You have had %d alerts in the last hour, the most I send in one. The rest of this hour's matches go into your next daily digest (at %s); nothing is lost.", sent, b.scheduleTime()), Language: p.Language()},
		DueAt:   now,
	}
}
