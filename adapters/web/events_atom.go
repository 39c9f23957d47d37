package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	// Lang is the feed's xml:lang, which its entries inherit.
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

// atomEntry is one entry: an event, an answer or a material.
type atomEntry struct {
	ID      string    `xml:"id"`
	Title   string    `xml:"title"`
	Updated string    `xml:"updated"`
	Link    atomLink  `xml:"link"`
	Summary *atomText `xml:"summary,omitempty"`
	Content atomText  `xml:"content"`

	updated time.Time // for sorting
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
	Href     string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

// serveFeed serves the Atom feed of public events. An answer and a material
// are entries of their own, so a feed reader shows each one when it is
// published, just as registrants are told of it in chat.
//
// The feed is in the language its address asks for, ?lang=nl or
// ?lang=en, else in the workspace's. Not in the browser's or a cookie's,
// as the pages are: a feed reader sends neither, and a feed's address is
// what a reader subscribes to, so it has to stand for one document.
func (p *eventPages) serveFeed(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	pages, err := p.events.PublicEvents(ctx)
	if err != nil {
		p.serveError(w, r, err)
		return
	}
	l, asked := text.Parse(r.URL.Query().Get("lang"))
	if !asked {
		l = p.language
	}
	body, err := p.feed(p.base(r), feedIn(l, asked), pages)
	if err != nil {
		p.serveError(w, r, err)
		return
	}
	serve(w, r, "application/atom+xml; charset=utf-8", body)
}

// feedLanguage is the language a feed is written in, and the query its
// links carry to stay in it: "?lang=nl" when the address asked for the
// language, "" when the feed speaks the workspace's.
type feedLanguage struct {
	p     text.Printer
	query string
}

func feedIn(l text.Language, asked bool) feedLanguage {
	f := feedLanguage{p: text.For(l)}
	if asked {
		f.query = "?lang=" + string(f.p.Language())
	}
	return f
}

// feed writes the Atom document for pages in language l, with links
// under base.
//
// The ids of the feed and of its entries are the same in both languages:
// an event is one entry whatever language it is read in, as its page is
// one page (/events/7, with ?lang to choose) and its calendar entry keeps
// one UID. A reader who follows both feeds, or switches from one to the
// other, then sees each event, answer and material once, not once per
// language; xml:lang says which language a copy is in.
func (p *eventPages) feed(base string, l feedLanguage, pages []bot.EventPage) ([]byte, error) {
	tag := tagPrefix(base)
	lang := l.p.Language()
	f := atomFeed{
		Lang:  string(lang),
		ID:    tag + "events",
		Title: l.p.Sprintf("Events: market consultations, supplier days and webinars"),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + feedPath + l.query},
			{Rel: "alternate", Type: "text/html", Hreflang: string(lang), Href: base + "/events" + l.query},
		},
		Author: atomAuthor{Name: "tenderbot"},
	}
	for _, other := range text.Languages {
		if other != lang {
			f.Links = append(f.Links, atomLink{Rel: "alternate", Type: "application/atom+xml", Hreflang: string(other), Href: base + feedPath + "?lang=" + string(other)})
		}
	}
	for _, pg := range pages {
		if !pg.Event.Public() {
			continue
		}
		entries, err := p.entries(base, tag, l, pg)
		if err != nil {
			return nil, err
		}
		f.Entries = append(f.Entries, entries...)
	}
	// Newest first; the ID breaks ties so the same data gives the same
	// bytes, and the same ETag.
	slices.SortStableFunc(f.Entries, func(a, b atomEntry) int {
		return cmp.Or(b.updated.Compare(a.updated), strings.Compare(a.ID, b.ID))
	})
	// A feed with no entries has changed never, as far as a reader can tell.
	updated := time.Unix(0, 0)
	if len(f.Entries) > 0 {
		updated = f.Entries[0].updated
	}
	f.Updated = atomTime(updated)

	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("write atom feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// entries are the feed entries of one event, in language l: the event
// itself, then one per answered question and one per material.
func (p *eventPages) entries(base, tag string, l feedLanguage, pg bot.EventPage) ([]atomEntry, error) {
	e := pg.Event
	v := newEventView(newPage(l.p.Language(), "", ""), pg)
	page := fmt.Sprintf("%s/events/%d%s", base, e.ID, l.query)
	id := fmt.Sprintf("%sevent-%d", tag, e.ID)
	words := newAtomWords(l.p, e.ID, page, e.Title)

	title := e.Title
	summary := v.Kind + ". " + v.When
	if v.Place.Text != "" {
		summary += ". " + v.Place.Text
	}
	if v.Cancelled {
		title = l.p.Sprintf("Cancelled: %s", title)
		summary = l.p.Sprintf("Cancelled. %s", summary)
	}
	content, err := p.entryHTML("event", struct {
		eventView
		Feed atomWords
	}{v, words})
	if err != nil {
		return nil, err
	}
	out := []atomEntry{{
		ID:      id,
		Title:   title,
		Link:    atomLink{Rel: "alternate", Type: "text/html", Href: page},
		Summary: &atomText{Type: "text", Text: summary},
		Content: atomText{Type: "html", Text: content},
		updated: e.UpdatedAt,
	}}

	for _, q := range v.Questions {
		content, err := p.entryHTML("answer", struct {
			questionView
			Feed atomWords
		}{q, words})
		if err != nil {
			return nil, err
		}
		out = append(out, atomEntry{
			ID:      fmt.Sprintf("%s-q%d", id, q.Number),
			Title:   l.p.Sprintf("%s — Q%d answered", e.Title, q.Number),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: fmt.Sprintf("%s#q%d", page, q.Number)},
			Content: atomText{Type: "html", Text: content},
			updated: orDefault(q.answeredAt, e.UpdatedAt),
		})
	}
	for _, m := range v.Materials {
		content, err := p.entryHTML("material", struct {
			materialView
			Feed atomWords
		}{m, words})
		if err != nil {
			return nil, err
		}
		out = append(out, atomEntry{
			ID:      fmt.Sprintf("%s-m%d", id, m.Number),
			Title:   l.p.Sprintf("%s — material: %s", e.Title, m.Link.Text),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: fmt.Sprintf("%s#m%d", page, m.Number)},
			Content: atomText{Type: "html", Text: content},
			updated: orDefault(m.addedAt, e.UpdatedAt),
		})
	}
	for i := range out {
		out[i].Updated = atomTime(out[i].updated)
	}
	return out, nil
}

// orDefault is t, or def when t is not set.
func orDefault(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

// entryHTML renders the HTML content of an entry; html/template escapes
// the event's text and drops unsafe links as on the pages.
func (p *eventPages) entryHTML(name string, data any) (string, error) {
	var buf bytes.Buffer
	if err := p.atom.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("render atom %s: %w", name, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

// tagPrefix starts the tag URIs (RFC 4151) that identify feed entries:
// "tag:tenderbot.example.org,2026:". They stay the same as long as the
// host does, whatever else changes about an event.
func tagPrefix(base string) string {
	host := "tenderbot"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	return "tag:" + host + ",2026:"
}

// atomTime is t as an RFC 3339 date in UTC.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
