package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tenderbot/tenderbot/bot/text"
)

// TestEventFeedInDutch: ?lang=nl gives the feed in Dutch, read here as a
// feed reader reads it: xml:lang="nl", Dutch titles, summaries and
// content, links that stay in Dutch, and the same ids as the English feed.
func TestEventFeedInDutch(t *testing.T) {
	s := eventServer(allEvents(), testBase, nil)
	rec := do(t, s, http.MethodGet, "/events.atom?lang=nl", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	body := rec.Body.String()
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, body)
	}
	if feed.FeedType != "atom" || feed.Language != "nl" {
		t.Errorf("feed: got type %q language %q, want atom in nl", feed.FeedType, feed.Language)
	}
	if want := "Bijeenkomsten: marktconsultaties, leveranciersdagen en webinars"; feed.Title != want {
		t.Errorf("title: got %q, want %q", feed.Title, want)
	}
	if want := testBase + "/events.atom?lang=nl"; feed.FeedLink != want {
		t.Errorf("self: got %q, want %q", feed.FeedLink, want)
	}
	if want := testBase + "/events?lang=nl"; feed.Link != want {
		t.Errorf("the page it is the feed of: got %q, want %q", feed.Link, want)
	}
	items := map[string]*gofeed.Item{}
	for _, it := range feed.Items {
		items[it.Title] = it
	}
	for title, want := range map[string]struct{ link, summary, content string }{
		"Supplier day: solar roofs":                      {testBase + "/events/7?lang=nl", "Leveranciersdag. woensdag 10 februari 2027", "Meld je aan in de chat met tenderbot: druk op Ik kom"},
		"Supplier day: solar roofs — vraag 1 beantwoord": {testBase + "/events/7?lang=nl#q1", "", "<strong>Antwoord:</strong>"},
		"Supplier day: solar roofs — materiaal: Slides":  {testBase + "/events/7?lang=nl#m1", "", "Nieuw materiaal voor Supplier day: solar roofs:"},
		"Gaat niet door: Webinar: heat networks":         {testBase + "/events/8?lang=nl", "Gaat niet door. ", ", gaat niet door."},
	} {
		it, ok := items[title]
		if !ok {
			t.Errorf("no entry %q among %q", title, titles(feed))
			continue
		}
		if it.Link != want.link {
			t.Errorf("%q: got link %q, want %q", title, it.Link, want.link)
		}
		if !strings.Contains(it.Description, want.summary) {
			t.Errorf("%q: got summary %q, want it to contain %q", title, it.Description, want.summary)
		}
		if !strings.Contains(it.Content, want.content) {
			t.Errorf("%q: got content %q, want it to contain %q", title, it.Content, want.content)
		}
	}
	contains(t, body, []string{`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">`, `hreflang="en" href="` + testBase + `/events.atom?lang=en"`},
		[]string{"answered", "Cancelled", "Register in chat"})

	english := do(t, s, http.MethodGet, "/events.atom", nil).Body.String()
	if got, want := ids(t, body), ids(t, english); got != want {
		t.Errorf("ids: Dutch %s, English %s; want the same entries in both", got, want)
	}
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

// ids are the ids of a feed and its entries, in order.
func ids(t *testing.T, feed string) string {
	t.Helper()
	var doc atomDoc
	if err := xml.Unmarshal([]byte(feed), &doc); err != nil {
		t.Fatalf("the feed is not Atom XML: %v", err)
	}
	out := []string{doc.ID}
	for _, e := range doc.Entries {
		out = append(out, e.ID)
	}
	return strings.Join(out, " ")
}

// TestEventFeedLanguage: without ?lang the feed speaks the workspace's
// language, English when none is set, whatever the browser prefers; a
// language the bot does not speak is the same as none.
func TestEventFeedLanguage(t *testing.T) {
	dutchWorkspace := New(fixedCore{}, prometheus.NewRegistry(), nil)
	dutchWorkspace.SetLanguage(text.Dutch)
	dutchWorkspace.MountEvents(allEvents(), testBase)
	for _, tc := range []struct {
		name, path string
		server     *Server
		header     http.Header
		lang, self string
	}{
		{"no workspace language", "/events.atom", eventServer(allEvents(), testBase, nil), nil, "en", "/events.atom"},
		{"browser in Dutch", "/events.atom", eventServer(allEvents(), testBase, nil), http.Header{"Accept-Language": {"nl"}, "Cookie": {"lang=nl"}}, "en", "/events.atom"},
		{"workspace in Dutch", "/events.atom", dutchWorkspace, nil, "nl", "/events.atom"},
		{"workspace in Dutch, asked in English", "/events.atom?lang=en", dutchWorkspace, nil, "en", "/events.atom?lang=en"},
		{"a language not spoken", "/events.atom?lang=de", dutchWorkspace, nil, "nl", "/events.atom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var doc struct {
				Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
				Links []struct {
					Rel  string `xml:"rel,attr"`
					Href string `xml:"href,attr"`
				} `xml:"link"`
			}
			rec := do(t, tc.server, http.MethodGet, tc.path, tc.header)
			if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatalf("the feed is not XML: %v", err)
			}
			if doc.Lang != tc.lang {
				t.Errorf("xml:lang: got %q, want %q", doc.Lang, tc.lang)
			}
			if len(doc.Links) == 0 || doc.Links[0].Href != testBase+tc.self {
				t.Errorf("self link: got %+v, want %s", doc.Links, testBase+tc.self)
			}
			if rec.Header().Get("Set-Cookie") != "" {
				t.Errorf("the feed set a cookie: %s", rec.Header().Get("Set-Cookie"))
			}
		})
	}
}

// TestPagesLinkTheirLanguagesFeed: a page's feed links, in its head, on
// the event and in the footer, lead to the feed in the page's language.
func TestPagesLinkTheirLanguagesFeed(t *testing.T) {
	s := eventServer(allEvents(), testBase, nil)
	for _, tc := range []struct{ path, lang string }{{"/events/7?lang=nl", "nl"}, {"/events?lang=nl", "nl"}, {"/events/7?lang=en", "en"}} {
		body := do(t, s, http.MethodGet, tc.path, nil).Body.String()
		feed := "/events.atom?lang=" + tc.lang
		want := []string{`<link rel="alternate" type="application/atom+xml" title="`, `hreflang="` + tc.lang + `" href="` + feed + `">`, `<a href="` + feed + `">`}
		contains(t, body, want, []string{`href="/events.atom"`})
	}
}
