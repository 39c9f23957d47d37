package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/feeds"
	"github.com/tenderbot/tenderbot/bot"
)

// samplesDir holds real published notices shared by the project; the
// feeds package keeps the notices read from each, checked by hand, in its
// golden files.
const (
	samplesDir = "../../../shared/samples"
	goldenDir  = "../../adapters/feeds/testdata/golden"
)

// contractFields are the field names of the normalised notice (issue 3).
var contractFields = []string{"id", "source", "title", "description", "language", "buyer", "kind", "cpv",
	"nuts", "country", "value", "deadline", "published", "url", "procedure_id", "lots"}

func runIngestArgs(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), append([]string{"ingest"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// decodeLines decodes one JSON object per line.
func decodeLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for line := range strings.Lines(out) {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %q is no JSON object: %v", line, err)
		}
		objs = append(objs, obj)
	}
	return objs
}

// TestIngestSamples runs ingest over every sample and checks that it
// prints exactly the notices of the feeds package's golden files, with
// exactly the contract's fields.
func TestIngestSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*", "*.*"))
	files = slices.DeleteFunc(files, func(f string) bool { return !strings.HasSuffix(f, ".xml") && !strings.HasSuffix(f, ".json") })
	if len(files) == 0 {
		t.Skipf("no samples in %s: the shared samples folder is absent", samplesDir)
	}
	for _, file := range files {
		rel, _ := filepath.Rel(samplesDir, file)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			stdout, stderr, err := runIngestArgs(t, file)
			if err != nil || stderr != "" {
				t.Fatalf("ingest %s: %v\nstderr: %s", rel, err, stderr)
			}
			got := decodeLines(t, stdout)
			want := readGolden(t, filepath.Join(goldenDir, strings.TrimSuffix(rel, filepath.Ext(rel))+".json"))
			if len(got) != len(want) {
				t.Fatalf("got %d notices, want %d", len(got), len(want))
			}
			for i := range got {
				if keys := slices.Sorted(maps.Keys(got[i])); !slices.Equal(keys, slices.Sorted(slices.Values(contractFields))) {
					t.Errorf("notice %d has fields %v, want %v", i, keys, contractFields)
				}
				if got[i]["source"] != file {
					t.Errorf("notice %d: source %v, want %s", i, got[i]["source"], file)
				}
				delete(got[i], "source")
				delete(want[i], "source")
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("notice %d:\ngot  %v\nwant %v", i, got[i], want[i])
				}
			}
		})
	}
}

func readGolden(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var notices []map[string]any
	if err := json.Unmarshal(data, &notices); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return notices
}

// TestIngestNotStated checks that what a notice does not state prints as
// null or [], and a stated deadline as RFC 3339.
func TestIngestNotStated(t *testing.T) {
	n := newIngestNotice(bot.Notice{ID: "x", Kind: bot.KindOther, Lots: []bot.Lot{{ID: "1", Title: "Lot"}}})
	data, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"x","source":"","title":"","description":"","language":"","buyer":"","kind":"other","cpv":[],` +
		`"nuts":[],"country":"","value":null,"deadline":null,"published":null,"url":"","procedure_id":"",` +
		`"lots":[{"id":"1","title":"Lot","cpv":[]}]}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	n = newIngestNotice(bot.Notice{Deadline: time.Date(2027, 1, 15, 12, 0, 0, 0, time.FixedZone("", 3600))})
	if data, _ := json.Marshal(n.Deadline); string(data) != `"2027-01-15T11:00:00Z"` {
		t.Errorf("deadline printed as %s, want \"2027-01-15T11:00:00Z\"", data)
	}
}

