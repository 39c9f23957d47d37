package matching

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Region names. With a NUTS list loaded, nuts: takes a region's name as
// well as its code, in any language the list labels it in
// (nuts:Overijssel, nuts:Twente): a name that one region bears (or nested
// regions, as Luxembourg the country and its levels) stands for its code;
// one that several bear is refused with their codes listed; a name close to
// known ones gets them suggested.

// regionName is the part of a label that names the region: without the
// country in brackets ("Limburg (NL)") and what follows a comma
// ("Augsburg, Landkreis"), folded.
func regionName(label string) string {
	if i := strings.Index(label, " ("); i > 0 {
		label = label[:i]
	}
	if i := strings.Index(label, ","); i > 0 {
		label = label[:i]
	}
	return strings.Join(strings.Fields(fold(label)), " ")
}

// regionsNamed returns the codes of the listed regions named name, the
// broadest of nested ones only, sorted; and up to n codes of regions with a
// name like it (containing it, or a letter or two away) when none is.
func (v *Vocabulary) regionsNamed(name string, n int) (named, like []string) {
	want := regionName(name)
	if want == "" {
		return nil, nil
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, code := range v.nutsList {
		closest := -1
		for _, label := range v.nuts[code] {
			got := regionName(label)
			switch {
			case got == want:
				closest = 0
			case closest != 0 && (strings.Contains(got, want) || bot.EditDistance(got, want) <= 2):
				closest = 1
			}
		}
		switch closest {
		case 0:
			named = append(named, code)
		case 1:
			like = append(like, code)
		}
	}
	if len(named) > 0 {
		return dropCovered(named), nil
	}
	like = dropCovered(like)
	return nil, like[:min(n, len(like))]
}

// nutsByName reads item as a region's name, when a NUTS list is loaded and
// item is no listed code: the codes it stands for, or an error listing the
// regions it could mean. ok is false when item names nothing like a
// region, for the code checks to answer.
func (c *compiler) nutsByName(item string) (codes []string, err error, ok bool) {
	if c.vocab == nil || !c.vocab.hasNUTSList() {
		return nil, nil, false
	}
	code := strings.ToUpper(item)
	if validNUTS(code) && (c.vocab.nutsExists(normalizeCountry(code)) || renamedNUTS[code] != "" || strings.HasPrefix(code, "UK")) {
		return nil, nil, false
	}
	named, like := c.vocab.regionsNamed(item, 3)
	if validNUTS(code) {
		like = nil // it may be a mistyped code: the code check suggests codes
	}
	switch {
	case len(named) == 1:
		return named, nil, true
	case len(named) > 1:
		return nil, bot.Errorf(bot.EINVALID, "nuts:%s — several regions are called %s: %s; give the code of the one you mean", item, item, c.vocab.describeNUTSQuery(named)), true
	case len(like) > 0:
		return nil, bot.Errorf(bot.EINVALID, "nuts:%s — I know no region of that name; did you mean %s?", item, c.vocab.describeNUTSQuery(like)), true
	}
	return nil, nil, false
}

// describeNUTSQuery lists codes as nuts: terms with their labels, in the
// reader's language.
func (v *Vocabulary) describeNUTSQuery(codes []string) text.Items {
	parts := make([]any, len(codes))
	for i, c := range codes {
		parts[i] = text.Labelled{Code: "nuts:" + c, English: v.NUTSLabel(c, fallbackLanguage), Dutch: v.NUTSLabel(c, "nl")}
	}
	return text.Or(parts...)
}
