package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func runMatchArgs(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), append([]string{"match"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// matchLines decodes the JSON lines of `tenderbot match`.
func matchLines(t *testing.T, out string) []matchLine {
	t.Helper()
	var lines []matchLine
	for line := range strings.Lines(out) {
		var l matchLine
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil || l.Reasons == nil {
			t.Fatalf("line %q is not {id, matched, reasons}: %v", line, err)
		}
		lines = append(lines, l)
	}
	return lines
}

func TestMatchCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		want       []matchLine
		wantStderr string
	}{
		{
			name: "code and region",
			args: []string{"--query", "cpv:45 nuts:NL21", "testdata/feed.xml"},
			want: []matchLine{
				{ID: "twente-2026-0412", Matched: true, Reasons: []string{"cpv 45212225 under 45", "region NL213 under NL21"}},
				{ID: "twente-2026-0413", Reasons: []string{}},
				{ID: "cumbria-991", Reasons: []string{}},
			},
			wantStderr: "query `cpv:45 nuts:NL21 kind:early,tender`",
		},
		{
			name: "words, value and currency",
			args: []string{"--query", "(highway OR leerlingenvervoer) value:>=1mGBP", "testdata/feed.xml"},
			want: []matchLine{
				{ID: "twente-2026-0412", Reasons: []string{}},
				{ID: "twente-2026-0413", Matched: true, Reasons: []string{`"leerlingenvervoer" in title`, "value not stated"}},
				{ID: "cumbria-991", Matched: true, Reasons: []string{`"highway" in title`, "value 1,200,000 GBP, at least 1m"}},
			},
		},
		{
			name: "deadline at a given time",
			args: []string{"--query", "nuts:UK deadline:>=30d", "--now", "2026-12-01T09:00:00Z", "testdata/feed.xml"},
			want: []matchLine{
				{ID: "twente-2026-0412", Reasons: []string{}},
				{ID: "twente-2026-0413", Reasons: []string{}},
				{ID: "cumbria-991", Matched: true, Reasons: []string{"region UKD11 under UK", "deadline in 45 days, at least 30 days"}},
			},
		},
		{
			name:       "search semantics leave the kind out",
			args:       []string{"--search", "--query", "Renovatie", "testdata/feed.xml"},
			want:       []matchLine{{ID: "twente-2026-0412", Matched: true, Reasons: []string{`"renovatie" in title`}}, {ID: "twente-2026-0413", Reasons: []string{}}, {ID: "cumbria-991", Reasons: []string{}}},
			wantStderr: "query `renovatie`\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runMatchArgs(t, tt.args...)
			if err != nil {
				t.Fatalf("match %q: %v\nstderr: %s", tt.args, err, stderr)
			}
			got := matchLines(t, stdout)
			if !slices.EqualFunc(got, tt.want, func(a, b matchLine) bool {
				return a.ID == b.ID && a.Matched == b.Matched && slices.Equal(a.Reasons, b.Reasons)
			}) {
				t.Errorf("match %q:\ngot  %+v\nwant %+v", tt.args, got, tt.want)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tt.wantStderr)
			}
		})
	}
}

func TestMatchCommandErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.xml")
	garbage := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(garbage, []byte("<html><body>Not found</body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		wantErr    string
		wantLines  int
		wantStderr []string
	}{
		{"malformed query", []string{"--query", "cpv:4x", "testdata/feed.xml"}, "--query: cpv:4x — a CPV code is 2 to 8 digits", 0, nil},
		{"no query", []string{"testdata/feed.xml"}, "give the query to try with --query", 0, nil},
		{"no documents", []string{"--query", "cpv:45"}, "give one or more files or URLs", 0, nil},
		{"bad format", []string{"--query", "cpv:45", "--format", "pdf", "testdata/feed.xml"}, "unknown format", 0, nil},
		{"bad time", []string{"--query", "cpv:45", "--now", "tomorrow", "testdata/feed.xml"}, "--now", 0, nil},
		{"unreadable documents, the rest still read", []string{"--query", "cpv:45", missing, "testdata/feed.xml", garbage},
			"2 of 3 documents could not be read", 3, []string{"missing.xml: ", "page.html: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runMatchArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("match %q: error %v, want one containing %q", tt.args, err, tt.wantErr)
			}
			if got := len(matchLines(t, stdout)); got != tt.wantLines {
				t.Errorf("match %q: %d lines, want %d", tt.args, got, tt.wantLines)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q, want it to name %q", stderr, w)
				}
			}
			if strings.Count(stderr, "\n") > len(tt.wantStderr)+1 {
				t.Errorf("stderr %q: want one line per unreadable document", stderr)
			}
		})
	}
	if _, stderr, err := runMatchArgs(t, "--help"); err != nil || !strings.Contains(stderr, "Usage: tenderbot match --query") {
		t.Errorf("match --help: %v, %q; want the usage and no error", err, stderr)
	}
}

// TestMatchCommandChecksCodesAgainstTheLists refuses a code the CPV list
// does not hold, naming the nearest, when the list is configured.
func TestMatchCommandChecksCodesAgainstTheLists(t *testing.T) {
	list := "../../../shared/reference/cpv_2008_en_nl.csv"
	if _, err := os.Stat(list); err != nil {
		t.Skipf("reference list %s not found; it lives in the shared folder next to the repository", list)
	}
	t.Setenv("TENDERBOT_CPV_FILE", list)
	_, _, err := runMatchArgs(t, "--query", "cpv:45219", "testdata/feed.xml")
	if err == nil || !strings.Contains(err.Error(), "no CPV code 45219000; the nearest are cpv:45215") {
		t.Errorf("match cpv:45219 with the CPV list: %v, want it refused with the nearest codes", err)
	}
	if _, _, err := runMatchArgs(t, "--query", "cpv:4521", "testdata/feed.xml"); err != nil {
		t.Errorf("match cpv:4521 with the CPV list: %v", err)
	}
}

// TestMatchCommandReadsEveryFormat runs the back-test on real published
// notices, in the formats tenderbot ingest reads.
func TestMatchCommandReadsEveryFormat(t *testing.T) {
	samples := []string{
		"ted-eforms-real/622691-2023.xml",
		"ted-api-json/ted_api_response.json",
		"uk-contracts-finder-ocds/ocds-b5fd17raw-0054a4e6-0715-42c6-9109-e219fe9d3289.json",
	}
	for _, s := range samples {
		path := filepath.Join(samplesDir, s)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("sample %s not found; the samples live in the shared folder next to the repository", path)
		}
		t.Run(s, func(t *testing.T) {
			stdout, stderr, err := runMatchArgs(t, "--search", "--query", "-zzzzzz", path)
			if err != nil {
				t.Fatalf("match %s: %v\n%s", s, err, stderr)
			}
			lines := matchLines(t, stdout)
			if len(lines) == 0 {
				t.Fatalf("match %s: no notices", s)
			}
			for _, l := range lines {
				if !l.Matched || l.ID == "" {
					t.Errorf("match %s: %+v, want every notice matched by an exclusion of a word none has", s, l)
				}
			}
		})
	}
}
