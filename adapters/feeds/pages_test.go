package feeds

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestNextPageResolvesOnlyWebLinks(t *testing.T) {
	tests := []struct{ current, next, want string }{
		{"https://example.org/a/releases?page=1", "?page=2", "https://example.org/a/releases?page=2"},
		{"https://example.org/a/releases", "https://other.example/b", "https://other.example/b"},
		{"https://example.org/a", "file:///etc/passwd", ""},
		{"testdata/feed.xml", "https://example.org/page2", ""},
		{"https://example.org/a", "", ""},
	}
	for _, tt := range tests {
		if got := nextPage(tt.current, tt.next); got != tt.want {
			t.Errorf("nextPage(%q, %q) = %q, want %q", tt.current, tt.next, got, tt.want)
		}
	}
}

func TestReadRunsTEDQueries(t *testing.T) {
	page, err := os.ReadFile("testdata/ted-page-1.json")
	if err != nil {
		t.Fatal(err)
	}
	var asked string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		asked, _ = body["query"].(string)
		w.Header().Set("Content-Type", "application/json")
		w.Write(page)
	}))
	defer srv.Close()
	f := NewFetcher(FetcherOptions{TEDURL: srv.URL, HostGap: -1})
	doc, err := f.Read(context.Background(), Request{Location: TEDScheme + "place-of-performance=NLD"}, FormatAuto, "TED", 1)
	if err != nil {
		t.Fatal(err)
	}
	if asked != "place-of-performance=NLD" || len(doc.Notices) == 0 {
		t.Errorf("asked %q and got %d notices, want the query sent and notices back", asked, len(doc.Notices))
	}
	if _, err := f.Read(context.Background(), Request{Location: TEDScheme + "x", Untrusted: true}, FormatAuto, "TED", 1); err == nil || !strings.Contains(err.Error(), "only the operator") {
		t.Errorf("a partner's TED query: got %v, want it refused", err)
	}
}
