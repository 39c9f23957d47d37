package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/tenderbot/tenderbot/bot"
)

// handled is the outcome of a request from Slack: what to acknowledge it
// with, within Slack's three seconds, and the work that follows the ack.
// Socket Mode and HTTP mode both carry it out.
type handled struct {
	ack  any                       // the ack's payload; nil acknowledges with nothing
	then func(ctx context.Context) // work after the ack; nil for none
}

// handleSlashCommand answers /tender: "subscribe" alone (or "subscribe
// here" in a channel) opens the profile form, "event new" alone the event
// form; anything else is a command for the core, answered ephemerally.
func (s *Slack) handleSlashCommand(core Core, cmd slackapi.SlashCommand) handled {
	from := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: cmd.TeamID, User: cmd.UserID}
	channel := commandChannel(cmd.ChannelID, cmd.ChannelName)
	to := replyTo{team: cmd.TeamID, responseURL: cmd.ResponseURL, channel: cmd.ChannelID, user: cmd.UserID}
	text := commandText(cmd.Text)
	if form, here := formRequest(text); form && (!here || channel != "") {
		meta := formMeta{ResponseURL: cmd.ResponseURL}
		if here {
			meta.Channel = channel
		}
		// The trigger_id is good for three seconds: open the form at once.
		return handled{then: func(ctx context.Context) { s.openForm(ctx, cmd.TriggerID, meta, to) }}
	}
	if eventFormRequest(text) {
		meta := formMeta{ResponseURL: cmd.ResponseURL}
		return handled{then: func(ctx context.Context) { s.openEventForm(ctx, core, from, cmd.TriggerID, meta, to) }}
	}
	return handled{then: func(ctx context.Context) {
		manager := channel != "" && aboutThisChannel(text) && s.managesChannel(ctx, cmd.TeamID, cmd.UserID, cmd.ChannelID)
		s.reply(ctx, to, core.Handle(ctx, bot.Command{From: from, Channel: channel, Text: text, Mentions: s.lookUpMentions(ctx, cmd.TeamID, text), Groups: userGroups(text), ChannelManager: manager, Locale: s.userLocale(ctx, cmd.TeamID, cmd.UserID)}))
	}}
}

// isChannel reports whether a conversation id is a channel's, public or
// private, rather than a direct message's (D…).
func isChannel(id string) bool { return id != "" && !strings.HasPrefix(id, "D") }

// aboutThisChannel reports whether a command works on the channel's own
// profiles ("unsubscribe here 1"): only then is the Web API asked who
// manages the channel.
func aboutThisChannel(text string) bool {
	fields := strings.Fields(text)
	return len(fields) > 1 && strings.EqualFold(fields[1], "here")
}

// managesChannel asks the Web API whether user manages channel: a
// workspace admin or owner (users.info), or the channel's creator
// (conversations.info). A failed lookup is no: the core then asks for the
// profile's maker or a bot admin.
func (s *Slack) managesChannel(ctx context.Context, team, user, channel string) bool {
	api, err := s.web(ctx, team)
	if err != nil {
		s.log.Warn("users.info", "user", user, "err", err)
		return false
	}
	// A failed lookup of the person leaves the channel's own answer: its
	// creator manages it, whatever Slack says of them elsewhere.
	u, err := api.GetUserInfoContext(ctx, user, slackapi.GetUserInfoOptionIncludeLocale(true))
	s.rememberLocale(team, user, u, err) // the reply's language, without asking again
	if err != nil {
		s.log.Warn("users.info", "user", user, "err", err)
	} else if u.IsAdmin || u.IsOwner || u.IsPrimaryOwner {
		return true
	}
	ch, err := api.GetConversationInfoContext(ctx, &slackapi.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		s.log.Warn("conversations.info", "channel", channel, "err", err)
		return false
	}
	return ch.Creator == user
}

