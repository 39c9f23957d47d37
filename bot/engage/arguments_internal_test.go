package engage

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

func TestParseFields(t *testing.T) {
	got, err := parseFields(`title="Marktconsultatie \"zon\"" kind=consultation place=“Stadhuis Almelo” capacity=30`)
	if err != nil {
		t.Fatal(err)
	}
	want := []field{{"title", `Marktconsultatie "zon"`}, {"kind", "consultation"}, {"place", "Stadhuis Almelo"}, {"capacity", "30"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: got %q, want %q", i, got[i], want[i])
		}
	}
	for _, bad := range []string{`title="open`, `just words`, `=value`, `title=x stray`} {
		if _, err := parseFields(bad); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("parseFields(%q): %v, want bot.EINVALID", bad, err)
		}
	}
}

func FuzzParseFields(f *testing.F) {
	for _, seed := range []string{`title="a b" kind=x`, `a=“b c”`, `k="\"`, `x=`, `=`, `a=b=c d="e\" f"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := parseFields(s)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("parseFields(%q): %v is not a person's error", s, err)
			}
			return
		}
		for _, fl := range fields {
			if fl.Key == "" || strings.ContainsFunc(fl.Key, unicode.IsSpace) {
				t.Fatalf("parseFields(%q): bad key %q", s, fl.Key)
			}
			if utf8.ValidString(s) && !utf8.ValidString(fl.Value) {
				t.Fatalf("parseFields(%q): value %q is not UTF-8", s, fl.Value)
			}
		}
	})
}
