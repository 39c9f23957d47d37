package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// sinkEvent is one call the poller made on the sink.
type sinkEvent struct {
	call   string     // "feeds", "ingest" or "polled"
	feeds  []bot.Feed // for "feeds": what was returned
	feed   bot.Feed
	n      int // notices ingested
	result bot.PollResult
}

// recordingSink is the Sink of the poller tests: it serves a list of feeds
// that a test may change, and records every call in order.
type recordingSink struct {
	mu         sync.Mutex
	feeds      []bot.Feed
	feedsErrs  int // fail this many Feeds calls first
	ingestErrs map[string]error
	events     []sinkEvent
	notices    map[string][]bot.Notice
	polled     chan bot.Feed
}

func newRecordingSink(feeds ...bot.Feed) *recordingSink {
	return &recordingSink{feeds: feeds, ingestErrs: map[string]error{}, notices: map[string][]bot.Notice{}, polled: make(chan bot.Feed, 1000)}
}

func (s *recordingSink) FeedsToPoll(ctx context.Context) ([]bot.Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.feedsErrs > 0 {
		s.feedsErrs--
		return nil, errors.New("database is locked")
	}
	feeds := slices.Clone(s.feeds)
	s.events = append(s.events, sinkEvent{call: "feeds", feeds: feeds})
	return feeds, nil
}

func (s *recordingSink) Ingest(ctx context.Context, feed bot.Feed, notices []bot.Notice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, sinkEvent{call: "ingest", feed: feed, n: len(notices)})
	s.notices[feed.URL] = notices
	return s.ingestErrs[feed.URL]
}

func (s *recordingSink) FeedPolled(ctx context.Context, feed bot.Feed, r bot.PollResult) {
	s.mu.Lock()
	s.events = append(s.events, sinkEvent{call: "polled", feed: feed, result: r})
	s.mu.Unlock()
	s.polled <- feed
}

func (s *recordingSink) addFeed(f bot.Feed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds = append(s.feeds, f)
}

func (s *recordingSink) snapshot() []sinkEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// waitPolled waits until feed id has been reported, or fails the test.
func (s *recordingSink) waitPolled(t *testing.T, id int64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case f := <-s.polled:
			if f.ID == id {
				return
			}
		case <-timeout:
			t.Fatalf("feed %d was never reported polled", id)
		}
	}
}

// checkRounds checks that in every round that ran to its end, FeedPolled was
// called exactly once for every feed of the round, and returns how many
// rounds completed.
func checkRounds(t *testing.T, events []sinkEvent) int {
	t.Helper()
	var rounds [][]sinkEvent
	for _, e := range events {
		if e.call == "feeds" {
			rounds = append(rounds, nil)
		}
		if len(rounds) == 0 {
			t.Fatalf("%s before the first Feeds call", e.call)
		}
		rounds[len(rounds)-1] = append(rounds[len(rounds)-1], e)
	}
	complete := 0
	for i, round := range rounds {
		count := map[int64]int{}
		for _, e := range round[1:] {
			if e.call == "polled" {
				count[e.feed.ID]++
			}
		}
		last := i == len(rounds)-1
		for _, f := range round[0].feeds {
			if count[f.ID] > 1 || count[f.ID] == 0 && !last {
				t.Errorf("round %d: feed %d reported %d times, want once", i+1, f.ID, count[f.ID])
			}
		}
		if len(count) == len(round[0].feeds) {
			complete++
		}
	}
	return complete
}

