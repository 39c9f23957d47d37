package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
)

// permanentErrors are Slack's answers to a send that no retry can mend.
var permanentErrors = map[string]bool{
	"channel_not_found": true,
	"not_in_channel":    true,
	"account_inactive":  true,
	"is_archived":       true,
	"user_not_found":    true,
	"cannot_dm_bot":     true,
}

// minRetryAfter is the least wait passed on for a rate limit, in case Slack
// says Retry-After: 0.
const minRetryAfter = time.Second

// Send posts m to a Slack channel, or to a person's direct message with the
// bot, and returns the message's ts. A rate limit comes back as
// *bot.RetryAfterError and an error no retry mends as *bot.PermanentError;
// anything else is transient.
func (s *Slack) Send(ctx context.Context, to bot.Subscriber, m bot.Message) (string, error) {
	if to.Platform != bot.PlatformSlack {
		return "", &bot.PermanentError{Err: fmt.Errorf("slack cannot deliver to %s", to.Key())}
	}
	channel := to.Channel
	if channel == "" {
		if to.User == "" {
			return "", &bot.PermanentError{Err: errors.New("slack: subscriber names no user or channel")}
		}
		dm, err := s.openDM(ctx, to.Workspace, to.User)
		if err != nil {
			return "", err
		}
		channel = dm
	}
	if m.Attachment != nil {
		// Before the message: should the upload fail, the retry does not
		// post the message twice.
		if err := s.upload(ctx, to.Workspace, channel, m.Attachment); err != nil {
			return "", err
		}
	}
	opts := messageOptions(renderMessage(m, s.location, messageBlockLimit))
	if m.ReplyTo != "" {
		opts = append(opts, slackapi.MsgOptionTS(m.ReplyTo)) // a follow-up threads under the alert
	}
	if m.Key != "" {
		opts = append(opts, slackapi.MsgOptionMetadata(deliveryMetadata(m.Key)))
	}
	api, err := s.web(ctx, to.Workspace)
	if err != nil {
		return "", sendError("chat.postMessage", err)
	}
	_, ts, err := api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", s.teamError(ctx, to.Workspace, "chat.postMessage", err)
	}
	return ts, nil
}

// RateLimits are Slack's published limits for posting: about one message
// per second in a conversation, with short bursts allowed. Slack states no
// workspace-wide figure for chat.postMessage; a 429 there comes back as
// *bot.RetryAfterError.
func (s *Slack) RateLimits() bot.RateLimits {
	return bot.RateLimits{PerConversation: bot.Rate{Events: 1, Per: time.Second}}
}

// deliveryEvent is the event_type of the metadata alerts carry: the outbox's
// idempotency key, so a message can be recognised as a delivery.
const deliveryEvent = "tenderbot_delivery"

func deliveryMetadata(key string) slackapi.SlackMetadata {
	return slackapi.SlackMetadata{EventType: deliveryEvent, EventPayload: map[string]any{"key": key}}
}

// reconcileWindow is how many of a conversation's latest messages Find
// looks through: a delivery left unrecorded by a crash is among the last.
const reconcileWindow = 100

// Find looks for a delivery the bot posted but did not record before a
// crash: a message among the latest in the conversation (the person's
// direct message, or the channel, read with the channels:history and
// groups:history scopes) whose metadata carries the delivery's key.
func (s *Slack) Find(ctx context.Context, to bot.Subscriber, key string) (string, bool, error) {
	conversation := to.Channel
	if conversation == "" {
		dm, err := s.openDM(ctx, to.Workspace, to.User)
		if err != nil {
			return "", false, err
		}
		conversation = dm
	}
	api, err := s.web(ctx, to.Workspace)
	if err != nil {
		return "", false, sendError("conversations.history", err)
	}
	history, err := api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
		ChannelID: conversation, Limit: reconcileWindow, IncludeAllMetadata: true,
	})
	if err != nil {
		return "", false, fmt.Errorf("slack: conversations.history: %w", err)
	}
	for _, m := range history.Messages {
		if m.Metadata.EventType == deliveryEvent && m.Metadata.EventPayload["key"] == key {
			return m.Timestamp, true, nil
		}
	}
	return "", false, nil
}

// openDM opens (or finds) the direct-message channel between the bot and a
// user and returns its ID.
func (s *Slack) openDM(ctx context.Context, team, user string) (string, error) {
	api, err := s.web(ctx, team)
	if err != nil {
		return "", sendError("conversations.open", err)
	}
	ch, _, _, err := api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		return "", s.teamError(ctx, team, "conversations.open", err)
	}
	if ch == nil || ch.ID == "" {
		return "", fmt.Errorf("slack: conversations.open for %s returned no channel", user)
	}
	return ch.ID, nil
}

// sendError translates a Web API error for the outbox: a rate limit to
// *bot.RetryAfterError, a permanent refusal to *bot.PermanentError, and
// anything else to a transient error, each saying which method failed.
func sendError(method string, err error) error {
	if errors.Is(err, errNotInstalled) {
		return &bot.PermanentError{Err: fmt.Errorf("slack: %s: %w", method, err)}
	}
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		return &bot.RetryAfterError{RetryAfter: max(rl.RetryAfter, minRetryAfter), Err: fmt.Errorf("slack: %s: %w", method, err)}
	}
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) && permanentErrors[se.Err] {
		return &bot.PermanentError{Err: fmt.Errorf("slack: %s: %s", method, se.Err)}
	}
	return fmt.Errorf("slack: %s: %w", method, err)
}

// teamError is sendError for a distributed app, where a workspace whose
// token Slack refuses has removed the app or revoked its token: that
// workspace's client is dropped, and the delivery fails for good (the
// uninstall event fails the rest) — unless the store holds another token
// for it by now (a reinstall seen by another replica), when the delivery
// is tried again with that one. One token's app keeps such refusals
// transient: the operator mends the token.
func (s *Slack) teamError(ctx context.Context, team, method string, err error) error {
	if !s.distributed() || !tokenRefused(err) {
		return sendError(method, err)
	}
	refused := s.cachedToken(team)
	s.forget(team)
	if in, lookErr := s.opts.Installations.Get(ctx, bot.PlatformSlack, team); lookErr == nil && in.BotToken != refused {
		return fmt.Errorf("slack: %s: workspace %s has a new token; trying again with it: %w", method, team, err)
	}
	return &bot.PermanentError{Err: fmt.Errorf("slack: %s: the token of workspace %s was refused: %w", method, team, err)}
}

// messageOptions are the chat.postMessage options for a rendered message.
// Links are not unfurled: the card shows the notice already.
func messageOptions(r rendered) []slackapi.MsgOption {
	return []slackapi.MsgOption{
		slackapi.MsgOptionText(r.fallback, false),
		slackapi.MsgOptionBlocks(r.blocks...),
		slackapi.MsgOptionDisableLinkUnfurl(),
		slackapi.MsgOptionDisableMediaUnfurl(),
	}
}
