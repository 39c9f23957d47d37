package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The paths of the install ("Add to Slack") on the HTTP listener.
const (
	InstallPath       = "/slack/install"
	OAuthCallbackPath = "/slack/oauth/callback"
)

// DefaultOAuthURL is Slack's authorize page.
const DefaultOAuthURL = "https://slack.com/oauth/v2/authorize"

// DefaultScopes are the bot scopes the install asks for: those of
// deploy/slack/manifest.yaml.
var DefaultScopes = []string{
	"commands", "chat:write", "chat:write.public", "im:write", "im:history",
	"channels:history", "groups:history", "users:read", "channels:read", "groups:read", "files:write",
}

// stateCookie binds an install to the browser that began it: it holds the
// state the authorize link carries, which a page on another site can
// neither read nor set. SameSite=Lax, so it comes along on Slack's
// redirect back, a top-level navigation.
const stateCookie = "tenderbot_slack_install"

// stateLifetime is how long an install may take from the Add to Slack page
// to the callback.
const stateLifetime = 15 * time.Minute

// statePurpose frames the state's MAC, so it is valid for nothing else.
const statePurpose = "tenderbot slack install state"

// newState returns a fresh state good until expires: a random nonce, the
// expiry in Unix seconds and their MAC, dot-separated and URL-safe.
func newState(key []byte, expires time.Time) string {
	b := make([]byte, 18)
	rand.Read(b) // never fails
	nonce := base64.RawURLEncoding.EncodeToString(b)
	exp := strconv.FormatInt(expires.Unix(), 10)
	return nonce + "." + exp + "." + stateMAC(key, nonce, exp)
}

func stateMAC(key []byte, nonce, exp string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(statePurpose))
	mac.Write([]byte{0})
	mac.Write([]byte(nonce))
	mac.Write([]byte{0})
	mac.Write([]byte(exp))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// maxStateLength bounds a state read from a request: newState's are 81
// characters.
const maxStateLength = 128

// checkState reads a state that newState made and reports why it is not
// good at now: malformed, not signed with key, or expired.
func checkState(key []byte, state string, now time.Time) error {
	if state == "" || len(state) > maxStateLength {
		return errors.New("no state, or too long a one")
	}
	nonce, rest, ok := strings.Cut(state, ".")
	exp, mac, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || nonce == "" || exp == "" || mac == "" {
		return errors.New("the state is not nonce.expiry.mac")
	}
	if !hmac.Equal([]byte(mac), []byte(stateMAC(key, nonce, exp))) {
		return errors.New("the state is not signed by this bot")
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return errors.New("the state's expiry is not a number")
	}
	if now.Unix() > unix {
		return errors.New("the state expired")
	}
	return nil
}

// authorizeURL is the link to Slack's authorize page for an install with
// state.
func (s *Slack) authorizeURL(state string) string {
	q := url.Values{
		"client_id":    {s.opts.ClientID},
		"scope":        {strings.Join(s.opts.Scopes, ",")},
		"redirect_uri": {s.opts.RedirectURL},
		"state":        {state},
	}
	sep := "?"
	if strings.Contains(s.opts.OAuthURL, "?") {
		sep = "&"
	}
	return s.opts.OAuthURL + sep + q.Encode()
}

// serveInstall is the Add to Slack page: a link to Slack's authorize page
// with a fresh state, which the page's cookie binds to this browser.
func (s *Slack) serveInstall(w http.ResponseWriter, r *http.Request) {
	state := newState(s.opts.StateKey, s.opts.Now().Add(stateLifetime))
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: state, Path: OAuthCallbackPath, MaxAge: int(stateLifetime / time.Second),
		HttpOnly: true, Secure: s.opts.SecureCookie, SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "no-store")
	p := text.For(pageLanguage(w, r, s.opts.SecureCookie))
	d := installPageIn(p.Language(), InstallPath)
	d.Title, d.Text = p.Sprintf("Add tenderbot to Slack"), p.Sprintf("Add tenderbot to your Slack")
	d.Intro = p.Sprintf("tenderbot tells your team in Slack about public tenders and market consultations that fit what you sell, as soon as they are published, and why each one matched.")
	d.Link, d.Button = s.authorizeURL(state), p.Sprintf("Add to Slack")
	d.After = template.HTML(p.Sprintf("Slack asks you to approve what the bot may do in your workspace. Afterwards type <code>/tender help</code>."))
	page(w, http.StatusOK, installPage, d)
}