// handleInteraction answers a button click, a modal submission or a request
// for select options.
func (s *Slack) handleInteraction(ctx context.Context, core Core, ic slackapi.InteractionCallback) handled {
	from := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: interactionTeam(ic), User: ic.User.ID}
	switch ic.Type {
	case slackapi.InteractionTypeBlockActions:
		return s.handleBlockActions(core, from, ic)
	case slackapi.InteractionTypeBlockSuggestion:
		return handled{ack: suggestions(s.userPrinter(ctx, ic.Team.ID, ic.User.ID), core, ic.ActionID, ic.Value)}
	case slackapi.InteractionTypeViewSubmission:
		return s.handleViewSubmission(ctx, core, from, ic)
	}
	return handled{}
}

// handleBlockActions answers button clicks: a card's buttons go to the
// core, "New profile" opens the form, an event's "Ask a question" the
// question modal, "Open notice" needs nothing.
func (s *Slack) handleBlockActions(core Core, from bot.Subscriber, ic slackapi.InteractionCallback) handled {
	channel := ic.Channel.ID
	if channel == "" {
		channel = ic.Container.ChannelID
	}
	to := replyTo{team: from.Workspace, responseURL: ic.ResponseURL, channel: channel, user: ic.User.ID}
	var work []func(ctx context.Context)
	for _, a := range ic.ActionCallback.BlockActions {
		switch a.ActionID {
		case openNoticeAction:
			continue
		case openFormAction:
			meta := formMeta{Channel: a.Value, ResponseURL: ic.ResponseURL}
			work = append(work, func(ctx context.Context) { s.openForm(ctx, ic.TriggerID, meta, to) })
			continue
		}
		action, err := bot.ParseAction(a.ActionID)
		if err != nil {
			work = append(work, func(ctx context.Context) {
				p := s.userPrinter(ctx, from.Workspace, ic.User.ID)
				s.reply(ctx, to, bot.Message{Text: bot.ErrorText(p, err), Language: p.Language()})
			})
			continue
		}
		if action.Kind == bot.ActionAsk {
			meta := formMeta{ResponseURL: ic.ResponseURL, Event: action.EventID}
			work = append(work, func(ctx context.Context) { s.openAsk(ctx, core, from, ic.TriggerID, action, meta, to) })
			continue
		}
		work = append(work, func(ctx context.Context) {
			// Muting a buyer changes a channel's profile: only its managers
			// (and whoever made the profile, and admins) may.
			manager := action.Kind == bot.ActionMuteBuyer && isChannel(channel) && s.managesChannel(ctx, from.Workspace, ic.User.ID, channel)
			s.reply(ctx, to, core.HandleAction(ctx, bot.Click{From: from, Action: action, ChannelManager: manager, Locale: s.userLocale(ctx, from.Workspace, ic.User.ID)}))
		})
	}
	if len(work) == 0 {
		return handled{}
	}
	return handled{then: func(ctx context.Context) {
		for _, w := range work {
			w(ctx)
		}
	}}
}

