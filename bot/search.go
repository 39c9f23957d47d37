package bot

import (
	"context"
	"fmt"
	"sort"

	"github.com/tenderbot/tenderbot/bot/text"
)

const (
	// searchCandidates bounds how many stored notices a search or preview
	// examines: full-text candidates when the query has keywords, else the
	// newest notices.
	searchCandidates = 2000
	searchResults    = 10
)

// match is a stored notice a query matches.
type match struct {
	notice  Notice
	reasons []string
}

// findMatches returns the stored notices q matches, newest first. With
// keywords the full-text index narrows the candidates first; the query
// itself has the last word, so the result is the same either way.
func (b *Bot) findMatches(ctx context.Context, q Query, skip func(Notice) (bool, error)) ([]match, error) {
	var candidates []Notice
	var err error
	if words := q.Keywords(); len(words) > 0 {
		candidates, err = b.store.SearchNotices(ctx, words, searchCandidates)
	} else {
		candidates, err = b.store.RecentNotices(ctx, searchCandidates)
	}
	if err != nil {
		return nil, fmt.Errorf("find matches: %w", err)
	}
	var matches []match
	for i := range candidates {
		reasons, ok := q.Match(&candidates[i])
		if !ok {
			continue
		}
		if skip != nil {
			skipped, err := skip(candidates[i])
			if err != nil {
				return nil, fmt.Errorf("find matches: %w", err)
			}
			if skipped {
				continue
			}
		}
		matches = append(matches, match{notice: candidates[i], reasons: reasons})
	}
	sort.SliceStable(matches, func(i, j int) bool {
		return matches[i].notice.Published.After(matches[j].notice.Published)
	})
	return matches, nil
}

func (b *Bot) search(ctx context.Context, c Command, args string) (Message, error) {
	if args == "" {
		return Message{}, Errorf(EINVALID, "What should I look for? e.g. `search zonnepanelen` or `search cpv:45 nuts:NL21`. Type `help search` for the query language.")
	}
	if err := checkQueryLength(args); err != nil {
		return Message{}, err
	}
	q, err := b.matcher.Compile(args)
	if err != nil {
		return Message{}, err
	}
	pr := c.Printer()
	msg, err := b.searchResults(ctx, pr, q)
	if err != nil {
		return Message{}, err
	}
	if !b.loading.over() {
		msg.Text += "\n" + pr.Sprintf("(The feeds are still being read; search again in a moment for everything.)")
	}
	return msg, nil
}

// searchResults presents the stored notices q matches.
func (b *Bot) searchResults(ctx context.Context, pr text.Printer, q Query) (Message, error) {
	matches, err := b.findMatches(ctx, q, nil)
	if err != nil {
		return Message{}, err
	}
	if len(matches) == 0 {
		total, err := b.store.CountNotices(ctx)
		if err != nil {
			return Message{}, fmt.Errorf("count notices: %w", err)
		}
		return Message{Text: pr.Sprintf("None of the %s notices I have read match `%s`.", pr.Int(int64(total)), q.String())}, nil
	}
	shown := min(len(matches), searchResults)
	msg := Message{Text: pr.Sprintf("%d notice(s) match `%s`; the %d newest:", len(matches), q.String(), shown)}
	for _, m := range matches[:shown] {
		msg.Cards = append(msg.Cards, b.card(m.notice, 0, "", m.reasons))
	}
	return msg, nil
}
