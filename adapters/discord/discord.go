package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Core is what the adapter asks of the bot core: *bot.Bot with the
// engagement events (*engage.Service) for the event forms.
type Core interface {
	// Handle runs a command line and returns the reply.
	Handle(ctx context.Context, c bot.Command) bot.Message
	// HandleAction answers a click on a card's button.
	HandleAction(ctx context.Context, c bot.Click) bot.Message
	// PreviewForm shows what a profile form would save; bad input is a
	// *bot.Error whose Message is written for the person.
	PreviewForm(ctx context.Context, from bot.Subscriber, f bot.ProfileForm) (bot.Message, error)
	// SubscribeForm saves a profile form, for the channel when it is set.
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
	// LanguageFor is the language to speak to sub in the adapter's own
	// words: their choice with `language`, else locale, the one their
	// chat reports, else the workspace's.
	LanguageFor(ctx context.Context, sub bot.Subscriber, locale string) text.Language
	// Suggest completes a "cpv" or "nuts" code from typed text.
	Suggest(field, text string, limit int) []bot.CodeName
}

// Options configure the adapter. Token and AppID are required.
type Options struct {
	Token string // the bot token, without "Bot "
	AppID string // the application id
	// GuildID registers /tender in that guild only, where changes show at
	// once (for development); "" registers it globally.
	GuildID string
	// APIURL is the REST API's base URL; "" is Discord's. The gateway's URL
	// is asked of the API, so it follows.
	APIURL string
	// PublicKey switches to HTTP interactions: Discord posts them, signed
	// with this key's private half, to InteractionHandler, and the gateway
	// is not used. nil: interactions come over the gateway.
	PublicKey ed25519.PublicKey
	// Transport carries the REST requests; nil is http.DefaultTransport.
	Transport http.RoundTripper
	Logger    *slog.Logger
	// Now is the clock for signature timestamps and form expiry; nil is
	// time.Now.
	Now func() time.Time
	// ShutdownGrace is how long interactions in flight may take to finish
	// once Run's context ends; 0 means 10 seconds.
	ShutdownGrace time.Duration
	// Replays remembers the HTTP interactions seen, across restarts and
	// replicas (the store); nil keeps them in memory.
	Replays ReplayStore
	// Forms keeps the forms being filled in between their steps, across
	// restarts and replicas (the store); nil keeps them in memory. When it
	// is a PendingStore, the interactions acknowledged and not yet
	// answered are kept in it too, and answered by another replica (or
	// the bot started again) should this one die first.
	Forms FormStore
}

// ReplayStore remembers signed requests, to refuse one sent again.
type ReplayStore interface {
	// SeenRequest records key until expires and reports whether it was
	// fresh at at: false when it was recorded before and is not expired.
	SeenRequest(ctx context.Context, key string, at, expires time.Time) (fresh bool, err error)
}

// restTimeout bounds one REST request, as discordgo's default client does.
const restTimeout = 20 * time.Second

// Discord is the adapter: a bot.Messenger and bot.Connector for the
// Discord platform, and the receiver of its interactions. Its methods are
// safe for concurrent use.
type Discord struct {
	session   *discordgo.Session
	appID     string
	guildID   string
	publicKey ed25519.PublicKey
	log       *slog.Logger
	now       func() time.Time
	grace     time.Duration

	connected atomic.Bool
	dms       *dmChannels
	forms     *forms
	replays   ReplayStore
	sent      *progress
	work      *inflight
	pending   *pendings
	leader    Leader // nil: this process holds the gateway
}

// New returns the adapter; Run connects it.
func New(opts Options) (*Discord, error) {
	if opts.Token == "" || opts.AppID == "" {
		return nil, errors.New("discord: a bot token and an application id are required")
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	transport, err := newRewriteTransport(opts.APIURL, opts.Transport)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 10 * time.Second
	}
	session, err := discordgo.New("Bot " + opts.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: session: %w", err)
	}
	session.Client = &http.Client{Transport: transport, Timeout: restTimeout}
	// Rate limits are the outbox's to handle: a 429 comes back as an error
	// instead of a sleep inside the sender.
	session.ShouldRetryOnRateLimit = false
	session.MaxRestRetries = 1
	// Interactions need no gateway intent; GUILDS keeps the session's view
	// of the guilds the bot is in, for the log.
	session.Identify.Intents = discordgo.IntentsGuilds
	// Handlers run on the gateway's reader; the adapter starts and owns
	// the goroutines that do the work (see inflight).
	session.SyncEvents = true
	// discordgo would log through the standard log package, unstructured
	// (its only hook is a package-level variable): the adapter logs the
	// gateway's state changes itself.
	session.LogLevel = -1
	d := &Discord{
		session:   session,
		appID:     opts.AppID,
		guildID:   opts.GuildID,
		publicKey: opts.PublicKey,
		log:       opts.Logger.With("platform", "discord"),
		now:       opts.Now,
		grace:     opts.ShutdownGrace,
		dms:       newDMChannels(),
		forms:     newForms(opts.Forms, opts.Logger.With("platform", "discord")),
		replays:   opts.Replays,
		sent:      newProgress(),
		work:      newInflight(),
		pending:   newPendings(opts.Forms, opts.Logger.With("platform", "discord"), opts.Now),
	}
	if d.replays == nil {
		d.replays = newReplays()
	}
	session.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		d.connected.Store(true)
		d.log.Info("gateway ready", "guilds", len(r.Guilds))
	})
	session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		d.connected.Store(true)
		d.log.Info("gateway resumed")
	})
	session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		d.connected.Store(false)
		d.log.Info("gateway disconnected")
	})
	return d, nil
}