// handleEvent answers an Events API event: the App Home tab opening,
// direct messages to the bot, which are commands like /tender's, and the
// app's removal from a workspace (app_uninstalled, tokens_revoked of the
// bot's token), which forgets the workspace and fails its pending
// deliveries. An event
// Slack delivers again (same event_id) is acknowledged and not handled
// twice.
func (s *Slack) handleEvent(core Core, outer slackevents.EventsAPIEvent) handled {
	if cb, ok := outer.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
		ctx, cancel := context.WithTimeout(context.Background(), eventCheckTimeout)
		now := s.opts.Now()
		fresh, err := s.events.SeenRequest(ctx, "slack-event:"+cb.EventID, now, now.Add(eventReplayWindow))
		cancel()
		if err != nil {
			// Answering twice is better than not answering a person.
			s.log.Warn("cannot tell whether a Slack event was handled before; handling it", "event_id", cb.EventID, "err", err)
			fresh = true
		}
		if !fresh {
			s.log.Debug("Slack event delivered again; already handled", "event_id", cb.EventID)
			return handled{}
		}
	}
	switch ev := outer.InnerEvent.Data.(type) {
	case *slackevents.AppUninstalledEvent:
		return handled{then: func(ctx context.Context) { s.uninstall(ctx, outer.TeamID, reasonUninstalled) }}
	case *slackevents.TokensRevokedEvent:
		if len(ev.Tokens.Bot) == 0 {
			return handled{} // people's tokens: the bot holds none
		}
		return handled{then: func(ctx context.Context) { s.uninstall(ctx, outer.TeamID, reasonRevoked) }}
	case *slackevents.AppHomeOpenedEvent:
		if ev.Tab != "home" {
			return handled{}
		}
		user := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: outer.TeamID, User: ev.User}
		return handled{then: func(ctx context.Context) { s.publishHome(ctx, core, user) }}
	case *slackevents.MessageEvent:
		if ev.ChannelType != slackevents.ChannelTypeIM || ev.SubType != "" || ev.BotID != "" || ev.User == "" || s.isBotUser(outer.TeamID, ev.User) {
			return handled{} // not a person writing to the bot
		}
		from := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: outer.TeamID, User: ev.User}
		to := replyTo{team: outer.TeamID, channel: ev.Channel, user: ev.User}
		text := commandText(ev.Text)
		if form, here := formRequest(text); form && !here {
			// A message brings no trigger_id to open a modal with: offer a
			// button that does.
			return handled{then: func(ctx context.Context) { s.post(ctx, to, formInvite(s.userPrinter(ctx, outer.TeamID, ev.User))) }}
		}
		return handled{then: func(ctx context.Context) {
			s.reply(ctx, to, core.Handle(ctx, bot.Command{From: from, Text: text, Mentions: s.lookUpMentions(ctx, outer.TeamID, text), Locale: s.userLocale(ctx, outer.TeamID, ev.User)}))
		}}
	}
	return handled{}
}

// commandChannel is the channel a command was typed in, as the core knows
// it: "" in a direct message with the bot.
func commandChannel(id, name string) string {
	if strings.HasPrefix(id, "D") || name == "directmessage" {
		return ""
	}
	return id
}

// commandText undoes what Slack does to typed text: &, < and > arrive as
// HTML entities, and clients may turn quotes into typographic ones.
func commandText(s string) string {
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "“", `"`, "”", `"`).Replace(s)
	s = escapedLinkRe.ReplaceAllString(s, "$1") // <https://…|label>: the URL as typed
	return strings.TrimSpace(s)
}

// escapedLinkRe is a link as Slack escapes it in a message or, with
// should_escape, in a slash command's text.
var escapedLinkRe = regexp.MustCompile(`<(https?://[^|>\s]+)(?:\|[^>]*)?>`)

// formRequest reports whether text asks for the profile form: "subscribe"
// with nothing after it, or "subscribe here" (here: for the channel).
func formRequest(text string) (form, here bool) {
	words := strings.Fields(text)
	if len(words) == 0 || !strings.EqualFold(words[0], "subscribe") {
		return false, false
	}
	switch {
	case len(words) == 1:
		return true, false
	case len(words) == 2 && strings.EqualFold(words[1], "here"):
		return true, true
	}
	return false, false
}

// interactionTeam is the workspace an interaction came from.
func interactionTeam(ic slackapi.InteractionCallback) string {
	for _, id := range []string{ic.Team.ID, ic.User.TeamID, ic.View.TeamID} {
		if id != "" {
			return id
		}
	}
	return ""
}

// parseInteraction reads an interaction payload.
func parseInteraction(payload []byte) (slackapi.InteractionCallback, error) {
	var ic slackapi.InteractionCallback
	if err := json.Unmarshal(payload, &ic); err != nil {
		return slackapi.InteractionCallback{}, fmt.Errorf("slack: interaction payload: %w", err)
	}
	return ic, nil
}
