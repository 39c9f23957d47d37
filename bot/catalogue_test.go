package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/text"
)

// dutch speaks Dutch, to check what the menus show Dutch readers.
var dutch = text.For(text.Dutch)

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
			if nl := dutch.Text(c.Brief); nl == c.Brief || len([]rune(nl)) > 100 {
				t.Errorf("brief %q in Dutch is %q: want a translation of at most 100 characters", c.Brief, nl)
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
				if nl := dutch.Text(o.Description); nl == o.Description || len([]rune(nl)) > 100 {
					t.Errorf("option %s: description %q in Dutch is %q, want a translation of at most 100 characters", o.Name, o.Description, nl)
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

// TestHelpInDutch checks that help, a command's page and the query
// language's help speak Dutch to a Dutch reader, the command words and
// query examples as typed, while English stays the default.
func TestHelpInDutch(t *testing.T) {
	b := bot.New(bot.Options{})
	from := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "W1", User: "U1"}
	for _, tc := range []struct{ line, locale, want string }{
		{"help", "nl", "Ik zoek openbare aanbestedingen"},
		{"help", "nl", "`profiles [here]` — toon je profielen"},
		{"help", "nl", "Zet in Slack /tender voor een commando"},
		{"help subscribe", "nl", "Zoekvragen:\n  renovatie sporthal   beide woorden"},
		{"help subscribe", "nl", "Voorbeeld: subscribe cpv:45 nuts:NL21 -asbest value:>=50k"},
		{"help frobnicate", "nl", "Het commando \"frobnicate\" bestaat niet."},
		{"help", "", "I find public tenders"},
		{"help search", "", "Queries:\n  renovatie sporthal   both words"},
	} {
		got := b.Handle(context.Background(), bot.Command{From: from, Text: tc.line, Locale: tc.locale})
		if !strings.Contains(got.Text, tc.want) {
			t.Errorf("%q in %q: got %q, want it to contain %q", tc.line, tc.locale, got.Text, tc.want)
		}
	}
}
