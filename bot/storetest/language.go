package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/text"
)

// testErrorsSpeakTheReadersLanguage: what a store refuses for a person is
// said in the reader's language, English by default, the same words
// whichever store says it.
func testErrorsSpeakTheReadersLanguage(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	desk := bot.Feed{URL: "https://desk.example.nl/rss", Name: "Desk", Owner: alice, Format: "rss"}
	if err := s.AddFeed(ctx, &desk); err != nil {
		t.Fatal(err)
	}
	again := desk
	for _, tt := range []struct {
		name        string
		err         error
		english, nl string
	}{
		{"feed read already", s.AddFeed(ctx, &again), `A feed with that address or the name "Desk" is read already`, `Een feed met dat adres of de naam "Desk" wordt al gelezen`},
		{"no such feed", s.DeleteFeed(ctx, desk.ID+1), "there is no feed", "er is geen feed"},
		{"role not held", s.RevokeRole(ctx, bob, bot.RoleStaff), "U-bob does not hold the staff role", "U-bob heeft de rol staff niet"},
	} {
		if got := bot.ErrorMessage(tt.err); !strings.Contains(got, tt.english) {
			t.Errorf("%s in English: got %q, want %q in it", tt.name, got, tt.english)
		}
		if got := bot.ErrorText(text.For(text.Dutch), tt.err); !strings.Contains(got, tt.nl) {
			t.Errorf("%s in Dutch: got %q, want %q in it", tt.name, got, tt.nl)
		}
	}
}
