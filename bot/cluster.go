package bot

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Clustering: the same tender is often published on several sources — TED,
// a national portal, a partner's RSS. Each notice gets cluster keys; a
// notice whose key another notice holds already is that notice seen again,
// merged into it instead of stored (and alerted) twice.

// minGlobalProcedureID is the length from which a procedure id is taken to
// be unique on its own (UUIDs, TED's ContractFolderIDs, OCDS ocids); shorter
// ones ("2026-001") are unique only per buyer.
const minGlobalProcedureID = 16

// clusterKeys returns n's keys, strongest first: its own id, its procedure
// id, and its buyer with its title.
func clusterKeys(n Notice) []string {
	keys := []string{"id:" + n.ID, refKey(NoticeRef(n.ID))}
	buyer := foldKey(n.Buyer)
	if proc := strings.TrimSpace(n.ProcedureID); proc != "" {
		if len(proc) >= minGlobalProcedureID {
			keys = append(keys, "procedure:"+strings.ToLower(proc))
		} else if buyer != "" {
			keys = append(keys, "procedure:"+buyer+"|"+strings.ToLower(proc))
		}
	}
	if title := foldKey(n.Title); buyer != "" && title != "" {
		keys = append(keys, "title:"+buyer+"|"+title)
	}
	return keys
}

// foldKey lower-cases s and keeps only its letters and digits, one space
// between words, so punctuation and spacing differences between sources
// do not split a cluster.
func foldKey(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return sb.String()
}

// merge folds notice n, just read, into the stored notice it clusters with.
// A new version of the same item replaces the old; another source's copy
// only fills what the stored one lacks. Either way a change or award brings
// its deadline and value, an award closes the notice, and every source link
// is kept.
func merge(stored, n Notice) Notice {
	var out Notice
	if n.ID == stored.ID {
		out = n
		fillMissing(&out, stored)
	} else {
		out = stored
		fillMissing(&out, n)
	}
	if n.Kind == KindChange || n.Kind == KindAward {
		if !n.Deadline.IsZero() {
			out.Deadline = n.Deadline
		}
		if n.Value != nil {
			out.Value = n.Value
		}
	}
	out.Kind = mergedKind(stored.Kind, n, n.ID == stored.ID)
	out.Sources = mergeSources(stored.Sources, sourcesOf(n))
	return out
}

// mergedKind decides what a clustered notice is after n was read: an award
// closes it; a correction, or another source's copy, does not change what
// it is; a new version of the same item says anew.
func mergedKind(stored Kind, n Notice, sameItem bool) Kind {
	switch {
	case n.Kind == KindAward:
		return KindAward
	case stored == "" || stored == KindOther:
		return n.Kind
	case n.Kind == KindChange || !sameItem:
		return stored
	}
	return n.Kind
}

// fillMissing copies into dst the fields it lacks from src.
func fillMissing(dst *Notice, src Notice) {
	fillString := func(d *string, s string) {
		if *d == "" {
			*d = s
		}
	}
	fillString(&dst.Title, src.Title)
	fillString(&dst.Description, src.Description)
	fillString(&dst.Language, src.Language)
	fillString(&dst.Buyer, src.Buyer)
	fillString(&dst.Country, src.Country)
	fillString(&dst.URL, src.URL)
	fillString(&dst.ProcedureID, src.ProcedureID)
	if len(dst.CPV) == 0 {
		dst.CPV = src.CPV
	}
	if len(dst.NUTS) == 0 {
		dst.NUTS = src.NUTS
	}
	if dst.Value == nil {
		dst.Value = src.Value
	}
	if dst.Deadline.IsZero() {
		dst.Deadline = src.Deadline
	}
	if dst.Published.IsZero() || (!src.Published.IsZero() && src.Published.Before(dst.Published)) {
		dst.Published = src.Published // first published wins
	}
	if len(dst.Lots) == 0 {
		dst.Lots = src.Lots
	}
}

// sourcesOf returns the links a freshly read notice carries.
func sourcesOf(n Notice) []SourceLink {
	if len(n.Sources) > 0 {
		return n.Sources
	}
	return []SourceLink{{Source: n.Source, URL: n.URL}}
}

// mergeSources returns a followed by the links of b it lacks.
func mergeSources(a, b []SourceLink) []SourceLink {
	out := slices.Clone(a)
	for _, l := range b {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// backfillGrace is how far before the previous poll an item may be dated
// and still count as news: portals often date items by day, or publish them
// hours after the date they carry.
const backfillGrace = 48 * time.Hour

// isBackfill reports whether a notice first seen now is old news: dated
// well before the previous successful poll of its feed, it was added to the
// feed late (an archive, a feed that grew), and alerting on it would be
// noise.
func isBackfill(n Notice, previousPoll time.Time) bool {
	return !n.Published.IsZero() && !previousPoll.IsZero() && n.Published.Before(previousPoll.Add(-backfillGrace))
}

// sameContent reports whether a and b say the same: every field equal,
// times as instants (a store may give them back in another zone) and an
// empty list the same as none.
func sameContent(a, b Notice) bool {
	ja, errA := json.Marshal(canonical(a))
	jb, errB := json.Marshal(canonical(b))
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// canonical is n with its times in UTC and its empty lists nil, leaving
// n's own lists untouched.
func canonical(n Notice) Notice {
	n.Deadline, n.Published = n.Deadline.UTC(), n.Published.UTC()
	n.CPV, n.NUTS, n.Sources = nilIfEmpty(n.CPV), nilIfEmpty(n.NUTS), nilIfEmpty(n.Sources)
	lots := make([]Lot, len(n.Lots))
	for i, l := range n.Lots {
		l.CPV = nilIfEmpty(l.CPV)
		lots[i] = l
	}
	n.Lots = nilIfEmpty(lots)
	return n
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}
