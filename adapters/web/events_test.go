package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// fixedEvents answers with fixed event pages, as the core would.
type fixedEvents struct {
	pages []bot.EventPage
	err   error
}

func (f fixedEvents) PublicEvents(context.Context) ([]bot.EventPage, error) {
	return f.pages, f.err
}

// PublicEvent returns any event with the id, drafts too, so the tests see
// that the pages never show one whatever the core returns.
func (f fixedEvents) PublicEvent(_ context.Context, id int64) (bot.EventPage, error) {
	if f.err != nil {
		return bot.EventPage{}, f.err
	}
	for _, p := range f.pages {
		if p.Event.ID == id {
			return p, nil
		}
	}
	return bot.EventPage{}, bot.Errorf(bot.ENOTFOUND, "no event %d", id)
}

var cet = time.FixedZone("CET", 3600)

// supplierDay is a published supplier day with an answered question, one
// still open, and slides.
func supplierDay() bot.EventPage {
	return bot.EventPage{
		Event: bot.Event{
			ID:          7,
			Title:       "Supplier day: solar roofs",
			Description: "The city plans solar panels on 40 school roofs.\nWe would like to hear how you would phase the work.\n\nBring your questions.",
			Kind:        bot.EventSupplierDay,
			Start:       time.Date(2027, 2, 10, 14, 0, 0, 0, cet),
			End:         time.Date(2027, 2, 10, 16, 0, 0, 0, cet),
			Place:       "Stadhuis, Haven Noordzijde 1, Almelo",
			Capacity:    40,
			RegisterBy:  time.Date(2027, 2, 8, 17, 0, 0, 0, cet),
			Related:     "https://www.tenderned.nl/aankondigingen/overzicht/318222",
			Documents:   []string{"https://almelo.example/docs/roofs.pdf", "javascript:alert(1)"},
			Status:      bot.EventPublished,
			Sequence:    1,
			CreatedAt:   time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
			UpdatedAt:   time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC),
			PublishedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
		},
		Going:      12,
		PlacesLeft: 28,
		Questions: []bot.Question{
			{EventID: 7, Number: 1, Text: "Is the roof survey part of the contract?", Answer: "Yes: the survey of all 40 roofs is lot 1.", AnsweredAt: time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC)},
			{EventID: 7, Number: 2, Text: "An open question nobody answered yet"},
			{EventID: 7, Number: 3, Text: "May consortia register?", Answer: "Yes, with one contact person.", AnsweredAt: time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)},
		},
		Materials: []bot.Material{
			{EventID: 7, Number: 1, Title: "Slides", URL: "https://almelo.example/docs/slides.pdf", AddedAt: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)},
		},
	}
}

// cancelledWebinar is a cancelled online event without a limit on places.
func cancelledWebinar() bot.EventPage {
	return bot.EventPage{Event: bot.Event{
		ID:          8,
		Title:       "Webinar: heat networks",
		Kind:        bot.EventWebinar,
		Start:       time.Date(2027, 3, 1, 10, 0, 0, 0, cet),
		End:         time.Date(2027, 3, 1, 11, 0, 0, 0, cet),
		Place:       "https://meet.example/almelo-heat",
		Status:      bot.EventCancelled,
		Reason:      "The tender is postponed to 2028.",
		Sequence:    2,
		PublishedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), // published, then cancelled: still public
		UpdatedAt:   time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC),
	}}
}

// hostileEvent carries markup and a script link where text belongs.
func hostileEvent() bot.EventPage {
	return bot.EventPage{Event: bot.Event{
		ID:          9,
		Title:       `Roofs <script>alert("x")</script> & more`,
		Description: `<img src=x onerror=alert(1)>`,
		Kind:        bot.EventMeetBuyer,
		Start:       time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC),
		End:         time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC),
		Place:       "javascript:alert(1)",
		Related:     "JaVaScRiPt:alert(2)",
		Status:      bot.EventPublished,
		UpdatedAt:   time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
	}}
}

// draft is an event not yet announced.
func draft() bot.EventPage {
	return bot.EventPage{Event: bot.Event{
		ID: 10, Title: "Secret draft", Kind: bot.EventConsultation, Status: bot.EventDraft,
		Start: time.Date(2027, 5, 1, 9, 0, 0, 0, cet), UpdatedAt: time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC),
	}}
}

