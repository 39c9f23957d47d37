package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

func TestAProfileQueryIsBoundedAndSaysTheBound(t *testing.T) {
	h := newHarness(t)
	long := strings.TrimSpace(strings.Repeat("renovatie ", 101)) // 1,009 characters
	for _, text := range []string{"subscribe " + long, "subscribe here " + long, "search " + long} {
		reply := h.bot.Handle(h.ctx, bot.Command{From: alice, Channel: "C1", Text: text})
		if !strings.Contains(reply.Text, "1,000 characters") {
			t.Errorf("%.20s…: got %q, want the refusal to name the 1,000-character bound", text, reply.Text)
		}
	}
	profiles, err := h.store.ListProfiles(h.ctx, alice)
	if err != nil || len(profiles) != 0 {
		t.Errorf("profiles after the refusals: got %d, %v; want none", len(profiles), err)
	}
	ok := strings.TrimSpace(strings.Repeat("renovatie ", 100)) // 999 characters
	if reply := h.say(alice, "subscribe "+ok); !strings.Contains(reply.Text, "Saved") {
		t.Errorf("a 999-character query: got %q, want it saved", reply.Text)
	}
}

func TestAnUnknownCommandIsQuotedShort(t *testing.T) {
	h := newHarness(t)
	word := strings.Repeat("x", 100_000)
	for _, text := range []string{word, "help " + word} {
		reply := h.say(alice, text)
		if n := utf8.RuneCountInString(reply.Text); n > 300 {
			t.Errorf("reply to a 100,000-character command: %d characters, want a short one: %.120q", n, reply.Text)
		}
		if !strings.Contains(reply.Text, strings.Repeat("x", 40)+"…") {
			t.Errorf("reply: got %.120q, want a 40-character prefix with an ellipsis", reply.Text)
		}
	}
}