// serveCallback is where Slack sends the browser back: the state must be
// the one this browser's cookie holds, signed and fresh, or the answer is
// 403 and nothing is exchanged. Then the code is exchanged for the
// workspace's bot token (oauth.v2.access), which is stored.
func (s *Slack) serveCallback(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	state := r.URL.Query().Get("state")
	cookie, err := r.Cookie(stateCookie)
	switch {
	case err != nil:
		err = errors.New("no install cookie: the install was begun in another browser, or not on this site")
	case !hmac.Equal([]byte(cookie.Value), []byte(state)):
		err = errors.New("the state is not the one this browser's install began with")
	default:
		err = checkState(s.opts.StateKey, state, s.opts.Now())
	}
	if err != nil {
		s.log.Warn("refused a Slack install callback", "remote", r.RemoteAddr, "reason", err)
		s.message(w, r, http.StatusForbidden, text.N("This install link is not valid"),
			text.N("Start the install again from the Add to Slack page, in the same browser."))
		return
	}
	// The state is used up, whatever follows.
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: OAuthCallbackPath, MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookie, SameSite: http.SameSiteLaxMode})
	if reason := r.URL.Query().Get("error"); reason != "" {
		s.log.Info("a Slack install was not approved", "reason", reason)
		s.message(w, r, http.StatusOK, text.N("tenderbot was not added"),
			text.N("The install was cancelled in Slack. You can start again from the Add to Slack page."))
		return
	}
	code := r.URL.Query().Get("code")
	if code == "" {
		s.message(w, r, http.StatusBadRequest, text.N("Slack sent no code"), text.N("Start the install again from the Add to Slack page."))
		return
	}
	in, err := s.exchange(r.Context(), code)
	if err != nil {
		s.log.Warn("a Slack install failed", "err", err)
		s.message(w, r, http.StatusBadGateway, text.N("tenderbot could not be added"),
			text.N("Slack did not accept the install. Start again from the Add to Slack page; if it fails again, tell the bot's operator."))
		return
	}
	if err := s.opts.Installations.Add(r.Context(), in); err != nil {
		s.log.Error("store a Slack installation", "installation", in, "err", err)
		s.message(w, r, http.StatusServiceUnavailable, text.N("tenderbot could not be added"),
			text.N("The install could not be saved just now. Please start again in a minute."))
		return
	}
	s.forget(in.Team) // a reinstall: the old token is gone
	s.message(w, r, http.StatusOK, text.N("tenderbot is in %s"),
		text.N("Type /tender help in any channel or in a direct message with tenderbot to begin."), in.TeamName)
}

// exchange trades the code for the workspace's bot token.
func (s *Slack) exchange(ctx context.Context, code string) (install.Installation, error) {
	resp, err := slackapi.GetOAuthV2ResponseContext(ctx, s.opts.HTTPClient, s.opts.ClientID, s.opts.ClientSecret, code,
		s.opts.RedirectURL, slackapi.OAuthOptionAPIURL(s.opts.APIURL))
	if err != nil {
		return install.Installation{}, fmt.Errorf("slack: oauth.v2.access: %w", err)
	}
	switch {
	case resp.IsEnterpriseInstall:
		return install.Installation{}, errors.New("slack: oauth.v2.access: an org-wide (Enterprise Grid) install, which the bot does not serve")
	case resp.TokenType != "bot" || resp.AccessToken == "" || resp.Team.ID == "":
		return install.Installation{}, fmt.Errorf("slack: oauth.v2.access: no bot token for a workspace (token_type %q)", resp.TokenType)
	}
	return install.Installation{
		Platform: bot.PlatformSlack, Team: resp.Team.ID, TeamName: resp.Team.Name, BotUser: resp.BotUserID,
		Scope: resp.Scope, InstalledBy: resp.AuthedUser.ID, InstalledAt: s.opts.Now().UTC(), BotToken: resp.AccessToken,
	}, nil
}

