package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/lease/leasetest"
)

// elsewhereSink is a recordingSink that is told of the feeds another
// replica polls.
type elsewhereSink struct {
	*recordingSink
	mu        sync.Mutex
	elsewhere []int64
}

func (s *elsewhereSink) FeedPolledElsewhere(_ context.Context, feed bot.Feed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.elsewhere = append(s.elsewhere, feed.ID)
}

// TestSharedFeedIsReadByItsLeaseHolder: of two pollers sharing the feeds'
// leases, the one that read a feed keeps it until it is due again; the
// other neither reads it, in turn or out of it, nor reports it, but counts
// it as polled elsewhere; once the holder stops, its lease is handed back
// and the other reads the feed at once.
func TestSharedFeedIsReadByItsLeaseHolder(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		fmt.Fprint(w, `<rss version="2.0"><channel><title>t</title><item><title>Sporthal</title><guid>1</guid></item></channel></rss>`)
	}))
	defer srv.Close()
	feed := bot.Feed{ID: 7, URL: srv.URL + "/feed.xml"}
	leases := leasetest.NewTable()
	sinkA, sinkB := newRecordingSink(feed), &elsewhereSink{recordingSink: newRecordingSink(feed)}
	newShared := func(sink Sink, owner string) *Poller {
		return NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour, Leases: leases, Owner: owner})
	}
	a, b := newShared(sinkA, "a"), newShared(sinkB, "b")
	ctx := context.Background()

	if r := a.ReadNow(ctx, feed); r.Err != nil {
		t.Fatalf("a's read: %v", r.Err)
	}
	if got := leases.Holder("feed:7"); got != "a" {
		t.Fatalf("after a read the feed, %q holds its lease, want a until it is due", got)
	}
	if r := b.ReadNow(ctx, feed); !errors.Is(r.Err, ErrPolledElsewhere) {
		t.Errorf("b's read out of turn of a's feed: %v, want ErrPolledElsewhere", r.Err)
	}
	if err := b.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want a's one only", n)
	}
	for _, e := range sinkB.snapshot() {
		if e.call == "polled" {
			t.Errorf("b reported a poll of the feed a holds: %+v", e.result)
		}
	}
	if got := sinkB.elsewhere; len(got) != 1 || got[0] != 7 {
		t.Errorf("b counted %v as polled elsewhere, want [7]", got)
	}

	if err := a.PollOnce(ctx); err != nil { // a reads it, then stops
		t.Fatal(err)
	}
	if got := leases.Holder("feed:7"); got != "" {
		t.Errorf("after a stopped, %q holds the feed's lease, want it handed back", got)
	}
	if r := b.ReadNow(ctx, feed); r.Err != nil {
		t.Errorf("b's read after a stopped: %v", r.Err)
	}
	if n := requests.Load(); n != 3 {
		t.Errorf("%d requests, want 3 (a, a, b)", n)
	}
}

// TestSharedFeedForgetsItemsAnotherReplicaRead: a replica's memory of a
// feed's items holds only while it did the feed's last poll; after another
// replica's, every item goes to the core again, which knows what is
// stored.
func TestSharedFeedForgetsItemsAnotherReplicaRead(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss version="2.0"><channel><title>t</title><item><title>Sporthal</title><guid>1</guid></item></channel></rss>`)
	}))
	defer srv.Close()
	feed := bot.Feed{ID: 7, URL: srv.URL + "/feed.xml"}
	sink := newRecordingSink(feed)
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour, Leases: leasetest.NewTable(), Owner: "a"})
	ctx := context.Background()
	first := p.ReadNow(ctx, feed)
	feed.LastPolled = first.At // as the store has it after this replica's read
	p.ReadNow(ctx, feed)
	feed.LastPolled = first.At.Add(time.Minute) // another replica's read since
	p.ReadNow(ctx, feed)
	var ingested []int
	for _, e := range sink.snapshot() {
		if e.call == "ingest" {
			ingested = append(ingested, e.n)
		}
	}
	if fmt.Sprint(ingested) != "[1 1]" {
		t.Errorf("items handed to the core by each read: %v, want [1 1] (first read, and after another replica's)", ingested)
	}
}
