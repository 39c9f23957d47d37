package discord

import (
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/profileform"
)

// TestFormAsksForTheCoresFields checks that the modal leaves out none of
// the core's profile form fields but the name (an option of /tender
// subscribe) and single choices (which keep their default).
func TestFormAsksForTheCoresFields(t *testing.T) {
	asked := map[string]bool{}
	for _, f := range formFields {
		asked[f.Key] = true
	}
	for _, f := range profileform.Fields() {
		if want := f.Key != bot.FieldName && f.Input != profileform.PickOne; asked[f.Key] != want {
			t.Errorf("field %q: asked %v, want %v", f.Key, asked[f.Key], want)
		}
	}
}
