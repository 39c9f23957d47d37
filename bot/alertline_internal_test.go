package bot

import (
	"testing"

	"github.com/tenderbot/tenderbot/bot/text"
)

// The line for one profile is made once a language and kind, around the
// name; it must read exactly as the line made for that name.
func TestAlertLineForOneProfileIsTheLineMadeForIt(t *testing.T) {
	names := []string{"sporthal", `de "grote" klus`, "café ☕", "", `\x00`, "a\x00b", "%s %d"}
	for _, lang := range []text.Language{text.English, text.Dutch} {
		p := text.For(lang)
		for _, kind := range []Kind{KindEarly, KindTender, KindAward, KindChange, KindOther, ""} {
			for _, name := range names {
				if got, want := AlertLine(p, kind, []string{name}), alertLine(p, kind, []string{name}); got != want {
					t.Errorf("%s %q %q: got %q, want %q", lang, kind, name, got, want)
				}
			}
		}
	}
}
