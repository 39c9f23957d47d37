package text

import (
	"strings"
	"testing"
)

// buttonLabels are the ids of the buttons' texts that messages tell people
// to press.
var buttonLabels = []string{"Follow", "Not relevant", "Mute buyer", "Erase my data", "Going", "Maybe", "Can't go", "Publish", "Ask a question", "Save"}

// TestMessagesNameTheButtonsAsTheyRead: a message that says to press a
// button names it, in Dutch, as the button's own Dutch label reads.
func TestMessagesNameTheButtonsAsTheyRead(t *testing.T) {
	checked := 0
	for id, nl := range dutch {
		for _, label := range buttonLabels {
			said := false
			for _, ref := range []string{"press " + label, "Press " + label, "press <strong>" + label + "</strong>", "press *" + label + "*", ", " + label + " or "} {
				said = said || strings.Contains(id, ref)
			}
			if !said {
				continue
			}
			checked++
			if !strings.Contains(nl, dutch[label]) {
				t.Errorf("%q names the button %q, but its translation %q does not say %q", id, label, nl, dutch[label])
			}
		}
	}
	if checked == 0 {
		t.Fatal("no message names a button")
	}
}

// TestButtonLabelsFit: Slack takes at most 75 characters on a button,
// Discord 80.
func TestButtonLabelsFit(t *testing.T) {
	for _, label := range append(buttonLabels, "Open notice", "Save draft", "Send", "Cancel", "Back", "Preview", "Save profile", "Edit", "Add to Slack") {
		nl, ok := dutch[label]
		if !ok {
			t.Errorf("no Dutch for the button %q", label)
		}
		if n := len([]rune(nl)); n > 75 {
			t.Errorf("the button %q reads %q in Dutch, %d characters; Slack takes 75", label, nl, n)
		}
	}
}
