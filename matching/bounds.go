package matching

import (
	"errors"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// bounds is a range of whole numbers for value: and deadline:, each end
// optional and either inclusive or exclusive.
type bounds struct {
	lo, hi         int64
	hasLo, hasHi   bool
	loOpen, hiOpen bool // > rather than >=, < rather than <=
}

// errNoComparison is returned by parseBounds for a bare number.
var errNoComparison = errors.New("no comparison")

// parseBounds reads >=A, >A, <=B, <B (≥ and ≤ too) and A..B (inclusive;
// either end may be left out), reading each number with num.
func parseBounds(s string, num func(string) (int64, error)) (bounds, error) {
	var b bounds
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		if lo == "" && hi == "" {
			return b, unreadable(text.M("the range is empty"))
		}
		var err error
		if lo != "" {
			if b.lo, err = num(lo); err != nil {
				return b, err
			}
			b.hasLo = true
		}
		if hi != "" {
			if b.hi, err = num(hi); err != nil {
				return b, err
			}
			b.hasHi = true
		}
		return b, nil
	}
	for _, op := range []struct {
		prefix   string
		lo, open bool
	}{
		{">=", true, false}, {"≥", true, false}, {"=>", true, false}, {">", true, true},
		{"<=", false, false}, {"≤", false, false}, {"=<", false, false}, {"<", false, true},
	} {
		rest, ok := strings.CutPrefix(s, op.prefix)
		if !ok {
			continue
		}
		n, err := num(rest)
		if err != nil {
			return b, err
		}
		if op.lo {
			b.lo, b.hasLo, b.loOpen = n, true, op.open
		} else {
			b.hi, b.hasHi, b.hiOpen = n, true, op.open
		}
		return b, nil
	}
	return b, errNoComparison
}

// empty reports whether no number lies within b.
func (b bounds) empty() bool {
	if !b.hasLo || !b.hasHi {
		return false
	}
	if b.loOpen || b.hiOpen {
		return b.lo >= b.hi
	}
	return b.lo > b.hi
}

// contains reports whether x lies within b.
func (b bounds) contains(x float64) bool {
	if b.hasLo {
		lo := float64(b.lo)
		if x < lo || (b.loOpen && x == lo) {
			return false
		}
	}
	if b.hasHi {
		hi := float64(b.hi)
		if x > hi || (b.hiOpen && x == hi) {
			return false
		}
	}
	return x == x // NaN lies nowhere
}

// format writes b in canonical form: >=A, >A, <=B, <B, or A..B. A range
// from parseBounds is inclusive at both ends; a half-open range (50k..) is
// written with a comparison (>=50k).
func (b bounds) format(num func(int64) string) string {
	switch {
	case b.hasLo && b.hasHi:
		return num(b.lo) + ".." + num(b.hi)
	case b.hasLo && b.loOpen:
		return ">" + num(b.lo)
	case b.hasLo:
		return ">=" + num(b.lo)
	case b.hiOpen:
		return "<" + num(b.hi)
	}
	return "<=" + num(b.hi)
}

// words says b in plain words: "at least 50k", "between 50k and 2m".
func (b bounds) words(num func(int64) string) string {
	switch {
	case b.hasLo && b.hasHi:
		return "between " + num(b.lo) + " and " + num(b.hi)
	case b.hasLo && b.loOpen:
		return "more than " + num(b.lo)
	case b.hasLo:
		return "at least " + num(b.lo)
	case b.hiOpen:
		return "less than " + num(b.hi)
	}
	return "at most " + num(b.hi)
}
