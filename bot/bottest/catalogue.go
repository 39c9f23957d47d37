package bottest

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// helpLine is a command's line in help: "  `usage` — summary".
var helpLine = regexp.MustCompile("(?m)^\\s*`([^`]+)` — ")

// HelpMatchesCatalogue checks a help text as a chat shows it against the
// core's catalogue: it must list every command of bot.Commands with its
// usage and summary, and no command the catalogue lacks.
func HelpMatchesCatalogue(help string) error {
	var problems []string
	words := map[string]bool{}
	for _, c := range bot.Commands() {
		word, _, _ := strings.Cut(c.Line, " ")
		words[word] = true
		if want := "`" + c.Usage + "` — " + c.Summary; !strings.Contains(help, want) {
			problems = append(problems, fmt.Sprintf("lacks %q", want))
		}
	}
	for _, m := range helpLine.FindAllStringSubmatch(help, -1) {
		if word, _, _ := strings.Cut(m[1], " "); !words[word] {
			problems = append(problems, fmt.Sprintf("offers %q, which the catalogue does not have", m[1]))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("help and bot.Commands differ: %s", strings.Join(problems, "; "))
	}
	return nil
}
