package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTEDQueryBody(t *testing.T) {
	body, err := TEDQuery{Query: "place-of-performance=NLD"}.Body("")
	if err != nil {
		t.Fatal(err)
	}
	const first = `{"query":"place-of-performance=NLD","fields":["publication-number","publication-date","notice-type",` +
		`"form-type","procedure-type","notice-title","description-proc","buyer-name","buyer-country","classification-cpv",` +
		`"place-of-performance","deadline-receipt-tender-date-lot","estimated-value-proc","estimated-value-cur-proc"],` +
		`"limit":250,"paginationMode":"ITERATION"}`
	if string(body) != first {
		t.Errorf("first page:\ngot  %s\nwant %s", body, first)
	}
	body, err = TEDQuery{Query: "CY=NLD", Fields: []string{"ND"}, Limit: 10}.Body("tok")
	if err != nil {
		t.Fatal(err)
	}
	const next = `{"query":"CY=NLD","fields":["ND"],"limit":10,"paginationMode":"ITERATION","iterationNextToken":"tok"}`
	if string(body) != next {
		t.Errorf("next page:\ngot  %s\nwant %s", body, next)
	}
	for _, q := range []TEDQuery{{Query: " "}, {Query: "CY=NLD", Limit: 251}, {Query: "CY=NLD", Limit: -1}} {
		if _, err := q.Body(""); err == nil {
			t.Errorf("%+v: got no error", q)
		}
	}
}

func TestNextIterationToken(t *testing.T) {
	page1, err := os.ReadFile("testdata/ted-page-1.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, data, want string }{
		{"a page with a token", string(page1), "eyJzZWFyY2hBZnRlciI6WyI3MTI3NzctMjAyNiJdfQ=="},
		{"the last page", `{"notices":[{"ND":"1-2026"}],"iterationNextToken":null}`, ""},
		{"a token but no notices left", `{"notices":[],"iterationNextToken":"abc"}`, ""},
		{"not JSON", `<rss/>`, ""},
	}
	for _, tt := range tests {
		if got := NextIterationToken([]byte(tt.data)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// tedServer serves the two fixture pages, page 2 for page 1's token, and
// records the requests' bodies.
type tedServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
}

func newTEDServer(t *testing.T) *tedServer {
	t.Helper()
	pages := map[string][]byte{}
	for token, name := range map[string]string{"": "testdata/ted-page-1.json", NextIterationToken(mustRead(t, "testdata/ted-page-1.json")): "testdata/ted-page-2.json"} {
		pages[token] = mustRead(t, name)
	}
	s := &tedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("User-Agent") != DefaultUserAgent {
			http.Error(w, `{"message":"bad request"}`, http.StatusBadRequest)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.mu.Unlock()
		token, _ := body["iterationNextToken"].(string)
		w.Header().Set("Content-Type", "application/json")
		w.Write(pages[token])
	}))
	t.Cleanup(s.Close)
	return s
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestFetchTED(t *testing.T) {
	srv := newTEDServer(t)
	q := TEDQuery{Query: "place-of-performance IN (NLD DEU BEL) AND publication-date>=20261120"}
	notices, err := FetchTED(context.Background(), srv.Client(), srv.URL, q, 10, "TED")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, n := range notices {
		ids = append(ids, n.ID)
		if n.Source != "TED" {
			t.Errorf("%s: source %q, want TED", n.ID, n.Source)
		}
	}
	if want := []string{"712345-2026", "712777-2026", "713002-2026"}; !slices.Equal(ids, want) {
		t.Errorf("got notices %v, want %v (the copy on page 1 once)", ids, want)
	}
	srv.mu.Lock()
	bodies := slices.Clone(srv.bodies)
	srv.mu.Unlock()
	if len(bodies) != 2 {
		t.Fatalf("got %d requests, want 2", len(bodies))
	}
	for i, b := range bodies {
		if b["query"] != q.Query || b["paginationMode"] != "ITERATION" {
			t.Errorf("request %d: body %v", i+1, b)
		}
	}
	if _, ok := bodies[0]["iterationNextToken"]; ok {
		t.Errorf("the first request sent a token: %v", bodies[0])
	}
	if bodies[1]["iterationNextToken"] != NextIterationToken(mustRead(t, "testdata/ted-page-1.json")) {
		t.Errorf("the second request did not send page 1's token: %v", bodies[1])
	}

	one, err := FetchTED(context.Background(), srv.Client(), srv.URL, q, 1, "TED")
	if err != nil || len(one) != 2 {
		t.Errorf("one page: got %d notices and %v, want the 2 of page 1", len(one), err)
	}
}

func TestSearchTEDErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, err error)
	}{
		{"syntax error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"message":"Query syntax error: unknown field 'place'"}`, http.StatusBadRequest)
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "400 Bad Request") || !strings.Contains(err.Error(), "unknown field 'place'") {
				t.Errorf("got %v, want the status and the API's message", err)
			}
		}},
		{"throttled", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		}, func(t *testing.T, err error) {
			var te *ThrottledError
			if !errors.As(err, &te) || te.RetryAfter != 2*time.Minute {
				t.Errorf("got %v, want a *ThrottledError asking for 2m", err)
			}
		}},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(w, io.LimitReader(neverEnding('x'), DefaultMaxBytes+1))
		}, func(t *testing.T, err error) {
			if !errors.Is(err, errTooLarge) {
				t.Errorf("got %v, want errTooLarge", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			_, err := SearchTED(context.Background(), srv.Client(), srv.URL, TEDQuery{Query: "CY=NLD"}, "")
			tt.check(t, err)
		})
	}
}

