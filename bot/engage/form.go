package engage

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// eventField is one field of the event form: its key in `event new
// key=value`, other keys people use for it, and how its value is read.
type eventField struct {
	key      string
	aliases  []string
	required bool
	label    string // the field's name in a chat form, a message id
	hint     string // an example, shown in a form's empty field, a message id
	maxLen   int    // the longest value taken, in characters
	prompt   string // the question asked when it is missing, a message id
	// set reads v into e; p is the language of what it says is wrong.
	set   func(svc *Service, p text.Printer, e *bot.Event, v string) error
	isSet func(e bot.Event) bool
}

// eventFields are the form's fields in the order they are read and asked:
// end after start, because "16:00" is read on the start's day.
var eventFields = []eventField{
	{key: "title", maxLen: 200, label: text.N("Title"), hint: "Marktconsultatie zonnedaken", required: true, prompt: text.N("What is the event called?"),
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			if v == "" {
				return bot.Errorf(bot.EINVALID, "The title is empty.")
			}
			e.Title = v
			return nil
		},
		isSet: func(e bot.Event) bool { return e.Title != "" }},
	{key: "kind", maxLen: 40, label: text.N("Kind"), hint: text.N("consultation, supplier_day, meet_the_buyer or webinar"), aliases: []string{"type"}, required: true,
		prompt: text.N("What kind of event is it: %s?"),
		set: func(_ *Service, p text.Printer, e *bot.Event, v string) error {
			k, ok := parseEventKind(v)
			if !ok {
				return bot.Errorf(bot.EINVALID, "%q is not a kind of event; write %s.", v, eventKindChoices(p))
			}
			e.Kind = k
			return nil
		},
		isSet: func(e bot.Event) bool { return e.Kind != "" }},
	{key: "start", maxLen: 40, label: text.N("Start (with time zone)"), hint: "2027-02-10T14:00+01:00", aliases: []string{"starts", "from"}, required: true,
		prompt: text.N("When does it start? e.g. 2027-02-10T14:00+01:00"),
		set: func(svc *Service, _ text.Printer, e *bot.Event, v string) error {
			t, err := parseEventTime(v, svc.location, time.Time{})
			if err != nil {
				return err
			}
			e.Start = t
			return nil
		},
		isSet: func(e bot.Event) bool { return !e.Start.IsZero() }},
	{key: "end", maxLen: 40, label: text.N("End"), hint: text.N("2027-02-10T16:00+01:00, or 16:00"), aliases: []string{"ends", "until"}, required: true,
		prompt: text.N("When does it end? e.g. 2027-02-10T16:00+01:00, or just 16:00 on the same day"),
		set: func(svc *Service, _ text.Printer, e *bot.Event, v string) error {
			t, err := parseEventTime(v, svc.location, e.Start)
			if err != nil {
				return err
			}
			e.End = t
			return nil
		},
		isSet: func(e bot.Event) bool { return !e.End.IsZero() }},
	{key: "place", maxLen: 300, label: text.N("Place or online link"), hint: "Stadhuis Almelo, Haven Noordzijde 1", aliases: []string{"location", "link", "online"}, required: true,
		prompt: text.N("Where is it: an address, or the link of the online meeting?"),
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			if v == "" {
				return bot.Errorf(bot.EINVALID, "The place is empty; give an address or a meeting link.")
			}
			if strings.Contains(v, "://") {
				if err := checkLink(v); err != nil {
					return err
				}
			}
			e.Place = v
			return nil
		},
		isSet: func(e bot.Event) bool { return e.Place != "" }},
	{key: "description", maxLen: 3000, label: text.N("Description"), hint: text.N("What the event is about and who should come"), aliases: []string{"desc", "about"},
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			e.Description = strings.ReplaceAll(v, `\n`, "\n")
			return nil
		}},
	{key: "capacity", maxLen: 10, label: text.N("Capacity"), hint: text.N("30 (empty: no limit)"), aliases: []string{"places", "seats"},
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			if strings.EqualFold(v, "none") || strings.EqualFold(v, "unlimited") {
				e.Capacity = 0
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100000 {
				return bot.Errorf(bot.EINVALID, "The capacity %q is not a number of places; write capacity=30, or capacity=none for no limit.", v)
			}
			e.Capacity = n
			return nil
		}},
	{key: "register_by", maxLen: 40, label: text.N("Register by"), hint: "2027-02-08T17:00+01:00", aliases: []string{"deadline", "registration", "rsvp_by"},
		set: func(svc *Service, _ text.Printer, e *bot.Event, v string) error {
			t, err := parseEventTime(v, svc.location, time.Time{})
			if err != nil {
				return err
			}
			e.RegisterBy = t
			return nil
		}},
	{key: "target", maxLen: 500, label: text.N("Invite profiles matching"), hint: "cpv:09331200 nuts:NL21 zonnepanelen", aliases: []string{"targeting", "query"},
		set: func(svc *Service, p text.Printer, e *bot.Event, v string) error {
			if v == "" {
				e.Target = ""
				return nil
			}
			if len(v) > maxLinkLength {
				return bot.Errorf(bot.EINVALID, "The target is longer than %d characters; keep it to the codes and words that matter.", maxLinkLength)
			}
			q, err := svc.matcher.Compile(v)
			if err != nil {
				return bot.Errorf(bot.EINVALID, "The target is not a query: %s", bot.ErrorText(p, err))
			}
			e.Target = q.String()
			return nil
		}},
	{key: "related", maxLen: 500, label: text.N("Related notice (link or ref)"), hint: text.N("https://ted.europa.eu/… or a notice ref"), aliases: []string{"notice", "pin"},
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			if strings.Contains(v, "://") {
				if err := checkLink(v); err != nil {
					return err
				}
			} else if v != "" && !bot.IsNoticeRef(strings.ToLower(v)) {
				v = bot.Truncate(v, 40)
				return bot.Errorf(bot.EINVALID, "The related notice %q is neither a link nor a notice ref (the %d-character ref shown on each notice).", v, bot.NoticeRefLength)
			}
			e.Related = strings.ToLower(v)
			if strings.Contains(v, "://") {
				e.Related = v
			}
			return nil
		}},
	{key: "documents", maxLen: 2000, label: text.N("Documents (links)"), hint: "https://… , https://…", aliases: []string{"docs", "document"},
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			var docs []string
			for _, d := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				if err := checkLink(d); err != nil {
					return err
				}
				docs = append(docs, d)
			}
			if len(docs) > maxDocuments {
				return bot.Errorf(bot.EINVALID, "That is %d documents; link at most %d (put the rest in one folder).", len(docs), maxDocuments)
			}
			e.Documents = docs
			return nil
		}},
	{key: "organiser", maxLen: 200, label: text.N("Organiser"), hint: "Gemeente Almelo, team Inkoop", aliases: []string{"organizer", "host"},
		set: func(_ *Service, _ text.Printer, e *bot.Event, v string) error {
			e.OrganiserName = v
			return nil
		}},
	{key: "contact", maxLen: 200, label: text.N("Contact (e-mail or phone)"), hint: text.N("inkoop@almelo.nl or 0546 541 111"), aliases: []string{"contact_email"},
		set: func(_ *Service, p text.Printer, e *bot.Event, v string) error {
			if strings.Contains(v, "@") {
				addr, err := email.Parse(v)
				if err != nil {
					return bot.Errorf(bot.EINVALID, "Contact: %s Or give a phone number.", bot.ErrorText(p, err))
				}
				v = addr
			}
			e.Contact = v
			return nil
		}},
}

