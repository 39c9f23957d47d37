package bot

import (
	"context"
	"fmt"
	"strings"
)

// Commands that change a saved profile in place, and feedback by a
// notice's ref for chats without buttons.

// ownProfileByRef finds one of the target's profiles by its number or name,
// as `profiles` lists them.
func (b *Bot) ownProfileByRef(ctx context.Context, from Subscriber, ref, usage string) (Profile, error) {
	ref = strings.Trim(strings.TrimSpace(ref), `"`)
	if ref == "" {
		return Profile{}, Errorf(EINVALID, "Which profile? Give its number or name, e.g. `%s`; `profiles` lists them.", usage)
	}
	list, err := b.store.ListProfiles(ctx, from)
	if err != nil {
		return Profile{}, fmt.Errorf("list profiles: %w", err)
	}
	p, ok := findProfile(list, ref)
	if !ok {
		return Profile{}, Errorf(ENOTFOUND, "You have no profile %q; `profiles` lists yours (%d).", ref, len(list))
	}
	return p, nil
}

// splitProfileRef splits "<profile> <rest>", where the profile is a number,
// one word, or a name in double quotes.
func splitProfileRef(args string) (ref, rest string) {
	args = strings.TrimSpace(args)
	if quoted, ok := strings.CutPrefix(args, `"`); ok {
		if name, after, ok := strings.Cut(quoted, `"`); ok {
			return name, strings.TrimSpace(after)
		}
	}
	ref, rest, _ = strings.Cut(args, " ")
	return ref, strings.TrimSpace(rest)
}

// setPaused pauses or resumes a profile: `pause <profile>`, `resume
// <profile>`. A paused profile leaves the matcher, so it alerts nobody and
// holds nothing for a digest, but keeps its query, delivery and mutes.
func (b *Bot) setPaused(ctx context.Context, c Command, args string, paused bool) (Message, error) {
	from, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	verb := map[bool]string{true: "pause", false: "resume"}[paused]
	p, err := b.ownProfileByRef(ctx, from, args, verb+" 1")
	if err != nil {
		return Message{}, err
	}
	pr := c.Printer()
	switch {
	case p.Paused && paused:
		return Message{Text: pr.Sprintf("Your profile %q is paused already.", p.Name)}, nil
	case p.Paused == paused:
		return Message{Text: pr.Sprintf("Your profile %q is active already.", p.Name)}, nil
	}
	var q Query
	if !paused {
		if q, err = b.matcher.CompileStored(p.Query); err != nil {
			return Message{}, err
		}
	}
	p.Paused = paused
	if err := b.store.UpdateProfile(ctx, p); err != nil {
		return Message{}, err
	}
	if paused {
		b.matcher.Remove(p.ID)
		b.log.Info("profile paused", "profile", p.ID, "subscriber", from.Key())
		return Message{Text: pr.Sprintf("Paused your profile %q (`%s`): no alerts and nothing for a digest until `resume %s`. Its query, %s delivery and muted buyers stay as they are.", p.Name, p.Query, p.Name, p.Delivery.label(pr))}, nil
	}
	b.matcher.Put(p.ID, q)
	b.log.Info("profile resumed", "profile", p.ID, "subscriber", from.Key())
	return Message{Text: pr.Sprintf("Resumed your profile %q (`%s`): new matching notices come to you again (%s). What arrived while it was paused is in `search %s`.", p.Name, p.Query, p.Delivery.label(pr), p.Query)}, nil
}

func (b *Bot) pause(ctx context.Context, c Command, args string) (Message, error) {
	return b.setPaused(ctx, c, args, true)
}

func (b *Bot) resume(ctx context.Context, c Command, args string) (Message, error) {
	return b.setPaused(ctx, c, args, false)
}

// rename is `rename <profile> <name>`.
func (b *Bot) rename(ctx context.Context, c Command, args string) (Message, error) {
	from, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	ref, name := splitProfileRef(args)
	p, err := b.ownProfileByRef(ctx, from, ref, `rename 1 "Bouw Twente"`)
	if err != nil {
		return Message{}, err
	}
	name = strings.TrimSpace(strings.Trim(name, `"`))
	switch {
	case name == "":
		return Message{}, Errorf(EINVALID, "What should it be called? E.g. `rename %s \"Bouw Twente\"`.", ref)
	case len([]rune(name)) > MaxProfileNameLength:
		return Message{}, Errorf(EINVALID, "That name is longer than %d characters; pick a shorter one.", MaxProfileNameLength)
	}
	old := p.Name
	p.Name = name
	if err := b.store.UpdateProfile(ctx, p); err != nil {
		return Message{}, err
	}
	return Message{Text: c.Printer().Sprintf("Renamed your profile %q to %q.", old, p.Name)}, nil
}

