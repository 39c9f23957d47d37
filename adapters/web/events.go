package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Events is what the public event pages ask the core; *bot.Bot implements it.
type Events interface {
	// PublicEvents returns the published and cancelled events that have not ended more than 30 days ago, by start.
	PublicEvents(ctx context.Context) ([]bot.EventPage, error)
	// PublicEvent returns one public event; bot.ENOTFOUND when there is none or it is a draft.
	PublicEvent(ctx context.Context, id int64) (bot.EventPage, error)
}

// feedPath is where the Atom feed of the events is served.
const feedPath = "/events.atom"

//go:embed templates/*.html
var templateFiles embed.FS

// eventPages serves the public event pages. The page of an event is where
// every supplier finds the same information at the same time: the
// announcement, each answer to a question and each material.
type eventPages struct {
	events  Events
	baseURL string // without a trailing slash; "" to use the request's
	log     *slog.Logger
	list    *template.Template
	event   *template.Template
	fail    *template.Template
	atom    *template.Template
	// language is the feed's when its address asks for none.
	language text.Language
	// registration serves the registration form; nil: the pages say to
	// register in chat.
	registration *registration
}

// MountEvents serves the public event pages from ev: the list at /events,
// each event's page at /events/{id} and its calendar entry at
// /events/{id}.ics, and an Atom feed of events, answers and materials at
// /events.atom. baseURL is the address the pages are reached at
// ("https://tenderbot.example.org"); the feed and the calendar entries link
// with it. Without it they use the scheme and Host of each request, which a
// client chooses, so set it in production.
func (s *Server) MountEvents(ev Events, baseURL string) {
	p := &eventPages{
		events:   ev,
		baseURL:  strings.TrimRight(baseURL, "/"),
		log:      s.log,
		list:     pageTemplate("list.html"),
		event:    pageTemplate("event.html"),
		fail:     pageTemplate("error.html"),
		atom:     template.Must(template.ParseFS(templateFiles, "templates/parts.html", "templates/atom.html")),
		language: text.Pick(string(s.language)),
	}
	s.pages = p
	s.mux.HandleFunc("GET /events", p.serveList)
	s.mux.HandleFunc("GET "+feedPath, p.serveFeed)
	// One pattern for both /events/7 and /events/7.ics: ServeMux wildcards
	// take whole segments, so the suffix is split off by hand.
	s.mux.HandleFunc("GET /events/{name}", p.serveEvent)
}

// pageTemplate parses an HTML page together with the layout it fills in.
func pageTemplate(page string) *template.Template {
	return template.Must(template.ParseFS(templateFiles, "templates/layout.html", "templates/parts.html", "templates/"+page))
}

// serveList serves the list of public events.
func (p *eventPages) serveList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	pages, err := p.events.PublicEvents(ctx)
	if err != nil {
		p.serveError(w, r, err)
		return
	}
	frame := newPage(pageLanguage(w, r), "", here(r))
	v := listView{page: frame, W: newListWords(frame.p, frame.FeedPath)}
	v.PageTitle = v.W.Heading
	for _, pg := range pages {
		if pg.Event.Public() {
			v.Events = append(v.Events, newEventItem(frame.p, pg))
		}
	}
	p.serveHTML(w, r, p.list, v)
}

