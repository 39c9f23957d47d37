package feeds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestConditionalGet(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Wed, 25 Nov 2026 10:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Write([]byte(tinyRSS))
	}))
	defer srv.Close()
	f := NewFetcher(FetcherOptions{HostGap: -1})
	ctx := context.Background()

	first, err := f.Get(ctx, Request{Location: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || len(first.Body) == 0 || first.ETag != `"v1"` || first.MaxAge != time.Hour {
		t.Fatalf("first response: got %+v, want a body, ETag \"v1\" and max-age 1h", first)
	}
	tests := []struct {
		name           string
		req            Request
		wantIfNoneMat  string
		wantIfModSince string
	}{
		{"etag", Request{Location: srv.URL, ETag: first.ETag}, `"v1"`, ""},
		{"etag wins over last-modified", Request{Location: srv.URL, ETag: first.ETag, LastModified: first.LastModified}, `"v1"`, ""},
		{"last-modified alone", Request{Location: srv.URL, LastModified: first.LastModified}, "", first.LastModified},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.Get(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !resp.NotModified || resp.Body != nil {
				t.Errorf("got NotModified=%v with %d bytes, want a bodiless 304", resp.NotModified, len(resp.Body))
			}
			if resp.ETag != tt.req.ETag || resp.LastModified != tt.req.LastModified {
				t.Errorf("validators after 304: got %q %q, want the ones sent", resp.ETag, resp.LastModified)
			}
			mu.Lock()
			h := seen[i+1]
			mu.Unlock()
			if got := h.Get("If-None-Match"); got != tt.wantIfNoneMat {
				t.Errorf("If-None-Match: got %q, want %q", got, tt.wantIfNoneMat)
			}
			if got := h.Get("If-Modified-Since"); got != tt.wantIfModSince {
				t.Errorf("If-Modified-Since: got %q, want %q", got, tt.wantIfModSince)
			}
		})
	}
}

func TestThrottledAnswers(t *testing.T) {
	later := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		status    int
		header    string
		wantAfter time.Duration // compared to within a minute
	}{
		{"429 with seconds", http.StatusTooManyRequests, "120", 2 * time.Minute},
		{"503 with a date", http.StatusServiceUnavailable, later, 2 * time.Hour},
		{"429 without header", http.StatusTooManyRequests, "", 0},
		{"absurd delay is capped", http.StatusTooManyRequests, "99999999", maxServerDelay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			_, err := NewFetcher(FetcherOptions{HostGap: -1}).Get(context.Background(), Request{Location: srv.URL})
			var throttled *ThrottledError
			if !errors.As(err, &throttled) {
				t.Fatalf("got %v, want a *ThrottledError", err)
			}
			if d := throttled.RetryAfter - tt.wantAfter; d < -time.Minute || d > time.Minute {
				t.Errorf("RetryAfter: got %s, want about %s", throttled.RetryAfter, tt.wantAfter)
			}
		})
	}
}

func TestRedirectLoopIsAnError(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+r.URL.Path+"x", http.StatusFound)
	}))
	defer srv.Close()
	_, err := NewFetcher(FetcherOptions{HostGap: -1}).Fetch(context.Background(), srv.URL+"/a")
	if err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("got %v, want an error about too many redirects", err)
	}
}

func TestOneRequestAtATimePerHost(t *testing.T) {
	const gap = 50 * time.Millisecond
	var mu sync.Mutex
	var active, maxActive int
	var starts, ends []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r) // sets no Crawl-delay: the gap alone spaces the feed's requests
			return
		}
		mu.Lock()
		active++
		maxActive = max(maxActive, active)
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // hold the request open so overlaps would show
		w.Write([]byte(tinyRSS))
		mu.Lock()
		active--
		ends = append(ends, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	f := NewFetcher(FetcherOptions{HostGap: gap})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), srv.URL); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if maxActive != 1 {
		t.Errorf("requests in flight to one host at once: got %d, want 1", maxActive)
	}
	for i := 1; i < len(starts); i++ {
		if d := starts[i].Sub(ends[i-1]); d < gap-time.Millisecond {
			t.Errorf("request %d started %s after the previous ended, want at least %s", i, d, gap)
		}
	}
}

func TestMaxAge(t *testing.T) {
	tests := map[string]time.Duration{
		"":                          0,
		"max-age=600":               10 * time.Minute,
		"public, max-age=60, stale": time.Minute,
		"no-cache, max-age=600":     0,
		"max-age=abc":               0,
		"max-age=315360000":         maxServerDelay,
	}
	for header, want := range tests {
		if got := maxAge(header); got != want {
			t.Errorf("maxAge(%q): got %s, want %s", header, got, want)
		}
	}
}

func TestNextPoll(t *testing.T) {
	p := NewPoller(NewFetcher(FetcherOptions{}), nil, PollerOptions{Interval: 15 * time.Minute})
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		failures int // before this poll
		resp     Response
		err      error
		want     time.Duration
	}{
		{"success waits the interval", 0, Response{}, nil, 15 * time.Minute},
		{"max-age longer than the interval", 0, Response{MaxAge: time.Hour}, nil, time.Hour},
		{"max-age shorter than the interval", 0, Response{MaxAge: time.Minute}, nil, 15 * time.Minute},
		{"first failure", 0, Response{}, errors.New("boom"), 15 * time.Minute},
		{"third failure in a row", 2, Response{}, errors.New("boom"), time.Hour},
		{"many failures are capped", 40, Response{}, errors.New("boom"), maxBackoff},
		{"retry-after longer than the interval", 0, Response{}, &ThrottledError{Status: 429, RetryAfter: 3 * time.Hour}, 3 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.nextPoll(bot.Feed{ConsecutiveFailures: tt.failures}, now, tt.resp, tt.err)
			if got.Sub(now) != tt.want {
				t.Errorf("next poll in %s, want %s", got.Sub(now), tt.want)
			}
		})
	}
}

func TestPollerSendsValidatorsAndSkipsUnchangedFeeds(t *testing.T) {
	var mu sync.Mutex
	var downloads int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		mu.Lock()
		downloads++
		mu.Unlock()
		w.Header().Set("ETag", `"v1"`)
		w.Write([]byte(tinyRSS))
	}))
	defer srv.Close()
	sink := newRecordingSink(bot.Feed{ID: 1, URL: srv.URL})
	p := NewPoller(NewFetcher(FetcherOptions{HostGap: -1}), sink, PollerOptions{Interval: time.Hour})
	ctx := context.Background()
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	events := sink.snapshot()
	first := events[len(events)-1].result
	if first.ETag != `"v1"` || first.Items != 1 || first.NextPoll.IsZero() {
		t.Fatalf("first poll result: %+v, want ETag \"v1\", 1 item and a next poll", first)
	}
	// The store keeps the validators; the next round sends them back.
	sink.mu.Lock()
	sink.feeds[0].ETag = first.ETag
	sink.mu.Unlock()
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	var ingests int
	for _, e := range sink.snapshot() {
		if e.call == "ingest" {
			ingests++
		}
	}
	last := sink.snapshot()[len(sink.snapshot())-1].result
	if !last.NotModified || last.Err != nil || downloads != 1 || ingests != 1 {
		t.Errorf("second poll: NotModified=%v err=%v, downloads %d, ingests %d; want a 304 with nothing ingested", last.NotModified, last.Err, downloads, ingests)
	}
}
