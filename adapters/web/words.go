package web

import (
	"html"
	"html/template"

	"github.com/tenderbot/tenderbot/bot/text"
)

// The words of each page, in the language of its reader, said in Go
// rather than in the templates so that the catalogue's test sees every
// one of them.

// listWords are the words of the list of events.
type listWords struct {
	Heading, Intro, Cancelled string
	None                      template.HTML
}

// newListWords are the list's words; feed is the address of the feed in
// the list's language.
func newListWords(p text.Printer, feed string) listWords {
	return listWords{
		Heading:   p.Sprintf("Events"),
		Intro:     p.Sprintf("Market consultations, supplier days, meet-the-buyer sessions and webinars about tenders to come."),
		Cancelled: p.Sprintf("Cancelled"),
		None: template.HTML(p.Sprintf(`No events are announced at the moment. New ones appear here, and in the <a href="%s">Atom feed</a>, before any invitation goes out.`,
			html.EscapeString(feed))),
	}
}

// eventWords are the words of an event's page.
type eventWords struct {
	Cancelled, CancelledNotice                            string
	When, Where, Places, RegisterBy, Organiser, Contact   string
	Related, AddToCalendar, FeedLink, About, Documents    string
	HowToRegister, YourName, Company, CompanyNote, Email  string
	Register, MailNote, Questions, NoQuestions, Materials string
	OrRegisterInChat, RegisterInChat, Ask                 template.HTML
}

func newEventWords(p text.Printer, id int64) eventWords {
	return eventWords{
		Cancelled:        p.Sprintf("Cancelled"),
		CancelledNotice:  p.Sprintf("This event is cancelled."),
		When:             p.Sprintf("When"),
		Where:            p.Sprintf("Where"),
		Places:           p.Sprintf("Places"),
		RegisterBy:       p.Sprintf("Register by"),
		Organiser:        p.Sprintf("Organiser"),
		Contact:          p.Sprintf("Contact"),
		Related:          p.Sprintf("Related notice"),
		AddToCalendar:    p.Sprintf("Add to calendar"),
		FeedLink:         p.Sprintf("Atom feed of events and answers"),
		About:            p.Sprintf("About this event"),
		Documents:        p.Sprintf("Documents"),
		HowToRegister:    p.Sprintf("How to register"),
		YourName:         p.Sprintf("Your name"),
		Company:          p.Sprintf("Company"),
		CompanyNote:      p.Sprintf("(for the attendance list)"),
		Email:            p.Sprintf("E-mail address"),
		Register:         p.Sprintf("Register"),
		MailNote:         p.Sprintf("Answers to questions, materials, changes and reminders then come by e-mail; every mail has a link to unsubscribe, which gives up your place."),
		Questions:        p.Sprintf("Questions and answers"),
		NoQuestions:      p.Sprintf("No questions have been answered yet. Every answer appears here, for everybody at once."),
		Materials:        p.Sprintf("Materials"),
		OrRegisterInChat: template.HTML(p.Sprintf("Or register in chat with tenderbot (Slack or Discord, or the console): press <strong>Going</strong> on your invitation, or send <code>event rsvp %d going</code>. Everybody can register, invited or not.", id)),
		RegisterInChat:   template.HTML(p.Sprintf("Register in chat with tenderbot (Slack or Discord, or the console): press <strong>Going</strong> on your invitation, or send <code>event rsvp %d going</code>. Everybody can register, invited or not.", id)),
		Ask:              template.HTML(p.Sprintf("Ask a question with <code>event ask %d &lt;question&gt;</code>. It goes to the organisers without your name, and every answer is published on this page and sent to all registrants.", id)),
	}
}

// registeredWords are the words of the page that confirms a
// registration: whether the visitor is going or on the waitlist.
type registeredWords struct {
	When, Where, AddToCalendar string
	// Heading and EventPage are HTML, as every sentence with an
	// apostrophe in these pages: the templates held them as their own
	// text, and they read as they did, byte for byte. They come from the
	// catalogue only.
	Heading, EventPage, Status, Confirmation template.HTML
}

