package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/engage"
)

// TestPagesFollowAcceptLanguage: a browser that prefers Dutch gets the
// page in Dutch, with its lang attribute and Dutch dates; one that says
// nothing, or prefers a language the bot does not speak, gets today's
// English page.
func TestPagesFollowAcceptLanguage(t *testing.T) {
	s := eventServer(allEvents(), testBase, nil)
	tests := []struct {
		name, accept   string
		want, unwanted []string
	}{
		{"Dutch", "nl-NL,nl;q=0.9,en;q=0.8", []string{
			`<html lang="nl">`, "<dt>Wanneer</dt>", "woensdag 10 februari 2027, 14:00–16:00 (UTC+01:00)",
			"Nog 28 van 40 plaatsen vrij", "Zo meld je je aan", "<code>event rsvp 7 going</code>",
			"Antwoord, 5 december 2026", "(toegevoegd op 7 december 2026)", `">V1</a></h3>`,
			`<a href="/events/7?lang=en" lang="en" hreflang="en">English</a>`, `<strong lang="nl" aria-current="true">Nederlands</strong>`,
		}, []string{`<html lang="en">`, "<dt>When</dt>", "How to register", `">Q1</a></h3>`}},
		{"English first", "en-GB,nl;q=0.5", []string{`<html lang="en">`, "<dt>When</dt>"}, []string{"Wanneer"}},
		{"German", "de-DE", []string{
			`<html lang="en">`, "<dt>When</dt>", "Wednesday 10 February 2027, 14:00–16:00 (UTC+01:00)", "28 of 40 places left",
			"How to register", `<a href="/events/7?lang=nl" lang="nl" hreflang="nl">Nederlands</a>`,
		}, []string{"Wanneer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, "/events/7", http.Header{"Accept-Language": {tt.accept}})
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200", rec.Code)
			}
			contains(t, rec.Body.String(), tt.want, tt.unwanted)
			if got := rec.Header().Get("Vary"); !strings.Contains(got, "Accept-Language") {
				t.Errorf("Vary: got %q, want Accept-Language in it", got)
			}
		})
	}
}

// TestLanguageSwitch: ?lang= goes before Accept-Language, and the choice is
// remembered in a cookie for the pages that follow.
func TestLanguageSwitch(t *testing.T) {
	s := eventServer(allEvents(), testBase, nil)
	dutch := http.Header{"Accept-Language": {"nl"}}
	rec := do(t, s, http.MethodGet, "/events/7?lang=en", dutch)
	contains(t, rec.Body.String(), []string{`<html lang="en">`, "How to register", `href="/events/7?lang=nl"`}, []string{"Zo meld je je aan"})
	var chosen *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == langCookie {
			chosen = c
		}
	}
	if chosen == nil || chosen.Value != "en" {
		t.Fatalf("the switch set no lang=en cookie: %v", rec.Result().Cookies())
	}
	next := http.Header{"Accept-Language": {"nl"}, "Cookie": {chosen.Name + "=" + chosen.Value}}
	rec = do(t, s, http.MethodGet, "/events", next)
	contains(t, rec.Body.String(), []string{`<html lang="en">`, "<h1>Events</h1>"}, []string{"Bijeenkomsten</h1>"})
	rec = do(t, s, http.MethodGet, "/events?lang=nl", next)
	contains(t, rec.Body.String(), []string{`<html lang="nl">`, "<h1>Bijeenkomsten</h1>", `href="/events?lang=en"`}, nil)
	rec = do(t, s, http.MethodGet, "/events/nope", dutch)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status: got %d, want 400", rec.Code)
	}
	contains(t, rec.Body.String(), []string{`<html lang="nl">`, `"nope" is geen nummer van een bijeenkomst`, "Alle bijeenkomsten"}, nil)
}

// waitlisting registers everybody on the waitlist, third in line.
type waitlisting struct{ events Events }

func (r waitlisting) Register(ctx context.Context, id int64, reg engage.Registrant) (engage.Registered, error) {
	page, err := r.events.PublicEvent(ctx, id)
	if err != nil {
		return engage.Registered{}, err
	}
	return engage.Registered{Event: page.Event, Status: bot.RSVPWaitlisted, WaitlistPlace: 3, Who: email.Subscriber(reg.Email)}, nil
}

