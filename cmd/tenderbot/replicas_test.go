package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/discord"
	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/lease"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// sharedFeedServer is one RSS feed with an ETag, counting who asks for it, how
// many ask at once, and whether they send the ETag back.
type sharedFeedServer struct {
	mu          sync.Mutex
	requests    []feedRequest
	inFlight    int
	maxInFlight int
}

type feedRequest struct {
	at          time.Time
	path        string
	replica     string // the User-Agent
	conditional bool   // sent the ETag of an earlier answer
}

const feedETag = `"v1"`

func (f *sharedFeedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.requests = append(f.requests, feedRequest{at: time.Now(), path: r.URL.Path, replica: r.UserAgent(), conditional: r.Header.Get("If-None-Match") == feedETag})
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	time.Sleep(50 * time.Millisecond) // a poll takes a while: room for a second one to overlap
	if r.Header.Get("If-None-Match") == feedETag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", feedETag)
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Tenders</title>
<item><title>Renovatie sporthal</title><link>https://feeds.example/1</link><guid>t-1</guid></item>
</channel></rss>`)
}

func (f *sharedFeedServer) snapshot() ([]feedRequest, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]feedRequest(nil), f.requests...), f.maxInFlight
}

// pollingReplica is one replica's feed side: a store of its own on the
// shared database, a core, and a poller sharing the feeds by lease.
type pollingReplica struct {
	name string
	stop context.CancelFunc
	done chan error
}

const (
	replicaPollInterval = time.Second
	replicaFeedLease    = 300 * time.Millisecond
)

func startPollingReplica(t *testing.T, dbURL, feedURL, name string) *pollingReplica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := postgres.Open(ctx, dbURL, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	core := bot.New(bot.Options{Store: store, Matcher: matching.NewIndex(matching.Options{}),
		Feeds: []bot.FeedSource{{URL: feedURL, Name: "tenders"}}})
	if err := core.Start(ctx); err != nil {
		t.Fatal(err)
	}
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{UserAgent: name, HostGap: -1})
	poller := feeds.NewPoller(fetcher, core, feeds.PollerOptions{
		Interval: replicaPollInterval, Leases: unreleased{store}, Owner: name, LeaseTTL: replicaFeedLease})
	r := &pollingReplica{name: name, stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- poller.Run(ctx) }()
	t.Cleanup(func() {
		r.halt()
		store.Close()
	})
	return r
}

// halt stops the replica as if it died: its poller stops, its leases stay
// in the store until they run out.
func (r *pollingReplica) halt() {
	if r.stop != nil {
		r.stop()
		<-r.done
		r.stop = nil
	}
}

// TestFeedIsPolledByOneReplicaAtATime: two replicas poll one feed on one
// database; the feed is read about once an interval, never by both at
// once, always with the ETag the last read brought, whichever replica
// read it; when the replica reading it dies, the other reads it within a
// poll interval of its due time.
func TestFeedIsPolledByOneReplicaAtATime(t *testing.T) {
	dbURL := pgtest.URL(t)
	server := &sharedFeedServer{}
	srv := httptest.NewServer(server)
	defer srv.Close()
	feedURL := srv.URL + "/tenders.xml"
	replicas := map[string]*pollingReplica{
		"replica-a": startPollingReplica(t, dbURL, feedURL, "replica-a"),
		"replica-b": startPollingReplica(t, dbURL, feedURL, "replica-b"),
	}
	const watched = 3500 * time.Millisecond
	time.Sleep(watched)

	requests, most := server.snapshot()
	if most > 1 {
		t.Errorf("%d requests for the feed at once, want 1 at a time", most)
	}
	if max := int(watched/replicaPollInterval) + 2; len(requests) == 0 || len(requests) > max {
		t.Fatalf("%d requests in %s at one poll a %s, want 1 to %d", len(requests), watched, replicaPollInterval, max)
	}
	for i, r := range requests[1:] {
		if !r.conditional {
			t.Errorf("request %d (by %s) did not send the ETag the previous read brought", i+2, r.replica)
		}
	}
	holder := requests[len(requests)-1].replica
	other := "replica-a"
	if holder == other {
		other = "replica-b"
	}
	died := time.Now()
	replicas[holder].halt()
	deadline := died.Add(2*replicaPollInterval + time.Second)
	for time.Now().Before(deadline) {
		requests, _ = server.snapshot()
		if last := requests[len(requests)-1]; last.replica == other && last.at.After(died) {
			t.Logf("%s read the feed %s after %s died", other, last.at.Sub(died).Round(time.Millisecond), holder)
			if !last.conditional {
				t.Errorf("%s took over without the ETag %s stored", other, holder)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not read the feed within %s after %s died", other, deadline.Sub(died), holder)
}

// unreleased is a store whose leases are never handed back: a replica on
// it that stops is one that died.
type unreleased struct{ lease.Leaser }

// gatewayReplica is one replica's Discord side on the shared database.
type gatewayReplica struct {
	leader *lease.Leader
	stop   context.CancelFunc
	done   chan error
}

const replicaGatewayLease = 600 * time.Millisecond

func startGatewayReplica(t *testing.T, dbURL string, fake *fakediscord.Server, name string) *gatewayReplica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := postgres.Open(ctx, dbURL, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	core := bot.New(bot.Options{Store: store, Matcher: matching.NewIndex(matching.Options{})})
	if err := core.Start(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := discord.New(discord.Options{Token: fake.Token(), AppID: fake.AppID(), APIURL: fake.URL(), ShutdownGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := &gatewayReplica{stop: cancel, done: make(chan error, 1),
		leader: lease.NewLeader(unreleased{store}, lease.LeaderOptions{Name: discordGatewayLease, Owner: name, TTL: replicaGatewayLease})}
	d.LeadGateway(r.leader)
	go func() { r.done <- d.Run(ctx, chatCore{Bot: core}) }()
	t.Cleanup(func() {
		r.halt(t)
		store.Close()
	})
	return r
}

// halt stops the replica as if it died: its gateway connection drops, its
// lease stays in the store until it runs out.
func (r *gatewayReplica) halt(t *testing.T) {
	if r.stop != nil {
		r.stop()
		if err := <-r.done; err != nil {
			t.Errorf("Run: %v", err)
		}
		r.stop = nil
	}
}

// TestDiscordGatewayIsHeldByOneReplica: of two replicas on one database,
// one holds the gateway session; when it dies without handing the lease
// back, the other holds the gateway within the lease's time, and answers
// what people do in Discord.
func TestDiscordGatewayIsHeldByOneReplica(t *testing.T) {
	dbURL := pgtest.URL(t)
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	ctx := discordContext(t)
	a := startGatewayReplica(t, dbURL, fake, "replica-a")
	b := startGatewayReplica(t, dbURL, fake, "replica-b")
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * replicaGatewayLease) // renewals and tries of the other
	if n := fake.Sessions(); n != 1 {
		t.Fatalf("%d gateway sessions, want 1", n)
	}
	leader, standby := a, b
	if b.leader.Held() {
		leader, standby = b, a
	}
	if !leader.leader.Held() || standby.leader.Held() {
		t.Fatalf("a leads %v, b leads %v; want exactly one", a.leader.Held(), b.leader.Held())
	}

	died := time.Now()
	leader.halt(t)
	if err := fake.Wait(ctx, func() bool { return standby.leader.Held() && fake.Sessions() == 1 }); err != nil {
		t.Fatalf("no replica took over the gateway: %v", err)
	}
	took := time.Since(died)
	t.Logf("the other replica held the gateway %s after the leader died (lease %s)", took.Round(time.Millisecond), replicaGatewayLease)
	if limit := replicaGatewayLease + replicaGatewayLease/3 + time.Second; took > limit {
		t.Errorf("took over after %s, want within the lease and one try (%s)", took, limit)
	}
	if peak := fake.PeakSessions(); peak != 1 {
		t.Errorf("%d gateway sessions were up at once, want 1", peak)
	}
	o := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser}
	ex, err := fake.Interact(ctx, fakediscord.Command(o, "tender",
		fakediscord.Subcommand("subscribe", fakediscord.String("query", "sporthal"))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitReply(ctx, "Saved profile 1"); err != nil {
		t.Errorf("the new gateway holder did not answer: %v", err)
	}
}

// TestServeOnPostgresRunsAsReplicas: two whole bots on one PostgreSQL
// database, with Discord over the gateway: one gateway session between
// them, the feed read once for both, and both ready.
func TestServeOnPostgresRunsAsReplicas(t *testing.T) {
	dbURL := pgtest.URL(t)
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	server := &sharedFeedServer{}
	srv := httptest.NewServer(server)
	defer srv.Close()
	setEnv(t, srv.URL+"/tenders.xml")
	t.Setenv("TENDERBOT_DATABASE_URL", dbURL)
	discordEnv(t, fake)
	ctx := discordContext(t)

	bots := []*runningBot{startBot(t), startBot(t)}
	for _, b := range bots {
		waitFor(t, &b.stderr, "first poll of every feed finished")
	}
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the other replica tries the gateway's lease meanwhile
	if n, peak := fake.Sessions(), fake.PeakSessions(); n != 1 || peak != 1 {
		t.Errorf("%d gateway sessions (at most %d at once), want 1", n, peak)
	}
	requests, _ := server.snapshot()
	var reads []string
	for _, r := range requests {
		if r.path == "/tenders.xml" { // not robots.txt, which each replica asks once
			reads = append(reads, r.at.Format(time.StampMilli))
		}
	}
	if len(reads) != 1 {
		t.Errorf("the feed was read at %v by two replicas starting, want once", reads)
	}
	for i, b := range bots {
		addr := strings.Fields(lineWith(b.stdout.String(), "tenderbot: HTTP on"))
		if len(addr) < 4 {
			t.Fatalf("replica %d printed no HTTP address:\n%s", i, b.stdout.String())
		}
		resp, err := http.Get(addr[3] + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("replica %d: /readyz answered %s, want 200 on the replica with the gateway and the other alike", i, resp.Status)
		}
	}
}
