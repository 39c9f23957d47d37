package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/tenderbot/tenderbot/adapters/console"
	"github.com/tenderbot/tenderbot/adapters/discord"
	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/adapters/mail"
	"github.com/tenderbot/tenderbot/adapters/slack"
	"github.com/tenderbot/tenderbot/adapters/web"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/bot/lease"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/bot/partner"
	"github.com/tenderbot/tenderbot/bot/profilesync"
	"github.com/tenderbot/tenderbot/bot/roles"
	"github.com/tenderbot/tenderbot/bot/schedule"
	"github.com/tenderbot/tenderbot/matching"
)

// serve assembles the bot from cfg and runs it until ctx is done or the
// console input ends.
func serve(ctx context.Context, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	log := serveLogger(cfg, stderr)
	log.Info("starting", "config", cfg)

	var listener net.Listener
	if cfg.HTTPAddr != "" {
		l, err := web.Listen(cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("%w (set TENDERBOT_HTTP_ADDR to a free address, or empty to turn the listener off)", err)
		}
		defer l.Close()
		listener = l
	}
	announce(stdout, cfg, listener)
	for _, w := range cfg.warnings() {
		log.Warn(w)
	}

	s, err := assemble(ctx, cfg, log, listener, stdin, stdout)
	if err != nil {
		return err
	}
	defer s.close()
	return s.run(ctx)
}

// serveLogger is the log serve writes to stderr: quieter when the console
// chat shares the terminal, unless a level is configured.
func serveLogger(cfg Config, stderr io.Writer) *slog.Logger {
	level, _ := parseLogLevel(cfg.LogLevel) // validated
	if cfg.LogLevel == "" && cfg.consoleOn() {
		level = slog.LevelWarn // the console chat shares the terminal with the log
	}
	return newLogger(stderr, cfg.LogFormat, level)
}

// service is the bot assembled from the configuration: what serve runs.
type service struct {
	cfg      Config
	log      *slog.Logger
	listener net.Listener // nil: no HTTP side
	registry *prometheus.Registry
	store    store
	core     *bot.Bot
	events   *engage.Service
	outbox   *outbox.Worker
	schedule *schedule.Scheduler
	poller   *feeds.Poller
	// profiles brings the other replicas' profile changes into the
	// matcher; nil on a store that serves one process.
	profiles *profilesync.Syncer
	sources  *web.SourceBoard // the named sources' standing, for /readyz
	chats    chats
	formKey  []byte // signs the registration form and unsubscribe links
}

