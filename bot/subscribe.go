package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot/text"
)

const (
	// maxQueryLength bounds a query in characters: a real profile needs a
	// few hundred, and every notice is checked against it.
	maxQueryLength           = 1000
	maxProfilesPerSubscriber = 25
	previewSize              = 5
)

// MaxProfileNameLength is the longest profile name, in characters.
const MaxProfileNameLength = 60

func (b *Bot) subscribe(ctx context.Context, c Command, args string) (Message, error) {
	from, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	mention, args, err := c.splitMention(from, args)
	if err != nil {
		return Message{}, err
	}
	name, text, err := splitProfileName(args)
	if err != nil {
		return Message{}, err
	}
	if mention.IsZero() { // mention= may also follow the name
		if mention, text, err = c.splitMention(from, text); err != nil {
			return Message{}, err
		}
	}
	if strings.TrimSpace(text) == "" {
		return Message{}, Errorf(EINVALID, "Tell me what to look for, e.g. `subscribe cpv:45 nuts:NL21` or `subscribe zonnepanelen nuts:NL21`. Type `help subscribe` for the query language.")
	}
	return b.saveProfile(ctx, c.Printer(), Profile{Subscriber: from, Name: name, Delivery: DeliverInstant, Mention: mention}, c.From, text)
}

// splitMention takes a leading mention=… off the arguments of a subscribe
// for to, resolved to the group or person it names; only a channel's
// profile calls anyone.
func (c Command) splitMention(to Subscriber, args string) (Mention, string, error) {
	args = strings.TrimSpace(args)
	if !strings.HasPrefix(strings.ToLower(args), "mention=") {
		return Mention{}, args, nil
	}
	written, rest, _ := strings.Cut(args[len("mention="):], " ")
	if to.Channel == "" {
		return Mention{}, "", Errorf(EINVALID, "Only a channel's profile calls a group: `subscribe here mention=@team-tenders <query>`. Your own alerts come to you directly.")
	}
	m, err := c.mentionIn(written)
	return m, strings.TrimSpace(rest), err
}

// saveProfile saves p, whose query is query, made by the person by, and
// answers in pr's language with what it already matches (or the promise
// of it while the feeds load). An empty name is the query's.
func (b *Bot) saveProfile(ctx context.Context, pr text.Printer, p Profile, by Subscriber, query string) (Message, error) {
	from, name := p.Subscriber, p.Name
	if err := checkQueryLength(query); err != nil {
		return Message{}, err
	}
	q, err := b.matcher.CompileProfile(query)
	if err != nil {
		return Message{}, err
	}
	existing, err := b.store.ListProfiles(ctx, from)
	if err != nil {
		return Message{}, fmt.Errorf("list profiles: %w", err)
	}
	if len(existing) >= maxProfilesPerSubscriber {
		return Message{}, Errorf(ELIMIT, "You have %d profiles, the most I keep for one subscriber. Remove one with `unsubscribe <number>` first.", len(existing))
	}
	if name == "" {
		name, err = b.defaultName(query)
		if err != nil {
			return Message{}, err
		}
	}
	p.Name, p.Query = name, q.String()
	if from.Channel != "" {
		p.CreatedBy = by.User
	}
	if err := b.store.CreateProfile(ctx, &p); err != nil {
		return Message{}, err
	}
	b.matcher.Put(p.ID, q)
	b.log.Info("profile created", "profile", p.ID, "subscriber", from.Key())

	saved := pr.Sprintf("Saved profile %d, %q: `%s`. New matching notices will be sent to you %s.", len(existing)+1, p.Name, p.Query, p.Delivery.when(pr))
	if !p.Mention.IsZero() {
		saved += " " + pr.Sprintf("Its alerts call %s in the channel.", p.Mention.who(pr))
	}
	if b.loading.deferPreview(pendingPreview{profile: p, query: q}) {
		return Message{Text: saved + "\n" + pr.Sprintf("The feeds are still loading; I'll show you what already matches as soon as they have been read."), Language: pr.Language()}, nil
	}
	preview, err := b.preview(ctx, pr, p, q, nil)
	if err != nil {
		return Message{}, err
	}
	preview.Text = saved + "\n" + preview.Text
	return preview, nil
}

// defaultName names a profile after its query as typed ("nuts:Overijssel",
// not the nuts:NL21 it stands for), spaces tidied: the name is the
// person's words, the query shown beside it the canonical form.
func (b *Bot) defaultName(text string) (string, error) {
	if _, err := b.matcher.Compile(text); err != nil {
		return "", err
	}
	return Truncate(strings.Join(strings.Fields(text), " "), MaxProfileNameLength), nil
}

