package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// within fails the test unless done is closed before a generous deadline:
// the deadline only stops a test that hangs, it measures nothing.
func within(t *testing.T, what string, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s never happened", what)
	}
}

func TestASlowHostHoldsBackNoOtherFeed(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release // answers only once the other host's feed was polled
		fmt.Fprint(w, tinyRSS)
	}))
	defer slow.Close()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock() // before slow.Close, which waits for the request
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyRSS) }))
	defer fast.Close()
	sink := newRecordingSink(bot.Feed{ID: 1, URL: slow.URL + "/feed"}, bot.Feed{ID: 2, URL: fast.URL + "/feed"})
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour})

	done := make(chan error, 1)
	go func() { done <- p.PollOnce(context.Background()) }()
	within(t, "the slow host's request", entered)
	fastPolled := make(chan struct{})
	go func() {
		for f := range sink.polled {
			if f.ID == 2 {
				close(fastPolled)
				return
			}
		}
	}()
	within(t, "the fast feed polled while the slow one waits", fastPolled)
	unblock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := checkRounds(t, sink.snapshot()); got != 1 {
		t.Errorf("%d complete rounds, want 1", got)
	}
}

func TestFeedsOnOneHostAreNeverFetchedAtOnce(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	var order []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		order = append(order, r.URL.Path)
		mu.Unlock()
		fmt.Fprint(w, tinyRSS)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	defer srv.Close()
	var feeds []bot.Feed
	for i := range 8 {
		feeds = append(feeds, bot.Feed{ID: int64(i + 1), URL: fmt.Sprintf("%s/feed-%d", srv.URL, i+1)})
	}
	sink := newRecordingSink(feeds...)
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour, Workers: 8})
	if err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if most != 1 {
		t.Errorf("requests to one host at once: got %d, want 1", most)
	}
	// One host's feeds are polled in the order the store gave them.
	want := []string{"/feed-1", "/feed-2", "/feed-3", "/feed-4", "/feed-5", "/feed-6", "/feed-7", "/feed-8"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("order: got %v, want %v", order, want)
	}
}

func TestAFeedOverItsRoundBudgetIsReportedInItsOwnHealth(t *testing.T) {
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	defer stuck.Close()
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyRSS) }))
	defer good.Close()
	sink := newRecordingSink(bot.Feed{ID: 1, URL: stuck.URL + "/feed"}, bot.Feed{ID: 2, URL: good.URL + "/feed"})
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour, Budget: 50 * time.Millisecond})
	if err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	results := map[int64]bot.PollResult{}
	for _, e := range sink.snapshot() {
		if e.call == "polled" {
			results[e.feed.ID] = e.result
		}
	}
	if err := results[1].Err; err == nil || !strings.Contains(err.Error(), "took longer than its budget of 50ms") {
		t.Errorf("the stuck feed: got %v, want its budget named", err)
	}
	if err := results[2].Err; err != nil || results[2].Items != 1 {
		t.Errorf("the good feed: got %d items, %v; want 1, no error", results[2].Items, err)
	}
}

func TestRetryAfterHoldsBackTheWholeHost(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Retry-After", "600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	sink := newRecordingSink(bot.Feed{ID: 1, URL: srv.URL + "/a"}, bot.Feed{ID: 2, URL: srv.URL + "/b"})
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Minute})
	before := time.Now()
	if err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 {
		t.Errorf("requests: got %v, want only the first feed's", asked)
	}
	for _, e := range sink.snapshot() {
		if e.call != "polled" {
			continue
		}
		if e.result.Err == nil || e.result.NextPoll.Before(before.Add(600*time.Second)) {
			t.Errorf("feed %d: got %v, next poll %v; want it held back 10 minutes", e.feed.ID, e.result.Err, e.result.NextPoll)
		}
	}
	if got := checkRounds(t, sink.snapshot()); got != 1 {
		t.Errorf("%d complete rounds, want 1", got)
	}
}
