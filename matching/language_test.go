package matching

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestErrorsSpeakTheReadersLanguage: what a query error lists (fields,
// kinds, the nearest codes with their labels) and why a value cannot be
// read are said in the reader's language, and stay English in English.
func TestErrorsSpeakTheReadersLanguage(t *testing.T) {
	c := embeddedCompiler(t)
	nl, en := text.For(text.Dutch), text.For(text.English)
	for _, tt := range []struct {
		query    string
		dutch    []string
		english  []string
		notDutch []string
	}{
		{"foo:bar", []string{"title: en value:"}, []string{"title: and value:"}, []string{" and "}},
		{"cpvv:45", []string{"Bedoel je cpv:45?"}, []string{"Did you mean cpv:45?"}, []string{"Did you mean"}},
		{"kind:tendr", []string{"early (vroege marktverkenning)", "change en other", "Bedoel je kind:tender?"}, []string{"early (early engagement)", "change and other", "Did you mean kind:tender?"}, []string{"engagement", "Did you mean"}},
		{"cpv:01", []string{"cpv:03 (Landbouw", " of cpv:09 (Aardolieproducten"}, []string{" or cpv:09 (Petroleum"}, []string{"Petroleum", " or "}},
		{"nuts:NL99", []string{"NL41 (Noord-Brabant) of NL42"}, []string{"NL41 (Noord-Brabant) or NL42"}, []string{" or "}},
		{"value:>=12x", []string{`"x" is geen valuta die ik ken`, "code zoals EUR, GBP of PLN"}, []string{`"x" is no currency I know`}, []string{"no currency"}},
		{"deadline:>=5q", []string{`"5q" is geen aantal dagen`}, []string{`"5q" is no number of days`}, []string{"no number"}},
		{"value:..", []string{"het bereik is leeg"}, []string{"the range is empty"}, []string{"range is"}},
	} {
		_, err := c.compile(tt.query)
		if err == nil {
			t.Errorf("%s: no error", tt.query)
			continue
		}
		dutch, english := bot.ErrorText(nl, err), bot.ErrorText(en, err)
		for _, w := range tt.dutch {
			if !strings.Contains(dutch, w) {
				t.Errorf("%s in Dutch: %q lacks %q", tt.query, dutch, w)
			}
		}
		for _, w := range tt.notDutch {
			if strings.Contains(dutch, w) {
				t.Errorf("%s in Dutch: %q still says %q", tt.query, dutch, w)
			}
		}
		for _, w := range tt.english {
			if !strings.Contains(english, w) || !strings.Contains(err.Error(), w) {
				t.Errorf("%s in English: %q (or %q) lacks %q", tt.query, english, err.Error(), w)
			}
		}
	}
}
