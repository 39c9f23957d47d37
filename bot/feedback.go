package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// narrowAfter is how many "not relevant" marks a profile collects before
// the bot offers a narrower query.
const narrowAfter = 3

// notRelevant thanks for the mark and, once a profile has collected
// several, offers a narrower query: the profile's query excluding the word
// the rejected notices share most and the query does not name.
func (b *Bot) notRelevant(ctx context.Context, pr text.Printer, p Profile, n Notice) (Message, error) {
	said := pr.Sprintf("Thanks — noted that %q was not relevant to your profile %q (`%s`).", n.Title, p.Name, p.Query)
	rejected, err := b.store.NotRelevant(ctx, p.ID)
	if err != nil {
		return Message{}, fmt.Errorf("not relevant: %w", err)
	}
	if len(rejected) < narrowAfter {
		return Message{Text: said}, nil
	}
	said += "\n" + pr.Sprintf("This profile has had %d notices marked not relevant.", len(rejected))
	if word := sharedWord(rejected, p.Query); word != "" {
		said += " " + pr.Sprintf("Most of them mention %q; a narrower profile would be `%s -%s` — `subscribe` it and `unsubscribe` this one.", word, p.Query, word)
	} else {
		said += " " + pr.Sprintf("Narrow it with a region (`nuts:`), a CPV code (`cpv:`) or words to leave out (`-word`).")
	}
	return Message{Text: said}, nil
}

// sharedWord is the title word most of the notices share, at least half
// of them, that the query does not already name; "" when none stands out.
func sharedWord(notices []Notice, query string) string {
	named := map[string]bool{}
	for _, w := range strings.Fields(foldKey(query)) {
		named[w] = true
	}
	counts := map[string]int{}
	for _, n := range notices {
		seen := map[string]bool{}
		for _, w := range strings.Fields(foldKey(n.Title)) {
			if len([]rune(w)) >= 4 && !named[w] && !seen[w] {
				seen[w] = true
				counts[w]++
			}
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, c string) int {
		return cmp.Or(cmp.Compare(counts[c], counts[a]), cmp.Compare(a, c))
	})
	if len(words) == 0 || counts[words[0]]*2 < len(notices) {
		return ""
	}
	return words[0]
}