// Reasons an uninstalled workspace's pending deliveries fail with.
const (
	reasonUninstalled = "the workspace removed the Slack app (app_uninstalled)"
	reasonRevoked     = "the workspace revoked the Slack app's bot token (tokens_revoked)"
)

// uninstall forgets a workspace that removed the app or revoked its bot
// token: its token and client, and its pending deliveries, which fail
// with reason.
func (s *Slack) uninstall(ctx context.Context, team, reason string) {
	s.forget(team)
	if !s.distributed() || s.opts.Installations == nil {
		s.log.Error("Slack says the app's token no longer works; TENDERBOT_SLACK_BOT_TOKEN must be replaced", "team", team, "reason", reason)
		return
	}
	if _, err := s.opts.Installations.Remove(ctx, bot.PlatformSlack, team, reason); err != nil {
		s.log.Error("forget an uninstalled Slack workspace", "team", team, "err", err)
	}
	s.forget(team) // a call in between may have cached it again
}

// installPageData is what an install page shows, in its reader's
// language.
type installPageData struct {
	Lang   text.Language
	Switch []languageChoice
	Title  string
	Text   string
	Intro  string
	Link   string
	Button string
	After  template.HTML
}

// languageChoice is one link of the install page's language switch.
type languageChoice struct {
	Lang    text.Language
	Name    string
	Href    string
	Current bool
}

// langCookie keeps the language chosen on the pages (?lang=nl), the same
// cookie the event pages keep it in, so the page Slack sends the browser
// back to speaks it too.
const langCookie = "lang"

// pageLanguage is the language of an install page: the one chosen with
// ?lang= (remembered in the cookie), else the cookie's, else what the
// browser prefers.
func pageLanguage(w http.ResponseWriter, r *http.Request, secure bool) text.Language {
	w.Header().Set("Vary", "Accept-Language, Cookie")
	if l, ok := text.Parse(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := text.Parse(c.Value); ok {
			return l
		}
	}
	return text.FromAcceptLanguage(r.Header.Get("Accept-Language"), text.English)
}

// installPageIn is the frame of an install page in l, its switch leading
// to path in the other language.
func installPageIn(l text.Language, path string) installPageData {
	d := installPageData{Lang: text.For(l).Language()}
	for _, other := range text.Languages {
		d.Switch = append(d.Switch, languageChoice{Lang: other, Name: other.Name(), Href: path + "?lang=" + string(other), Current: other == d.Lang})
	}
	return d
}

// message is a page that says one thing, in p's language: heading and
// text are message ids.
func (s *Slack) message(w http.ResponseWriter, r *http.Request, status int, heading, body string, args ...any) {
	p := text.For(pageLanguage(w, r, s.opts.SecureCookie))
	d := installPageIn(p.Language(), InstallPath)
	d.Title, d.Text = p.Sprintf(heading, args...), p.Text(body)
	page(w, status, messagePage, d)
}

// page writes one of the install's pages.
func page(w http.ResponseWriter, status int, t *template.Template, data installPageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	t.Execute(w, data)
}

const pageHead = `<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{block "title" .}}{{end}} · tenderbot</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
a.add{display:inline-block;padding:.6rem 1.2rem;border-radius:.4rem;background:#4a154b;color:#fff;text-decoration:none;font-weight:600}
nav{text-align:right}</style>
</head><body>
<nav>{{range $i, $l := .Switch}}{{if $i}} | {{end}}{{if .Current}}<strong lang="{{.Lang}}">{{.Name}}</strong>{{else}}<a href="{{.Href}}" lang="{{.Lang}}" hreflang="{{.Lang}}">{{.Name}}</a>{{end}}{{end}}</nav>`

var installPage = template.Must(template.New("install").Parse(pageHead + `{{define "title"}}{{.Title}}{{end}}
<h1>{{.Text}}</h1>
<p>{{.Intro}}</p>
<p><a class="add" href="{{.Link}}">{{.Button}}</a></p>
<p>{{.After}}</p>
</body></html>`))

var messagePage = template.Must(template.New("message").Parse(pageHead + `{{define "title"}}{{.Title}}{{end}}
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
</body></html>`))
