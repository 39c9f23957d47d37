package slack

import (
	"bytes"
	"context"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// upload shares a file into a conversation (files.getUploadURLExternal, the
// upload, files.completeUploadExternal).
func (s *Slack) upload(ctx context.Context, team, channel string, a *bot.Attachment) error {
	if len(a.Data) == 0 {
		return nil // Slack takes no empty files; there is nothing to show
	}
	api, err := s.web(ctx, team)
	if err != nil {
		return sendError("file upload", err)
	}
	_, err = api.UploadFileContext(ctx, slackapi.UploadFileParameters{
		Reader:   bytes.NewReader(a.Data),
		FileSize: len(a.Data),
		Filename: a.Name,
		Title:    a.Name,
		Channel:  channel,
	})
	if err != nil {
		return sendError("file upload", err)
	}
	return nil
}

// deliverFile sends the file of an answer to the person's direct message
// with the bot — answers are ephemeral and cannot carry files, and a file
// such as a data export is for the person alone — and says where it went.
func (s *Slack) deliverFile(ctx context.Context, p text.Printer, to replyTo, a *bot.Attachment) string {
	dm, err := s.openDM(ctx, to.team, to.user)
	if err == nil {
		err = s.upload(ctx, to.team, dm, a)
	}
	if err != nil {
		s.log.Warn("could not send a file on Slack", "user", to.user, "file", a.Name, "err", err)
		return p.Sprintf("I could not send the file %s just now; please ask again in a minute.", mrkdwn(a.Name))
	}
	return p.Sprintf("The file %s is in your direct message with me.", mrkdwn(a.Name))
}
