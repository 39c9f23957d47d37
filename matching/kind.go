package matching

import (
	"maps"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// kinds are the notice kinds kind: names, in canonical order.
var kinds = []bot.Kind{bot.KindEarly, bot.KindTender, bot.KindAward, bot.KindChange, bot.KindOther}

// kindWords are the words kind: accepts for each kind.
var kindWords = map[string]bot.Kind{
	"early": bot.KindEarly, "engagement": bot.KindEarly, "consultation": bot.KindEarly, "pin": bot.KindEarly,
	"tender": bot.KindTender, "tenders": bot.KindTender,
	"award": bot.KindAward, "awards": bot.KindAward,
	"change": bot.KindChange, "changes": bot.KindChange, "corrigendum": bot.KindChange,
	"other": bot.KindOther,
	// In Dutch.
	"vroeg": bot.KindEarly, "marktverkenning": bot.KindEarly, "marktconsultatie": bot.KindEarly, "vooraankondiging": bot.KindEarly,
	"aanbesteding": bot.KindTender, "aanbestedingen": bot.KindTender,
	"gunning": bot.KindAward, "gunningen": bot.KindAward,
	"wijziging": bot.KindChange, "wijzigingen": bot.KindChange, "rectificatie": bot.KindChange,
	"overig": bot.KindOther,
}

// kindNode matches a notice of one of its kinds. It gives no reason: every
// alert already says what kind of notice it is ("New tender for your
// profile …"), and most profiles filter on kind:early,tender, so the
// reason would repeat on every alert.
type kindNode struct {
	mask uint8 // bit i: kinds[i]
}

// kindIndex returns the place of k in kinds; a kind the matcher does not
// know (or none) counts as other.
func kindIndex(k bot.Kind) int {
	for i, known := range kinds {
		if k == known {
			return i
		}
	}
	return len(kinds) - 1
}

// compileKind compiles the value of kind:, a comma-separated list of kinds.
func compileKind(_ *compiler, value string, _ bool) (node, int, error) {
	items := splitList(value)
	if len(items) == 0 {
		return nil, 0, bot.Errorf(bot.EINVALID, "kind:%s — say which kinds of notice, like kind:early,tender; the kinds are %s", value, kindList())
	}
	var mask uint8
	for _, item := range items {
		k, ok := kindWords[strings.ToLower(item)]
		if !ok {
			var guess any = ""
			for _, w := range slices.Sorted(maps.Keys(kindWords)) {
				if oneTypo(strings.ToLower(item), w) {
					guess = text.M(" Did you mean kind:%s?", string(kindWords[w]))
					break
				}
			}
			return nil, 0, bot.Errorf(bot.EINVALID, "kind:%s — there is no kind %s; the kinds are %s.%s", value, item, kindList(), guess)
		}
		mask |= 1 << kindIndex(k)
	}
	return &kindNode{mask: mask}, 1, nil
}

// kindList names the kinds for an error message, in the reader's
// language: "early (early engagement), tender, award, change and other".
func kindList() text.Items {
	names := make([]any, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
		if k == bot.KindEarly {
			names[i] = text.M("%s (%s)", string(k), text.Phrase(k.Label()))
		}
	}
	return text.And(names...)
}

func (n *kindNode) match(e *evaluation) bool {
	return n.mask&(1<<kindIndex(e.d.kind)) != 0
}

// holds says, for Explain, why a notice satisfies the node.
func (n *kindNode) holds(d *document) string {
	return "kind " + kinds[kindIndex(d.kind)].Label()
}

func (n *kindNode) missing(d *document) string {
	var want []string
	for i, k := range kinds {
		if n.mask&(1<<i) != 0 {
			want = append(want, k.Label())
		}
	}
	return "kind " + kinds[kindIndex(d.kind)].Label() + ", not " + joinOr(want)
}

func (n *kindNode) keywords() []string { return nil }

func (n *kindNode) format(b *strings.Builder) {
	b.WriteString("kind:")
	first := true
	for i, k := range kinds {
		if n.mask&(1<<i) == 0 {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(string(k))
	}
}

func (n *kindNode) precedence() int { return precAtom }
