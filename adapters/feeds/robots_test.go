package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestParseCrawlDelay(t *testing.T) {
	const ua = "tenderbot (+https://github.com/tenderbot/tenderbot)"
	tests := []struct {
		name, robots string
		want         time.Duration
	}{
		{"none", "User-agent: *\nDisallow: /private\n", 0},
		{"every agent", "User-agent: *\nCrawl-delay: 5\n", 5 * time.Second},
		{"a fraction", "User-agent: *\nCrawl-delay: 0.5\n", 500 * time.Millisecond},
		{"our own group wins", "User-agent: *\nCrawl-delay: 10\n\nUser-agent: TenderBot\nCrawl-delay: 2\n", 2 * time.Second},
		{"our group listed with another", "User-agent: googlebot\nUser-agent: tenderbot\nCrawl-delay: 3\nUser-agent: *\nCrawl-delay: 9\n", 3 * time.Second},
		{"another agent's delay", "User-agent: bingbot\nCrawl-delay: 20\n", 0},
		{"comments and case", "# robots\nUSER-AGENT: * # all\ncrawl-DELAY: 4 # seconds\n", 4 * time.Second},
		{"capped", "User-agent: *\nCrawl-delay: 86400\n", maxCrawlDelay},
		{"infinite is capped", "User-agent: *\nCrawl-delay: Inf\n", maxCrawlDelay},
		{"unreadable values", "User-agent: *\nCrawl-delay: soon\nCrawl-delay: -3\nCrawl-delay: NaN\n", 0},
		{"a new group after rules", "User-agent: tenderbot\nDisallow: /x\nUser-agent: *\nCrawl-delay: 7\n", 7 * time.Second},
		{"not robots at all", "<html><body>404</body></html>", 0},
	}
	for _, tt := range tests {
		if got := parseCrawlDelay([]byte(tt.robots), ua); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func FuzzParseCrawlDelay(f *testing.F) {
	f.Add("User-agent: *\nCrawl-delay: 5\n")
	f.Add("User-agent: tenderbot\nCrawl-delay: 1e300\n")
	f.Fuzz(func(t *testing.T, robots string) {
		if d := parseCrawlDelay([]byte(robots), DefaultUserAgent); d < 0 || d > maxCrawlDelay {
			t.Fatalf("delay %s out of [0, %s]", d, maxCrawlDelay)
		}
	})
}

// TestFetcherKeepsAHostsCrawlDelay: the fetcher reads a host's robots.txt
// once, before its first request there, and spaces its requests to the
// host by the Crawl-delay when that is longer than its own gap.
func TestFetcherKeepsAHostsCrawlDelay(t *testing.T) {
	var mu sync.Mutex
	var robots int
	var feedAt []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			robots++
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.3\n")
			return
		}
		feedAt = append(feedAt, time.Now())
		fmt.Fprint(w, tinyRSS)
	}))
	defer srv.Close()
	f := NewFetcher(FetcherOptions{HostGap: 10 * time.Millisecond})
	for range 3 {
		if _, err := f.Fetch(context.Background(), srv.URL+"/feed.xml"); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if robots != 1 {
		t.Errorf("robots.txt read %d times, want once", robots)
	}
	for i := 1; i < len(feedAt); i++ {
		if gap := feedAt[i].Sub(feedAt[i-1]); gap < 290*time.Millisecond {
			t.Errorf("request %d came %s after the one before, want the Crawl-delay of 300ms", i, gap)
		}
	}
}
