package console

import (
	"context"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// coreWithoutOutbox is a core with nothing to wait for.
type coreWithoutOutbox struct{ *bot.Bot }

func (coreWithoutOutbox) WaitIdle(context.Context) error { return nil }

// TestHelpIsTheCatalogue checks that help, as the console prints it,
// offers the core's commands: all of them, and no other.
func TestHelpIsTheCatalogue(t *testing.T) {
	var out strings.Builder
	c := New(strings.NewReader("help\n"), &out, "ann", nil)
	if err := c.Run(context.Background(), coreWithoutOutbox{bot.New(bot.Options{})}); err != nil {
		t.Fatal(err)
	}
	if err := bottest.HelpMatchesCatalogue(out.String()); err != nil {
		t.Error(err)
	}
}