// assemble opens the store and builds every part on it: the matcher, the
// chats, the outbox worker, the engagement events and the core, started,
// and the feed poller.
func assemble(ctx context.Context, cfg Config, log *slog.Logger, listener net.Listener, stdin io.Reader, stdout io.Writer) (*service, error) {
	vocab := matching.NewVocabulary()
	if err := loadCodeLists(vocab, cfg.CPVFile, cfg.NUTSFile); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	store, err := openStore(ctx, cfg, false)
	if err != nil {
		return nil, fmt.Errorf("open %w", err)
	}
	s := &service{cfg: cfg, log: log, listener: listener, registry: prometheus.NewRegistry(), store: store}
	if err := s.build(ctx, vocab, stdin, stdout); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// build makes the parts on s.store, and starts the core.
func (s *service) build(ctx context.Context, vocab *matching.Vocabulary, stdin io.Reader, stdout io.Writer) error {
	matcher, err := newMatcher(ctx, s.store, vocab)
	if err != nil {
		return err
	}
	if s.chats, err = newChats(s.cfg, s.log, s.store, s.cfg.publicURL(s.listener), stdin, stdout); err != nil {
		return err
	}
	if leases, ok := s.store.(lease.Leaser); ok && s.chats.discord != nil {
		// Of the replicas on one database, one holds the gateway.
		s.chats.discord.LeadGateway(lease.NewLeader(leases, lease.LeaderOptions{Name: discordGatewayLease, Logger: s.log}))
	}
	s.formKey = s.cfg.formKey()
	if s.chats.mail, err = newMailer(s.cfg, s.log, s.cfg.publicURL(s.listener), s.formKey); err != nil {
		return err
	}
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{
		Client:       &http.Client{Timeout: s.cfg.FetchTimeout},
		MaxBytes:     s.cfg.FeedMaxBytes,
		Guard:        s.cfg.feedGuard(),
		TEDURL:       s.cfg.TEDAPIURL,
		TenderNedURL: s.cfg.TenderNedAPIURL,
		ExportsURL:   s.cfg.DEExportsURL,
	})
	metrics := web.NewMetrics(s.registry, s.store, s.log)
	s.sources = metrics.Sources()
	s.outbox = outbox.New(outbox.Options{
		Store:      s.store,
		Messengers: s.chats.messengers(),
		Logger:     s.log,
		Observer:   metrics,
		SendGrace:  s.cfg.ShutdownTimeout,
		Lease:      s.cfg.OutboxLease,
	})
	s.schedule = schedule.New(schedule.Options{
		Store:     s.store,
		Digests:   s.cfg.digestSchedule(),
		Location:  s.cfg.location,
		Language:  s.cfg.language,
		Logger:    s.log,
		Retention: time.Duration(s.cfg.Retention),
		Outbox:    s.outbox,
	})
	admins := adminsOrConsole(s.cfg.admins, s.chats.console.Subscriber())
	rights := bot.Rights{Store: s.store, Admins: admins}
	s.events = s.newEvents(matcher, vocab, rights, metrics)
	partners := s.newPartners(matcher, vocab, rights, fetcher)
	s.core = bot.New(bot.Options{
		Store:           s.store,
		Matcher:         matcher,
		Vocabulary:      vocab,
		Location:        s.cfg.location,
		Language:        s.cfg.language,
		Logger:          s.log,
		Observer:        metrics,
		Digests:         s.cfg.digestSchedule(),
		Admins:          admins,
		AlertCapPerHour: s.cfg.AlertCapPerHour,
		Dispatcher:      s.outbox,
		Feeds:           feedSources(s.cfg.Feeds),
		Events:          s.events,
		Partners:        partners,
		Roles:           roles.New(roles.Options{Store: s.store, Rights: rights, Logger: s.log}),
		Reach:           s.chats.reach,
	})
	if versions, ok := s.store.(profilesync.Store); ok {
		// Made before Start loads the profiles: no change falls between.
		s.profiles, err = profilesync.New(ctx, profilesync.Options{Store: versions, Matcher: matcher, Logger: s.log})
		if err != nil {
			return err
		}
	}
	if err := s.core.Start(ctx); err != nil {
		return err
	}
	matcher.Compact() // Start put every stored profile
	pollOpts := feeds.PollerOptions{
		Interval: s.cfg.PollInterval,
		Workers:  s.cfg.FeedWorkers,
		Budget:   s.cfg.FeedRoundBudget,
		Logger:   s.log,
	}
	if leases, ok := s.store.(lease.Leaser); ok {
		pollOpts.Leases = leases // replicas share the feeds
	}
	s.poller = feeds.NewPoller(fetcher, s.core, pollOpts)
	partners.SetReader(s.poller)
	return nil
}

// newEvents makes the engagement events' room.
func (s *service) newEvents(matcher bot.Matcher, vocab *matching.Vocabulary, rights bot.Rights, metrics *web.Metrics) *engage.Service {
	return engage.New(engage.Options{
		Store:      s.store,
		Matcher:    matcher,
		Rights:     rights,
		Vocabulary: vocab,
		Location:   s.cfg.location,
		Logger:     s.log,
		Observer:   metrics,
		Outbox:     s.outbox,
		Admins:     rights.Admins,
		BaseURL:    s.cfg.publicURL(s.listener),
		Announce:   s.cfg.eventChannels,
		Language:   s.cfg.language,
	})
}

// newPartners makes the partners' feeds' room; its proposed feeds are
// probed with fetcher.
func (s *service) newPartners(matcher bot.Matcher, vocab *matching.Vocabulary, rights bot.Rights, fetcher *feeds.Fetcher) *partner.Service {
	return partner.New(partner.Options{
		Store:      s.store,
		Matcher:    matcher,
		Rights:     rights,
		Vocabulary: vocab,
		Location:   s.cfg.location,
		Language:   s.cfg.language,
		Logger:     s.log,
		Outbox:     s.outbox,
		Probe:      feeds.NewProber(fetcher, s.log),
	})
}

