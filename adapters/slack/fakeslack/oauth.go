package fakeslack

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// OAuth v2, as a distributed app meets it: a person approves the install
// on Slack's authorize page, Slack sends their browser back to the app's
// redirect URL with a code and the app's state, and the app exchanges the
// code (oauth.v2.access, with its client id and secret) for the bot token
// of that workspace. Removing the app revokes its tokens; Slack then tells
// the app with the app_uninstalled and tokens_revoked events.

// installation is a workspace the app was installed in.
type installation struct {
	team, teamName, botUser string
	revoked                 bool
}

// grant is a code handed out by the authorize page, good once.
type grant struct {
	team, teamName, user, redirectURI, scope string
	issued                                   time.Time
	used                                     bool
}

// grantLifetime is how long Slack accepts a code: ten minutes.
const grantLifetime = 10 * time.Minute

// AuthorizeURL is the fake's authorize page, for TENDERBOT_SLACK_OAUTH_URL.
func (s *Server) AuthorizeURL() string { return s.http.URL + "/oauth/v2/authorize" }

// serveAuthorize is the person approving the install: it checks the client
// id and the redirect URL and sends the browser back to it with a code and
// the state as given. The workspace is the team parameter (Slack's own
// way to pick one), else Options.TeamID; the approver is the user
// parameter, else U0INSTALLER.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c := Call{Method: "oauth/v2/authorize", Form: q, Status: http.StatusFound, URL: r.URL.String()}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != s.opts.ClientID:
		c.Status, c.Error = http.StatusBadRequest, "invalid_client_id"
	case err != nil || !redirect.IsAbs():
		c.Status, c.Error = http.StatusBadRequest, "bad_redirect_uri"
	case q.Get("scope") == "":
		c.Status, c.Error = http.StatusBadRequest, "invalid_scope"
	}
	if c.Error != "" {
		s.record(c)
		http.Error(w, c.Error, c.Status)
		return
	}
	team := q.Get("team")
	if team == "" {
		team = s.opts.TeamID
	}
	user := q.Get("user")
	if user == "" {
		user = "U0INSTALLER"
	}
	s.mu.Lock()
	code := s.nextIDLocked("code-")
	s.grants[code] = &grant{team: team, teamName: "Workspace " + team, user: user, redirectURI: q.Get("redirect_uri"), scope: q.Get("scope"), issued: time.Now()}
	s.mu.Unlock()
	back := redirect.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	redirect.RawQuery = back.Encode()
	s.record(c)
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// oauthAccess exchanges a code for the workspace's bot token, checking the
// client's credentials (form fields or HTTP basic auth), that the code is
// fresh and unused, and that redirect_uri is the one the code was given
// for.
func (s *Server) oauthAccess(c *Call, r *http.Request) (map[string]any, string) {
	id, secret := c.Param("client_id"), c.Param("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	switch {
	case id != s.opts.ClientID:
		return nil, "invalid_client_id"
	case secret != s.opts.ClientSecret:
		return nil, "bad_client_secret"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.grants[c.Param("code")]
	switch {
	case !ok || g.used || time.Since(g.issued) > grantLifetime:
		return nil, "invalid_code"
	case c.Param("redirect_uri") != g.redirectURI:
		return nil, "bad_redirect_uri"
	}
	g.used = true
	token := s.nextIDLocked("xoxb-" + g.team + "-")
	botUser := "UB" + strings.TrimPrefix(g.team, "T")
	s.installed[token] = &installation{team: g.team, teamName: g.teamName, botUser: botUser}
	c.Team = g.team
	return map[string]any{
		"access_token": token, "token_type": "bot", "scope": g.scope, "bot_user_id": botUser, "app_id": s.opts.AppID,
		"team":       map[string]any{"id": g.team, "name": g.teamName},
		"enterprise": nil, "is_enterprise_install": false,
		"authed_user": map[string]any{"id": g.user},
	}, ""
}

// Uninstall removes the app from a workspace: every token it was given
// there is revoked (token_revoked from then on). Slack then sends the app
// the events AppUninstalled and TokensRevoked build.
func (s *Server) Uninstall(team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.installed {
		if in.team == team {
			in.revoked = true
		}
	}
}

// InstalledToken returns the bot token the workspace was last given by
// oauth.v2.access and not revoked, "" when none.
func (s *Server) InstalledToken(team string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	last := ""
	for token, in := range s.installed {
		if in.team == team && !in.revoked && token > last {
			last = token
		}
	}
	return last
}

// tokenTeamLocked is the workspace a token works in, and the Slack error
// for a token that works nowhere. Call it with s.mu held.
func (s *Server) tokenTeamLocked(token string) (team, botUser, slackErr string) {
	if token == s.opts.BotToken {
		return s.opts.TeamID, s.opts.BotUserID, ""
	}
	in, ok := s.installed[token]
	switch {
	case !ok:
		return "", "", "invalid_auth"
	case in.revoked:
		return "", "", "token_revoked"
	}
	return in.team, in.botUser, ""
}

// AppUninstalled builds the app_uninstalled event Slack sends when the app
// is removed from a workspace.
func (s *Server) AppUninstalled(team string) *Request {
	return s.eventFor(team, "", map[string]any{"type": "app_uninstalled", "event_ts": fmt.Sprintf("%d.000400", time.Now().Unix())})
}

// TokensRevoked builds the tokens_revoked event for a workspace's bot
// tokens, by the bot users they belong to.
func (s *Server) TokensRevoked(team string, botUsers ...string) *Request {
	return s.eventFor(team, "", map[string]any{
		"type":     "tokens_revoked",
		"tokens":   map[string]any{"oauth": []string{}, "bot": botUsers},
		"event_ts": fmt.Sprintf("%d.000500", time.Now().Unix()),
	})
}
