package slack

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// helpCore answers commands as the core does, and the rest as the stub.
type helpCore struct {
	*stubCore
	core *bot.Bot
}

func (c helpCore) Handle(ctx context.Context, cmd bot.Command) bot.Message {
	return c.core.Handle(ctx, cmd)
}

// TestHelpIsTheCatalogue checks that /tender help, as Slack shows it,
// offers the core's commands: all of them, and no other.
func TestHelpIsTheCatalogue(t *testing.T) {
	fake, _ := startSocketApp(t, helpCore{&stubCore{}, bot.New(bot.Options{})})
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U1", Channel: "C0CHAN", Text: "help"})
	deliver(t, fake, cmd)
	answer := responseTo(t, fake, cmd.ResponseURL)
	help := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(texts(t, answer.JSON))
	if err := bottest.HelpMatchesCatalogue(help); err != nil {
		t.Error(err)
	}
}

// TestManifestOffersCatalogueCommands checks that the Slack app
// manifest's usage hint for /tender names only commands the core has.
func TestManifestOffersCatalogueCommands(t *testing.T) {
	manifest, err := os.ReadFile("../../deploy/slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*usage_hint:\s*"([^"]*)"`).FindSubmatch(manifest)
	if m == nil {
		t.Fatal("the manifest has no usage_hint for /tender")
	}
	words := map[string]bool{}
	for _, c := range bot.Commands() {
		word, _, _ := strings.Cut(c.Line, " ")
		words[word] = true
	}
	for _, part := range strings.Split(string(m[1]), "|") {
		if word, _, _ := strings.Cut(strings.TrimSpace(part), " "); !words[word] {
			t.Errorf("usage_hint offers %q, which bot.Commands does not have", word)
		}
	}
}
