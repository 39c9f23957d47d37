package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/tenderbot/tenderbot/adapters/console"
	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/adapters/web"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// serve wires the store, matcher, feeds, chat and HTTP side together and
// runs them until ctx is done or the console input ends.
func serve(ctx context.Context, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	level, _ := parseLogLevel(cfg.LogLevel) // validated
	consoleOn := cfg.consoleOn()
	if cfg.LogLevel == "" && consoleOn {
		level = slog.LevelWarn // the console chat shares the terminal with the log
	}
	log := newLogger(stderr, cfg.LogFormat, level)
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

	vocab := matching.NewVocabulary()
	if err := vocab.LoadFile(cfg.CPVFile, cfg.NUTSFile); err != nil {
		return fmt.Errorf("vocabulary: %w", err)
	}
	store, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	matcher, err := newMatcher(ctx, store, vocab)
	if err != nil {
		return err
	}

	registry := prometheus.NewRegistry()
	messengers := map[bot.Platform]bot.Messenger{}
	chat := console.New(stdin, stdout, cfg.ConsoleUser, cfg.location)
	if consoleOn {
		messengers[bot.PlatformConsole] = chat
	}
	slackApp := newSlack(cfg, log)
	if slackApp != nil {
		messengers[bot.PlatformSlack] = slackApp
	}
	discordApp, err := newDiscord(cfg, log)
	if err != nil {
		return err
	}
	if discordApp != nil {
		messengers[bot.PlatformDiscord] = discordApp
	}
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{
		Client:   &http.Client{Timeout: cfg.FetchTimeout},
		MaxBytes: cfg.FeedMaxBytes,
		Guard:    &feeds.Guard{AllowPrivate: cfg.FeedsAllowPrivate},
		TEDURL:   cfg.TEDAPIURL,
	})
	metrics := web.NewMetrics(registry, store, log)
	worker := outbox.New(outbox.Options{
		Store:      store,
		Messengers: messengers,
		Logger:     log,
		Observer:   metrics,
		SendGrace:  cfg.ShutdownTimeout,
	})
	core := bot.New(bot.Options{
		Store:           store,
		Matcher:         matcher,
		Vocabulary:      vocab,
		Location:        cfg.location,
		Logger:          log,
		Observer:        metrics,
		Digests:         cfg.digestSchedule(),
		Admins:          adminsOrConsole(cfg.admins, chat.Subscriber()),
		AlertCapPerHour: cfg.AlertCapPerHour,
		Retention:       time.Duration(cfg.Retention),
		Probe:           feeds.NewProber(fetcher),
		Dispatcher:      worker,
		Feeds:           feedSources(cfg.Feeds),
		BaseURL:         cfg.publicURL(listener),
		Announce:        cfg.eventChannels,
	})
	if err := core.Start(ctx); err != nil {
		return err
	}
	matcher.Compact() // Start put every stored profile
	poller := feeds.NewPoller(fetcher, core, cfg.PollInterval, log)

	g, ctx := errgroup.WithContext(ctx)
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	g.Go(func() error { return poller.Run(ctx) })
	g.Go(func() error { return core.Run(ctx) })
	g.Go(func() error { return worker.Run(ctx) })
	whole := coreWithOutbox{Bot: core, outbox: worker}
	if slackApp != nil {
		g.Go(func() error { return runSlack(ctx, slackApp, core) })
	}
	if discordApp != nil {
		g.Go(func() error { return runDiscord(ctx, discordApp, core) })
	}
	if listener != nil {
		server := web.New(whole, registry, log)
		mountSlack(server, slackApp, cfg)
		mountDiscord(server, discordApp, core)
		server.MountEvents(core, cfg.publicURL(listener)) // the same links, and calendar UIDs, as in chat
		g.Go(func() error { return server.Serve(ctx, listener, cfg.ShutdownTimeout) })
	}
	if consoleOn {
		g.Go(func() error {
			defer stopAll() // the end of console input ends the bot
			return chat.Run(ctx, whole)
		})
	}
	return g.Wait()
}

// coreWithOutbox is the core as the console and /readyz see it, with the
// outbox worker that sends for it: a console session ends once the outbox
// is idle, and the chats' connections count towards readiness.
type coreWithOutbox struct {
	*bot.Bot
	outbox *outbox.Worker
}

// WaitIdle returns once every feed has been polled once and nothing is due
// in the outbox soon: when a scripted console session may end without
// losing an alert.
func (c coreWithOutbox) WaitIdle(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.Loaded():
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
	fmt.Fprintf(w, "tenderbot: database %s\n", cfg.DB)
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
	for _, loc := range locations {
		loc = strings.TrimSpace(loc)
		// The name is shown in chat and logs: never with credentials.
		sources = append(sources, bot.FeedSource{URL: loc, Name: feeds.Redact(loc)})
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
