package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/matching/workload"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// fanoutProfileBatch is how many profiles the setup stores a transaction.
const fanoutProfileBatch = 10_000

// fanoutFeedURL is the feed the bench registers; nothing fetches it.
const fanoutFeedURL = "bench:fanout"

// The bench's clocks. The bot ingests at workload.Now, a Monday at 09:00
// UTC, which the notices' deadlines are relative to; the feed's baseline
// poll was three days earlier, before any generated notice was published
// (they are dated up to 71 hours before Now), so none is backfill. The
// outbox worker drains an hour after Now, past the end of every quiet
// window in the mix, so every alert is due and sent: the drain counts
// every delivery, and only what was sent.
var (
	fanoutBaselineAt = workload.Now.Add(-72 * time.Hour)
	fanoutDrainAt    = workload.Now.Add(time.Hour)
)

// The settings mix, drawn from a stream of its own so that the profiles are
// the ones cmd/matchbench draws for the same seed: 80% of profiles instant,
// 15% in the daily digest, 5% in the weekly one; a fifth of subscribers
// keep quiet hours, a third each 22:00–07:00, 20:00–08:00 and 18:00–09:30.
// At the bench's 09:00 the last window holds instant alerts until 09:30;
// the others are over, but every instant alert still reads its settings.
var (
	fanoutModes      = []bot.DeliveryMode{bot.DeliverInstant, bot.DeliverDaily, bot.DeliverWeekly}
	fanoutModeWeight = []float64{0.80, 0.15, 0.05}
	fanoutQuietShare = 0.2
	fanoutQuiet      = []bot.QuietHours{
		{Start: 22 * time.Hour, End: 7 * time.Hour},
		{Start: 20 * time.Hour, End: 8 * time.Hour},
		{Start: 18 * time.Hour, End: 9*time.Hour + 30*time.Minute},
	}
)

// fanoutWorkload is everything the run stores and ingests, generated up
// front so that generating is not timed. Once the profiles are stored the
// run needs only the notices: storedProfiles lets go of the rest, so that
// the bot's peak memory is not the bench's.
type fanoutWorkload struct {
	queries     []string           // one per profile
	modes       []bot.DeliveryMode // one per profile
	subscribers []bot.Subscriber   // profile i belongs to subscribers[i/perSubscriber]
	quiet       []*bot.QuietHours  // one per subscriber; nil: none
	sample      []bot.Notice       // the baseline poll
	notices     []bot.Notice       // ingested and measured
}

// storedProfiles lets go of the profiles, their subscribers and settings,
// once they are in the store.
func (w *fanoutWorkload) storedProfiles() {
	w.queries, w.modes, w.subscribers, w.quiet = nil, nil, nil, nil
}

func newFanoutWorkload(c fanoutConfig) *fanoutWorkload {
	g := workload.New(c.seed)
	w := &fanoutWorkload{}
	if c.broad {
		w.queries = g.BroadProfiles(c.profiles)
	} else {
		w.queries = g.Profiles(c.profiles)
	}
	w.sample = g.Notices(c.sample)
	w.notices = g.Notices(c.notices)

	r := rand.New(rand.NewPCG(c.seed, 0xfa2007))
	w.modes = make([]bot.DeliveryMode, c.profiles)
	for i := range w.modes {
		w.modes[i] = fanoutModes[draw(r, fanoutModeWeight)]
	}
	n := (c.profiles + c.perSubscriber - 1) / c.perSubscriber
	w.subscribers = make([]bot.Subscriber, n)
	w.quiet = make([]*bot.QuietHours, n)
	for i := range w.subscribers {
		w.subscribers[i] = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "bench", User: fmt.Sprintf("u%06d", i)}
		if r.Float64() < fanoutQuietShare {
			q := fanoutQuiet[r.IntN(len(fanoutQuiet))]
			w.quiet[i] = &q
		}
	}
	return w
}

