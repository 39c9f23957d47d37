package slack

import (
	"context"
	"errors"
	"fmt"
	"sync"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
)

// Installations keeps the workspaces a distributed app is installed in
// (*install.Service, which seals their tokens in the store).
type Installations interface {
	// Add stores an installation; a reinstall replaces the earlier one.
	Add(ctx context.Context, in install.Installation) error
	// Get returns a workspace's installation with its token; ENOTFOUND
	// when the app is not installed there.
	Get(ctx context.Context, platform bot.Platform, team string) (install.Installation, error)
	// Remove forgets a workspace's installation and fails its pending
	// deliveries with reason.
	Remove(ctx context.Context, platform bot.Platform, team, reason string) (int, error)
}

// errNotInstalled reports a call for a workspace the app is not installed
// in (any more): no retry mends it until someone installs it again.
var errNotInstalled = errors.New("the app is not installed in that workspace")

// workspaceClient is the Web API client of one workspace, with its token.
type workspaceClient struct {
	api     *slackapi.Client
	token   string
	botUser string
}

// workspaces are the Web API clients of the workspaces a distributed app
// has called, by team id, each with that workspace's own token.
type workspaces struct {
	mu      sync.Mutex
	clients map[string]workspaceClient
}

// distributed reports whether the app serves every workspace that
// installed it, each with its own token, rather than one with BotToken.
func (s *Slack) distributed() bool { return s.opts.BotToken == "" }

// web returns the Web API client for calls about workspace team: the one
// client of a single-token app, or the client with the token that team's
// installation holds. A team not installed is errNotInstalled.
func (s *Slack) web(ctx context.Context, team string) (*slackapi.Client, error) {
	if !s.distributed() {
		return s.api, nil
	}
	s.teams.mu.Lock()
	c, ok := s.teams.clients[team]
	s.teams.mu.Unlock()
	if ok {
		return c.api, nil
	}
	if s.opts.Installations == nil || team == "" {
		return nil, fmt.Errorf("slack: workspace %q: %w", team, errNotInstalled)
	}
	in, err := s.opts.Installations.Get(ctx, bot.PlatformSlack, team)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, fmt.Errorf("slack: workspace %s: %w", team, errNotInstalled)
	}
	if err != nil {
		return nil, fmt.Errorf("slack: workspace %s: %w", team, err)
	}
	c = workspaceClient{api: s.newClient(in.BotToken), token: in.BotToken, botUser: in.BotUser}
	s.teams.mu.Lock()
	s.teams.clients[team] = c
	s.teams.mu.Unlock()
	return c.api, nil
}

// cachedToken is the token of the workspace's client, "" when none is
// held.
func (s *Slack) cachedToken(team string) string {
	s.teams.mu.Lock()
	defer s.teams.mu.Unlock()
	return s.teams.clients[team].token
}

// forget drops a workspace's client: its token was revoked or refused.
func (s *Slack) forget(team string) {
	s.teams.mu.Lock()
	delete(s.teams.clients, team)
	s.teams.mu.Unlock()
}

// isBotUser reports whether user is the bot itself in workspace team.
func (s *Slack) isBotUser(team, user string) bool {
	if !s.distributed() {
		return user == s.botUserID()
	}
	s.teams.mu.Lock()
	c, ok := s.teams.clients[team]
	s.teams.mu.Unlock()
	return ok && c.botUser == user
}

// newClient is a Web API client calling with token. No
// slackapi.OptionRetry: rate limits go back to the outbox, which
// reschedules; the client must never sleep on one.
func (s *Slack) newClient(token string) *slackapi.Client {
	return slackapi.New(token,
		slackapi.OptionAPIURL(s.opts.APIURL),
		slackapi.OptionAppLevelToken(s.opts.AppToken),
		slackapi.OptionHTTPClient(s.opts.HTTPClient),
		slackapi.OptionLog(logOutput{s.log}),
	)
}

// tokenRefused reports a Web API answer that means the workspace's token
// no longer works: the app was removed there, or its token revoked.
func tokenRefused(err error) bool {
	var se slackapi.SlackErrorResponse
	return errors.As(err, &se) && (se.Err == "token_revoked" || se.Err == "invalid_auth" || se.Err == "account_inactive" || se.Err == "not_authed")
}
