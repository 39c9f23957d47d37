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
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
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
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
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
func (p *eventPages) serveFeed(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	pages, err := p.events.PublicEvents(ctx)
	if err != nil {
		p.serveError(w, r, err)
		return
	}
	body, err := p.feed(p.base(r), pages)
	if err != nil {
		p.serveError(w, r, err)
		return
	}
	serve(w, r, "application/atom+xml; charset=utf-8", body)
}

// feed writes the Atom document for pages, with links under base.
func (p *eventPages) feed(base string, pages []bot.EventPage) ([]byte, error) {
	tag := tagPrefix(base)
	f := atomFeed{
		ID:    tag + "events",
		Title: "Events: market consultations, supplier days and webinars",
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + feedPath},
			{Rel: "alternate", Type: "text/html", Href: base + "/events"},
		},
		Author: atomAuthor{Name: "tenderbot"},
	}
	for _, pg := range pages {
		if !pg.Event.Public() {
			continue
		}
		entries, err := p.entries(base, tag, pg)
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

// entries are the feed entries of one event: the event itself, then one
// per answered question and one per material.
func (p *eventPages) entries(base, tag string, pg bot.EventPage) ([]atomEntry, error) {
	e := pg.Event
	// The feed is one document for every reader: in English.
	v := newEventView(newPage(text.English, "", ""), pg)
	page := fmt.Sprintf("%s/events/%d", base, e.ID)
	id := fmt.Sprintf("%sevent-%d", tag, e.ID)

	title := e.Title
	summary := v.Kind + ". " + v.When
	if v.Place.Text != "" {
		summary += ". " + v.Place.Text
	}
	if v.Cancelled {
		title = "Cancelled: " + title
		summary = "Cancelled. " + summary
	}
	content, err := p.entryHTML("event", struct {
		eventView
		Page string
	}{v, page})
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
		content, err := p.entryHTML("answer", q)
		if err != nil {
			return nil, err
		}
		out = append(out, atomEntry{
			ID:      fmt.Sprintf("%s-q%d", id, q.Number),
			Title:   fmt.Sprintf("%s — Q%d answered", e.Title, q.Number),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: fmt.Sprintf("%s#q%d", page, q.Number)},
			Content: atomText{Type: "html", Text: content},
			updated: orDefault(q.answeredAt, e.UpdatedAt),
		})
	}
	for _, m := range v.Materials {
		content, err := p.entryHTML("material", struct {
			materialView
			Event string
		}{m, e.Title})
		if err != nil {
			return nil, err
		}
		out = append(out, atomEntry{
			ID:      fmt.Sprintf("%s-m%d", id, m.Number),
			Title:   fmt.Sprintf("%s — material: %s", e.Title, m.Link.Text),
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