func allEvents() fixedEvents {
	return fixedEvents{pages: []bot.EventPage{supplierDay(), cancelledWebinar(), hostileEvent(), draft()}}
}

// eventServer serves ev's pages as tenderbot.example.org.
func eventServer(ev Events, baseURL string, log *slog.Logger) *Server {
	s := New(fixedCore{}, prometheus.NewRegistry(), log)
	s.MountEvents(ev, baseURL)
	return s
}

const testBase = "https://tenderbot.example.org"

// do serves one request and returns the recorded response.
func do(t *testing.T, h http.Handler, method, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// contains checks that body holds every one of want, as markup or as text
// once character references are read (html/template writes + as &#43;),
// and none of unwanted as markup.
func contains(t *testing.T, body string, want, unwanted []string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, w := range want {
		if !strings.Contains(body, w) && !strings.Contains(text, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("the page holds %q", u)
		}
	}
}

func TestEventList(t *testing.T) {
	rec := do(t, eventServer(allEvents(), testBase, nil), http.MethodGet, "/events", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type: got %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control: got %q, want no-cache", got)
	}
	contains(t, rec.Body.String(), []string{
		`<html lang="en">`,
		`<title>Events — tenderbot</title>`,
		`<a href="/events/7">Supplier day: solar roofs</a>`,
		"Supplier day",
		"Wednesday 10 February 2027, 14:00–16:00 (UTC+01:00)",
		"Stadhuis, Haven Noordzijde 1, Almelo",
		"28 of 40 places left",
		`<a href="/events/8">Webinar: heat networks</a>`,
		`<span class="badge">Cancelled</span>`,
		`<a href="https://meet.example/almelo-heat">`,
		`hreflang="en" href="/events.atom?lang=en"`,
	}, []string{"Secret draft", "<script>alert"})
}

func TestEventListEmpty(t *testing.T) {
	rec := do(t, eventServer(fixedEvents{}, testBase, nil), http.MethodGet, "/events", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	contains(t, rec.Body.String(), []string{"No events are announced at the moment."}, []string{`class="events"`})
}

func TestEventPage(t *testing.T) {
	rec := do(t, eventServer(allEvents(), testBase, nil), http.MethodGet, "/events/7", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	contains(t, rec.Body.String(), []string{
		`<html lang="en">`,
		`<title>Supplier day: solar roofs — tenderbot</title>`,
		`<h1>Supplier day: solar roofs</h1>`,
		`<p class="kind">Supplier day</p>`,
		"Wednesday 10 February 2027, 14:00–16:00 (UTC+01:00)",
		"Stadhuis, Haven Noordzijde 1, Almelo",
		"28 of 40 places left",
		"Register by</dt><dd>Monday 8 February 2027, 17:00 (UTC+01:00)",
		"<p>The city plans solar panels on 40 school roofs.<br>We would like to hear how you would phase the work.</p>",
		"<p>Bring your questions.</p>",
		`<h2>How to register</h2>`,
		`send <code>event rsvp 7 going</code>`,
		`<code>event ask 7 &lt;question&gt;</code>`,
		"Everybody can register, invited or not.",
		`<h2>Questions and answers</h2>`,
		`id="q1"`, `>Q1</a>`, "Is the roof survey part of the contract?", "Yes: the survey of all 40 roofs is lot 1.",
		`id="q3"`, `>Q3</a>`, "May consortia register?",
		`<li id="m1"><a href="https://almelo.example/docs/slides.pdf">Slides</a>`,
		`<a href="https://almelo.example/docs/roofs.pdf">https://almelo.example/docs/roofs.pdf</a>`,
		`<a href="https://www.tenderned.nl/aankondigingen/overzicht/318222">`,
		`<a href="/events/7.ics">Add to calendar</a>`,
		`<a href="/events.atom?lang=en">`,
	}, []string{
		"An open question nobody answered yet", `id="q2"`,
		`href="javascript:`, "ZgotmplZ", "This event is cancelled",
	})
}

func TestEventPageCancelled(t *testing.T) {
	rec := do(t, eventServer(allEvents(), testBase, nil), http.MethodGet, "/events/8", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	contains(t, rec.Body.String(), []string{
		"This event is cancelled.", "The tender is postponed to 2028.",
		`<span class="badge">Cancelled</span>`,
		`<a href="https://meet.example/almelo-heat">https://meet.example/almelo-heat</a>`,
		"Monday 1 March 2027, 10:00–11:00 (UTC+01:00)",
	}, []string{"How to register", "event rsvp 8 going", "places left"})
}

func TestEventPageEscapes(t *testing.T) {
	rec := do(t, eventServer(allEvents(), testBase, nil), http.MethodGet, "/events/9", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	contains(t, rec.Body.String(), []string{
		`<h1>Roofs &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more</h1>`,
		`&lt;img src=x onerror=alert(1)&gt;`,
		`<dd>javascript:alert(1)</dd>`,
		`<dd>JaVaScRiPt:alert(2)</dd>`,
	}, []string{"<script", "<img", `href="javascript:`, `href="JaVaScRiPt:`, "ZgotmplZ"})
}

func TestEventPageStatus(t *testing.T) {
	tests := []struct {
		name   string
		ev     fixedEvents
		path   string
		status int
		want   string
	}{
		{"unknown event", allEvents(), "/events/999", http.StatusNotFound, "Event not found"},
		{"draft", allEvents(), "/events/10", http.StatusNotFound, "Event not found"},
		{"draft calendar", allEvents(), "/events/10.ics", http.StatusNotFound, "Event not found"},
		{"not a number", allEvents(), "/events/roofs", http.StatusBadRequest, "is not an event number"},
		{"calendar of no number", allEvents(), "/events/roofs.ics", http.StatusBadRequest, "is not an event number"},
		{"negative", allEvents(), "/events/-7", http.StatusBadRequest, "is not an event number"},
		{"store down", fixedEvents{err: errors.New("sqlite: database is locked")}, "/events/7", http.StatusInternalServerError, "Something went wrong on our side"},
		{"store down, list", fixedEvents{err: errors.New("sqlite: database is locked")}, "/events", http.StatusInternalServerError, "Something went wrong on our side"},
		{"store down, feed", fixedEvents{err: errors.New("sqlite: database is locked")}, "/events.atom", http.StatusInternalServerError, "Something went wrong on our side"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logged bytes.Buffer
			rec := do(t, eventServer(tt.ev, testBase, slog.New(slog.NewTextHandler(&logged, nil))), http.MethodGet, tt.path, nil)
			if rec.Code != tt.status {
				t.Errorf("status: got %d, want %d", rec.Code, tt.status)
			}
			body := rec.Body.String()
			contains(t, body, []string{tt.want, `<html lang="en">`}, []string{"Secret draft", "sqlite"})
			if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type: got %q, want an HTML page", got)
			}
			if tt.status == http.StatusInternalServerError && !strings.Contains(logged.String(), "database is locked") {
				t.Errorf("the error is not logged; log: %q", logged.String())
			}
		})
	}
}

func TestEventPageHeadAndETag(t *testing.T) {
	s := eventServer(allEvents(), testBase, nil)
	get := do(t, s, http.MethodGet, "/events/7", nil)
	etag := get.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	head := do(t, s, http.MethodHead, "/events/7", nil)
	if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("ETag") != etag {
		t.Errorf("HEAD: got %d with %d bytes and ETag %q, want 200, no body, ETag %q", head.Code, head.Body.Len(), head.Header().Get("ETag"), etag)
	}
	again := do(t, s, http.MethodGet, "/events/7", http.Header{"If-None-Match": {etag}})
	if again.Code != http.StatusNotModified {
		t.Errorf("GET with If-None-Match: got %d, want 304", again.Code)
	}
}

func TestEventCalendar(t *testing.T) {
	tests := []struct {
		name, base, wantURL, wantUID string
	}{
		{"configured base", testBase, "URL:https://tenderbot.example.org/events/7\r\n", "UID:tenderbot-event-7@tenderbot.example.org\r\n"},
		{"base from the request", "", "URL:http://example.com/events/7\r\n", "UID:tenderbot-event-7@example.com\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, eventServer(allEvents(), tt.base, nil), http.MethodGet, "/events/7.ics", nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200", rec.Code)
			}
			h := rec.Header()
			if got := h.Get("Content-Type"); got != "text/calendar; charset=utf-8" {
				t.Errorf("Content-Type: got %q", got)
			}
			if got := h.Get("Content-Disposition"); got != `attachment; filename="event-7.ics"` {
				t.Errorf("Content-Disposition: got %q", got)
			}
			if got := h.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control: got %q, want no-cache", got)
			}
			body := rec.Body.String()
			if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") {
				t.Errorf("body starts %q, want BEGIN:VCALENDAR and CRLF", body[:min(len(body), 30)])
			}
			contains(t, body, []string{tt.wantURL, tt.wantUID, "SEQUENCE:1\r\n"}, nil)
		})
	}
}

