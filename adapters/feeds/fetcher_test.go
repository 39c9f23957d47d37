package feeds

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const tinyRSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
	`<item><title>Renovatie sporthal</title><link>https://example.nl/1</link></item></channel></rss>`

// feedServer serves the paths the fetcher tests need and records the
// headers of the last request.
type feedServer struct {
	*httptest.Server
	headers chan http.Header
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	s := &feedServer{headers: make(chan http.Header, 10)}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.headers <- r.Header.Clone()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(tinyRSS))
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!DOCTYPE html><html><body>Aanbestedingen</body></html>"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4096")
		w.Write(bytes.Repeat([]byte("x"), 4096))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 4 {
			w.Write(bytes.Repeat([]byte("x"), 1024))
			w.(http.Flusher).Flush() // no Content-Length: the cap must catch it while reading
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database down", http.StatusInternalServerError)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestFetchHTTP(t *testing.T) {
	srv := newFeedServer(t)
	tests := []struct {
		name     string
		path     string
		opts     FetcherOptions
		want     string // body, when no error is expected
		wantErrs []string
	}{
		{name: "ok", path: "/feed.xml", want: tinyRSS},
		{name: "html is fetched; Parse rejects it", path: "/page.html", want: "<!DOCTYPE html><html><body>Aanbestedingen</body></html>"},
		{name: "not found", path: "/missing", wantErrs: []string{"404 Not Found", "/missing"}},
		{name: "server error", path: "/broken", wantErrs: []string{"500 Internal Server Error"}},
		{name: "oversize by content length", path: "/big", opts: FetcherOptions{MaxBytes: 1024}, wantErrs: []string{"larger than the size cap of 1 KiB"}},
		{name: "oversize while reading", path: "/big-chunked", opts: FetcherOptions{MaxBytes: 1000}, wantErrs: []string{"larger than the size cap of 1000 bytes"}},
		{name: "exactly at the cap", path: "/big", opts: FetcherOptions{MaxBytes: 4096}, want: strings.Repeat("x", 4096)},
		{name: "slow server", path: "/slow", opts: FetcherOptions{Client: &http.Client{Timeout: 100 * time.Millisecond}}, wantErrs: []string{"/slow", "timed out"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFetcher(tt.opts)
			got, err := f.Fetch(context.Background(), srv.URL+tt.path)
			if tt.wantErrs == nil {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(got) != tt.want {
					t.Errorf("got %d bytes %.40q, want %.40q", len(got), got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Fetch returned %d bytes, want an error", len(got))
			}
			for _, want := range tt.wantErrs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			if !strings.HasPrefix(err.Error(), "fetch "+srv.URL) {
				t.Errorf("error %q does not start with the location", err)
			}
		})
	}
}

func TestFetchSendsHeaders(t *testing.T) {
	srv := newFeedServer(t)
	for _, tt := range []struct {
		name, userAgent, want string
	}{
		{"default user agent", "", DefaultUserAgent},
		{"own user agent", "tenderbot-test/1.0", "tenderbot-test/1.0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewFetcher(FetcherOptions{UserAgent: tt.userAgent}).Fetch(context.Background(), srv.URL+"/feed.xml"); err != nil {
				t.Fatal(err)
			}
			h := <-srv.headers
			if got := h.Get("User-Agent"); got != tt.want {
				t.Errorf("User-Agent = %q, want %q", got, tt.want)
			}
			if got := h.Get("Accept"); got != acceptHeader {
				t.Errorf("Accept = %q, want %q", got, acceptHeader)
			}
			if !strings.HasPrefix(h.Get("Accept"), "application/rss+xml, application/atom+xml, application/feed+json") {
				t.Errorf("Accept %q does not prefer feed types", h.Get("Accept"))
			}
		})
	}
}