func (waitlisting) Unsubscribe(context.Context, string) ([]string, error) {
	return []string{"Supplier day: solar roofs"}, nil
}

// TestRegistrationAnswersInTheVisitorsLanguage: the confirmation says in
// Dutch whether the visitor is going or on the waitlist.
func TestRegistrationAnswersInTheVisitorsLanguage(t *testing.T) {
	page := supplierDay()
	page.Open = true
	events := fixedEvents{pages: []bot.EventPage{page}}
	key := []byte(strings.Repeat("k", 32))
	tests := []struct {
		name           string
		reg            Registrations
		lang           string
		want, unwanted []string
	}{
		{"going, Dutch", &recordedRegistrations{events: events}, "nl", []string{
			`<html lang="nl">`, "<h1>Je bent aangemeld</h1>", `Je komt naar <a href="/events/7">Supplier day: solar roofs</a>.`,
			"woensdag 10 februari 2027", "Er gaat een bevestiging naar <strong>jan@zon.example</strong>", `href="/events/7?lang=en"`,
		}, []string{"registered"}},
		{"going, English", &recordedRegistrations{events: events}, "en", []string{
			`<html lang="en">`, "<h1>You're registered</h1>", "Wednesday 10 February 2027",
		}, []string{"aangemeld"}},
		{"waitlist, Dutch", waitlisting{events}, "nl", []string{
			"<h1>Je staat op de wachtlijst</h1>", "je bent nummer 3 op de wachtlijst",
		}, []string{"waitlist"}},
		{"waitlist, English", waitlisting{events}, "en", []string{
			`<html lang="en">`, "<h1>You're on the waitlist</h1>", "you're number 3 on the waitlist", "Wednesday 10 February 2027",
		}, []string{"wachtlijst"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := eventServer(events, "", nil)
			s.MountRegistration(tt.reg, RegistrationOptions{Key: key})
			accept := http.Header{"Accept-Language": {tt.lang}}
			form := do(t, s, http.MethodGet, "/events/7", accept)
			token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(form.Body.String())
			if token == nil {
				t.Fatalf("the page has no form:\n%s", form.Body)
			}
			body := url.Values{"csrf": {token[1]}, "name": {"Jan Jansen"}, "company": {"Zon BV"}, "email": {"jan@zon.example"}}
			req := httptest.NewRequest(http.MethodPost, "/events/7/register", strings.NewReader(body.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept-Language", tt.lang)
			for _, c := range form.Result().Cookies() {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %d, want 200:\n%s", rec.Code, rec.Body)
			}
			contains(t, rec.Body.String(), tt.want, tt.unwanted)
			// Every mail after is in the page's language.
			if r, ok := tt.reg.(*recordedRegistrations); ok {
				if got := r.registrants(); len(got) != 1 || string(got[0].Language) != tt.lang {
					t.Errorf("registered %+v, want the page's language %s", got, tt.lang)
				}
			}
		})
	}
}

// TestUnsubscribePageInDutch: the page the mail's link opens speaks the
// visitor's language, and its switch keeps the link's address and token.
func TestUnsubscribePageInDutch(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	s := eventServer(allEvents(), testBase, nil)
	s.MountRegistration(waitlisting{allEvents()}, RegistrationOptions{Key: key})
	link, err := url.Parse(UnsubscribeURL(testBase, key, "jan@zon.example"))
	if err != nil {
		t.Fatal(err)
	}
	rec := do(t, s, http.MethodGet, link.RequestURI(), http.Header{"Accept-Language": {"nl"}})
	contains(t, rec.Body.String(), []string{
		`<html lang="nl">`, "<h1>Afmelden</h1>", "Geen mail over bijeenkomsten meer naar <strong>jan@zon.example</strong>?",
		`<button type="submit">Afmelden</button>`, "/unsubscribe?a=jan%40zon.example&amp;lang=en&amp;t=",
	}, []string{"Stop the mail"})

	req := httptest.NewRequest(http.MethodPost, "/unsubscribe", strings.NewReader(link.RawQuery))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "nl")
	done := httptest.NewRecorder()
	s.ServeHTTP(done, req)
	contains(t, done.Body.String(), []string{"<h1>Afgemeld</h1>", "Je aanmelding is vervallen voor:", "Supplier day: solar roofs"}, nil)
}
