package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/tenderbot/tenderbot/adapters/console"
	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// serve wires the store, matcher, feeds and chat together and runs them
// until ctx is done or the console input ends.
func serve(ctx context.Context, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	level, _ := parseLogLevel(cfg.LogLevel) // validated
	if cfg.LogLevel == "" {
		level = slog.LevelWarn // the console chat shares the terminal with the log
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	sources := feedSources(cfg.Feeds)
	fmt.Fprintf(stdout, "tenderbot: console chat (no Slack or Discord token set) as user %q\n", cfg.ConsoleUser)
	fmt.Fprintf(stdout, "tenderbot: database %s\n", cfg.DB)
	if len(cfg.Feeds) == 0 {
		fmt.Fprintf(stdout, "tenderbot: TENDERBOT_FEEDS is unset, reading the example feed built into the binary (%s)\n", feeds.ExampleFeedURL)
	} else {
		fmt.Fprintf(stdout, "tenderbot: reading %d feed(s) every %s\n", len(sources), cfg.PollInterval)
	}
	fmt.Fprint(stdout, "tenderbot: type `help` for commands\n\n")

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

	chat := console.New(stdin, stdout, cfg.ConsoleUser, cfg.location)
	core := bot.New(bot.Options{
		Store:      store,
		Matcher:    matching.NewScan(),
		Vocabulary: vocab,
		Location:   cfg.location,
		Logger:     log,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: chat},
		Feeds:      sources,
	})
	if err := core.Start(ctx); err != nil {
		return err
	}
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{
		Client:   &http.Client{Timeout: cfg.FetchTimeout},
		MaxBytes: cfg.FeedMaxBytes,
	})
	poller := feeds.NewPoller(fetcher, core, cfg.PollInterval, log)

	g, ctx := errgroup.WithContext(ctx)
	ctx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	g.Go(func() error { return poller.Run(ctx) })
	g.Go(func() error { return core.Run(ctx) })
	g.Go(func() error {
		defer stopAll() // the end of console input ends the bot
		return chat.Run(ctx, core)
	})
	return g.Wait()
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
