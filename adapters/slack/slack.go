package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Core is what the Slack app asks of the bot core: *bot.Bot with the
// engagement events (*engage.Service) for the event forms.
type Core interface {
	// Handle runs a typed command and returns the reply for its author.
	Handle(ctx context.Context, c bot.Command) bot.Message
	// HandleAction answers a click on a card's button.
	HandleAction(ctx context.Context, c bot.Click) bot.Message
	// PreviewForm shows what a profile form would save and match; a
	// *bot.Error carries a message for the person when the form is wrong.
	PreviewForm(ctx context.Context, from bot.Subscriber, f bot.ProfileForm) (bot.Message, error)
	// SubscribeForm saves a profile form, for a channel when channel is set.
	SubscribeForm(ctx context.Context, from bot.Subscriber, channel string, f bot.ProfileForm) bot.Message
	// CheckEventForm checks an event form's values, by field key, without
	// saving them; a *bot.Error's Field names the field that is wrong, and
	// one without a Field refuses the person.
	CheckEventForm(ctx context.Context, from bot.Subscriber, values map[string]string) error
	// SubmitEventForm saves an event form as a draft and answers with its
	// reach and a Publish button.
	SubmitEventForm(ctx context.Context, from bot.Subscriber, values map[string]string) bot.Message
	// Ask sends a question about an event to its organisers, without the
	// asker's name.
	Ask(ctx context.Context, from bot.Subscriber, eventID int64, question string) bot.Message
	// Home is a person's overview for the App Home tab.
	Home(ctx context.Context, user bot.Subscriber) bot.Message
	// LanguageFor is the language to speak to sub in the adapter's own
	// words: their choice with `language`, else locale, the one their
	// chat reports, else the workspace's.
	LanguageFor(ctx context.Context, sub bot.Subscriber, locale string) text.Language
	// Suggest completes CPV ("cpv") or NUTS ("nuts") codes from typed text.
	Suggest(field, text string, limit int) []bot.CodeName
}

// Options configure the Slack app.
type Options struct {
	// BotToken (xoxb-…) calls the Web API for the one workspace the app
	// serves; "" distributes the app (see ClientID below).
	BotToken string
	// AppToken (xapp-…) opens the Socket Mode connection; without it the app
	// takes requests only through HTTPHandler.
	AppToken string
	// SigningSecret verifies HTTP-mode requests; without it HTTPHandler
	// refuses every request.
	SigningSecret string
	// APIURL is the Web API base, ending in a slash; "" means Slack's.
	APIURL string
	// HTTPClient makes Web API calls; nil means a client with a 30s timeout.
	HTTPClient *http.Client
	// Location is the zone dates are shown in; nil means UTC.
	Location *time.Location
	// Logger receives the app's log; nil discards it.
	Logger *slog.Logger
	// ShutdownGrace is how long work begun before shutdown may go on; 0
	// means 10 seconds.
	ShutdownGrace time.Duration
	// Now is the clock HTTP-mode requests' timestamps and replays are
	// judged by; nil means time.Now.
	Now func() time.Time
	// Replays remembers the HTTP-mode requests and the event_ids seen,
	// across restarts and replicas (the store), so that an event Slack
	// delivers again to another replica is not handled twice; nil keeps
	// them in memory.
	Replays ReplayStore

	// Distribution to many workspaces (OAuth v2): with no BotToken, the
	// app serves every workspace that installed it through /slack/install,
	// each with its own bot token kept in Installations. HTTP mode only:
	// Socket Mode is not allowed for apps in the Slack Marketplace.

	// ClientID and ClientSecret are the app's OAuth credentials (Basic
	// Information → App Credentials), for oauth.v2.access.
	ClientID     string
	ClientSecret string
	// OAuthURL is Slack's authorize page; "" means
	// https://slack.com/oauth/v2/authorize.
	OAuthURL string
	// RedirectURL is where Slack sends the browser back after the
	// install: the public address of OAuthCallbackPath.
	RedirectURL string
	// Scopes are the bot scopes the install asks for; nil means
	// DefaultScopes.
	Scopes []string
	// Installations keeps the workspaces and their tokens. Required with
	// no BotToken.
	Installations Installations
	// StateKey signs the install's state and the cookie that binds it to
	// the browser; at least 32 bytes. Required with no BotToken.
	StateKey []byte
	// SecureCookie marks the install cookie Secure (the public address is
	// https).
	SecureCookie bool
}

// ReplayStore remembers signed requests, to refuse one sent again.
type ReplayStore interface {
	// SeenRequest records key until expires and reports whether it was
	// fresh at at: false when it was recorded before and is not expired.
	SeenRequest(ctx context.Context, key string, at, expires time.Time) (fresh bool, err error)
}