func TestFetchErrorsHideCredentials(t *testing.T) {
	srv := newFeedServer(t)
	loc := strings.Replace(srv.URL, "http://", "http://alice:s3cr3t@", 1) + "/missing?api_key=k3y&page=2"
	_, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), loc)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, secret := range []string{"alice", "s3cr3t", "k3y"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q reveals %q", err, secret)
		}
	}
	if !strings.Contains(err.Error(), "page=2") {
		t.Errorf("error %q should keep the harmless query", err)
	}

	// A connection error too: net/http puts the URL in *url.Error.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	loc = strings.Replace(closed.URL, "http://", "http://alice:s3cr3t@", 1) + "/feed?token=k3y"
	_, err = NewFetcher(FetcherOptions{}).Fetch(context.Background(), loc)
	if err == nil {
		t.Fatal("want an error from a closed server")
	}
	for _, secret := range []string{"alice", "s3cr3t", "k3y"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q reveals %q", err, secret)
		}
	}
}

func TestFetchLocal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.xml")
	if err := os.WriteFile(path, []byte(tinyRSS), 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.xml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	example, err := builtinFeeds.ReadFile("builtin/example.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		location string
		want     []byte
		wantErr  string
	}{
		{name: "plain path", location: path, want: []byte(tinyRSS)},
		{name: "file URL", location: "file://" + filepath.ToSlash(path), want: []byte(tinyRSS)},
		{name: "missing file", location: filepath.Join(dir, "nope.xml"), wantErr: "no such file"},
		{name: "oversize file", location: big, wantErr: "larger than the size cap of 1 KiB"},
		{name: "file URL on another host", location: "file://fileserver/feeds/x.xml", wantErr: "only local files"},
		{name: "builtin example", location: ExampleFeedURL, want: example},
		{name: "unknown builtin", location: "builtin:nope", wantErr: `no built-in feed "nope": built-in feeds are builtin:example`},
		{name: "builtin path trick", location: "builtin:../doc.go", wantErr: "no built-in feed"},
		{name: "unknown scheme", location: "ftp://ftp.example.org/feed.xml", wantErr: `unsupported scheme "ftp": use an http:// or https:// URL, a file:// URL or local path, or builtin:NAME`},
		{name: "empty", location: " ", wantErr: "empty location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFetcher(FetcherOptions{MaxBytes: 1024 * 1024})
			if strings.Contains(tt.name, "oversize") {
				f = NewFetcher(FetcherOptions{MaxBytes: 1024})
			}
			got, err := f.Fetch(context.Background(), tt.location)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("got %d bytes, want %d", len(got), len(tt.want))
			}
		})
	}
}

func TestFetchCancelled(t *testing.T) {
	srv := newFeedServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/feed.xml")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled in its chain", err)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://bob:pw@example.org/feed.xml", "https://example.org/feed.xml"},
		{"https://example.org/rss?apikey=abc&q=bouw", "https://example.org/rss?apikey=REDACTED&q=bouw"},
		{"builtin:example", "builtin:example"},
		{"/var/feeds/x.xml", "/var/feeds/x.xml"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestExampleFeedPublishesLater: the built-in example feed's first read is
// the baseline; it promises more, and the next read brings new notices.
func TestExampleFeedPublishesLater(t *testing.T) {
	f := NewFetcher(FetcherOptions{})
	ctx := context.Background()
	first, err := f.Get(ctx, Request{Location: ExampleFeedURL})
	if err != nil {
		t.Fatal(err)
	}
	if first.PublishesIn <= 0 {
		t.Errorf("the first read promises nothing more: %+v", first.PublishesIn)
	}
	second, err := f.Get(ctx, Request{Location: ExampleFeedURL})
	if err != nil {
		t.Fatal(err)
	}
	before, err := Parse(first.Body, "example")
	if err != nil {
		t.Fatal(err)
	}
	after, err := Parse(second.Body, "example")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) <= len(before) || second.PublishesIn != 0 {
		t.Errorf("second read: %d notices (first %d), promising %s; want new notices and no further promise", len(after), len(before), second.PublishesIn)
	}
}
