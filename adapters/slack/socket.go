package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// runSocket holds the Socket Mode connection until ctx is done: slack-go
// reconnects by itself; this loop reads its events, keeps the connection
// state, and hands each request to a task that acknowledges it and does the
// work.
func (s *Slack) runSocket(ctx context.Context) error {
	client := socketmode.New(s.api, socketmode.OptionLog(logOutput{s.log}))
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-done:
			s.connected.Store(false)
			if ctx.Err() != nil {
				return nil
			}
			var se slackapi.SlackErrorResponse
			if errors.As(err, &se) && refusedTokenErrors[se.Err] {
				return &TokenError{Token: "app", Reason: se.Err}
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-client.Events:
			s.onSocketEvent(client, evt)
		}
	}
}

// onSocketEvent follows the connection and starts a task per request.
func (s *Slack) onSocketEvent(client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		s.connected.Store(false)
		s.log.Debug("Slack Socket Mode connecting")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		s.connected.Store(false)
		s.log.Warn("Slack Socket Mode connection failed; slack-go retries", "event", evt.Type, "detail", fmt.Sprint(evt.Data))
	case socketmode.EventTypeConnected:
		s.log.Debug("Slack Socket Mode connected; waiting for hello")
	case socketmode.EventTypeHello:
		if !s.connected.Swap(true) {
			s.log.Info("Slack Socket Mode connected")
		}
	case socketmode.EventTypeErrorBadMessage:
		// slack-go could not read the envelope (an event type it does not
		// know, say). Ack it all the same, so Slack does not send it again.
		if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
				s.tasks.spawn(func(ctx context.Context) { s.ack(ctx, client, env.EnvelopeID, nil) })
			}
			s.log.Debug("Slack sent a message slack-go cannot read", "err", bad.Cause)
		}
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		s.log.Warn("Slack Socket Mode read or write failed", "detail", fmt.Sprint(evt.Data))
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		envelope := evt.Request.EnvelopeID
		core := s.currentCore()
		s.tasks.spawn(func(ctx context.Context) {
			h := s.handleSocketRequest(ctx, core, evt.Data)
			s.ack(ctx, client, envelope, h.ack)
			if h.then != nil {
				h.then(ctx)
			}
		})
	}
}

// handleSocketRequest hands a request to its handler by kind.
func (s *Slack) handleSocketRequest(ctx context.Context, core Core, data any) handled {
	switch d := data.(type) {
	case slackapi.SlashCommand:
		return s.handleSlashCommand(core, d)
	case slackapi.InteractionCallback:
		return s.handleInteraction(ctx, core, d)
	case slackevents.EventsAPIEvent:
		return s.handleEvent(core, d)
	}
	return handled{}
}

// ack acknowledges an envelope, with a payload or without.
func (s *Slack) ack(ctx context.Context, client *socketmode.Client, envelopeID string, payload any) {
	if err := client.AckCtx(ctx, envelopeID, payload); err != nil {
		s.log.Warn("could not acknowledge a Slack request", "envelope", envelopeID, "err", err)
	}
}