// pollServer serves a good feed, a broken one, an HTML page and an
// oversize body.
func pollServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, tinyRSS) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusBadGateway) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Inkoop</body></html>")
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("<!-- padding -->"), 4096)
		for range 40 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestPollOnce(t *testing.T) {
	srv := pollServer(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	feeds := []bot.Feed{
		{ID: 1, URL: srv.URL + "/broken", Name: "kapot"},
		{ID: 2, URL: srv.URL + "/good", Name: "Twente"},
		{ID: 3, URL: srv.URL + "/html"},
		{ID: 4, URL: closed.URL + "/feed"},
		{ID: 5, URL: ExampleFeedURL, Name: "Voorbeeld"},
		{ID: 6, URL: srv.URL + "/huge"},
		{ID: 7, URL: srv.URL + "/good?copy=2"},
		{ID: 8, URL: srv.URL + "/good?copy=3", Name: "store fails"},
	}
	sink := newRecordingSink(feeds...)
	sink.ingestErrs[feeds[7].URL] = errors.New("disk full")
	var logs bytes.Buffer
	p := NewPoller(NewFetcher(FetcherOptions{MaxBytes: 512 << 10, HostGap: -1}), sink, PollerOptions{Interval: time.Hour, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	if err := p.PollOnce(context.Background()); err != nil {
		t.Fatalf("PollOnce: %v", err)
	}
	if got := checkRounds(t, sink.snapshot()); got != 1 {
		t.Errorf("%d complete rounds, want 1", got)
	}

	results := map[int64]bot.PollResult{}
	for _, e := range sink.snapshot() {
		if e.call == "polled" {
			results[e.feed.ID] = e.result
		}
	}
	tests := []struct {
		id      int64
		items   int
		wantErr string // "" for success
	}{
		{1, 0, "502 Bad Gateway"},
		{2, 1, ""},
		{3, 0, "HTML page"},
		{4, 0, "read " + closed.URL + "/feed: the server refused the connection"},
		{5, 20, ""},
		{6, 0, "size cap of 512 KiB"},
		{7, 1, ""},
		{8, 0, "ingest " + feeds[7].URL + ": disk full"},
	}
	for _, tt := range tests {
		r := results[tt.id]
		if r.At.IsZero() || r.At.Location() != time.UTC {
			t.Errorf("feed %d: At = %v, want a UTC time", tt.id, r.At)
		}
		if r.Items != tt.items {
			t.Errorf("feed %d: Items = %d, want %d", tt.id, r.Items, tt.items)
		}
		switch {
		case tt.wantErr == "" && r.Err != nil:
			t.Errorf("feed %d: Err = %v, want success", tt.id, r.Err)
		case tt.wantErr != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), tt.wantErr)):
			t.Errorf("feed %d: Err = %v, want one containing %q", tt.id, r.Err, tt.wantErr)
		}
	}

	if got := sink.notices[feeds[1].URL]; len(got) != 1 || got[0].Source != "Twente" {
		t.Errorf("ingested from the good feed: %+v, want one notice with Source Twente", got)
	}
	if got := sink.notices[feeds[6].URL]; len(got) != 1 || got[0].Source != feeds[6].URL {
		t.Errorf("ingested from a feed without name: %+v, want one notice with the URL as Source", got)
	}
	if _, ok := sink.notices[feeds[0].URL]; ok {
		t.Error("Ingest was called for a feed that failed to fetch")
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var failures int
	for _, l := range lines {
		if strings.Contains(l, "feed poll failed") {
			failures++
			if !strings.Contains(l, "feed=") || !strings.Contains(l, "err=") {
				t.Errorf("log line %q names neither feed nor reason", l)
			}
		}
	}
	if failures != 5 {
		t.Errorf("%d failure log lines, want 5 (one per failed feed):\n%s", failures, logs.String())
	}
}

func TestRunPicksUpNewFeedsAndStops(t *testing.T) {
	srv := pollServer(t)
	sink := newRecordingSink(bot.Feed{ID: 1, URL: srv.URL + "/good"}, bot.Feed{ID: 2, URL: srv.URL + "/broken"})
	sink.feedsErrs = 1 // the first round cannot read its feeds; Run carries on
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: 5 * time.Millisecond})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()

	sink.waitPolled(t, 2)
	sink.addFeed(bot.Feed{ID: 3, URL: ExampleFeedURL})
	sink.waitPolled(t, 3)
	sink.waitPolled(t, 3) // two rounds with the new feed
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after cancellation", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
	if got := checkRounds(t, sink.snapshot()); got < 3 {
		t.Errorf("%d complete rounds, want at least 3", got)
	}
}

func TestRunStopsMidRound(t *testing.T) {
	arrived := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	defer slow.Close()
	sink := newRecordingSink(bot.Feed{ID: 1, URL: slow.URL}, bot.Feed{ID: 2, URL: ExampleFeedURL})
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	<-arrived
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
	for _, e := range sink.snapshot() {
		if e.call == "polled" && e.feed.ID == 1 { // feed 2, on another host, may have finished
			t.Errorf("feed %d reported polled (%v) although shutdown interrupted its poll", e.feed.ID, e.result.Err)
		}
	}
}
