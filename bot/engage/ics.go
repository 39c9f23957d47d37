package engage

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// icsTime is the UTC DATE-TIME form of RFC 5545 §3.3.5. UTC everywhere
// means a calendar needs no VTIMEZONE to place the event right.
const icsTime = "20060102T150405Z"

// EventICS returns the event as an iCalendar object (RFC 5545) with one
// VEVENT, for "Add to calendar". The UID stays the same for the life of
// the event and SEQUENCE follows e.Sequence, so a calendar that imports a
// later version replaces the earlier one, and a cancellation removes it.
// DTSTAMP is e.UpdatedAt, so the same version of an event always gives the
// same bytes. baseURL is where the public pages are served ("" when not
// known); the page link and the UID's domain come from it.
func EventICS(e bot.Event, baseURL string) []byte {
	return EventICSIn(text.Printer{}, e, baseURL)
}

// EventICSIn is EventICS with its description in p's language.
func EventICSIn(p text.Printer, e bot.Event, baseURL string) []byte {
	return eventICS(p, e, baseURL, "CONFIRMED", e.Sequence, e.UpdatedAt)
}

// registrationICS is the calendar file a registrant gets, described in
// their language p: tentative while they wait for a place.
func registrationICS(p text.Printer, e bot.Event, reg bot.Registration, baseURL string) []byte {
	if reg.Status == bot.RSVPWaitlisted {
		return eventICS(p, e, baseURL, "TENTATIVE", e.Sequence, e.UpdatedAt)
	}
	return EventICSIn(p, e, baseURL)
}

// promotionICS is the confirmed calendar file a promoted registrant gets:
// one SEQUENCE above the tentative one they hold, stamped at the promotion,
// so their calendar replaces the tentative entry.
func promotionICS(p text.Printer, e bot.Event, baseURL string, at time.Time) []byte {
	return eventICS(p, e, baseURL, "CONFIRMED", e.Sequence+1, at)
}

// eventICS writes the calendar object with the given status (a cancelled
// event is always CANCELLED), SEQUENCE and DTSTAMP, its description in p's
// language.
func eventICS(p text.Printer, e bot.Event, baseURL, status string, sequence int, stamp time.Time) []byte {
	page := eventPageURL(baseURL, e.ID)
	if e.Status == bot.EventCancelled {
		status = "CANCELLED"
	}
	var c icsWriter
	c.line("BEGIN:VCALENDAR")
	c.line("PRODID:-//tenderbot//events//EN")
	c.line("VERSION:2.0")
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.line("BEGIN:VEVENT")
	c.line(fmt.Sprintf("UID:tenderbot-event-%d@%s", e.ID, uidDomain(baseURL)))
	c.line("DTSTAMP:" + stamp.UTC().Format(icsTime))
	c.line("DTSTART:" + e.Start.UTC().Format(icsTime))
	if e.End.After(e.Start) {
		c.line("DTEND:" + e.End.UTC().Format(icsTime))
	}
	c.line("SUMMARY:" + icsText(e.Title))
	c.line("DESCRIPTION:" + icsText(icsDescription(p, e, page)))
	if e.Place != "" {
		c.line("LOCATION:" + icsText(e.Place))
	}
	if page != "" {
		c.line("URL:" + page)
	}
	// ORGANIZER must be an address to write to (RFC 5545 §3.8.4.3);
	// CONTACT takes any text.
	if _, err := email.Parse(e.Contact); err == nil {
		organiser := ""
		if e.OrganiserName != "" {
			organiser = ";CN=" + icsParam(e.OrganiserName)
		}
		c.line("ORGANIZER" + organiser + ":mailto:" + e.Contact)
	}
	if who := organiserLine(e); who != "" {
		c.line("CONTACT:" + icsText(who))
	}
	c.line(fmt.Sprintf("SEQUENCE:%d", max(sequence, 0)))
	c.line("STATUS:" + status)
	c.line("LAST-MODIFIED:" + e.UpdatedAt.UTC().Format(icsTime))
	c.line("END:VEVENT")
	c.line("END:VCALENDAR")
	return c.buf.Bytes()
}

// icsDescription is what a calendar shows under the title: what sort of
// event it is, what it is about, and how to take part, since a calendar
// entry is often all a supplier keeps of the invitation.
func icsDescription(p text.Printer, e bot.Event, page string) string {
	var parts []string
	if e.Status == bot.EventCancelled {
		cancelled := p.Sprintf("This event is cancelled.")
		if e.Reason != "" {
			cancelled += " " + e.Reason
		}
		parts = append(parts, cancelled)
	}
	parts = append(parts, kindLabel(p, e.Kind))
	if d := strings.TrimSpace(e.Description); d != "" {
		parts = append(parts, d)
	}
	register := p.Sprintf("Register: in chat with tenderbot, press Going on your invitation or send \"event rsvp %d going\". Everybody can register, invited or not.", e.ID)
	if !e.RegisterBy.IsZero() {
		register += " " + p.Sprintf("Register by %s.", p.Format(e.RegisterBy, "2 January 2006, 15:04 (UTC-07:00)"))
	}
	parts = append(parts, register)
	if page != "" {
		parts = append(parts, p.Sprintf("Details, questions and answers: %s", page))
	}
	return strings.Join(parts, "\n\n")
}

// eventPageURL is the public page of event id under baseURL, or "" when
// baseURL is not an absolute http(s) URL.
func eventPageURL(baseURL string, id int64) string {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.ContainsFunc(baseURL, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return ""
	}
	return fmt.Sprintf("%s/events/%d", strings.TrimRight(baseURL, "/"), id)
}

// uidDomain is the right-hand side of the UID: the host the pages are
// served from, so two deployments never mint the same UID.
func uidDomain(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return "tenderbot"
}

// icsText escapes s as an RFC 5545 TEXT value (§3.3.11). Line breaks of any
// kind become \n; other control characters, which TEXT does not allow, are
// dropped, as are bytes that are not UTF-8.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\', r == ';', r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n', r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < ' ', r == 0x7f:
			// not allowed in TEXT
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icsWriter writes content lines folded as RFC 5545 §3.1 asks: no line
// longer than 75 octets, a continuation starting with one space, and CRLF
// after every line.
type icsWriter struct {
	buf bytes.Buffer
}

// line writes one content line, folding it between characters, never
// inside a UTF-8 sequence.
func (w *icsWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 1 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.buf.WriteString(s[:cut])
		w.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}

// icsParam quotes a parameter value (RFC 5545 §3.2): it may not hold a
// double quote or a control character, so those are dropped.
func icsParam(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}