// atomDoc is what the tests read of the feed with encoding/xml.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

func TestEventFeed(t *testing.T) {
	rec := do(t, eventServer(allEvents(), testBase, nil), http.MethodGet, "/events.atom", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type: got %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control: got %q, want no-cache", got)
	}
	body := rec.Body.String()

	var doc atomDoc
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("the feed is not Atom XML: %v\n%s", err, body)
	}
	if doc.Updated != "2026-12-07T08:00:00Z" {
		t.Errorf("feed updated: got %s, want the newest entry's, 2026-12-07T08:00:00Z", doc.Updated)
	}
	if len(doc.Links) == 0 || doc.Links[0].Rel != "self" || doc.Links[0].Href != testBase+"/events.atom" {
		t.Errorf("self link: got %+v", doc.Links)
	}

	type entry struct{ title, link, updated string }
	want := map[string]entry{
		"tag:tenderbot.example.org,2026:event-7-m1": {"Supplier day: solar roofs — material: Slides", testBase + "/events/7#m1", "2026-12-07T08:00:00Z"},
		"tag:tenderbot.example.org,2026:event-7-q3": {"Supplier day: solar roofs — Q3 answered", testBase + "/events/7#q3", "2026-12-06T11:00:00Z"},
		"tag:tenderbot.example.org,2026:event-7-q1": {"Supplier day: solar roofs — Q1 answered", testBase + "/events/7#q1", "2026-12-05T11:00:00Z"},
		"tag:tenderbot.example.org,2026:event-8":    {"Cancelled: Webinar: heat networks", testBase + "/events/8", "2026-12-03T09:00:00Z"},
		"tag:tenderbot.example.org,2026:event-7":    {"Supplier day: solar roofs", testBase + "/events/7", "2026-12-02T09:00:00Z"},
		"tag:tenderbot.example.org,2026:event-9":    {`Roofs <script>alert("x")</script> & more`, testBase + "/events/9", "2026-12-01T09:00:00Z"},
	}
	if len(doc.Entries) != len(want) {
		t.Errorf("got %d entries, want %d", len(doc.Entries), len(want))
	}
	for i, e := range doc.Entries {
		w, ok := want[e.ID]
		if !ok {
			t.Errorf("entry %d: unexpected id %q (%q)", i, e.ID, e.Title)
			continue
		}
		if got := (entry{e.Title, e.Link.Href, e.Updated}); got != w {
			t.Errorf("entry %s: got %+v, want %+v", e.ID, got, w)
		}
		if i > 0 && e.Updated > doc.Entries[i-1].Updated {
			t.Errorf("entry %s is newer than the one before it", e.ID)
		}
	}
	for _, e := range doc.Entries {
		switch e.ID {
		case "tag:tenderbot.example.org,2026:event-7-q1":
			contains(t, e.Content, []string{"Is the roof survey part of the contract?", "Yes: the survey of all 40 roofs is lot 1."}, nil)
		case "tag:tenderbot.example.org,2026:event-7":
			contains(t, e.Content, []string{"Supplier day", "Wednesday 10 February 2027, 14:00–16:00 (UTC+01:00)", "Stadhuis, Haven Noordzijde 1, Almelo", "event rsvp 7 going"}, nil)
		case "tag:tenderbot.example.org,2026:event-9":
			contains(t, e.Content, []string{"&lt;img"}, []string{"<img", `href="javascript:`})
		}
	}
	contains(t, body, nil, []string{"Secret draft", "An open question nobody answered yet"})
}