// TestIngestErrors checks that a document that cannot be read costs one
// line on stderr naming it, that the others are still read, and that the
// command fails at the end.
func TestIngestErrors(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "page.html")
	if err := os.WriteFile(html, []byte("<!DOCTYPE html><html><body>Aanbestedingen</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.xml")
	stdout, stderr, err := runIngestArgs(t, html, "testdata/feed.xml", missing)
	if err == nil || !strings.Contains(err.Error(), "2 of 3 documents") {
		t.Errorf("got error %v, want one that says 2 of 3 documents could not be read", err)
	}
	if n := len(decodeLines(t, stdout)); n == 0 {
		t.Errorf("got no notices from testdata/feed.xml between the two failures")
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines on stderr, want 2:\n%s", len(lines), stderr)
	}
	for i, tt := range []struct{ name, reason string }{{html, "looks like an HTML page"}, {missing, "no such file"}} {
		if !strings.Contains(lines[i], tt.name) || !strings.Contains(lines[i], tt.reason) {
			t.Errorf("stderr line %d = %q, want it to name %s and say %q", i+1, lines[i], tt.name, tt.reason)
		}
	}
}

func TestIngestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no documents", nil, "give one or more files or URLs"},
		{"unknown format", []string{"--format", "csv", "x.csv"}, `unknown format "csv": use one of auto, rss, atom, jsonfeed, ocds, eforms, ted`},
		{"unknown flag", []string{"--since", "x"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runIngestArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestIngestFormat checks that --format overrides detection.
func TestIngestFormat(t *testing.T) {
	const ocds = "../../adapters/feeds/testdata/ocds-records.json"
	if stdout, _, err := runIngestArgs(t, "--format", "ocds", ocds); err != nil || len(decodeLines(t, stdout)) != 2 {
		t.Errorf("--format ocds: got %v and output %q, want 2 notices", err, stdout)
	}
	if _, stderr, err := runIngestArgs(t, "--format", "eforms", ocds); err == nil || !strings.Contains(stderr, "malformed eForms XML") {
		t.Errorf("--format eforms on JSON: got error %v, stderr %q; want a malformed eForms XML error", err, stderr)
	}
}

// TestIngestPaging serves an OCDS package in pages, the second linked
// relatively and the third back to the first, and checks that every
// notice prints once and the loop ends.
func TestIngestPaging(t *testing.T) {
	page := func(ocids []string, next string) string {
		var releases []string
		for _, id := range ocids {
			releases = append(releases, fmt.Sprintf(`{"ocid":%q,"date":"2026-11-20T00:00:00Z","tag":["tender"],"tender":{"title":"Tender %s"}}`, id, id))
		}
		return fmt.Sprintf(`{"uri":"x","releases":[%s],"links":{"next":%q}}`, strings.Join(releases, ","), next)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("cursor") {
		case "":
			fmt.Fprint(w, page([]string{"a", "b"}, "/releases?cursor=2"))
		case "2":
			fmt.Fprint(w, page([]string{"b", "c"}, srv.URL+"/releases?cursor=3"))
		case "3":
			fmt.Fprint(w, page([]string{"d"}, srv.URL+"/releases"))
		}
	}))
	defer srv.Close()
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{HostGap: -1})
	var ids []string
	var stderr bytes.Buffer
	err := ingest(context.Background(), fetcher, srv.URL+"/releases", feeds.FormatAuto, &stderr, func(n bot.Notice) error {
		ids = append(ids, n.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c", "d"}; !slices.Equal(ids, want) {
		t.Errorf("got notices %v, want %v", ids, want)
	}
}

// TestIngestPageCap checks that an endless chain of pages stops at the cap,
// with a note.
func TestIngestPageCap(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		fmt.Fprintf(w, `{"releases":[{"ocid":"p%d","tender":{"title":"t"}}],"links":{"next":"/p?n=%d"}}`, n, n+1)
	}))
	defer srv.Close()
	fetcher := feeds.NewFetcher(feeds.FetcherOptions{HostGap: -1})
	var stderr bytes.Buffer
	count := 0
	err := ingest(context.Background(), fetcher, srv.URL+"/p", feeds.FormatOCDS, &stderr, func(bot.Notice) error { count++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n := int(requests.Load()); n != ingestMaxPages || count != ingestMaxPages {
		t.Errorf("got %d requests and %d notices, want %d of each", n, count, ingestMaxPages)
	}
	if !strings.Contains(stderr.String(), "stopped after 20 pages") {
		t.Errorf("stderr %q does not say it stopped", stderr.String())
	}
}
