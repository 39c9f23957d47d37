package matching

import (
	"slices"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestExplain(t *testing.T) {
	notice := *twente
	notice.Kind = bot.KindTender
	notice.Deadline = filterNow.Add(3 * day)
	tests := []struct {
		name, query string
		matched     bool
		lines       []string
	}{
		{"every condition holds", "renovatie cpv:45 -asbest", true, []string{
			`✓ "renovatie" in title`,
			"✓ cpv 45210000 under 45",
			`✓ no "asbest" in title, description or buyer`,
		}},
		{"why not", "renovatie nuts:NL22 kind:early deadline:>=7d value:>=50k", false, []string{
			`✓ "renovatie" in title`,
			"✗ no region in NL22 (the notice is in NL213)",
			"✗ kind tender, not early engagement",
			"✗ deadline in 3 days, not at least 7 days",
			"✓ value not stated",
		}},
		{"alternatives", "(asbest OR zonne*) cpv:72", false, []string{
			"✓ any of these:",
			`  ✗ no "asbest" in title, description or buyer`,
			`  ✓ "zonne*" in description (zonnepanelen)`,
			"✗ no cpv code under 72 (the notice has 45210000, 09331200, 51100000)",
		}},
		{"excluded word present", "renovatie -zonne*", false, []string{
			`✓ "renovatie" in title`,
			`✗ excluded by -zonne*: "zonne*" in description (zonnepanelen)`,
		}},
		{"excluded group", "-(asbest OR cpv:09)", false, []string{
			"✗ excluded, because of these:",
			"  ✓ any of these:",
			`    ✗ no "asbest" in title, description or buyer`,
			"    ✓ cpv 09331200 under 09",
		}},
		{"nested conjunction", "asbest OR (renovatie almelo)", true, []string{
			"✓ any of these:",
			`  ✗ no "asbest" in title, description or buyer`,
			"  ✓ all of these:",
			`    ✓ "renovatie" in title`,
			`    ✓ "almelo" in buyer`,
		}},
		{"single leaf", "country:BE", false, []string{"✗ country NL, not BE"}},
		{"kind says what it found", "kind:tender,award -kind:early", true, []string{"✓ kind tender", "✓ kind tender, not early engagement"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := compileAt(t, tt.query)
			got := q.Explain(&notice)
			if got.Matched != tt.matched || !slices.Equal(got.Lines, tt.lines) {
				t.Errorf("Compile(%q).Explain() = %v\n%q\nwant %v\n%q", tt.query, got.Matched, got.Lines, tt.matched, tt.lines)
			}
			if _, ok := q.Match(&notice); ok != got.Matched {
				t.Errorf("Explain says matched=%v, Match says %v", got.Matched, ok)
			}
		})
	}
	if got := compileAt(t, "a").Explain(nil); got.Matched || got.Lines != nil {
		t.Errorf("Explain(nil) = %+v, want the zero Explanation", got)
	}
}
