package discord

import (
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
)

// Mentions. Discord writes a role or a person picked in a text option as
// <@&123…> or <@123…>; the adapter hands the core the ids behind them, and
// renders the people and roles a message calls, letting exactly those be
// notified (allowed_mentions), never @everyone or @here.

var (
	roleMentionRe = regexp.MustCompile(`^<@&([0-9]+)>$`)
	userMentionRe = regexp.MustCompile(`^<@!?([0-9]+)>$`)
	snowflakeRe   = regexp.MustCompile(`^[0-9]+$`)
)

// mentionsIn finds the people and roles a command's text mentions, as
// written → their ids; nil maps when it mentions none.
func mentionsIn(text string) (users *bot.Mentions, roles map[string]string) {
	for _, word := range bot.MentionWords(text) {
		if m := roleMentionRe.FindStringSubmatch(word); m != nil {
			if roles == nil {
				roles = map[string]string{}
			}
			roles[word] = m[1]
		} else if m := userMentionRe.FindStringSubmatch(word); m != nil {
			if users == nil {
				users = &bot.Mentions{}
			}
			(*users)[word] = m[1]
		}
	}
	return users, roles
}

// calling renders the people and roles mentions call, ahead of a message's
// text, and the allowed_mentions that let exactly them be notified; an id
// that is not a Discord id is left out.
func calling(mentions []bot.Mention) (string, *discordgo.MessageAllowedMentions) {
	allowed := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	var parts []string
	for _, m := range mentions {
		switch {
		case !snowflakeRe.MatchString(m.ID):
		case m.Group:
			parts = append(parts, "<@&"+m.ID+">")
			allowed.Roles = append(allowed.Roles, m.ID)
		default:
			parts = append(parts, "<@"+m.ID+">")
			allowed.Users = append(allowed.Users, m.ID)
		}
	}
	if len(parts) == 0 {
		return "", noMentions
	}
	return strings.Join(parts, " "), allowed
}
