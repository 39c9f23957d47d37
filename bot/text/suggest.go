package text

import "unicode/utf8"

// DidYouMean points someone who typed word, which is none of known, at the
// nearest of them within two edits ("Did you mean `subscribe`?"), or at
// help when none is that near.
func (p Printer) DidYouMean(word string, known []string) string {
	best, bestDist := "", 3
	longest := 0
	for _, k := range known {
		longest = max(longest, utf8.RuneCountInString(k))
	}
	if utf8.RuneCountInString(word) > longest+bestDist {
		return p.Sprintf("Type `help` for all commands.") // nothing known is near
	}
	for _, k := range known {
		if d := EditDistance(word, k); d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return p.Sprintf("Did you mean `%s`? Type `help` for all commands.", best)
	}
	return p.Sprintf("Type `help` for all commands.")
}

// EditDistance is the Levenshtein distance between a and b, by runes: how
// near a mistyped word is to a known one, for suggestions.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
