package text

import (
	"fmt"
	"testing"
)

// TestArgumentsSaidLater: lists, codes with labels and messages given as
// arguments are said in the language of the message that holds them, and
// in English where they are printed as they are.
func TestArgumentsSaidLater(t *testing.T) {
	nl := For(Dutch)
	list := Or(Labelled{Code: "cpv:03", English: "Agricultural products", Dutch: "Landbouwproducten"}, Labelled{Code: "cpv:09"}, M("%s (%s)", "early", Phrase("early engagement")))
	for _, tt := range []struct{ got, want string }{
		{nl.Sprintf("%s", list), "cpv:03 (Landbouwproducten), cpv:09 of early (vroege marktverkenning)"},
		{For(English).Sprintf("%s", list), "cpv:03 (Agricultural products), cpv:09 or early (early engagement)"},
		{fmt.Sprintf("%s", list), "cpv:03 (Agricultural products), cpv:09 or early (early engagement)"},
		{nl.Sprintf("%s", And("a", "b", "c")), "a, b en c"},
		{nl.Sprintf("%s", Or("a")), "a"},
		{nl.Sprintf("%s", Labelled{Code: "NL42", English: "Limburg (NL)"}), "NL42 (Limburg (NL))"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
