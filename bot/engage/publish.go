package engage

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// invitee is a subscriber whose profile matches an event, and why.
type invitee struct {
	Who     bot.Subscriber
	Profile string
	Reasons []string
	CPV     []string // the profile's CPV codes, for the reach breakdown
	NUTS    []string // the profile's regions
}

// reachResult is who an event would invite.
type reachResult struct {
	Invitees []invitee
}

// reach finds the subscribers with a profile that an event matches: the
// event is read as an early-engagement notice with the codes and words of
// its target, and put through the matcher like any notice.
func (svc *Service) reach(ctx context.Context, e bot.Event) (reachResult, error) {
	n := svc.eventNotice(e)
	hits := svc.matcher.Match(&n)
	if len(hits) == 0 {
		return reachResult{}, nil
	}
	ids, reasons := bot.HitProfiles(hits)
	profiles, err := svc.store.ProfilesByID(ctx, ids)
	if err != nil {
		return reachResult{}, fmt.Errorf("reach: %w", err)
	}
	slices.SortFunc(profiles, func(x, y bot.Profile) int { return int(x.ID - y.ID) })
	var r reachResult
	seen := map[bot.Subscriber]bool{}
	for _, p := range profiles {
		if seen[p.Subscriber] {
			continue
		}
		seen[p.Subscriber] = true
		cpv, nuts, _, _ := queryTerms(p.Query)
		r.Invitees = append(r.Invitees, invitee{Who: p.Subscriber, Profile: p.Name, Reasons: reasons[p.ID], CPV: cpv, NUTS: nuts})
	}
	return r, nil
}

// text is the reach preview in p's language: how many, by CPV division
// and by region, naming nobody.
func (r reachResult) text(p text.Printer, svc *Service) string {
	if len(r.Invitees) == 0 {
		return p.Sprintf("Reach: no subscribed business has a profile this event matches yet. It is still announced publicly, and everybody can register.")
	}
	divisions, regions := map[string]int{}, map[string]int{}
	for _, inv := range r.Invitees {
		seenDiv := map[string]bool{}
		for _, c := range inv.CPV {
			d := c[:min(2, len(c))]
			if !seenDiv[d] {
				seenDiv[d] = true
				divisions[d]++
			}
		}
		if len(inv.CPV) == 0 {
			divisions["any"]++
		}
		for _, n := range inv.NUTS {
			regions[n]++
		}
		if len(inv.NUTS) == 0 {
			regions["any"]++
		}
	}
	label := func(kind, code string) string {
		switch {
		case code == "any" && kind == "CPV":
			return p.Sprintf("any CPV")
		case code == "any":
			return p.Sprintf("any region")
		}
		name := ""
		if svc.vocab != nil {
			if kind == "CPV" {
				name = svc.vocab.CPVLabel(code+strings.Repeat("0", 8-len(code)), string(p.Language()))
			} else {
				name = svc.vocab.NUTSLabel(code, string(p.Language()))
			}
		}
		if name == "" {
			return code
		}
		return code + " " + bot.Truncate(name, 40)
	}
	line := func(kind string, counts map[string]int) string {
		keys := slices.SortedFunc(maps.Keys(counts), func(x, y string) int {
			if counts[x] != counts[y] {
				return counts[y] - counts[x]
			}
			return strings.Compare(x, y)
		})
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s: %d", label(kind, k), counts[k])
		}
		return strings.Join(parts, " · ")
	}
	return p.Sprintf("Reach: %d subscribed businesses and channels match (nobody is named).\nBy CPV division: %s\nBy region: %s",
		len(r.Invitees), line("CPV", divisions), line("region", regions))
}

// eventNotice reads an event as an early-engagement notice: its title and
// description, the CPV codes, regions and words of its target.
func (svc *Service) eventNotice(e bot.Event) bot.Notice {
	cpv, nuts, country, words := queryTerms(e.Target)
	for i, c := range cpv {
		cpv[i] = c + strings.Repeat("0", max(0, 8-len(c)))
	}
	if country == "" && len(nuts) > 0 && len(nuts[0]) >= 2 {
		country = nuts[0][:2]
	}
	description := e.Description
	if len(words) > 0 {
		description += "\n" + strings.Join(words, " ")
	}
	deadline := e.RegisterBy
	if deadline.IsZero() {
		deadline = e.Start
	}
	return bot.Notice{
		ID:          fmt.Sprintf("event:%d", e.ID),
		Source:      "tenderbot events",
		Title:       e.Title,
		Description: description,
		Kind:        bot.KindEarly,
		CPV:         cpv,
		NUTS:        nuts,
		Country:     country,
		Deadline:    deadline,
		Published:   svc.clock.Now(),
		URL:         svc.eventURL(e.ID),
	}
}