// Slack is the Slack app: the messenger for the slack platform, the Socket
// Mode client and the HTTP-mode handler. Create it with New and run it with
// Run.
type Slack struct {
	api      *slackapi.Client
	opts     Options
	log      *slog.Logger
	location *time.Location

	connected atomic.Bool
	core      atomic.Pointer[coreRef]
	botUser   atomic.Value // string: the bot's user ID, from auth.test
	tasks     tasks

	replays ReplayStore // signatures of HTTP requests seen
	events  ReplayStore // event_ids handled: the store's, across replicas, or memory
	teams   workspaces  // distributed: each workspace's client
	locales locales     // each person's locale, from users.info
}

// What the core's outbox may ask of the app beyond sending.
var (
	_ bot.Messenger  = (*Slack)(nil)
	_ bot.Connector  = (*Slack)(nil)
	_ bot.Paced      = (*Slack)(nil)
	_ bot.Reconciler = (*Slack)(nil)
)

// coreRef holds the Core for atomic.Pointer.
type coreRef struct{ Core }

// New returns the Slack app. It connects nothing until Run.
func New(opts Options) *Slack {
	if opts.APIURL == "" {
		opts.APIURL = slackapi.APIURL
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 10 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OAuthURL == "" {
		opts.OAuthURL = DefaultOAuthURL
	}
	if opts.Scopes == nil {
		opts.Scopes = DefaultScopes
	}
	log := opts.Logger.With("platform", "slack")
	s := &Slack{
		opts:     opts,
		log:      log,
		location: opts.Location,
		replays:  opts.Replays,
		events:   opts.Replays,
	}
	s.api = s.newClient(opts.BotToken)
	s.teams.clients = map[string]workspaceClient{}
	if s.replays == nil {
		s.replays = newReplayGuard(requestReplayWindow, maxRemembered, opts.Now)
		s.events = newReplayGuard(eventReplayWindow, maxRemembered, opts.Now)
	}
	s.botUser.Store("")
	return s
}

// Connected reports whether the app can send and receive now: the Socket
// Mode connection is up, or, in HTTP mode, Slack accepted the bot token.
func (s *Slack) Connected() bool { return s.connected.Load() }

// TokenError reports that Slack refused a token, which no retry mends.
type TokenError struct {
	Token  string // "bot" or "app"
	Reason string // Slack's error code, e.g. invalid_auth
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("slack: the %s token was refused: %s", e.Token, e.Reason)
}

// Run serves Slack until ctx is done: it checks the bot token, then holds
// the Socket Mode connection (with an app token) or waits for HTTP-mode
// requests, and owns the work those requests start. It returns an error
// only when Slack refuses a token; on shutdown, work in flight gets the
// grace period to finish.
func (s *Slack) Run(ctx context.Context, core Core) error {
	s.core.Store(&coreRef{core})
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	s.tasks.start(work)
	defer func() {
		s.connected.Store(false)
		stop := time.AfterFunc(s.opts.ShutdownGrace, cancelWork)
		defer stop.Stop()
		s.tasks.stop()
	}()

	if s.distributed() {
		s.connected.Store(true)
		s.log.Info("Slack distributed in HTTP mode: serving every workspace that installs the app")
		<-ctx.Done()
		return nil
	}
	if err := s.authenticate(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if s.opts.AppToken == "" {
		s.connected.Store(true)
		s.log.Info("Slack HTTP mode: waiting for requests")
		<-ctx.Done()
		return nil
	}
	return s.runSocket(ctx)
}

// refusedTokenErrors are auth.test and apps.connections.open answers that
// mean the token itself is wrong.
var refusedTokenErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "not_allowed_token_type": true,
}

// authenticate calls auth.test until Slack answers, learning the bot's user
// ID. A refused token is an error; anything else is retried with backoff.
func (s *Slack) authenticate(ctx context.Context) error {
	wait := time.Second
	for {
		resp, err := s.api.AuthTestContext(ctx)
		if err == nil {
			s.botUser.Store(resp.UserID)
			s.log.Info("Slack accepted the bot token", "team", resp.TeamID, "bot_user", resp.UserID)
			return nil
		}
		var se slackapi.SlackErrorResponse
		if errors.As(err, &se) && refusedTokenErrors[se.Err] {
			return &TokenError{Token: "bot", Reason: se.Err}
		}
		var rl *slackapi.RateLimitedError
		if errors.As(err, &rl) {
			wait = max(wait, rl.RetryAfter)
		}
		s.log.Warn("Slack auth.test failed; retrying", "in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, time.Minute)
	}
}

// botUserID is the bot's own user ID, "" until auth.test answered.
func (s *Slack) botUserID() string { return s.botUser.Load().(string) }

// currentCore is the core Run was given, nil before Run.
func (s *Slack) currentCore() Core {
	if ref := s.core.Load(); ref != nil {
		return ref.Core
	}
	return nil
}

// logOutput sends slack-go's debug output to the log.
type logOutput struct{ log *slog.Logger }

func (l logOutput) Output(_ int, s string) error {
	l.log.Debug("slack-go: " + s)
	return nil
}
