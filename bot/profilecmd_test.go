package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// TestPauseResumeKeepSettings: a paused profile alerts nobody, says so in
// `profiles`, and comes back with its delivery as it was.
func TestPauseResumeKeepSettings(t *testing.T) {
	h := newHarness(t)
	h.poll() // the baseline
	h.say(alice, `subscribe name="Bouw" cpv:45`)
	h.say(alice, "digest Bouw daily")
	if got := h.say(alice, "pause Bouw").Text; !strings.Contains(got, "Paused") {
		t.Fatalf("pause: %q", got)
	}
	if got := h.say(alice, "profiles").Text; !strings.Contains(got, "paused") || !strings.Contains(got, "daily") {
		t.Errorf("profiles: got %q, want Bouw shown paused and still daily", got)
	}
	h.poll(notice("n-paused", "Renovatie brug", "45221000", "NL213", h.clock.Now()))
	h.clock.Advance(48 * time.Hour)
	h.deliver()
	for _, m := range h.chat.Sent() {
		if strings.Contains(m.Message.Text, "Renovatie brug") || strings.Contains(strings.Join(cardIDs(m.Message), ","), "n-paused") {
			t.Errorf("a paused profile alerted: %+v", m.Message)
		}
	}
	if got := h.say(alice, "resume 1").Text; !strings.Contains(got, "Resumed") {
		t.Fatalf("resume: %q", got)
	}
	if got := h.say(alice, "profiles").Text; strings.Contains(got, "paused") || !strings.Contains(got, "daily") {
		t.Errorf("profiles after resume: got %q, want Bouw active and daily", got)
	}
}

func TestRenameAndEditKeepTheProfile(t *testing.T) {
	h := newHarness(t)
	h.poll(notice("n-dak", "Dakrenovatie sporthal", "45261000", "NL213", h.clock.Now()))
	h.say(alice, "subscribe cpv:45")
	h.say(alice, "digest 1 weekly")
	if got := h.say(alice, `rename 1 "Bouw Twente"`).Text; !strings.Contains(got, `"Bouw Twente"`) {
		t.Fatalf("rename: %q", got)
	}
	edited := h.say(alice, "edit \"Bouw Twente\" cpv:4526 nuts:NL21")
	if !strings.Contains(edited.Text, "cpv:4526") || !strings.Contains(strings.Join(cardIDs(edited), ","), "n-dak") {
		t.Errorf("edit: got %q with cards %v, want the new query and its preview", edited.Text, cardIDs(edited))
	}
	got := h.say(alice, "profiles").Text
	if !strings.Contains(got, "Bouw Twente") || !strings.Contains(got, "cpv:4526") || !strings.Contains(got, "weekly") || strings.Contains(got, "2.") {
		t.Errorf("profiles after rename and edit: %q", got)
	}
	if got := h.say(alice, "edit 1 cpv:(").Text; !strings.Contains(strings.ToLower(got), "cpv") {
		t.Errorf("a bad query: %q", got)
	}
}

func TestUnfollowAndFeedbackByRef(t *testing.T) {
	h := newHarness(t)
	n := notice("n-brug", "Renovatie brug", "45221000", "NL213", h.clock.Now())
	h.poll(n)
	h.say(alice, "subscribe cpv:45")
	ref := bot.NoticeRef(n.ID)
	if got := h.say(alice, "follow "+ref).Text; !strings.Contains(got, "You follow") {
		t.Fatalf("follow: %q", got)
	}
	if got := h.say(alice, "unfollow "+ref).Text; !strings.Contains(got, "no longer follow") {
		t.Errorf("unfollow: %q", got)
	}
	if got := h.say(alice, "home").Text; strings.Contains(got, "Renovatie brug") {
		t.Errorf("home still lists the unfollowed tender: %q", got)
	}
	if got := h.say(alice, "unfollow "+ref).Text; !strings.Contains(got, "do not follow") {
		t.Errorf("unfollow again: %q", got)
	}
	if got := h.say(alice, "not-relevant "+ref).Text; !strings.Contains(got, "not relevant") {
		t.Errorf("not-relevant: %q", got)
	}
	if got := h.say(alice, "mute "+ref).Text; !strings.Contains(got, "Muted Gemeente Almelo") {
		t.Errorf("mute: %q", got)
	}
	if got := h.say(bob, "mute "+ref).Text; !strings.Contains(got, "none of your profiles") {
		t.Errorf("mute without a matching profile: %q", got)
	}
}