// draw returns an index into weights, which sum to 1, by weight.
func draw(r *rand.Rand, weights []float64) int {
	x := r.Float64()
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// mix says in words what was drawn, for the progress line.
func (w *fanoutWorkload) mix() string {
	modes := map[bot.DeliveryMode]int{}
	for _, m := range w.modes {
		modes[m]++
	}
	quiet := 0
	for _, q := range w.quiet {
		if q != nil {
			quiet++
		}
	}
	return fmt.Sprintf("%d instant, %d daily, %d weekly; %d subscribers with quiet hours",
		modes[bot.DeliverInstant], modes[bot.DeliverDaily], modes[bot.DeliverWeekly], quiet)
}

// fanoutStore is what the bench needs of a store: the core's ports, the
// outbox worker's, and profiles stored in bulk. storage/sqlite.Store and
// storage/postgres.Store are.
type fanoutStore interface {
	store
	outbox.Store
	CreateProfiles(ctx context.Context, ps []bot.Profile) error
}

// fanout is one run: the bot assembled as serve assembles it, on a fresh
// database, with an outbox worker whose one messenger sends at once.
type fanout struct {
	cfg       fanoutConfig
	w         *fanoutWorkload
	path      string // the SQLite file, or the PostgreSQL URL of the bench's schema
	store     fanoutStore
	counted   *countingStore
	index     *matching.Index
	bot       *bot.Bot
	worker    *outbox.Worker
	sent      *sendCounter
	feed      bot.Feed
	perNotice []noticeRows // filled by measureIngest
}

// openFanout opens the store and builds the parts on it, as serve's build
// does, with the bench's clocks; the core is not started yet.
func openFanout(ctx context.Context, path string, c fanoutConfig, w *fanoutWorkload, stderr io.Writer) (*fanout, error) {
	var store fanoutStore
	var err error
	if c.databaseURL != "" {
		store, err = postgres.Open(ctx, path, postgres.Options{Clock: fixedClock(workload.Now)})
	} else {
		store, err = sqlite.Open(ctx, path, sqlite.Options{Clock: fixedClock(workload.Now)})
	}
	if err != nil {
		return nil, fmt.Errorf("bench fanout: open database: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r := &fanout{cfg: c, w: w, path: path, store: store, counted: &countingStore{fanoutStore: store}, sent: &sendCounter{}}
	vocab := matching.NewVocabulary()
	r.index = matching.NewIndex(matching.Options{Vocabulary: vocab, Clock: fixedClock(workload.Now), Sample: w.sample})
	r.worker = outbox.New(outbox.Options{
		Store:      store,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: nopMessenger{}},
		Clock:      fixedClock(fanoutDrainAt),
		Logger:     log,
		Observer:   r.sent,
	})
	r.bot = bot.New(bot.Options{
		Store:           r.counted,
		Matcher:         r.index,
		Vocabulary:      vocab,
		Clock:           fixedClock(workload.Now),
		Logger:          log,
		AlertCapPerHour: c.cap,
		Dispatcher:      r.worker,
		Feeds:           []bot.FeedSource{{URL: fanoutFeedURL, Name: "Fan-out bench"}},
	})
	return r, nil
}

// close closes the store.
func (r *fanout) close() { r.store.Close() }

// setUp stores the profiles and settings, starts the core (which builds
// the index from the stored profiles, as at every start), and runs the
// feed's baseline poll.
func (r *fanout) setUp(ctx context.Context, progress func(string, ...any)) error {
	began := time.Now()
	quiet, err := r.storeProfiles(ctx)
	if err != nil {
		return err
	}
	progress("stored %d profiles of %d subscribers, and the quiet hours of %d, in %.1f s",
		len(r.w.queries), len(r.w.subscribers), quiet, time.Since(began).Seconds())
	r.w.storedProfiles()

	began = time.Now()
	if err := r.bot.Start(ctx); err != nil {
		return fmt.Errorf("bench fanout: %w", err)
	}
	r.index.Compact() // as serve does once Start has put every stored profile
	progress("started the bot: index of %d profiles built in %.1f s", r.cfg.profiles, time.Since(began).Seconds())

	began = time.Now()
	if err := r.baseline(ctx); err != nil {
		return err
	}
	progress("baseline poll: %d notices stored without alerts in %.1f s", len(r.w.sample), time.Since(began).Seconds())
	return nil
}

// storeProfiles stores the profiles, their queries in the canonical form a
// new profile is saved in, a batch a transaction, and the subscribers'
// quiet hours one by one (a fifth of them); it returns how many keep quiet
// hours. Setting up is not part of what is measured.
func (r *fanout) storeProfiles(ctx context.Context) (quiet int, err error) {
	batch := make([]bot.Profile, 0, fanoutProfileBatch)
	for i, text := range r.w.queries {
		q, err := r.index.CompileProfile(text)
		if err != nil {
			return 0, fmt.Errorf("bench fanout: generated profile %q: %w", text, err)
		}
		batch = append(batch, bot.Profile{
			Subscriber: r.w.subscribers[i/r.cfg.perSubscriber],
			Name:       fmt.Sprintf("bench %d", i%r.cfg.perSubscriber+1),
			Query:      q.String(),
			Delivery:   r.w.modes[i],
		})
		if len(batch) == cap(batch) || i == len(r.w.queries)-1 {
			if err := r.store.CreateProfiles(ctx, batch); err != nil {
				return 0, fmt.Errorf("bench fanout: %w", err)
			}
			batch = batch[:0]
		}
	}
	for i, q := range r.w.quiet {
		if q == nil {
			continue
		}
		if err := r.store.SaveSettings(ctx, r.w.subscribers[i], bot.Settings{Quiet: q}); err != nil {
			return 0, fmt.Errorf("bench fanout: %w", err)
		}
		quiet++
	}
	return quiet, nil
}

// baseline runs the feed's first poll: its notices are stored without
// alerting anyone, and the feed counts as polled from fanoutBaselineAt.
func (r *fanout) baseline(ctx context.Context) error {
	feed, err := r.benchFeed(ctx)
	if err != nil {
		return err
	}
	if err := r.bot.Ingest(ctx, feed, r.w.sample); err != nil {
		return fmt.Errorf("bench fanout: baseline poll: %w", err)
	}
	r.bot.FeedPolled(ctx, feed, bot.PollResult{At: fanoutBaselineAt, Items: len(r.w.sample)})
	if r.feed, err = r.benchFeed(ctx); err != nil {
		return err
	}
	if !r.feed.Polled() {
		return fmt.Errorf("bench fanout: the feed does not count as polled after its baseline poll")
	}
	return nil
}

// benchFeed returns the bench's feed as the poller would see it.
func (r *fanout) benchFeed(ctx context.Context) (bot.Feed, error) {
	feeds, err := r.bot.FeedsToPoll(ctx)
	if err != nil {
		return bot.Feed{}, fmt.Errorf("bench fanout: %w", err)
	}
	for _, f := range feeds {
		if f.URL == fanoutFeedURL {
			return f, nil
		}
	}
	return bot.Feed{}, fmt.Errorf("bench fanout: feed %s is not registered", fanoutFeedURL)
}
