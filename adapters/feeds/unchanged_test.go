package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// TestAFeedReadAgainHandsOnOnlyWhatChanged: a feed without validators read
// again as it was hands the core nothing; an item that changed goes on
// alone; what the core failed to store goes on again at the next read.
func TestAFeedReadAgainHandsOnOnlyWhatChanged(t *testing.T) {
	var mu sync.Mutex
	titles := []string{"Onderhoud bruggen", "Renovatie sporthal", "Levering zout"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var items strings.Builder
		for i, title := range titles {
			fmt.Fprintf(&items, "<item><guid>item-%d</guid><title>%s</title><link>https://example.nl/%d</link></item>", i, title, i)
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Regio</title>%s</channel></rss>`, items.String())
	}))
	t.Cleanup(srv.Close)
	feed := bot.Feed{ID: 1, URL: srv.URL + "/rss", Name: "Regio"}
	sink := newRecordingSink(feed)
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{})
	read := func() (ingested []string, r bot.PollResult) {
		t.Helper()
		before := len(sink.snapshot())
		r = p.ReadNow(context.Background(), feed)
		for _, e := range sink.snapshot()[before:] {
			if e.call == "ingest" {
				for _, n := range sink.notices[feed.URL] {
					ingested = append(ingested, n.Title)
				}
			}
		}
		return ingested, r
	}

	if got, r := read(); len(got) != 3 || r.Items != 3 {
		t.Fatalf("first read: %v, %d items; want all three", got, r.Items)
	}
	if got, r := read(); len(got) != 0 || r.Items != 3 || r.Err != nil {
		t.Errorf("read again as it was: handed on %v (%d items, %v), want nothing", got, r.Items, r.Err)
	}
	mu.Lock()
	titles[1] = "Renovatie sporthal De Sluis"
	mu.Unlock()
	sink.mu.Lock()
	sink.ingestErrs[feed.URL] = errors.New("disk full")
	sink.mu.Unlock()
	if got, _ := read(); strings.Join(got, "|") != "Renovatie sporthal De Sluis" {
		t.Errorf("a changed item: handed on %v, want it alone", got)
	}
	sink.mu.Lock()
	delete(sink.ingestErrs, feed.URL)
	sink.mu.Unlock()
	if got, _ := read(); strings.Join(got, "|") != "Renovatie sporthal De Sluis" {
		t.Errorf("after a failed store: handed on %v, want the changed item again", got)
	}
	if got, _ := read(); len(got) != 0 {
		t.Errorf("once stored: handed on %v, want nothing", got)
	}
}

// BenchmarkUnchangedItems is what a 100,000-item feed read again as it was
// costs after its parse: a hash per item, nothing handed on.
func BenchmarkUnchangedItems(b *testing.B) {
	notices := make([]bot.Notice, 100_000)
	for i := range notices {
		notices[i] = bot.Notice{ID: fmt.Sprintf("item-%06d", i), Source: "Regio", Title: fmt.Sprintf("Onderhoud object %d", i),
			Description: strings.Repeat("Beschrijving van de opdracht. ", 10), CPV: []string{"45000000"}, NUTS: []string{"NL213"}, URL: "https://example.nl/" + fmt.Sprint(i)}
	}
	var m itemMemory
	_, seen := m.changed(1, notices)
	m.remember(1, seen)
	b.ResetTimer()
	for range b.N {
		if fresh, _ := m.changed(1, notices); len(fresh) != 0 {
			b.Fatalf("%d handed on", len(fresh))
		}
	}
}