// loadCodeLists loads the CPV and NUTS lists from the files given, and the
// lists built into the binary for those not given.
func loadCodeLists(vocab *matching.Vocabulary, cpvFile, nutsFile string) error {
	if err := vocab.LoadFile(cpvFile, nutsFile); err != nil {
		return err
	}
	if cpvFile == "" {
		if err := vocab.LoadEmbeddedCPV(); err != nil {
			return err
		}
	}
	if nutsFile == "" {
		return vocab.LoadEmbeddedNUTS()
	}
	return nil
}

// close closes the store, once everything that uses it has stopped.
func (s *service) close() {
	if err := s.store.Close(); err != nil {
		s.log.Error("close database", "err", err)
	}
}

// run runs every part until ctx is done, one of them fails, or the console
// input ends, and returns once all have stopped.
func (s *service) run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	whole := coreWithOutbox{Bot: s.core, outbox: s.outbox, poller: s.poller, warnings: s.cfg.warnings()}
	chat := chatCore{Bot: s.core, Service: s.events}
	g.Go(func() error { return s.poller.Run(ctx) })
	g.Go(func() error { return s.schedule.Run(ctx) })
	g.Go(func() error { return s.outbox.Run(ctx) })
	if s.profiles != nil {
		g.Go(func() error { return s.profiles.Run(ctx) })
	}
	if s.chats.slack != nil {
		g.Go(func() error { return runSlack(ctx, s.chats.slack, chat) })
	}
	if s.chats.discord != nil {
		g.Go(func() error { return runDiscord(ctx, s.chats.discord, chat) })
	}
	if s.listener != nil {
		server := web.New(whole, s.registry, s.log)
		server.ShowSources(s.sources)
		mountSlack(server, s.chats.slack, s.cfg)
		mountDiscord(server, s.chats.discord, chat)
		server.SetLanguage(s.cfg.language)                        // the feed's, when its address asks for none
		server.MountEvents(s.events, s.cfg.publicURL(s.listener)) // the same links, and calendar UIDs, as in chat
		if s.chats.mail != nil {
			// Registering on the page is offered only when the bot can
			// then reach the person.
			server.MountRegistration(s.events, web.RegistrationOptions{Key: s.formKey, Erase: eraseRegistrant(s.core)})
		}
		g.Go(func() error { return server.Serve(ctx, s.listener, s.cfg.ShutdownTimeout) })
	}
	if s.chats.consoleOn {
		g.Go(func() error {
			defer stopAll() // the end of console input ends the bot
			return s.chats.console.Run(ctx, whole)
		})
	}
	return g.Wait()
}

// eraseRegistrant erases everything held about a person who registered by
// e-mail, as "forget me" does in chat: the erase button beside
// unsubscribe on the page their mail's link opens.
func eraseRegistrant(core *bot.Bot) func(ctx context.Context, addr string) error {
	return func(ctx context.Context, addr string) error {
		addr, err := email.Parse(addr)
		if err != nil {
			return err
		}
		return core.Forget(ctx, email.Subscriber(addr))
	}
}

// chats are the chat platforms the configuration turns on.
type chats struct {
	// console is made even when off: its user is the operator, the admin
	// when none is configured.
	console   *console.Console
	consoleOn bool
	slack     *slack.Slack     // nil: off
	discord   *discord.Discord // nil: off
	mail      *mail.Mailer     // nil: no SMTP server configured
	// reach says which workspaces can hear from the bot: a distributed
	// Slack app's installations. nil: every workspace.
	reach bot.Reach
}

// newChats makes the chats the configuration turns on; store is where
// their HTTP modes remember the signed requests seen, and where a
// distributed Slack app keeps its workspaces; public is the HTTP
// listener's public address.
func newChats(cfg Config, log *slog.Logger, store slackStore, public string, stdin io.Reader, stdout io.Writer) (chats, error) {
	c := chats{
		console:   console.New(stdin, stdout, cfg.ConsoleUser, cfg.location),
		consoleOn: cfg.consoleOn(),
	}
	c.console.SetLocale(cfg.consoleLocale())
	var err error
	var installs *install.Service
	if c.slack, installs, err = newSlack(cfg, log, store, public); err != nil {
		return c, err
	}
	if installs != nil {
		c.reach = installs
	}
	c.discord, err = newDiscord(cfg, log, store)
	return c, err
}

// messengers are the chats that are on, by platform, for the outbox.
func (c chats) messengers() map[bot.Platform]bot.Messenger {
	m := map[bot.Platform]bot.Messenger{}
	if c.consoleOn {
		m[bot.PlatformConsole] = c.console
	}
	if c.slack != nil {
		m[bot.PlatformSlack] = c.slack
	}
	if c.discord != nil {
		m[bot.PlatformDiscord] = c.discord
	}
	if c.mail != nil {
		m[email.Platform] = c.mail
	}
	return m
}

