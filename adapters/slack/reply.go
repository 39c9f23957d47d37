package slack

import (
	"context"
	"errors"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
)

// replyTo is where the answer to a person's request goes: through the
// request's response_url (ephemeral) when it has one; else into the
// channel, ephemerally for the person, or as a plain message in a direct
// message; else into the person's direct message with the bot.
type replyTo struct {
	team        string // the workspace, whose token answers
	responseURL string
	channel     string
	user        string
}

// Replies are answers to someone waiting, not deliveries in the outbox: a
// rate-limited reply is tried again a few times within the task, waiting
// what Slack asks if that is short.
const (
	replyAttempts      = 3
	maxReplyRetryAfter = 30 * time.Second
)

// reply renders a core message and posts it as the answer; a file that
// comes with it goes to the person's direct message.
func (s *Slack) reply(ctx context.Context, to replyTo, m bot.Message) {
	r := renderMessage(m, s.location, messageBlockLimit-1)
	if m.Attachment != nil {
		r.blocks = append(r.blocks, slackapi.NewContextBlock("", mrkdwnText(s.deliverFile(ctx, m.Printer(), to, m.Attachment))))
	}
	s.post(ctx, to, r)
}

// post posts a rendered answer, logging what cannot be posted. An answer
// its response_url no longer takes (past Slack's 30 minutes, such as a form
// left open long) goes to the person's direct message instead.
func (s *Slack) post(ctx context.Context, to replyTo, r rendered) {
	for attempt := 1; ; attempt++ {
		err := s.postOnce(ctx, to, r)
		if err == nil {
			return
		}
		var rl *slackapi.RateLimitedError
		if to.responseURL != "" && !errors.As(err, &rl) {
			s.log.Info("response_url refused the answer; sending it by direct message", "user", to.user, "err", err)
			to = replyTo{team: to.team, user: to.user}
			continue
		}
		if !errors.As(err, &rl) || attempt == replyAttempts || rl.RetryAfter > maxReplyRetryAfter {
			s.log.Warn("could not answer on Slack", "user", to.user, "channel", to.channel, "err", err)
			return
		}
		t := time.NewTimer(max(rl.RetryAfter, minRetryAfter))
		select {
		case <-ctx.Done():
			t.Stop()
			s.log.Warn("could not answer on Slack before shutdown", "user", to.user, "err", err)
			return
		case <-t.C:
		}
	}
}

func (s *Slack) postOnce(ctx context.Context, to replyTo, r rendered) error {
	api, err := s.web(ctx, to.team)
	if err != nil {
		return err
	}
	opts := messageOptions(r)
	switch {
	case to.responseURL != "":
		_, _, _, err := api.SendMessageContext(ctx, "", append(opts, slackapi.MsgOptionResponseURL(to.responseURL, slackapi.ResponseTypeEphemeral))...)
		return err
	case strings.HasPrefix(to.channel, "D"):
		_, _, err := api.PostMessageContext(ctx, to.channel, opts...)
		return err
	case to.channel != "":
		_, err := api.PostEphemeralContext(ctx, to.channel, to.user, opts...)
		return err
	}
	dm, err := s.openDM(ctx, to.team, to.user)
	if err != nil {
		return err
	}
	_, _, err = api.PostMessageContext(ctx, dm, opts...)
	return err
}