// queryTerms picks the CPV codes, regions, country and plain words out of
// a query in canonical form ("cpv:093312,45 nuts:NL21 zonnedak"); negated
// terms and other filters are left out.
func queryTerms(query string) (cpv, nuts []string, country string, words []string) {
	for _, tok := range strings.Fields(query) {
		tok = strings.Trim(tok, "()")
		if tok == "" || tok == "OR" || strings.HasPrefix(tok, "-") {
			continue
		}
		key, value, found := strings.Cut(tok, ":")
		if !found {
			words = append(words, strings.Trim(tok, `"*`))
			continue
		}
		switch strings.ToLower(key) {
		case "cpv":
			cpv = append(cpv, strings.Split(value, ",")...)
		case "nuts":
			nuts = append(nuts, strings.Split(value, ",")...)
		case "country":
			country = strings.ToUpper(value)
		}
	}
	return cpv, nuts, country, words
}

// publishEvent answers "event publish <id>": the event goes on the public
// page and feed, is announced in the announcement channels, and then the
// invitations go out to the matching subscribers, each with its reasons —
// all in one transaction, announcements ahead of invitations in the outbox.
func (svc *Service) publishEvent(ctx context.Context, c bot.Command, id int64, _ string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("publish events")); err != nil {
		return bot.Message{}, err
	}
	st, err := svc.store.EventState(ctx, id)
	if err != nil {
		return bot.Message{}, err
	}
	switch st.Event.Status {
	case bot.EventDraft:
	case bot.EventCancelled:
		return bot.Message{}, bot.Errorf(bot.ECONFLICT, "Event %d is cancelled; post a new one with `event new`.", id)
	default:
		return bot.Message{}, bot.Errorf(bot.ECONFLICT, "Event %d is published already; `event update %d` changes it.", id, id)
	}
	if svc.baseURL == "" && len(svc.announce) == 0 {
		// Invitations must follow a public announcement, never replace it.
		return bot.Message{}, bot.Errorf(bot.ECONFLICT, "I have nowhere to announce the event publicly: no public page (TENDERBOT_HTTP_ADDR or TENDERBOT_PUBLIC_URL) and no announcement channel (TENDERBOT_EVENT_CHANNELS). Ask the operator to set one.")
	}
	now := svc.clock.Now()
	if err := checkEvent(st.Event, now); err != nil {
		return bot.Message{}, err
	}
	r, err := svc.reach(ctx, st.Event)
	if err != nil {
		return bot.Message{}, err
	}
	who := append([]bot.Subscriber{c.From}, svc.announce...)
	for _, inv := range r.Invitees {
		who = append(who, inv.Who)
	}
	published, err := svc.changeWithActors(ctx, id, who, func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		if st.Event.Status != bot.EventDraft {
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "Event %d was published in the meantime.", id)
		}
		e := st.Event
		e.Status, e.PublishedAt, e.UpdatedAt = bot.EventPublished, now, now
		trail := newAuditTrail(st, now)
		record := eventRecord(e)
		record["page"] = svc.eventURL(e.ID)
		if err := trail.add("publish", actors[c.From], record); err != nil {
			return bot.EventChange{}, err
		}
		out, err := svc.announcements(e, to, trail, now)
		if err != nil {
			return bot.EventChange{}, err
		}
		invites, err := svc.invitations(e, r.Invitees, actors, to, trail, now)
		if err != nil {
			return bot.EventChange{}, err
		}
		return bot.EventChange{Event: &e, Audit: trail.entries, Deliveries: append(out, invites...)}, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	svc.outbox.Wake()
	svc.observe.EventPublished(len(r.Invitees))
	svc.log.Info("event published", "event", id, "invites", len(r.Invitees), "announcements", len(svc.announce))
	text := p.Sprintf("Published event %d: %s.", id, published.Title)
	if u := svc.eventURL(id); u != "" {
		text += p.Sprintf(" It is on %s and in the Atom feed.", u)
	}
	text += p.Sprintf(" Announced in %d channel(s); %d invitation(s) go out now, each saying why it matched.", len(svc.announce), len(r.Invitees))
	return bot.Message{Text: text, Language: p.Language()}, nil
}

