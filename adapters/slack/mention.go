package slack

import (
	"context"
	"errors"
	"regexp"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
)

// Mentions. With should_escape on (deploy/slack/manifest.yaml), Slack
// sends a mention in /tender's text as <@U0123|name>, as it does in direct
// messages; "@name" typed without picking the person stays plain text,
// which names nobody. The adapter looks up who each mention names and
// hands the answers to the core, which decides what to do with them.

var (
	escapedMentionRe = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$`)
	memberIDRe       = regexp.MustCompile(`^@?([UW][A-Z0-9]{5,})$`)
	// userGroupRe is a user group's mention: <!subteam^S0123|@team>.
	userGroupRe = regexp.MustCompile(`^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$`)
	// slackIDRe is the shape of the ids a rendered mention may carry.
	slackIDRe = regexp.MustCompile(`^[A-Z0-9]+$`)
)

// userGroups finds the user groups text mentions, as written → their ids;
// nil when it mentions none.
func userGroups(text string) map[string]string {
	var groups map[string]string
	for _, word := range bot.MentionWords(text) {
		if m := userGroupRe.FindStringSubmatch(word); m != nil {
			if groups == nil {
				groups = map[string]string{}
			}
			groups[word] = m[1]
		}
	}
	return groups
}

// mentionText is how a message calls the people and groups it names, ahead
// of its text: <!subteam^S0123> for a group, <@U0123> for a person. An id
// that is not Slack's shape is left out rather than rendered.
func mentionText(mentions []bot.Mention) string {
	var parts []string
	for _, m := range mentions {
		switch {
		case !slackIDRe.MatchString(m.ID):
		case m.Group:
			parts = append(parts, "<!subteam^"+m.ID+">")
		default:
			parts = append(parts, "<@"+m.ID+">")
		}
	}
	return strings.Join(parts, " ")
}

// lookUpMentions finds the users the mentions in text name, asking
// users.info once per id; nil when text mentions nobody. A mention that is
// not an id ("@jan"), an id Slack does not know, a deleted user or a bot
// names nobody ("").
func (s *Slack) lookUpMentions(ctx context.Context, team, text string) *bot.Mentions {
	var mentions bot.Mentions
	found := map[string]string{} // id → the id, or "" for nobody
	for _, word := range bot.MentionWords(text) {
		if !strings.HasPrefix(word, "@") && !strings.HasPrefix(word, "<@") && !memberIDRe.MatchString(word) {
			continue
		}
		if mentions == nil {
			mentions = bot.Mentions{}
		}
		id := ""
		if m := escapedMentionRe.FindStringSubmatch(word); m != nil {
			id = m[1]
		} else if m := memberIDRe.FindStringSubmatch(word); m != nil {
			id = m[1]
		}
		if id == "" {
			mentions[word] = ""
			continue
		}
		user, ok := found[id]
		if !ok {
			user = s.userID(ctx, team, id)
			found[id] = user
		}
		mentions[word] = user
	}
	if mentions == nil {
		return nil
	}
	return &mentions
}

// userID returns id when it is a person in the workspace, "" otherwise.
func (s *Slack) userID(ctx context.Context, team, id string) string {
	api, err := s.web(ctx, team)
	if err != nil {
		s.log.Warn("users.info impossible; the mention counts as nobody", "user", id, "err", err)
		return ""
	}
	u, err := api.GetUserInfoContext(ctx, id)
	var slackErr slackapi.SlackErrorResponse
	switch {
	case errors.As(err, &slackErr) && slackErr.Err == "user_not_found":
		return ""
	case err != nil:
		s.log.Warn("users.info failed; the mention counts as nobody", "user", id, "err", err)
		return ""
	case u.Deleted || u.IsBot:
		return ""
	}
	return u.ID
}