func TestEventFeedReadsInGofeed(t *testing.T) {
	rec := do(t, eventServer(allEvents(), "", nil), http.MethodGet, "/events.atom", nil)
	feed, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	if feed.FeedType != "atom" || feed.FeedLink != "http://example.com/events.atom" {
		t.Errorf("feed: got type %q self %q, want atom at http://example.com/events.atom", feed.FeedType, feed.FeedLink)
	}
	links := map[string]string{}
	for _, it := range feed.Items {
		links[it.Title] = it.Link
		if it.UpdatedParsed == nil {
			t.Errorf("%q has no updated date gofeed can read", it.Title)
		}
	}
	for title, link := range map[string]string{
		"Supplier day: solar roofs":                    "http://example.com/events/7",
		"Supplier day: solar roofs — Q1 answered":      "http://example.com/events/7#q1",
		"Supplier day: solar roofs — material: Slides": "http://example.com/events/7#m1",
		"Cancelled: Webinar: heat networks":            "http://example.com/events/8",
	} {
		if links[title] != link {
			t.Errorf("%q: got link %q, want %q", title, links[title], link)
		}
	}
}

func TestEventFeedEmpty(t *testing.T) {
	rec := do(t, eventServer(fixedEvents{}, testBase, nil), http.MethodGet, "/events.atom", nil)
	var doc atomDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("the feed is not Atom XML: %v", err)
	}
	if len(doc.Entries) != 0 || doc.Updated == "" || doc.ID == "" {
		t.Errorf("empty feed: got %d entries, updated %q, id %q; want none, and both set", len(doc.Entries), doc.Updated, doc.ID)
	}
}