// serveEvent serves an event's page, or its calendar entry when the name
// ends in .ics.
func (p *eventPages) serveEvent(w http.ResponseWriter, r *http.Request) {
	name, ics := strings.CutSuffix(r.PathValue("name"), ".ics")
	id, err := strconv.ParseInt(name, 10, 64)
	if err != nil || id <= 0 {
		p.notAnEvent(w, r, name)
		return
	}
	if ics {
		page, ok := p.publicEvent(w, r, id)
		if !ok {
			return
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="event-%d.ics"`, id))
		serve(w, r, "text/calendar; charset=utf-8", engage.EventICSIn(text.For(pageLanguage(w, r)), page.Event, p.base(r)))
		return
	}
	p.serveEventPage(w, r, id, nil, http.StatusOK)
}

// publicEvent reads event id, answering with an error page when it is not
// public.
func (p *eventPages) publicEvent(w http.ResponseWriter, r *http.Request, id int64) (bot.EventPage, bool) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	page, err := p.events.PublicEvent(ctx, id)
	if err == nil && !page.Event.Public() {
		// A draft is never shown, whatever the core returned.
		err = bot.Errorf(bot.ENOTFOUND, "event %d is a draft", id)
	}
	if err != nil {
		p.serveError(w, r, err)
		return bot.EventPage{}, false
	}
	return page, true
}

// serveEventPage serves the page of event id with status: with the
// registration form while the event is open to it, filled in as form when
// that is not nil.
func (p *eventPages) serveEventPage(w http.ResponseWriter, r *http.Request, id int64, form *registrationForm, status int) {
	page, ok := p.publicEvent(w, r, id)
	if !ok {
		return
	}
	v := newEventView(newPage(pageLanguage(w, r), "", eventSwitch(r, id)), page)
	if g := p.registration; g != nil && (page.Open || form != nil) {
		if form == nil {
			form = &registrationForm{}
		}
		form.Action = fmt.Sprintf("/events/%d/register", id)
		form.Token = g.formToken(w, r, strings.HasPrefix(p.base(r), "https:"))
		v.Form = form
	}
	if status == http.StatusOK && v.Form == nil {
		p.serveHTML(w, r, p.event, v)
		return
	}
	// A page with a form is this browser's own: never cached.
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, p.event, v, status)
}

// base is the absolute address of the site root, without a trailing slash.
func (p *eventPages) base(r *http.Request) string {
	if p.baseURL != "" {
		return p.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// serveError answers with 404 for an event that is not public, and with a
// generic 500 for anything else, whose detail goes to the log only.
func (p *eventPages) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		p.serveStatus(w, r, http.StatusNotFound, text.N("Event not found"),
			text.N("There is no public event at this address. It may have been removed, or not yet announced."))
		return
	}
	p.log.Error("web: event pages", "path", r.URL.Path, "err", err)
	p.serveStatus(w, r, http.StatusInternalServerError, text.N("Something went wrong"),
		text.N("Something went wrong on our side; it has been logged. Please try again in a minute."))
}

// notAnEvent answers 400 for a path whose name is not an event number.
func (p *eventPages) notAnEvent(w http.ResponseWriter, r *http.Request, name string) {
	frame := newPage(pageLanguage(w, r), "", here(r))
	p.serveMessage(w, r, http.StatusBadRequest, frame, frame.p.Sprintf("Not an event"),
		frame.p.Sprintf("%q is not an event number. Event pages are at /events/ and a number, such as /events/12.", name))
}

// serveStatus answers with an error page whose heading and message are
// the catalogue's ids, said in the visitor's language.
func (p *eventPages) serveStatus(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	frame := newPage(pageLanguage(w, r), "", switchOf(r))
	p.serveMessage(w, r, status, frame, frame.p.Text(heading), frame.p.Text(message))
}

// serveMessage answers with an error page saying heading and message,
// already in the language of frame.
func (p *eventPages) serveMessage(w http.ResponseWriter, r *http.Request, status int, frame page, heading, message string) {
	frame.PageTitle = heading
	v := errorView{page: frame, Heading: heading, Message: message, AllLinks: frame.p.Sprintf("All events")}
	p.render(w, r, p.fail, v, status)
}

// switchOf is where the language switch of an error page leads: the page
// itself for a GET, the list of events after a post, which a link cannot
// repeat.
func switchOf(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return here(r)
	}
	return "/events"
}

// eventSwitch is where the language switch of event id's page leads: the
// page itself, also after a registration posted from it.
func eventSwitch(r *http.Request, id int64) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return here(r)
	}
	return fmt.Sprintf("/events/%d", id)
}

// render sends the page t makes of v with status, rendered in full first;
// one that does not render is a plain-text answer with the status.
func (p *eventPages) render(w http.ResponseWriter, _ *http.Request, t *template.Template, v any, status int) {
	var body bytes.Buffer
	if err := t.ExecuteTemplate(&body, "layout", v); err != nil {
		p.log.Error("web: render page", "page", t.Name(), "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	if _, err := w.Write(body.Bytes()); err != nil {
		p.log.Debug("web: write page", "err", err)
	}
}

// serveHTML renders a page in full before sending any of it, so a template
// error is a 500 rather than half a page.
func (p *eventPages) serveHTML(w http.ResponseWriter, r *http.Request, t *template.Template, v any) {
	var body bytes.Buffer
	if err := t.ExecuteTemplate(&body, "layout", v); err != nil {
		p.serveError(w, r, fmt.Errorf("render %s: %w", t.Name(), err))
		return
	}
	pageHeaders(w)
	serve(w, r, "text/html; charset=utf-8", body.Bytes())
}

// pageHeaders lets a browser run no script and load nothing from elsewhere
// on an event page: the pages need neither, and the text on them comes
// from whoever posted the event. Forms post to this site only.
func pageHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// serve sends body with an ETag and no-cache, so browsers, calendars and
// feed readers ask again every time and mostly get a 304 back.
func serve(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
