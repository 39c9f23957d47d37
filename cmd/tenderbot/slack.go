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
	"github.com/tenderbot/tenderbot/bot/install"
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
	c.validateSlackDistribution(bad)
	if c.SlackBotToken == "" && !c.slackDistributed() && (c.SlackAppToken != "" || c.SlackSigningSecret != "") {
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

// slackStore is what the Slack app keeps in the store: the signed
// requests seen and, distributed, the workspaces that installed it.
type slackStore interface {
	slack.ReplayStore
	install.Store
}

// newSlack returns the Slack app when a bot token, or a client id and
// secret for distribution, is set, else nil, and, distributed, the
// workspaces that installed it; public is where people reach the HTTP
// listener, for the install's redirect URL.
func newSlack(cfg Config, log *slog.Logger, store slackStore, public string) (*slack.Slack, *install.Service, error) {
	if !cfg.slackOn() {
		return nil, nil, nil
	}
	opts := slack.Options{
		BotToken:      cfg.SlackBotToken,
		AppToken:      cfg.SlackAppToken,
		SigningSecret: cfg.SlackSigningSecret,
		APIURL:        cfg.SlackAPIURL,
		Location:      cfg.location,
		Logger:        log,
		ShutdownGrace: cfg.ShutdownTimeout,
		Replays:       store,
	}
	var installs *install.Service
	if cfg.slackDistributed() {
		var err error
		installs, err = install.New(install.Options{Store: store, Key: cfg.derivedKey(tokenKeyPurpose), Logger: log})
		if err != nil {
			return nil, nil, err
		}
		opts.ClientID, opts.ClientSecret, opts.OAuthURL = cfg.SlackClientID, cfg.SlackClientSecret, cfg.SlackOAuthURL
		opts.RedirectURL = public + slack.OAuthCallbackPath
		opts.SecureCookie = strings.HasPrefix(public, "https://")
		opts.Installations = installs
		opts.StateKey = cfg.derivedKey(stateKeyPurpose)
	}
	return slack.New(opts), installs, nil
}

// The purposes of the keys derived from TENDERBOT_SECRET_KEY for Slack's
// distribution: one seals the workspaces' tokens, one signs the install's
// state.
const (
	tokenKeyPurpose = "tenderbot slack bot tokens"
	stateKeyPurpose = "tenderbot slack install state"
)

// slackOn reports whether the bot runs in Slack: for one workspace (a bot
// token) or distributed to many.
func (c Config) slackOn() bool { return c.SlackBotToken != "" || c.slackDistributed() }

// slackDistributed reports whether the Slack app is distributed: a client
// id and secret and no bot token of its own.
func (c Config) slackDistributed() bool {
	return c.SlackBotToken == "" && c.SlackClientID != "" && c.SlackClientSecret != ""
}

// validateSlackDistribution checks what distribution needs: both OAuth
// credentials, HTTP mode (Socket Mode is not allowed for apps in the Slack
// Marketplace), the listener, and a secret key that outlives a restart,
// since the workspaces' tokens are sealed with it.
func (c *Config) validateSlackDistribution(bad func(name, format string, args ...any)) {
	if (c.SlackClientID == "") != (c.SlackClientSecret == "") {
		missing := "SLACK_CLIENT_SECRET"
		if c.SlackClientID == "" {
			missing = "SLACK_CLIENT_ID"
		}
		bad(missing, "is unset, but the other of TENDERBOT_SLACK_CLIENT_ID and TENDERBOT_SLACK_CLIENT_SECRET is set; distribution needs both (Basic Information → App Credentials)")
		return
	}
	if c.SlackClientID == "" {
		return
	}
	if c.SlackBotToken != "" {
		bad("SLACK_BOT_TOKEN", "is set with TENDERBOT_SLACK_CLIENT_ID: set the bot token for one workspace, or the client id and secret to serve every workspace that installs the app, not both")
		return
	}
	if c.SlackAppToken != "" {
		bad("SLACK_APP_TOKEN", "is set, but an app distributed to many workspaces runs in HTTP mode (Socket Mode is not allowed in the Slack Marketplace); unset it and set TENDERBOT_SLACK_SIGNING_SECRET")
	}
	if c.SlackSigningSecret == "" {
		bad("SLACK_SIGNING_SECRET", "is unset: an app distributed to many workspaces takes Slack's requests in HTTP mode; set the app's Signing Secret (Basic Information)")
	}
	if c.HTTPAddr == "" {
		bad("HTTP_ADDR", "is empty, but the Slack install (/slack/install and /slack/oauth/callback) and Slack's requests are served on the HTTP listener; set it, e.g. 0.0.0.0:8080")
	}
	if c.SecretKey == "" {
		bad("SECRET_KEY", "is unset: the bot tokens of the workspaces that install the Slack app are sealed with it, and must open after a restart; set at least 32 random characters (e.g. `openssl rand -base64 32`)")
	}
	u, err := url.Parse(c.SlackOAuthURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("SLACK_OAUTH_URL", "%q is not an http(s) URL; the default is https://slack.com/oauth/v2/authorize", feeds.Redact(c.SlackOAuthURL))
	}
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
	case cfg.slackDistributed():
		fmt.Fprintf(w, "tenderbot: Slack app distributed to every workspace that installs it: Add to Slack on %s, Request URLs %s, %s and %s on the HTTP listener\n",
			slack.InstallPath, slack.EventsPath, slack.CommandsPath, slack.InteractivityPath)
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