// announcements are the posts of a newly published event in the
// announcement channels, each in its channel's language, and their audit
// entries.
func (svc *Service) announcements(e bot.Event, to readers, trail *auditTrail, now time.Time) ([]bot.Delivery, error) {
	var out []bot.Delivery
	for _, ch := range svc.announce {
		out = append(out, bot.Delivery{Key: fmt.Sprintf("announce:%d:%s", e.ID, ch.Key()), To: ch, Purpose: bot.PurposeAnnouncement,
			Message: svc.announcement(to.printer(ch), e), DueAt: now, CreatedAt: now})
		if err := trail.add("announce", botActor, map[string]any{"channel": ch.Key()}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// invitations are the invitations to the invitees, each with why it
// matched and in the invitee's language, and their audit entries.
func (svc *Service) invitations(e bot.Event, invitees []invitee, actors map[bot.Subscriber]string, to readers, trail *auditTrail, now time.Time) ([]bot.Delivery, error) {
	out := make([]bot.Delivery, 0, len(invitees))
	for _, inv := range invitees {
		out = append(out, bot.Delivery{Key: inviteKey(e.ID, inv.Who), To: inv.Who, Purpose: bot.PurposeInvite,
			Message: svc.invitation(to.printer(inv.Who), e, inv), DueAt: now, CreatedAt: now})
		if err := trail.add("invite", botActor, map[string]any{"to": actors[inv.Who], "reasons": inv.Reasons}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inviteKey is the idempotency key of a person's invitation to an event.
func inviteKey(eventID int64, who bot.Subscriber) string {
	return fmt.Sprintf("invite:%d:%s", eventID, who.Key())
}

// announcement is the public post of a new event in an announcement
// channel, in p's language.
func (svc *Service) announcement(p text.Printer, e bot.Event) bot.Message {
	text := p.Sprintf("New %s: %s", strings.ToLower(kindLabel(p, e.Kind)), e.Title) + fmt.Sprintf("\n%s · %s", eventWhen(p, e), e.Place)
	if e.Description != "" {
		text += "\n" + bot.Truncate(e.Description, 400)
	}
	text += "\n" + p.Sprintf("Everybody can register: press Going below, or write `event rsvp %d going`. Questions: `event ask %d <question>` — asked without your name, answered to everyone.", e.ID, e.ID)
	if u := svc.eventURL(e.ID); u != "" {
		text += "\n" + u
	}
	return bot.Message{Text: text, Actions: rsvpActions(e.ID), Language: p.Language()}
}

// invitation is a matching subscriber's invitation, with why it matched,
// in p's language.
func (svc *Service) invitation(p text.Printer, e bot.Event, inv invitee) bot.Message {
	text := p.Sprintf("You're invited: %s (%s)", e.Title, strings.ToLower(kindLabel(p, e.Kind))) + fmt.Sprintf("\n%s · %s", eventWhen(p, e), e.Place)
	if e.Description != "" {
		text += "\n" + bot.Truncate(e.Description, 400)
	}
	if len(inv.Reasons) > 0 {
		text += "\n" + p.Sprintf("Matched because %s (your profile %q).", p.Reasons(inv.Reasons), inv.Profile)
	}
	text += "\n" + p.Sprintf("Press Going, Maybe or Can't go, or write `event rsvp %d going`. Ask a question with `event ask %d <question>`: it reaches the organisers without your name, and the answer goes to everyone.", e.ID, e.ID)
	if u := svc.eventURL(e.ID); u != "" {
		text += "\n" + p.Sprintf("%s · calendar: %s.ics", u, u)
	}
	return bot.Message{Text: text, Actions: rsvpActions(e.ID), Language: p.Language()}
}