// namedAfterQuery reports whether p's name is its query, as a default name
// is: then a new query gives a new name too.
func (b *Bot) namedAfterQuery(p Profile) bool {
	q, err := b.matcher.CompileProfile(p.Name)
	return err == nil && q.String() == p.Query
}

// preview shows, in pr's language, what a profile already matches among
// stored notices, leaving out those for which skip reports true.
func (b *Bot) preview(ctx context.Context, pr text.Printer, p Profile, q Query, skip func(Notice) (bool, error)) (Message, error) {
	matches, err := b.findMatches(ctx, q, skip)
	if err != nil {
		return Message{}, err
	}
	if len(matches) == 0 {
		return Message{Text: pr.Sprintf("Nothing I have read so far matches it yet."), Language: pr.Language()}, nil
	}
	shown := min(len(matches), previewSize)
	said := pr.Sprintf("%d notice(s) I have already read match it; the %d newest:", len(matches), shown)
	if len(matches) > shown {
		said += " " + pr.Sprintf("(`search %s` shows more)", p.Query)
	}
	msg := Message{Text: said, Language: pr.Language()}
	for _, m := range matches[:shown] {
		msg.Cards = append(msg.Cards, b.card(m.notice, p.ID, p.Name, m.reasons))
	}
	return msg, nil
}

// enqueuePreviews enqueues the previews that waited for the first poll. A
// notice the subscriber was alerted to meanwhile is not shown again.
func (b *Bot) enqueuePreviews(ctx context.Context, waiting []pendingPreview) {
	subs := make([]Subscriber, len(waiting))
	for i, w := range waiting {
		subs[i] = w.profile.Subscriber
	}
	settings, err := b.store.SettingsOf(ctx, subs)
	if err != nil {
		b.log.Warn("settings unread; previews in the default language", "err", err)
	}
	for _, w := range waiting {
		p := w.profile
		alerted := func(n Notice) (bool, error) {
			return b.store.HasDelivery(ctx, AlertKey(p.Subscriber, n.ID))
		}
		pr := text.For(b.languageOf(settings[p.Subscriber]))
		msg, err := b.preview(ctx, pr, p, w.query, alerted)
		if err != nil {
			b.log.Error("preview failed", "profile", p.ID, "err", err)
			continue
		}
		msg.Text = pr.Sprintf("The feeds have loaded. For your profile %q (`%s`): %s", p.Name, p.Query, msg.Text)
		d := Delivery{
			Key:       fmt.Sprintf("%s:%d", PurposePreview, p.ID),
			To:        p.Subscriber,
			Purpose:   PurposePreview,
			ProfileID: p.ID,
			Message:   msg,
			DueAt:     b.clock.Now(),
		}
		if _, err := b.store.Enqueue(ctx, &d); err != nil {
			b.log.Error("enqueue preview failed", "profile", p.ID, "err", err)
		}
	}
	if len(waiting) > 0 {
		b.wakeDispatcher()
	}
}

func (b *Bot) profiles(ctx context.Context, c Command, args string) (Message, error) {
	from, _, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	list, err := b.store.ListProfiles(ctx, from)
	if err != nil {
		return Message{}, fmt.Errorf("list profiles: %w", err)
	}
	pr := c.Printer()
	if len(list) == 0 {
		return Message{Text: pr.Sprintf("You have no profiles yet. Create one with `subscribe <query>`, e.g. `subscribe cpv:45 nuts:NL21`.")}, nil
	}
	var sb strings.Builder
	sb.WriteString(pr.Sprintf("Your profiles (%d):", len(list)) + "\n")
	for i, p := range list {
		state := p.Delivery.label(pr)
		if p.Paused {
			state = pr.Sprintf("paused, %s when resumed with `resume %d`", state, i+1)
		}
		if !p.Mention.IsZero() {
			state += pr.Sprintf(", calling %s", p.Mention.who(pr))
		}
		sb.WriteString(pr.Sprintf("%d. %s — `%s` (%s, since %s)", i+1, p.Name, p.Query, state, pr.Format(p.CreatedAt, "2 Jan 2006")) + "\n")
	}
	sb.WriteString(pr.Sprintf("Remove one with `unsubscribe <number>`."))
	return Message{Text: sb.String()}, nil
}

