package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/adapters/slack"
	"github.com/tenderbot/tenderbot/adapters/web"
)

// validateSlack checks the Slack variables: tokens that look like the kind
// asked for, a transport for requests, and an API URL. It never repeats a
// token's value.
func (c *Config) validateSlack(bad func(name, format string, args ...any)) {
	if c.SlackBotToken != "" && !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
		bad("SLACK_BOT_TOKEN", "is not a bot token; use the Bot User OAuth Token from the app's OAuth & Permissions page, which starts with xoxb-")
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		bad("SLACK_APP_TOKEN", "is not an app-level token; make one with the connections:write scope under Basic Information → App-Level Tokens; it starts with xapp-")
	}
	if c.SlackBotToken == "" && (c.SlackAppToken != "" || c.SlackSigningSecret != "") {
		bad("SLACK_BOT_TOKEN", "is unset, but Slack is configured (TENDERBOT_SLACK_APP_TOKEN or TENDERBOT_SLACK_SIGNING_SECRET is set); set the bot token, which starts with xoxb-")
	}
	if c.SlackBotToken != "" && c.SlackAppToken == "" && c.SlackSigningSecret == "" {
		bad("SLACK_APP_TOKEN", "is unset: set it (xapp-…) for Socket Mode, or set TENDERBOT_SLACK_SIGNING_SECRET for HTTP mode behind a public URL")
	}
	if c.SlackSigningSecret != "" && c.SlackAppToken == "" && c.HTTPAddr == "" {
		bad("HTTP_ADDR", "is empty, but Slack's HTTP mode (TENDERBOT_SLACK_SIGNING_SECRET without an app token) needs the HTTP listener; set it, e.g. 0.0.0.0:8080")
	}
	u, err := url.Parse(c.SlackAPIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("SLACK_API_URL", "%q is not an http(s) URL; the default is https://slack.com/api/", feeds.Redact(c.SlackAPIURL))
	} else if !strings.HasSuffix(c.SlackAPIURL, "/") {
		c.SlackAPIURL += "/" // method names are appended to it
	}
}

// newSlack returns the Slack app when a bot token is set, else nil.
func newSlack(cfg Config, log *slog.Logger, replays slack.ReplayStore) *slack.Slack {
	if cfg.SlackBotToken == "" {
		return nil
	}
	return slack.New(slack.Options{
		BotToken:      cfg.SlackBotToken,
		AppToken:      cfg.SlackAppToken,
		SigningSecret: cfg.SlackSigningSecret,
		APIURL:        cfg.SlackAPIURL,
		Location:      cfg.location,
		Logger:        log,
		ShutdownGrace: cfg.ShutdownTimeout,
		Replays:       replays,
	})
}

// runSlack runs the Slack app; a token Slack refuses stops the bot, naming
// the variable to fix.
func runSlack(ctx context.Context, app *slack.Slack, core slack.Core) error {
	err := app.Run(ctx, core)
	var refused *slack.TokenError
	if errors.As(err, &refused) {
		name := "TENDERBOT_SLACK_BOT_TOKEN"
		if refused.Token == "app" {
			name = "TENDERBOT_SLACK_APP_TOKEN"
		}
		return fmt.Errorf("%w; check %s", err, name)
	}
	return err
}

// mountSlack serves Slack's HTTP mode on the listener when a signing
// secret is set.
func mountSlack(server *web.Server, app *slack.Slack, cfg Config) {
	if app != nil && cfg.SlackSigningSecret != "" {
		server.Handle("/slack/", app.HTTPHandler())
	}
}

// announceSlack says how the Slack app takes requests.
func announceSlack(w io.Writer, cfg Config) {
	switch {
	case cfg.SlackBotToken == "":
	case cfg.SlackAppToken != "":
		fmt.Fprintln(w, "tenderbot: Slack chat over Socket Mode")
	default:
		fmt.Fprintf(w, "tenderbot: Slack chat in HTTP mode: Request URLs %s, %s and %s on the HTTP listener\n",
			slack.EventsPath, slack.CommandsPath, slack.InteractivityPath)
	}
}

// secretState says whether a secret is set, for logs that must not show it.
func secretState(s string) string {
	if s == "" {
		return "unset"
	}
	return "set"
}
