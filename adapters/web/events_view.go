package web

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The layouts of dates on the event pages: the day in words, so nobody
// misreads 02/10 across borders.
const (
	dayLayout   = "Monday 2 January 2006"
	clockLayout = "15:04"
)

// link is a piece of text from the data and, when it is an http(s) URL,
// the address to link it to.
type link struct {
	Text string
	Href string // "" when Text is not to be linked
}

// eventItem is an event as the list shows it.
type eventItem struct {
	ID        int64
	Path      string // the event's page, from the site root
	Title     string
	Kind      string
	When      string
	Place     link
	Places    string // places left or the waitlist; "" for a cancelled event
	Cancelled bool
}

// eventView is an event as its page shows it.
type eventView struct {
	page
	eventItem
	W           eventWords
	Description [][]string // paragraphs of lines
	Reason      string     // why it was cancelled
	RegisterBy  string
	Organiser   string
	Contact     link // a mailto: link for an e-mail address
	Related     link
	Documents   []link
	Questions   []questionView
	Materials   []materialView
	ICSPath     string
	// Form is the registration form; nil where people register in chat
	// only.
	Form *registrationForm
}

// questionView is an answered question as the page shows it: never who
// asked it.
type questionView struct {
	Number int
	// Heading names the question by its number: "Q3", "V3".
	Heading  string
	Question [][]string
	Answer   [][]string
	Answered string
	// AnswerLabel heads the answer: "Answer, 3 February 2027".
	AnswerLabel string

	answeredAt time.Time
}

// materialView is a material as the page shows it.
type materialView struct {
	Number int
	Link   link
	Added  string
	// AddedNote follows the link: "(added 3 February 2027)".
	AddedNote string

	addedAt time.Time
}

// listView is the page that lists the events.
type listView struct {
	page
	W      listWords
	Events []eventItem
}

// errorView is a page that says what went wrong.
type errorView struct {
	page
	Heading  string
	Message  string
	AllLinks string // "All events"
}

// newEventItem is what the list shows of pg, in the language of p.
func newEventItem(p text.Printer, pg bot.EventPage) eventItem {
	e := pg.Event
	return eventItem{
		ID:        e.ID,
		Path:      fmt.Sprintf("/events/%d", e.ID),
		Title:     e.Title,
		Kind:      p.Text(e.Kind.Label()),
		When:      when(p, e.Start, e.End),
		Place:     linked(e.Place),
		Places:    places(p, pg),
		Cancelled: e.Status == bot.EventCancelled,
	}
}

// newEventView is what the page of pg shows, in the language of its
// frame.
func newEventView(frame page, pg bot.EventPage) eventView {
	e, p := pg.Event, frame.p
	frame.PageTitle = e.Title
	v := eventView{
		page:        frame,
		eventItem:   newEventItem(p, pg),
		W:           newEventWords(p, e.ID),
		Description: paragraphs(e.Description),
		Related:     linked(e.Related),
		Organiser:   e.OrganiserName,
		Contact:     contactLink(e.Contact),
		ICSPath:     fmt.Sprintf("/events/%d.ics", e.ID),
	}
	if v.Cancelled {
		v.Reason = e.Reason
	}
	if !e.RegisterBy.IsZero() {
		v.RegisterBy = p.Format(e.RegisterBy, dayLayout+", "+clockLayout) + " " + zone(e.RegisterBy)
	}
	for _, d := range e.Documents {
		v.Documents = append(v.Documents, linked(d))
	}
	// Dates of answers and materials are given in the event's zone, the
	// one its readers plan in.
	loc := e.Start.Location()
	for _, q := range pg.Questions {
		if !q.Answered() {
			continue
		}
		qv := questionView{
			Number:      q.Number,
			Heading:     p.Sprintf("Q%d", q.Number),
			Question:    paragraphs(q.Text),
			Answer:      paragraphs(q.Answer),
			Answered:    dateOrEmpty(p, q.AnsweredAt, loc),
			AnswerLabel: p.Sprintf("Answer"),

			answeredAt: q.AnsweredAt,
		}
		if qv.Answered != "" {
			qv.AnswerLabel = p.Sprintf("Answer, %s", qv.Answered)
		}
		v.Questions = append(v.Questions, qv)
	}
	for _, m := range pg.Materials {
		l := link{Text: m.Title, Href: safeHref(m.URL)}
		if l.Text == "" {
			l.Text = m.URL
		}
		mv := materialView{Number: m.Number, Link: l, Added: dateOrEmpty(p, m.AddedAt, loc), addedAt: m.AddedAt}
		if mv.Added != "" {
			mv.AddedNote = p.Sprintf("(added %s)", mv.Added)
		}
		v.Materials = append(v.Materials, mv)
	}
	return v
}

// when is the time of an event in the zone it was given in, with the
// offset spelled out: "Wednesday 10 February 2027, 14:00–16:00
// (UTC+01:00)".
func when(p text.Printer, start, end time.Time) string {
	begin := p.Format(start, dayLayout+", "+clockLayout)
	switch {
	case !end.After(start):
		return begin + " " + zone(start)
	case zone(start) != zone(end):
		return begin + " " + zone(start) + " – " + p.Format(end, dayLayout+", "+clockLayout) + " " + zone(end)
	case start.Format(dayLayout) == end.Format(dayLayout):
		return begin + "–" + end.Format(clockLayout) + " " + zone(start)
	default:
		return begin + " – " + p.Format(end, dayLayout+", "+clockLayout) + " " + zone(start)
	}
}

// zone is t's offset from UTC, "(UTC+01:00)": unlike "CET" it means the
// same to everybody.
func zone(t time.Time) string { return "(UTC" + t.Format("-07:00") + ")" }

// dateOrEmpty is t's day in loc, or "" when t is not set.
func dateOrEmpty(p text.Printer, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return p.Date(t.In(loc))
}

// places says how many places are left, or how long the waitlist is.
func places(p text.Printer, pg bot.EventPage) string {
	e := pg.Event
	switch {
	case e.Status == bot.EventCancelled:
		return ""
	case e.Capacity <= 0:
		return p.Sprintf("No limit on places")
	case pg.PlacesLeft > 0:
		return p.Sprintf("%d of %d places left", pg.PlacesLeft, e.Capacity)
	case pg.Waitlisted > 0:
		return p.Sprintf("Full: %d on the waitlist; registering puts you on it", pg.Waitlisted)
	default:
		return p.Sprintf("Full: registering puts you on the waitlist")
	}
}

// paragraphs splits text at blank lines into paragraphs, each a list of
// its lines, so the template can keep the author's line breaks without
// trusting their markup.
func paragraphs(text string) [][]string {
	var paras [][]string
	var cur []string
	for line := range strings.Lines(strings.ReplaceAll(text, "\r\n", "\n")) {
		line = strings.TrimRight(line, " \t\r\n")
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				paras = append(paras, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		paras = append(paras, cur)
	}
	return paras
}

// linked is s as a link when it is an http(s) URL, and as text otherwise.
func linked(s string) link {
	return link{Text: s, Href: safeHref(s)}
}

// safeHref returns s when it is an absolute http or https URL, and ""
// otherwise: data from the event is never made into a javascript:, data:
// or relative link.
func safeHref(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		return ""
	}
	return u.String()
}

// contactLink is the event's contact, linked with mailto: when it is an
// e-mail address (the core checked it when it was set).
func contactLink(s string) link {
	if addr, err := email.Parse(s); err == nil {
		return link{Text: addr, Href: "mailto:" + addr}
	}
	return link{Text: s}
}
