package feeds

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// tnServer is a local TenderNed publications API: day lists paged as the
// real one pages them (Spring pages, 0-based, at most 100 a page), and a
// detail per publication, with the faults a test asks for.
type tnServer struct {
	*httptest.Server
	t *testing.T

	mu sync.Mutex
	// days are the publications of each day, newest first.
	days map[string][]json.RawMessage
	// insertAfterFirstPage, by day: a publication that appears at the top
	// of the day's list once its first page was served, so the list moves
	// between two pages.
	insertAfterFirstPage map[string]json.RawMessage
	// extraTotal, by day, is added to totalElements: the list counts
	// publications it does not show.
	extraTotal map[string]int
	// detailStatus, by id, are the statuses the detail answers in turn,
	// the last one for good; none means 200.
	detailStatus map[string][]int
	// details, by id, are detail bodies; none means a generated one.
	details map[string]string

	detailHits map[string]int
	listHits   map[string]int
}

func newTNServer(t *testing.T) *tnServer {
	t.Helper()
	s := &tnServer{
		t: t, days: map[string][]json.RawMessage{}, insertAfterFirstPage: map[string]json.RawMessage{},
		extraTotal: map[string]int{}, detailStatus: map[string][]int{}, details: map[string]string{},
		detailHits: map[string]int{}, listHits: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /publicaties", s.list)
	mux.HandleFunc("GET /publicaties/{id}", s.detail)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// base is the API base the source is configured with.
func (s *tnServer) base() string { return s.URL + "/publicaties" }

func (s *tnServer) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err1 := strconv.Atoi(q.Get("page"))
	size, err2 := strconv.Atoi(q.Get("size"))
	day := q.Get("publicatieDatumVanaf")
	if err1 != nil || err2 != nil || size < 1 || size > 100 || page < 0 {
		http.Error(w, `{"message":"bad page or size"}`, http.StatusBadRequest)
		return
	}
	if tot := q.Get("publicatieDatumTot"); tot != day {
		s.t.Errorf("list asked for %s to %s; want one day", day, tot)
	}
	s.mu.Lock()
	s.listHits[day]++
	all := s.days[day]
	total := len(all) + s.extraTotal[day]
	from, to := min(page*size, len(all)), min((page+1)*size, len(all))
	content := all[from:to]
	if page == 0 {
		if p, ok := s.insertAfterFirstPage[day]; ok {
			s.days[day] = append([]json.RawMessage{p}, all...)
			delete(s.insertAfterFirstPage, day)
		}
	}
	s.mu.Unlock()
	pages := (total + size - 1) / size
	body, _ := json.Marshal(map[string]any{
		"content": content, "totalElements": total, "totalPages": pages,
		"size": size, "number": page, "numberOfElements": len(content),
	})
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

func (s *tnServer) detail(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	s.detailHits[id]++
	status := http.StatusOK
	if seq := s.detailStatus[id]; len(seq) > 0 {
		status = seq[0]
		if len(seq) > 1 {
			s.detailStatus[id] = seq[1:]
		}
	}
	body, ok := s.details[id]
	s.mu.Unlock()
	if status != http.StatusOK {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		http.Error(w, `{"message":"not now"}`, status)
		return
	}
	if !ok {
		body = fmt.Sprintf(`{"publicatieId": %q, "cpvCodes": [{"isHoofdOpdracht": true, "code": "45000000-7"}], "nutsCodes": ["NL213"]}`, id)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(body))
}

func (s *tnServer) hits(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.detailHits[id]
}

// setDetailStatus sets what the detail of id answers from now on.
func (s *tnServer) setDetailStatus(id string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.detailStatus[id] = statuses
}

// tnTemplates are the entries of testdata/tenderned/list-page.json that
// are publications.
func tnTemplates(t *testing.T) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "tenderned", "list-page.json"))
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Content []json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, raw := range page.Content {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// tnPublications makes n publications of day from the fixture's entries,
// with ids from first on, every other one written as a number.
func tnPublications(t *testing.T, day string, first, n int) []json.RawMessage {
	t.Helper()
	templates := tnTemplates(t)
	var out []json.RawMessage
	for i := range n {
		p := map[string]any{}
		for k, v := range templates[i%len(templates)] {
			p[k] = v
		}
		id := first + i
		if i%2 == 0 {
			p["publicatieId"] = strconv.Itoa(id)
		} else {
			p["publicatieId"] = id
		}
		p["publicatieDatum"] = day
		p["aanbestedingNaam"] = fmt.Sprintf("%v (%d)", p["aanbestedingNaam"], id)
		delete(p, "link")
		raw, _ := json.Marshal(p)
		out = append(out, raw)
	}
	return out
}

// tnFetcher is a fetcher for the server, its clock at now, without pauses.
func tnFetcher(s *tnServer, now time.Time) *Fetcher {
	return NewFetcher(FetcherOptions{
		Client: s.Client(), HostGap: -1, TenderNedURL: s.base(), RetryWait: time.Millisecond,
		Now: func() time.Time { return now },
	})
}

// idsOf returns the ids of the notices, in order, without prefix.
func idsOf(doc Document) []string {
	var ids []string
	for _, n := range doc.Notices {
		ids = append(ids, strings.TrimPrefix(n.ID, tenderNedIDPrefix))
	}
	return ids
}