func newRegisteredWords(p text.Printer, v registeredView) registeredWords {
	w := registeredWords{
		Heading:       template.HTML(p.Sprintf("You're registered")),
		When:          p.Sprintf("When"),
		Where:         p.Sprintf("Where"),
		AddToCalendar: p.Sprintf("Add to calendar"),
		EventPage:     template.HTML(p.Sprintf("The event's page")),
		Status: template.HTML(p.Sprintf(`You're going to <a href="%s">%s</a>.`,
			html.EscapeString(v.Path), html.EscapeString(v.Title))),
		Confirmation: template.HTML(p.Sprintf("A confirmation goes to <strong>%s</strong>, with the answers to questions so far. Answers, materials, changes and reminders follow by e-mail; each has a link to unsubscribe.",
			html.EscapeString(v.Email))),
	}
	if !v.Going {
		w.Heading = template.HTML(p.Sprintf("You're on the waitlist"))
		w.Status = template.HTML(p.Sprintf(`<a href="%s">%s</a> is full: you're number %d on the waitlist. When a place opens you get it automatically, and an e-mail.`,
			html.EscapeString(v.Path), html.EscapeString(v.Title), v.Number))
	}
	return w
}

// unsubscribeWords are the words of the page the mail's unsubscribe link
// opens.
type unsubscribeWords struct {
	Heading, Cancelled, PlaceGoes, Button, EraseHeading, EraseButton, AllEvents string
	Text, EraseNote                                                             template.HTML
}

func newUnsubscribeWords(p text.Printer, v unsubscribeView) unsubscribeWords {
	addr := html.EscapeString(v.Email)
	w := unsubscribeWords{
		Heading:      p.Sprintf("Unsubscribe"),
		Text:         template.HTML(p.Sprintf("Stop the mail about events to <strong>%s</strong>? This cancels your registration for every event still to come, and your place goes to the next person on the waitlist.", addr)),
		Cancelled:    p.Sprintf("Your registration is cancelled for:"),
		PlaceGoes:    p.Sprintf("Your place goes to the next person on the waitlist."),
		Button:       p.Sprintf("Unsubscribe"),
		EraseHeading: p.Sprintf("Erase what tenderbot holds about you"),
		EraseNote:    template.HTML(p.Sprintf("This also erases, for good, your registrations for every event, past ones too, and the mail kept for you. Questions you asked stay in the events' public Q&amp;A, without your name.")),
		EraseButton:  p.Sprintf("Erase my data"),
		AllEvents:    p.Sprintf("All events"),
	}
	switch {
	case v.Erased:
		w.Heading = p.Sprintf("Erased")
		w.Text = template.HTML(p.Sprintf("Everything tenderbot held about <strong>%s</strong> is erased: your registrations, and the mail kept for you. You get no more mail about events; a place you held goes to the next person on the waitlist. Questions you asked stay in the events' public Q&amp;A, without your name.", addr))
	case v.Done:
		w.Heading = p.Sprintf("Unsubscribed")
		w.Text = template.HTML(p.Sprintf("<strong>%s</strong> gets no more mail about events.", addr))
	}
	return w
}

// atomWords are the words of the feed's entries about one event, whose
// page is at page.
type atomWords struct {
	Cancelled, Answer                string
	Register, EventPage, NewMaterial template.HTML
}

func newAtomWords(p text.Printer, id int64, page, event string) atomWords {
	return atomWords{
		Cancelled:   p.Sprintf("cancelled"),
		Answer:      p.Sprintf("Answer"),
		Register:    template.HTML(p.Sprintf("Register in chat with tenderbot: press Going on your invitation, or send <code>event rsvp %d going</code>. Everybody can register, invited or not.", id)),
		EventPage:   template.HTML(p.Sprintf(`<a href="%s">The event's page</a> has every answer to a question and every material.`, html.EscapeString(page))),
		NewMaterial: template.HTML(p.Sprintf("New material for %s:", html.EscapeString(event))),
	}
}