// edit is `edit <profile> <query>`: the profile gets the new query and
// keeps its name (unless the name was the old query), delivery, mutes and
// paused state; the reply previews what the new query matches.
func (b *Bot) edit(ctx context.Context, c Command, args string) (Message, error) {
	from, args, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	ref, text := splitProfileRef(args)
	p, err := b.ownProfileByRef(ctx, from, ref, "edit 1 cpv:45 nuts:NL21")
	if err != nil {
		return Message{}, err
	}
	if text == "" {
		return Message{}, Errorf(EINVALID, "Give the new query after the profile, e.g. `edit %s cpv:45 nuts:NL21`; now it is `%s`.", ref, p.Query)
	}
	q, err := b.matcher.CompileProfile(text)
	if err != nil {
		return Message{}, err
	}
	if b.namedAfterQuery(p) {
		if p.Name, err = b.defaultName(text); err != nil {
			return Message{}, err
		}
	}
	p.Query = q.String()
	if err := b.store.UpdateProfile(ctx, p); err != nil {
		return Message{}, err
	}
	pr := c.Printer()
	state := pr.Sprintf("new matching notices come to you %s", p.Delivery.when(pr))
	if p.Paused {
		state = pr.Sprintf("it stays paused until `resume %s`", p.Name)
	} else {
		b.matcher.Put(p.ID, q)
	}
	b.log.Info("profile edited", "profile", p.ID, "subscriber", from.Key())
	saved := pr.Sprintf("Changed your profile %q to `%s`; %s.", p.Name, p.Query, state)
	preview, err := b.preview(ctx, pr, p, q, nil)
	if err != nil {
		return Message{}, err
	}
	preview.Text = saved + "\n" + preview.Text
	return preview, nil
}

// unfollow is `unfollow <ref>`: the tender's changes and reminders stop.
func (b *Bot) unfollow(ctx context.Context, c Command, args string) (Message, error) {
	ref := strings.TrimSpace(args)
	if ref == "" {
		return Message{}, Errorf(EINVALID, "Which tender? Give the ref shown on its notice, e.g. `unfollow 3f2a9c0d1e4b5a6f`; `home` lists what you follow.")
	}
	n, err := b.noticeFor(ctx, ref)
	if err != nil {
		return Message{}, err
	}
	removed, err := b.store.Unfollow(ctx, c.From, n.ID, reminderPrefix(c.From, n.ID))
	if err != nil {
		return Message{}, err
	}
	if !removed {
		return Message{Text: c.Printer().Sprintf("You do not follow %q. `home` lists what you follow.", n.Title)}, nil
	}
	return Message{Text: c.Printer().Sprintf("You no longer follow %q: no more changes or reminders about it.", n.Title)}, nil
}

// feedbackByRef is `not-relevant <ref>` and `mute <ref>`: the buttons'
// feedback, typed, for each of the person's profiles that the notice
// matches.
func (b *Bot) feedbackByRef(ctx context.Context, c Command, args string, kind ActionKind) (Message, error) {
	from, ref, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	ref = strings.ToLower(strings.TrimSpace(ref))
	if !IsNoticeRef(ref) {
		return Message{}, Errorf(EINVALID, "Give the ref shown on the notice, e.g. `%s 3f2a9c0d1e4b5a6f`.", kind.word())
	}
	n, err := b.noticeFor(ctx, ref)
	if err != nil {
		return Message{}, err
	}
	profiles, err := b.store.ListProfiles(ctx, from)
	if err != nil {
		return Message{}, fmt.Errorf("list profiles: %w", err)
	}
	var replies []string
	for _, p := range profiles {
		q, err := b.matcher.CompileStored(p.Query)
		if err != nil {
			continue
		}
		if _, ok := q.Match(&n); !ok {
			continue
		}
		reply, err := b.handleAction(ctx, c.Printer(), Click{From: c.From, Action: Action{Kind: kind, ProfileID: p.ID, NoticeRef: ref}, ChannelManager: c.ChannelManager})
		if err != nil {
			return Message{}, err
		}
		replies = append(replies, reply.Text)
	}
	if len(replies) == 0 {
		return Message{}, Errorf(EINVALID, "%q matches none of your profiles, so there is nothing to mark; `why %s` shows why.", n.Title, ref)
	}
	return Message{Text: strings.Join(replies, "\n")}, nil
}

// word is the command that gives the action by a notice's ref.
func (k ActionKind) word() string {
	if k == ActionMuteBuyer {
		return "mute"
	}
	return "not-relevant"
}