// findEventField returns the field a key names.
func findEventField(key string) (eventField, bool) {
	for _, f := range eventFields {
		if f.key == key || slices.Contains(f.aliases, key) {
			return f, true
		}
	}
	return eventField{}, false
}

// eventFieldKeys lists the keys, for messages.
func eventFieldKeys() string {
	keys := make([]string, len(eventFields))
	for i, f := range eventFields {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}

// applyEventFields sets the fields on e, in the form's order. An unknown
// key or a bad value is an error that names the field, p being the
// language of what is said inside it; e may then be partly changed, so
// callers apply to a copy.
func (svc *Service) applyEventFields(p text.Printer, e *bot.Event, fields []field) error {
	for _, f := range fields {
		if _, ok := findEventField(f.Key); !ok {
			return onField(f.Key, bot.Errorf(bot.EINVALID, "I don't know the field %q; the fields are %s.", f.Key, eventFieldKeys()))
		}
	}
	for _, ef := range eventFields {
		for _, f := range fields {
			if g, _ := findEventField(f.Key); g.key != ef.key {
				continue
			}
			if n := utf8.RuneCountInString(f.Value); n > ef.maxLen {
				return onField(ef.key, bot.Errorf(bot.EINVALID, "The %s is %d characters long; it may be at most %d.", ef.key, n, ef.maxLen))
			}
			if err := ef.set(svc, p, e, f.Value); err != nil {
				var be *bot.Error
				if !errors.As(err, &be) {
					return err
				}
				return onField(ef.key, be)
			}
		}
	}
	return nil
}

// onField returns err as about the form field key.
func onField(key string, err *bot.Error) *bot.Error {
	e := *err
	e.Field = key
	return &e
}

// missingEventField returns the first required field e lacks.
func missingEventField(e bot.Event) (eventField, bool) {
	for _, f := range eventFields {
		if f.required && !f.isSet(e) {
			return f, true
		}
	}
	return eventField{}, false
}

// checkEvent checks the fields against each other and the clock.
func checkEvent(e bot.Event, now time.Time) error {
	switch {
	case !e.End.After(e.Start):
		return onField("end", bot.Errorf(bot.EINVALID, "The event ends before it starts; give an end after %s.", e.Start.Format("2006-01-02 15:04")))
	case e.End.Sub(e.Start) > 14*24*time.Hour:
		return onField("end", bot.Errorf(bot.EINVALID, "The event lasts more than two weeks; check the end date."))
	case !e.Start.After(now):
		return onField("start", bot.Errorf(bot.EINVALID, "The start is in the past; give a date and time to come."))
	case !e.RegisterBy.IsZero() && e.RegisterBy.After(e.Start):
		return onField("register_by", bot.Errorf(bot.EINVALID, "Registration must close before the event starts."))
	case !e.RegisterBy.IsZero() && !e.RegisterBy.After(now):
		return onField("register_by", bot.Errorf(bot.EINVALID, "Registration would be closed already; give a registration deadline to come."))
	}
	return nil
}

// eventKindChoices lists the kinds' keys for a message, as p joins a
// choice: "a, b, c or d".
func eventKindChoices(p text.Printer) string {
	keys := make([]string, len(bot.EventKinds))
	for i, k := range bot.EventKinds {
		keys[i] = string(k)
	}
	return strings.Join(keys[:len(keys)-1], ", ") + p.Sprintf(" or ") + keys[len(keys)-1]
}

// parseEventKind reads a kind, in its key or in words.
func parseEventKind(v string) (bot.EventKind, bool) {
	s := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(v)))
	switch s {
	case "consultation", "market_consultation", "marktconsultatie":
		return bot.EventConsultation, true
	case "supplier_day", "supplierday", "leveranciersdag":
		return bot.EventSupplierDay, true
	case "meet_the_buyer", "meet_buyer", "meetthebuyer":
		return bot.EventMeetBuyer, true
	case "webinar", "online":
		return bot.EventWebinar, true
	}
	return "", false
}

