package matching

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// The checks a compiler makes against loaded code lists, and the nearest
// codes it suggests when one fails.

// hasCPVList reports whether a CPV list is loaded.
func (v *Vocabulary) hasCPVList() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return len(v.cpvList) > 0
}

// hasNUTSList reports whether a NUTS list is loaded.
func (v *Vocabulary) hasNUTSList() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return len(v.nutsList) > 0
}

// cpvExists reports whether a listed code starts with the significant
// digits p.
func (v *Vocabulary) cpvExists(p string) bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return len(withPrefix(v.cpvList, p)) > 0
}

// nutsExists reports whether the NUTS code is listed.
func (v *Vocabulary) nutsExists(code string) bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	_, ok := slices.BinarySearch(v.nutsList, code)
	return ok
}

// withPrefix returns the run of sorted that starts with p.
func withPrefix(sorted []string, p string) []string {
	i, _ := slices.BinarySearch(sorted, p)
	j := i
	for j < len(sorted) && strings.HasPrefix(sorted[j], p) {
		j++
	}
	return sorted[i:j]
}

// nearestCPV returns up to n listed codes nearest to the significant digits
// p, as significant digits of p's length: the codes under the longest
// prefix of p that has any, numerically closest to p first.
func (v *Vocabulary) nearestCPV(p string, n int) []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var under []string
	for l := len(p) - 1; l >= 0 && len(under) == 0; l-- {
		under = withPrefix(v.cpvList, p[:l])
	}
	width := max(len(p), 2)
	var cands []string
	for _, c := range under {
		if s := significantCPV(c[:width]); len(cands) == 0 || cands[len(cands)-1] != s {
			cands = append(cands, s)
		}
	}
	cands = slices.Compact(cands)
	return nearestNumbers(cands, padCPV(p), n)
}

// nearestNumbers returns up to n of the digit strings cands nearest to
// target when both are read as 8-digit numbers, sorted.
func nearestNumbers(cands []string, target string, n int) []string {
	t, _ := strconv.Atoi(target)
	dist := func(c string) int {
		x, _ := strconv.Atoi(padCPV(c))
		return max(x-t, t-x)
	}
	slices.SortStableFunc(cands, func(a, b string) int { return cmp.Compare(dist(a), dist(b)) })
	cands = cands[:min(n, len(cands))]
	slices.Sort(cands)
	return cands
}

// describeCPV lists CPV codes with their labels for an error message, in
// the reader's language.
func (v *Vocabulary) describeCPV(codes []string) text.Items {
	parts := make([]any, len(codes))
	for i, c := range codes {
		parts[i] = text.Labelled{Code: "cpv:" + c, English: v.CPVLabel(padCPV(c), fallbackLanguage), Dutch: v.CPVLabel(padCPV(c), "nl")}
	}
	return text.Or(parts...)
}

// nearestNUTS returns up to n listed codes nearest to code: those sharing
// its longest listed prefix, of its length where there are such, closest in
// the first character that differs.
func (v *Vocabulary) nearestNUTS(code string, n int) []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var under []string
	l := len(code) - 1
	for ; l >= 0 && len(under) == 0; l-- {
		under = withPrefix(v.nutsList, code[:l])
	}
	l++ // the prefix length found
	var cands []string
	for _, c := range under {
		if len(c) == len(code) {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		cands = slices.Clone(under)
	}
	dist := func(c string) int {
		if l >= len(c) || l >= len(code) {
			return len(c)
		}
		return max(int(c[l])-int(code[l]), int(code[l])-int(c[l]))
	}
	slices.SortStableFunc(cands, func(a, b string) int { return cmp.Compare(dist(a), dist(b)) })
	cands = cands[:min(n, len(cands))]
	slices.Sort(cands)
	return cands
}

// describeNUTS lists NUTS codes with their labels for an error message,
// in the reader's language.
func (v *Vocabulary) describeNUTS(codes []string) text.Items {
	parts := make([]any, len(codes))
	for i, c := range codes {
		parts[i] = text.Labelled{Code: c, English: v.NUTSLabel(c, fallbackLanguage), Dutch: v.NUTSLabel(c, "nl")}
	}
	return text.Or(parts...)
}

// nearestDivisions returns up to n CPV divisions numerically nearest to
// the two digits div.
func nearestDivisions(div string, n int) []string {
	var all []string
	for d := range divisions {
		all = append(all, d)
	}
	slices.Sort(all)
	return nearestNumbers(all, padCPV(div), n)
}