// chatCore is what the chat adapters ask of the core: the bot's commands
// and forms, and the engagement events' forms.
type chatCore struct {
	*bot.Bot
	*engage.Service
}

// coreWithOutbox is the core as the console and /readyz see it, with the
// outbox worker that sends for it: a console session ends once the outbox
// is idle, and the chats' connections count towards readiness.
type coreWithOutbox struct {
	*bot.Bot
	outbox   *outbox.Worker
	poller   *feeds.Poller
	warnings []string
}

// Warnings are the configuration's warnings, for /readyz.
func (c coreWithOutbox) Warnings() []string { return c.warnings }

// WaitIdle returns once every feed has been polled once, none has promised
// more soon (the example feed does), and nothing is due in the outbox soon:
// when a scripted console session may end without losing an alert.
func (c coreWithOutbox) WaitIdle(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.Loaded():
	}
	if c.poller != nil {
		if err := c.poller.WaitPublished(ctx); err != nil {
			return err
		}
	}
	return c.outbox.WaitIdle(ctx)
}

// Readiness lists what keeps the core from its job, then the chats that
// cannot send.
func (c coreWithOutbox) Readiness(ctx context.Context) []string {
	return append(c.Bot.Readiness(ctx), c.outbox.Readiness()...)
}

// announce says in the first lines of output how the bot runs: which chat,
// which database, which feeds, where the HTTP side listens.
func announce(w io.Writer, cfg Config, listener net.Listener) {
	const auto = "TENDERBOT_CONSOLE=auto: on while no Slack or Discord token is set"
	switch {
	case cfg.consoleOn() && cfg.Console == "auto":
		fmt.Fprintf(w, "tenderbot: console chat as user %q (%s)\n", cfg.ConsoleUser, auto)
	case cfg.consoleOn():
		fmt.Fprintf(w, "tenderbot: console chat as user %q (TENDERBOT_CONSOLE=on)\n", cfg.ConsoleUser)
	case cfg.Console == "auto":
		fmt.Fprintf(w, "tenderbot: no console chat (%s)\n", auto)
	case !cfg.chatTokenSet():
		fmt.Fprintln(w, "tenderbot: no chat (TENDERBOT_CONSOLE=off): reading feeds; alerts wait in the outbox")
	}
	announceSlack(w, cfg)
	announceDiscord(w, cfg)
	if listener != nil {
		announceMail(w, cfg)
	}
	fmt.Fprintf(w, "tenderbot: database %s\n", cfg.databaseName())
	if len(cfg.Feeds) == 0 {
		fmt.Fprintf(w, "tenderbot: TENDERBOT_FEEDS is unset, reading the example feed built into the binary (%s)\n", feeds.ExampleFeedURL)
	} else {
		fmt.Fprintf(w, "tenderbot: reading %d feed(s) every %s\n", len(cfg.Feeds), cfg.PollInterval)
	}
	if listener != nil {
		fmt.Fprintf(w, "tenderbot: HTTP on http://%s (/healthz, /readyz, /metrics, events on /events)\n", listener.Addr())
	}
	if cfg.consoleOn() {
		fmt.Fprint(w, "tenderbot: type `help` for commands\n\n")
	}
}

// feedSources turns the configured feed list into sources, or the built-in
// example feed when none is configured.
func feedSources(locations []string) []bot.FeedSource {
	if len(locations) == 0 {
		return []bot.FeedSource{{URL: feeds.ExampleFeedURL, Name: "Example feed (Twente and beyond)"}}
	}
	sources := make([]bot.FeedSource, 0, len(locations))
	for _, entry := range locations {
		loc, kind, _ := feedEntry(entry) // validated with the configuration
		// The name is shown in chat and logs: never with credentials.
		sources = append(sources, bot.FeedSource{URL: loc, Name: feeds.SourceName(loc), Kind: kind})
	}
	return sources
}

// adminsOrConsole returns the configured admins or, when none are, the
// person at the console: the operator.
func adminsOrConsole(admins []bot.Subscriber, console bot.Subscriber) []bot.Subscriber {
	if len(admins) > 0 {
		return admins
	}
	return []bot.Subscriber{console}
}
