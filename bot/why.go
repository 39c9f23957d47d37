package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// why answers "why <ref>": for each of the person's profiles (or, with
// "here", the channel's), whether the notice matches it and, condition by
// condition, why or why not. The ref is the one shown on each notice; a
// notice's own ID works too.
func (b *Bot) why(ctx context.Context, c Command, args string) (Message, error) {
	from, ref, err := c.target(args)
	if err != nil {
		return Message{}, err
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Message{}, Errorf(EINVALID, "Which notice? Give the ref shown on it, e.g. `why 3f2a9c0d1e4b5a6f`.")
	}
	n, err := b.noticeFor(ctx, ref)
	if err != nil {
		return Message{}, err
	}
	profiles, err := b.store.ListProfiles(ctx, from)
	if err != nil {
		return Message{}, fmt.Errorf("why: list profiles: %w", err)
	}
	pr := c.Printer()
	if len(profiles) == 0 {
		return Message{Text: pr.Sprintf("You have no profiles, so nothing would alert you to %q. Create one with `subscribe <query>`.", n.Title)}, nil
	}
	var sb strings.Builder
	sb.WriteString(pr.Sprintf("Why %q (ref %s) matches your profiles, or not:", n.Title, NoticeRef(n.ID)) + "\n")
	for i, p := range profiles {
		q, err := b.matcher.CompileStored(p.Query)
		if err != nil {
			// Saved under an older grammar: its owner should replace it.
			sb.WriteString(pr.Sprintf("%d. %q (`%s`) no longer reads as a query: %s", i+1, p.Name, p.Query, ErrorText(pr, err)) + "\n")
			continue
		}
		x := q.Explain(&n)
		verdict := pr.Sprintf("%d. %q (`%s`) does not match:", i+1, p.Name, p.Query)
		if x.Matched {
			verdict = pr.Sprintf("%d. %q (`%s`) matches:", i+1, p.Name, p.Query)
		}
		sb.WriteString(verdict + "\n")
		for _, line := range x.Lines {
			fmt.Fprintf(&sb, "   %s\n", pr.Reason(line))
		}
		rejected, err := b.store.NotRelevant(ctx, p.ID)
		if err != nil {
			return Message{}, fmt.Errorf("why: feedback: %w", err)
		}
		if slices.ContainsFunc(rejected, func(r Notice) bool { return r.ID == n.ID }) {
			sb.WriteString("   ✗ " + pr.Sprintf("you marked it not relevant for this profile (%d notice(s) marked so far)", len(rejected)) + "\n")
		}
	}
	return Message{Text: strings.TrimSuffix(sb.String(), "\n")}, nil
}

// noticeFor finds a stored notice by the ref shown on it, or by its ID.
func (b *Bot) noticeFor(ctx context.Context, ref string) (Notice, error) {
	if r := strings.ToLower(ref); IsNoticeRef(r) {
		n, found, err := b.store.FindNotice(ctx, []string{refKey(r)})
		if err != nil {
			return Notice{}, fmt.Errorf("why: find notice: %w", err)
		}
		if found {
			return n, nil
		}
	}
	n, err := b.store.Notice(ctx, ref)
	if ErrorCode(err) == ENOTFOUND {
		return Notice{}, Errorf(ENOTFOUND, "I have no notice %q; give the ref shown on a notice, e.g. `why 3f2a9c0d1e4b5a6f`.", ref)
	}
	if err != nil {
		return Notice{}, fmt.Errorf("why: notice: %w", err)
	}
	return n, nil
}