// neverEnding is an endless stream of one byte.
type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestTEDRecord checks the mapping of a record's fields, full names and
// short aliases.
func TestTEDRecord(t *testing.T) {
	notices, err := parseTED(mustRead(t, "testdata/ted-page-1.json"), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 {
		t.Fatalf("got %d notices, want 2", len(notices))
	}
	full, short := notices[0], notices[1]
	checkFields(t, []fieldCheck{
		{"language (the description's)", full.Language, "nl"},
		{"title in it", full.Title, "Nederland – Herstel en onderhoud van fietspaden – Onderhoud fietspaden Twente 2027"},
		{"link in it", full.URL, "https://ted.europa.eu/nl/notice/-/detail/712345-2026"},
		{"CPV without ancestors", strings.Join(full.CPV, " "), "45233140 50230000"},
		{"NUTS without ancestors", strings.Join(full.NUTS, " "), "NL213"},
		{"deadline (a date: its end)", formatTime(full.Deadline), "2027-01-15T22:59:00Z"},
		{"value", moneyString(full.Value), "EUR 850000.00"},
		{"alias ND, zeros dropped", short.ID, "712777-2026"},
		{"alias OL", short.Language, "de"},
		{"alias AU", short.Buyer, "Kreis Borken"},
		{"alias RC", strings.Join(short.NUTS, " "), "DEA34"},
		{"alias PC", strings.Join(short.CPV, " "), "90911200"},
		{"notice-type alone", string(short.Kind), "early"},
	})
}

func TestParseTEDRejects(t *testing.T) {
	checkRejects(t, func(data []byte) error { _, err := parseTED(data, "t"); return err }, []rejectCase{
		{"not JSON", `<rss/>`, "malformed TED API JSON"},
		{"notices not a list", `{"notices": {}}`, "malformed TED API page"},
		{"neither page nor record", `{"results": []}`, "not a TED API response"},
	})
	// A record whose content is no eForms notice is read from its fields.
	notices, err := parseTED([]byte(`{"ND": "5-2026", "content": "bm90IFhNTA==", "TI": "Fallback"}`), "t")
	if err != nil || len(notices) != 1 || notices[0].Title != "Fallback" {
		t.Errorf("bad content: got %v, %v; want the notice from its fields", notices, err)
	}
}
