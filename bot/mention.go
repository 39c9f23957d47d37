package bot

import (
	"fmt"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// Mention is whom a channel profile's alerts call by name in the channel:
// one person, or one group (a Slack user group, a Discord role). Never
// everyone: there is no mention of the whole channel.
type Mention struct {
	Group bool   `json:"group,omitempty"` // a group, not a person
	ID    string `json:"id"`              // the platform's id of the person or group
}

// IsZero reports whether m calls nobody.
func (m Mention) IsZero() bool { return m.ID == "" }

// String is m as a store keeps it: "user:U0123" or "group:S0123"; "" for
// nobody.
func (m Mention) String() string {
	switch {
	case m.IsZero():
		return ""
	case m.Group:
		return "group:" + m.ID
	}
	return "user:" + m.ID
}

// who is the mention in words, for replies that must not notify anyone.
func (m Mention) who(p text.Printer) string {
	if m.Group {
		return p.Sprintf("the group it names")
	}
	return p.Sprintf("the person it names")
}

// ParseMention reads String's form.
func ParseMention(s string) (Mention, error) {
	if s == "" {
		return Mention{}, nil
	}
	kind, id, ok := strings.Cut(s, ":")
	if !ok || id == "" || (kind != "user" && kind != "group") {
		return Mention{}, fmt.Errorf("%q is not a mention (user:ID or group:ID)", s)
	}
	return Mention{Group: kind == "group", ID: id}, nil
}

// MentionWords are the words of a command's text that may be mentions, for
// the chats to look up: each word, or the value of a key=value word
// ("mention=<@U0123|jan>" gives "<@U0123|jan>"), as the core reads them.
func MentionWords(text string) []string {
	words := strings.Fields(text)
	for i, word := range words {
		if _, value, ok := strings.Cut(word, "="); ok && !strings.HasPrefix(word, "<") {
			words[i] = value
		}
	}
	return words
}

// everyoneMentions are the ways of calling a whole channel, which a profile
// may never do, as people write them and as Slack and Discord encode them.
var everyoneMentions = []string{"@here", "@channel", "@everyone", "here", "channel", "everyone", "<!here>", "<!channel>", "<!everyone>"}

// mentionIn resolves the mention= value written in c: a group or a person
// the chat found behind it (c.Groups, c.Mentions).
func (c Command) mentionIn(written string) (Mention, error) {
	lower := strings.ToLower(written)
	for _, all := range everyoneMentions {
		if lower == all || strings.HasPrefix(lower, strings.TrimSuffix(all, ">")+"|") { // <!here|@here>
			return Mention{}, Errorf(EINVALID, "A profile never calls the whole channel (@here, @channel, @everyone). Name one user group or person, e.g. `mention=@team-tenders`.")
		}
	}
	if id := c.Groups[written]; id != "" {
		return Mention{Group: true, ID: id}, nil
	}
	if c.Mentions != nil {
		if id := (*c.Mentions)[written]; id != "" {
			return Mention{ID: id}, nil
		}
	}
	if c.From.Platform == PlatformConsole {
		return Mention{}, Errorf(EINVALID, "Mentions work in Slack and Discord channels, where I can tell who %s is.", quote(written))
	}
	return Mention{}, Errorf(EINVALID, "%s is not a user group or person I can find here. Type @ and pick the group from the list, so the chat sends it as a mention.", quote(written))
}