func (b *Bot) unsubscribe(ctx context.Context, c Command, args string) (Message, error) {
	from, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	p, err := b.ownProfileByRef(ctx, from, args, "unsubscribe 1")
	if err != nil {
		return Message{}, err
	}
	if err := b.mayChange(ctx, c, p); err != nil {
		return Message{}, err
	}
	if err := b.store.DeleteProfile(ctx, p.ID); err != nil {
		return Message{}, err
	}
	b.matcher.Remove(p.ID)
	b.log.Info("profile deleted", "profile", p.ID, "subscriber", from.Key())
	return Message{Text: c.Printer().Sprintf("Deleted profile %q (`%s`). You will get no more alerts from it.", p.Name, p.Query)}, nil
}

// mayChange refuses unless the person of c may change or delete p: their
// own profile, or a channel's they made, manage (as the platform told the
// adapter) or hold the admin role for. Anyone in the channel may list them.
func (b *Bot) mayChange(ctx context.Context, c Command, p Profile) error {
	if p.Subscriber.Channel == "" || (p.CreatedBy != "" && p.CreatedBy == c.From.User) {
		return nil
	}
	return b.managing(ctx, c, Errorf(EINVALID, "Only the person who made it, the channel's managers and admins can change or delete the channel's profile %q; everyone here can list them with `profiles here`.", p.Name))
}

// managing refuses with refusal unless the person of c manages the channel
// (as the platform told the adapter) or holds the admin role.
func (b *Bot) managing(ctx context.Context, c Command, refusal *Error) error {
	if c.ChannelManager {
		return nil
	}
	admin, err := b.rights.Can(ctx, c.From, RoleAdmin)
	if err != nil {
		return err
	}
	if !admin {
		return refusal
	}
	return nil
}

// digestChecked is the digest command, with the right to change a
// channel's profile checked before its delivery is changed.
func (b *Bot) digestChecked(ctx context.Context, c Command, args string) (Message, error) {
	from, rest, err := c.target(args)
	if fields := strings.Fields(rest); err == nil && from.Channel != "" && len(fields) >= 2 {
		list, err := b.store.ListProfiles(ctx, from)
		if err != nil {
			return Message{}, fmt.Errorf("list profiles: %w", err)
		}
		if p, ok := findProfile(list, strings.Trim(strings.Join(fields[:len(fields)-1], " "), `"`)); ok {
			if err := b.mayChange(ctx, c, p); err != nil {
				return Message{}, err
			}
		}
	}
	return b.digestCommand(ctx, c, args)
}

// findProfile finds a profile by its 1-based place in the list, or by name
// (case-insensitive).
func findProfile(list []Profile, ref string) (Profile, bool) {
	if n, err := strconv.Atoi(ref); err == nil {
		if n >= 1 && n <= len(list) {
			return list[n-1], true
		}
		return Profile{}, false
	}
	for _, p := range list {
		if strings.EqualFold(p.Name, ref) {
			return p, true
		}
	}
	return Profile{}, false
}

// splitProfileName takes an optional leading name="..." (or name=word) off
// the arguments of subscribe.
func splitProfileName(args string) (name, rest string, err error) {
	args = strings.TrimSpace(args)
	if !strings.HasPrefix(strings.ToLower(args), "name=") {
		return "", args, nil
	}
	v := args[len("name="):]
	if strings.HasPrefix(v, `"`) {
		end := strings.Index(v[1:], `"`)
		if end < 0 {
			return "", "", Errorf(EINVALID, `The profile name has no closing quote. Write it as name="Daken Twente" followed by the query.`)
		}
		name, rest = v[1:end+1], v[end+2:]
	} else {
		name, rest, _ = strings.Cut(v, " ")
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", "", Errorf(EINVALID, `The profile name is empty. Write it as name="Daken Twente" followed by the query.`)
	case len([]rune(name)) > MaxProfileNameLength:
		return "", "", Errorf(EINVALID, "The profile name is longer than %d characters; please shorten it.", MaxProfileNameLength)
	}
	return name, strings.TrimSpace(rest), nil
}

// checkQueryLength refuses a query longer than maxQueryLength, saying the
// bound.
func checkQueryLength(query string) error {
	if n := utf8.RuneCountInString(query); n > maxQueryLength {
		return Errorf(EINVALID, "A query can be at most 1,000 characters; this one has %d. Keep the words and codes that matter most, or split it over two profiles.", n)
	}
	return nil
}

// Truncate shortens s to at most n runes, marking the cut with an ellipsis.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
