package main

import (
	"archive/zip"
	"cmp"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// tenderNedTestdata holds the TenderNed fixtures of the feeds package.
const tenderNedTestdata = "../../adapters/feeds/testdata/tenderned"

// newTenderNedAPI serves, for any day, a list of n publications (at most
// 200) in pages of 100, and their details; publication 2 has none (404).
// It counts the detail requests.
func newTenderNedAPI(t *testing.T, n int, details *atomic.Int64) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /papi/publicaties", func(w http.ResponseWriter, r *http.Request) {
		page := cmp.Or(r.URL.Query().Get("page"), "0")
		from, to := 1, min(n, 100)
		if page == "1" {
			from, to = 101, n
		}
		var entries []string
		for id := from; id <= to; id++ {
			entries = append(entries, fmt.Sprintf(`{"publicatieId":%d,"aanbestedingNaam":"Opdracht %d","opdrachtgeverNaam":"Gemeente Almelo",`+
				`"typePublicatie":{"code":"AAO"},"publicatieDatum":"2026-10-10"}`, id, id))
		}
		fmt.Fprintf(w, `{"content":[%s],"totalElements":%d,"totalPages":%d,"number":%s}`, strings.Join(entries, ","), n, (n+99)/100, page)
	})
	mux.HandleFunc("GET /papi/publicaties/{id}", func(w http.ResponseWriter, r *http.Request) {
		if details != nil {
			details.Add(1)
		}
		id := r.PathValue("id")
		switch id {
		case "2":
			http.NotFound(w, r)
		case "443728", "443729":
			data, err := os.ReadFile(filepath.Join(tenderNedTestdata, "detail-443728.json"))
			if err != nil {
				t.Error(err)
			}
			w.Write(data)
		default:
			fmt.Fprintf(w, `{"publicatieId":%s,"cpvCodes":[{"isHoofdOpdracht":true,"code":"45000000-7"}],"nutsCodes":["NL213"]}`, id)
		}
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestIngestTenderNed(t *testing.T) {
	api := newTenderNedAPI(t, 150, nil)
	base := api.URL + "/papi/publicaties"

	t.Run("list URL", func(t *testing.T) {
		stdout, stderr, err := runIngestArgs(t, "--host-gap", "0", base+"?publicatieDatumVanaf=2026-10-10&publicatieDatumTot=2026-10-10")
		if err != nil {
			t.Fatalf("ingest: %v\nstderr: %s", err, stderr)
		}
		got := decodeLines(t, stdout)
		if len(got) != 150 {
			t.Fatalf("got %d notices, want both pages' 150", len(got))
		}
		if cpv := got[0]["cpv"].([]any); len(cpv) != 1 || cpv[0] != "45000000" {
			t.Errorf("got CPV %v from the detail, want 45000000", cpv)
		}
		if cpv := got[1]["cpv"].([]any); len(cpv) != 0 || !strings.Contains(stderr, "publication 2: its codes are unknown") {
			t.Errorf("failed detail: got CPV %v, stderr %q", cpv, stderr)
		}
	})
	t.Run("saved list page", func(t *testing.T) {
		stdout, stderr, err := runIngestArgs(t, filepath.Join(tenderNedTestdata, "list-page.json"))
		if err != nil || stderr != "" {
			t.Fatalf("ingest: %v\nstderr: %s", err, stderr)
		}
		if got := decodeLines(t, stdout); len(got) != 14 || got[0]["id"] != "tenderned:443728" || got[0]["deadline"] != "2026-10-20T10:00:00Z" {
			t.Errorf("got %d notices, the first %v", len(got), got[0])
		}
	})
	t.Run("saved detail", func(t *testing.T) {
		stdout, _, err := runIngestArgs(t, filepath.Join(tenderNedTestdata, "detail-443728.json"))
		if err != nil {
			t.Fatal(err)
		}
		got := decodeLines(t, stdout)
		if len(got) != 1 || !slices.Equal(got[0]["cpv"].([]any), []any{"50232000", "50232100"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("Atom feed", func(t *testing.T) {
		stdout, stderr, err := runIngestArgs(t, "--tenderned-api", base, filepath.Join(tenderNedTestdata, "atom.xml"))
		if err != nil || stderr != "" {
			t.Fatalf("ingest: %v\nstderr: %s", err, stderr)
		}
		got := decodeLines(t, stdout)
		if len(got) != 2 || got[0]["id"] != "tenderned:443728" || len(got[0]["nuts"].([]any)) != 1 {
			t.Errorf("got %v", got)
		}
	})
}

func TestIngestEFormsZIP(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(samplesDir, "ted-eforms-real", "*.xml"))
	if len(paths) == 0 {
		t.Skipf("no eForms samples in %s: the shared samples folder is absent", samplesDir)
	}
	archive := filepath.Join(t.TempDir(), "export.zip")
	file, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(file)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(filepath.Base(p))
		w.Write(data)
	}
	w, _ := zw.Create("bomb.xml")
	w.Write(make([]byte, 8<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	file.Close()

	stdout, stderr, err := runIngestArgs(t, archive)
	if err != nil {
		t.Fatalf("ingest: %v\nstderr: %s", err, stderr)
	}
	if got := decodeLines(t, stdout); len(got) != len(paths) {
		t.Errorf("got %d notices, want one per sample (%d)", len(got), len(paths))
	}
	if !strings.Contains(stderr, `entry "bomb.xml" skipped`) {
		t.Errorf("stderr %q does not name the skipped entry", stderr)
	}

	data, _ := os.ReadFile(archive)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	defer srv.Close()
	stdout, _, err = runIngestArgs(t, srv.URL+"/api/notice-exports?pubDay=2026-10-09&format=eforms.zip")
	if got := decodeLines(t, stdout); err != nil || len(got) != len(paths) {
		t.Errorf("from a URL: got %d notices, err %v", len(got), err)
	}
}

// TestTenderNedSourceSurvivesARestart runs the bot on TENDERBOT_FEEDS=
// tenderned twice on one database: the second run reads the day's list
// again but asks for no detail the first run settled — where the source
// stands is kept with the feed in the store.
func TestTenderNedSourceSurvivesARestart(t *testing.T) {
	var details atomic.Int64
	api := newTenderNedAPI(t, 3, &details)
	setEnv(t, "tenderned")
	t.Setenv("TENDERBOT_TENDERNED_API_URL", api.URL+"/papi/publicaties")

	session(t, strings.NewReader("search opdracht\n"))
	if got := details.Load(); got != 3 {
		t.Fatalf("first run: %d detail requests, want one per publication (3)", got)
	}
	out := session(t, strings.NewReader("search opdracht\n"))
	// Publication 2's detail failed (404): it is asked for again, the
	// other two are not.
	if got := details.Load(); got != 4 {
		t.Errorf("after a restart: %d detail requests in all, want 4 (only the failed one again)", got)
	}
	if !strings.Contains(out, "Opdracht 1") {
		t.Errorf("the notices of the first run are not found after the restart:\n%s", out)
	}
}
