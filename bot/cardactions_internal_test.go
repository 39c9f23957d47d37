package bot

import "testing"

// AreCardActions knows a card's buttons For a profile without making them,
// and nothing else passes for them.
func TestAreCardActionsAreTheButtonsForMakes(t *testing.T) {
	for _, profile := range []int64{0, 7} {
		actions := cardActions("n-1", profile)
		if !AreCardActions(actions, "n-1", profile) {
			t.Errorf("profile %d: the buttons For makes are not recognised", profile)
		}
		if AreCardActions(actions, "n-2", profile) || AreCardActions(actions, "n-1", profile+1) || AreCardActions(actions[:len(actions)-1], "n-1", profile) {
			t.Errorf("profile %d: buttons of another notice or profile, or too few, pass", profile)
		}
	}
	swapped := cardActions("n-1", 7)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	if AreCardActions(swapped, "n-1", 7) {
		t.Error("buttons in another order pass")
	}
	if NoticeRef("n-1") == NoticeRef("n-2") || NoticeRef("n-1") != NoticeRef("n-1") {
		t.Error("a notice's reference must be its own, however often asked")
	}
}