// eventTimeLayouts are the ways a time may be written, with a zone or
// without one (then the bot's zone).
var eventTimeLayouts = []string{
	"2006-01-02T15:04Z07:00",
	time.RFC3339,
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
}

var localTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"}

// parseEventTime reads a date and time with its zone, e.g.
// 2027-02-10T14:00+01:00. Without a zone the time is in loc, or with a day
// (non-zero: the start, for an end) in the day's zone, where a bare "16:00"
// is that time on the same day.
func parseEventTime(v string, loc *time.Location, day time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range eventTimeLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	if !day.IsZero() {
		loc = day.Location() // an end without a zone is in the start's
	}
	for _, layout := range localTimeLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	if !day.IsZero() {
		if clock, err := time.Parse("15:04", v); err == nil {
			return time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, day.Location()), nil
		}
	}
	if !day.IsZero() {
		return time.Time{}, bot.Errorf(bot.EINVALID, "%q is not a date and time; write 2027-02-10T14:00+01:00 (the zone may be left out: then the start's).", v)
	}
	return time.Time{}, bot.Errorf(bot.EINVALID, "%q is not a date and time; write 2027-02-10T14:00+01:00 (the zone may be left out: then %s).", v, loc.String())
}

// Limits on what a form takes.
const (
	maxLinkLength = 500 // a link, or a target query
	maxDocuments  = 10
)

// checkLink accepts an http or https link of reasonable length.
func checkLink(v string) error {
	if len(v) > maxLinkLength {
		return bot.Errorf(bot.EINVALID, "That link is longer than %d characters.", maxLinkLength)
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bot.Errorf(bot.EINVALID, "%q is not an http or https link.", v)
	}
	return nil
}