func TestWhen(t *testing.T) {
	cest := time.FixedZone("CEST", 7200)
	tests := []struct {
		name       string
		start, end time.Time
		want       string
	}{
		{"one afternoon", time.Date(2027, 2, 10, 14, 0, 0, 0, cet), time.Date(2027, 2, 10, 16, 0, 0, 0, cet), "Wednesday 10 February 2027, 14:00–16:00 (UTC+01:00)"},
		{"UTC", time.Date(2027, 2, 10, 13, 0, 0, 0, time.UTC), time.Date(2027, 2, 10, 15, 30, 0, 0, time.UTC), "Wednesday 10 February 2027, 13:00–15:30 (UTC+00:00)"},
		{"two days", time.Date(2027, 2, 10, 9, 0, 0, 0, cet), time.Date(2027, 2, 11, 17, 0, 0, 0, cet), "Wednesday 10 February 2027, 09:00 – Thursday 11 February 2027, 17:00 (UTC+01:00)"},
		{"across the clock change", time.Date(2027, 3, 27, 9, 0, 0, 0, cet), time.Date(2027, 3, 28, 17, 0, 0, 0, cest), "Saturday 27 March 2027, 09:00 (UTC+01:00) – Sunday 28 March 2027, 17:00 (UTC+02:00)"},
		{"no end", time.Date(2027, 2, 10, 14, 0, 0, 0, cet), time.Time{}, "Wednesday 10 February 2027, 14:00 (UTC+01:00)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := when(text.Printer{}, tt.start, tt.end); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSafeHref(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://meet.example/abc?x=1", "https://meet.example/abc?x=1"},
		{" HTTP://Almelo.example/a ", "http://Almelo.example/a"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{" javascript:alert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"//evil.example/x", ""},
		{"/events/7", ""},
		{"mailto:inkoop@almelo.example", ""},
		{"http:///no-host", ""},
		{"Stadhuis, Almelo", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeHref(tt.in); got != tt.want {
			t.Errorf("safeHref(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	got := paragraphs("one\r\ntwo\n\n\n  \nthree\n")
	if len(got) != 2 || strings.Join(got[0], "|") != "one|two" || strings.Join(got[1], "|") != "three" {
		t.Errorf("got %q, want [[one two] [three]]", got)
	}
	if got := paragraphs(" \n"); got != nil {
		t.Errorf("blank text: got %q, want no paragraphs", got)
	}
}
