package bot

import (
	"time"

	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/text"
)

// EventKind says what sort of early market engagement an event is.
type EventKind string

// The kinds of engagement event.
const (
	EventConsultation EventKind = "consultation"   // market consultation
	EventSupplierDay  EventKind = "supplier_day"   // supplier day
	EventMeetBuyer    EventKind = "meet_the_buyer" // meet the buyer
	EventWebinar      EventKind = "webinar"        // webinar
)

// EventKinds lists the kinds in the order forms offer them.
var EventKinds = []EventKind{EventConsultation, EventSupplierDay, EventMeetBuyer, EventWebinar}

// Label is the kind in words, said with Printer.Text.
func (k EventKind) Label() string { return labelOf(eventKindLabels, k) }

// eventKindLabels are the kinds of event in words.
var eventKindLabels = map[EventKind]string{
	EventConsultation: text.N("Market consultation"),
	EventSupplierDay:  text.N("Supplier day"),
	EventMeetBuyer:    text.N("Meet the buyer"),
	EventWebinar:      text.N("Webinar"),
}

// EventStatus is where an event stands.
type EventStatus string

// Event states. A draft is seen only by staff; a published or cancelled
// event is public.
const (
	EventDraft     EventStatus = "draft"
	EventPublished EventStatus = "published"
	EventCancelled EventStatus = "cancelled"
)

// Event is an early market engagement event posted by procurement staff: a
// market consultation, supplier day, meet-the-buyer session or webinar.
type Event struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Kind        EventKind `json:"kind"`
	Start       time.Time `json:"start"` // in the zone it was given in
	End         time.Time `json:"end"`
	Place       string    `json:"place"`              // an address, or the link of an online meeting
	Capacity    int       `json:"capacity,omitempty"` // places; 0 for no limit
	RegisterBy  time.Time `json:"register_by,omitzero"`
	Target      string    `json:"target,omitempty"`    // who to invite, in the profile query language
	Related     string    `json:"related,omitempty"`   // a related notice: its URL or ref, such as a PIN on TED
	Documents   []string  `json:"documents,omitempty"` // links to documents
	// OrganiserName is who holds the event as the public sees it ("Gemeente
	// Almelo, team Inkoop"), and Contact how to reach them (an e-mail
	// address, a phone number); both shown on the page, "" when not given.
	OrganiserName string      `json:"organiser,omitempty"`
	Contact       string      `json:"contact,omitempty"`
	Organizer     Subscriber  `json:"-"` // the staff member who posted it
	Status        EventStatus `json:"status"`
	Sequence      int         `json:"sequence"` // iCalendar SEQUENCE: raised by each update or cancellation
	Reason        string      `json:"reason,omitempty"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
	PublishedAt   time.Time   `json:"published_at,omitzero"`
}

// Public reports whether the event may be shown to anybody: it was
// published, and may since have been cancelled. A draft that was withdrawn
// never was.
func (e Event) Public() bool {
	return e.Status == EventPublished || e.Status == EventCancelled && !e.PublishedAt.IsZero()
}

// RSVP is a person's answer to an event.
type RSVP string

// The answers. Waitlisted is not chosen: it is what Going becomes when the
// event is full, and it turns into Going when a place opens.
const (
	RSVPGoing      RSVP = "going"
	RSVPMaybe      RSVP = "maybe"
	RSVPNotGoing   RSVP = "not_going"
	RSVPWaitlisted RSVP = "waitlisted"
)

// Label is the answer in words, said with Printer.Text.
func (r RSVP) Label() string { return labelOf(rsvpLabels, r) }

// rsvpLabels are the answers in words.
var rsvpLabels = map[RSVP]string{
	RSVPGoing:      text.N("Going"),
	RSVPMaybe:      text.N("Maybe"),
	RSVPNotGoing:   text.N("Can't go"),
	RSVPWaitlisted: text.N("On the waitlist"),
}

// Registration is one person's registration for an event.
type Registration struct {
	EventID int64      `json:"event_id"`
	Who     Subscriber `json:"-"`
	Name    string     `json:"name,omitempty"`
	Company string     `json:"company,omitempty"`
	Status  RSVP       `json:"status"`
	// Invited is set when the person was invited because a profile matched.
	Invited bool `json:"invited,omitempty"`
	// PriorInvolvement is staff's note that the supplier gave substantive
	// input to the procurement (Directive 2014/24/EU, Art. 41); "" when not
	// flagged.
	PriorInvolvement string `json:"prior_involvement,omitempty"`
	// Language is the language of the public page the person registered
	// on, which every mail to them is written in; "" for who registered
	// in chat, whose own settings say.
	Language     text.Language `json:"language,omitempty"`
	RegisteredAt time.Time     `json:"registered_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Question is a question asked about an event, numbered per event (Q1,
// Q2, …). Its asker is kept to send them the answer and their data, and is
// never shown to anybody else.
type Question struct {
	EventID    int64      `json:"event_id"`
	Number     int        `json:"number"`
	Text       string     `json:"question"`
	Asker      Subscriber `json:"-"`
	AskedAt    time.Time  `json:"asked_at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt time.Time  `json:"answered_at,omitzero"`
}

// Answered reports whether staff answered the question.
func (q Question) Answered() bool { return q.Answer != "" }

// Material is something staff share with every registrant: slides,
// minutes, a recording.
type Material struct {
	EventID int64     `json:"event_id"`
	Number  int       `json:"number"`
	Title   string    `json:"title"`
	URL     string    `json:"url"`
	AddedAt time.Time `json:"added_at"`
}

// EventState is an event with everything that hangs on it, as a change
// sees it.
type EventState struct {
	Event         Event
	Registrations []Registration // in registration order
	Questions     []Question     // by number
	Materials     []Material     // by number
	// Last is the newest entry of the event's audit chain; zero before the
	// first.
	Last audit.Entry
}

// EventChange is what one step in an event's life writes, all in one
// transaction: the event, the rows that changed, the audit entries (already
// sealed onto the chain) and the messages it causes.
type EventChange struct {
	Event         *Event         // the event as it is now; nil when unchanged
	Registrations []Registration // inserted or replaced, by event and person
	Questions     []Question     // inserted or replaced, by event and number
	Materials     []Material     // inserted
	Audit         []audit.Entry  // appended to the event's chain, in order, already sealed
	Deliveries    []Delivery     // enqueued; a key that exists is skipped
	Cancel        []string       // key prefixes of pending deliveries to cancel before enqueueing
}

// EventPage is what anybody may see of an event: on its public page, in
// the Atom feed, in an announcement. It names no registrant and no asker.
type EventPage struct {
	Event      Event
	Going      int // registrants with a place
	Waitlisted int
	// PlacesLeft is the capacity less those going; meaningless when the
	// event has no capacity.
	PlacesLeft int
	Questions  []Question // the answered ones, by number, without their askers
	Materials  []Material
	// Open reports whether the event takes registrations now: published,
	// not cancelled, and before its registration deadline.
	Open bool
}