// HTTPMode reports whether interactions come as signed HTTP requests
// rather than over the gateway.
func (d *Discord) HTTPMode() bool { return d.publicKey != nil }

// Connected reports whether the bot can talk to Discord: the gateway
// session is up or, in HTTP mode, the API accepted the commands at start.
func (d *Discord) Connected() bool { return d.connected.Load() }

// Run registers /tender, connects to the gateway (unless in HTTP mode) and
// answers interactions with core until ctx ends. Then it stops taking
// interactions, gives those in flight the shutdown grace to finish, and
// returns. A failure that retrying cannot fix (a rejected token, a command
// definition Discord refuses) is returned; others are retried. With a
// gateway leader (LeadGateway), the gateway is held only while this
// replica leads.
func (d *Discord) Run(ctx context.Context, core Core) error {
	if err := retry(ctx, d.log, "register /tender", d.registerCommands); err != nil {
		return fmt.Errorf("discord: register /tender: %w", refusal(err))
	}
	// Interactions other replicas acknowledged and died before answering
	// are answered from here too, until ctx ends.
	orphans := make(chan struct{})
	go func() { defer close(orphans); d.answerOrphans(ctx, core) }()
	var err error
	switch {
	case ctx.Err() != nil:
		// Stopped while still starting.
	case d.HTTPMode():
		d.connected.Store(true)
		<-ctx.Done()
	default:
		remove := d.session.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
			i := ic.Interaction
			if !d.work.Go(func(ctx context.Context) { d.serveGateway(ctx, core, i) }) {
				d.log.Warn("interaction dropped: shutting down", "interaction", i.ID)
			}
		})
		defer remove()
		if d.leader == nil {
			err = d.holdGateway(ctx)
		} else {
			err = d.leadGateway(ctx)
		}
	}
	d.connected.Store(false)
	<-orphans
	if n := d.work.Shutdown(d.grace); n > 0 {
		d.log.Warn("interactions cut off at shutdown", "count", n)
	}
	return err
}

// Leader runs work on one replica of the bot at a time (lease.Leader):
// of several replicas on one database, only one holds Discord's gateway
// connection.
type Leader interface {
	// Lead runs work whenever this replica leads, cancelling its context
	// when it no longer does, until ctx ends.
	Lead(ctx context.Context, work func(ctx context.Context)) error
}

// LeadGateway makes the gateway connection this replica's only while l
// says it leads; messages go out over the REST API from every replica
// meanwhile. Call it before Run. It has no effect in HTTP mode.
func (d *Discord) LeadGateway(l Leader) { d.leader = l }

// holdGateway connects to the gateway and holds the connection until ctx
// ends.
func (d *Discord) holdGateway(ctx context.Context) error {
	if err := retry(ctx, d.log, "connect to the gateway", func(context.Context) error { return d.session.Open() }); err != nil {
		return fmt.Errorf("discord: gateway: %w", refusal(err))
	}
	<-ctx.Done()
	if err := d.session.Close(); err != nil {
		d.log.Warn("close gateway", "err", err)
	}
	return nil
}

// leadGateway holds the gateway whenever this replica leads, until ctx
// ends or the gateway refuses the bot. A replica that does not lead sends
// over the REST API, so it counts as connected.
func (d *Discord) leadGateway(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var refused error
	d.connected.Store(true)
	err := d.leader.Lead(ctx, func(ctx context.Context) {
		d.log.Info("this replica holds the gateway")
		if err := d.holdGateway(ctx); err != nil && ctx.Err() == nil {
			refused = err
			cancel()
		}
		d.connected.Store(true)
		d.log.Info("this replica no longer holds the gateway")
	})
	if refused != nil {
		return refused
	}
	return err
}

// InteractionsPath is where InteractionHandler is meant to be mounted: the
// application's Interactions Endpoint URL is the public base URL followed
// by it.
const InteractionsPath = "/discord/interactions"

// ErrTokenRefused and ErrAppRefused say which setting Discord refused at
// start, so the operator knows which one to fix.
var (
	ErrTokenRefused = errors.New("bot token refused by Discord")
	ErrAppRefused   = errors.New("application id refused by Discord (or the token is another application's)")
)

// refusal names what Discord refused in an error that stopped the start.
func refusal(err error) error {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil {
		switch rest.Response.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("%w: %v", ErrTokenRefused, redact(err))
		case http.StatusForbidden, http.StatusNotFound:
			return fmt.Errorf("%w: %v", ErrAppRefused, redact(err))
		}
	}
	var closed *websocket.CloseError
	if errors.As(err, &closed) && closed.Code == 4004 {
		return fmt.Errorf("%w: %v", ErrTokenRefused, err)
	}
	return redact(err)
}

// InviteURL is the link that adds the bot to a server, with the scopes and
// permissions it needs: see the README's "Discord" section.
func InviteURL(appID string) string {
	v := url.Values{}
	v.Set("client_id", appID)
	v.Set("scope", "bot applications.commands")
	v.Set("permissions", strconv.FormatInt(Permissions, 10))
	return "https://discord.com/oauth2/authorize?" + v.Encode()
}

// Permissions are what the bot needs in a channel: see it, post in it,
// embed the notice links, and read the history that replies refer to.
const Permissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionEmbedLinks | discordgo.PermissionReadMessageHistory
