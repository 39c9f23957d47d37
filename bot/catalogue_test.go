package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// menuName is what a menu (a Discord subcommand, an option) takes as a name.
var menuName = regexp.MustCompile(`^[a-z][a-z-]{0,31}$`)

func TestCommandsCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range bot.Commands() {
		t.Run(c.Name, func(t *testing.T) {
			if !menuName.MatchString(c.Name) || seen[c.Name] {
				t.Errorf("name %q: not a menu name, or listed twice", c.Name)
			}
			seen[c.Name] = true
			if word, _, _ := strings.Cut(c.Line, " "); !strings.HasPrefix(c.Usage, word) {
				t.Errorf("usage %q does not start with the line's word %q", c.Usage, word)
			}
			if c.Summary == "" || c.Brief == "" || len([]rune(c.Brief)) > 100 {
				t.Errorf("summary %q, brief %q: want both, the brief at most 100 characters", c.Summary, c.Brief)
			}
			names := map[string]bool{}
			for _, o := range c.Options {
				if !menuName.MatchString(o.Name) || names[o.Name] {
					t.Errorf("option %q: not a menu name, or declared twice", o.Name)
				}
				names[o.Name] = true
				if o.Description == "" || len([]rune(o.Description)) > 100 {
					t.Errorf("option %s: description %q, want 1 to 100 characters", o.Name, o.Description)
				}
				if (o.Kind == bot.OptionChoice) != (len(o.Choices) > 0) || (o.Kind == bot.OptionCode) != (o.Vocabulary != "") {
					t.Errorf("option %s of kind %s: choices %v, vocabulary %q", o.Name, o.Kind, o.Choices, o.Vocabulary)
				}
			}
		})
	}
}

// TestCatalogueCommandsRun checks that every command of the catalogue is
// one Handle knows: none answers that it is unknown.
func TestCatalogueCommandsRun(t *testing.T) {
	h := newHarness(t)
	for _, c := range bot.Commands() {
		reply := h.bot.Handle(context.Background(), bot.Command{From: alice, Text: c.Line})
		if strings.Contains(reply.Text, "I don't know the command") {
			t.Errorf("%s (%q): %s", c.Name, c.Line, reply.Text)
		}
	}
}

func TestHelpListsTheCatalogue(t *testing.T) {
	b := bot.New(bot.Options{})
	for _, p := range []bot.Platform{bot.PlatformConsole, bot.PlatformSlack, bot.PlatformDiscord} {
		from := bot.Subscriber{Platform: p, Workspace: "W1", User: "U1"}
		if err := bottest.HelpMatchesCatalogue(b.Handle(context.Background(), bot.Command{From: from, Text: "help"}).Text); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
