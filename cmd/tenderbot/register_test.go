package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/mail"
	"github.com/tenderbot/tenderbot/adapters/mail/smtptest"
	"github.com/tenderbot/tenderbot/adapters/web"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

var (
	regStaff = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "inkoper"}
	regAlice = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "alice"}
	regBob   = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "bob"}
	regJan   = email.Subscriber("jan@zon.example")
)

// webRegistration is the bot with its public pages over real HTTP, its
// events on a real SQLite file, and mail going to a real local SMTP
// server; chat is the console's, recorded.
type webRegistration struct {
	t      *testing.T
	ctx    context.Context
	store  *sqlite.Store
	bot    *bot.Bot
	outbox *outbox.Worker
	clock  *bottest.Clock
	chat   *bottest.Messenger
	smtp   *smtptest.Server
	site   *httptest.Server
}

func newWebRegistration(t *testing.T, opts web.RegistrationOptions) *webRegistration {
	t.Helper()
	ctx := context.Background()
	clock := bottest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := &webRegistration{t: t, ctx: ctx, store: store, clock: clock, chat: &bottest.Messenger{}, smtp: smtptest.New(t, smtptest.Options{})}
	opts.Key = []byte("0123456789abcdef0123456789abcdef")
	opts.Now = clock.Now
	host, port, _ := net.SplitHostPort(h.smtp.Addr)
	n, _ := strconv.Atoi(port)
	var base string // the site's address, known once it listens
	mailer, err := mail.New(mail.Options{
		Server:      mail.Server{Host: host, Port: n},
		From:        "Events <events@almelo.example>",
		Unsubscribe: func(addr string) string { return web.UnsubscribeURL(base, opts.Key, addr) },
		Timeout:     5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	h.outbox = outbox.New(outbox.Options{Store: store, Clock: clock, Messengers: map[bot.Platform]bot.Messenger{
		bot.PlatformConsole: h.chat, email.Platform: mailer,
	}})
	matcher, admins := matching.NewScan(), []bot.Subscriber{regStaff}
	events := engage.New(engage.Options{Store: store, Matcher: matcher, Clock: clock, Rights: bot.Rights{Store: store, Admins: admins}, Admins: admins, Outbox: h.outbox, BaseURL: "https://events.example"})
	h.bot = bot.New(bot.Options{Store: store, Matcher: matcher, Vocabulary: matching.NewVocabulary(), Clock: clock, Admins: admins, Dispatcher: h.outbox, Events: events})
	if err := h.bot.Start(ctx); err != nil {
		t.Fatal(err)
	}
	server := web.New(readyCore{}, nil, nil)
	server.MountEvents(events, "")
	if opts.Erase == nil {
		opts.Erase = eraseRegistrant(h.bot)
	}
	server.MountRegistration(events, opts)
	h.site = httptest.NewServer(server)
	t.Cleanup(h.site.Close)
	base = h.site.URL
	return h
}

// readyCore is a core that is always ready, for /readyz.
type readyCore struct{}

func (readyCore) Readiness(context.Context) []string { return nil }
func (readyCore) Warnings() []string                 { return nil }

func (h *webRegistration) say(from bot.Subscriber, text string) bot.Message {
	h.t.Helper()
	return h.bot.Handle(h.ctx, bot.Command{From: from, Text: text})
}

func (h *webRegistration) deliver() {
	h.t.Helper()
	if err := h.outbox.DeliverDue(h.ctx); err != nil {
		h.t.Fatalf("deliver: %v", err)
	}
}

// registration returns who's registration for event id; ok is false when
// there is none.
func (h *webRegistration) registration(id int64, who bot.Subscriber) (bot.Registration, bool) {
	h.t.Helper()
	st, err := h.store.EventState(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range st.Registrations {
		if r.Who == who {
			return r, true
		}
	}
	return bot.Registration{}, false
}

// mailTo waits for the nth mail and checks that it went to addr.
func (h *webRegistration) mailTo(n int, addr string) smtptest.Mail {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	m, err := h.smtp.WaitN(ctx, n)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(m.To) != 1 || m.To[0] != addr {
		h.t.Fatalf("mail %d went to %v, want %s", n, m.To, addr)
	}
	return m
}

// browser is a client with its own cookies, as a browser keeps them.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfValue = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches u and returns the status and body.
func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, body := read(t)(c.Get(u))
	return resp.StatusCode, body
}

// post sends the form and returns the response and body.
func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	return read(t)(c.PostForm(u, form))
}

// read returns a reader of a response's body that fails t on an error.
func read(t *testing.T) func(*http.Response, error) (*http.Response, string) {
	return func(resp *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
}

// answered has Bob ask question number n and staff answer it, and
// delivers what that sends.
func (h *webRegistration) answered(n int, question, answer string) {
	h.t.Helper()
	h.say(regBob, "event ask 1 "+question)
	h.say(regStaff, fmt.Sprintf("event answer 1 %d %s", n, answer))
	h.deliver()
}

// formToken opens the event's page in c and returns its form's token.
func (h *webRegistration) formToken(c *http.Client, id int64) string {
	h.t.Helper()
	status, body := get(h.t, c, h.site.URL+"/events/"+strconv.FormatInt(id, 10))
	m := csrfValue.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		h.t.Fatalf("event page: %d, no form token:\n%s", status, body)
	}
	return m[1]
}

const regEvent = `event new title="Leveranciersdag zonnedaken" kind=supplier_day start=2026-12-10T14:00+01:00 end=2026-12-10T16:00+01:00 place="Stadhuis Almelo" capacity=1 organiser="Gemeente Almelo, team Inkoop" contact=Inkoop@Almelo.example`

// TestRegisterOnThePage registers a person without chat on a full
// event's page, and follows them by mail: the confirmation, the promotion
// when a place opens, an answer to a question, and the unsubscribe link
// that gives their place to the next on the waitlist.
func TestRegisterOnThePage(t *testing.T) {
	h := newWebRegistration(t, web.RegistrationOptions{Burst: 100}) // one client posts them all
	id := bottest.PublishEvent(t, h.say, regStaff, regEvent)
	register := h.site.URL + "/events/" + strconv.FormatInt(id, 10) + "/register"
	if r := h.say(regAlice, "event rsvp 1 going name=Alice company=\"Dak BV\""); !strings.Contains(r.Text, "You're going") {
		t.Fatalf("alice: %q", r.Text)
	}

	// Without the page's token, or with another browser's, nothing is
	// stored.
	c := browser(t)
	token := h.formToken(c, id)
	_, page := get(t, c, h.site.URL+"/events/1")
	for _, want := range []string{"<dt>Organiser</dt><dd>Gemeente Almelo, team Inkoop</dd>", `<a href="mailto:inkoop@almelo.example">inkoop@almelo.example</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	_, ics := get(t, c, h.site.URL+"/events/1.ics")
	for _, want := range []string{"ORGANIZER;CN=\"Gemeente Almelo, team Inkoop\":mailto:inkoop@almelo.example\r\n", "CONTACT:Gemeente Almelo\\, team Inkoop (inkoop@almelo.example)\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("the calendar file lacks %q:\n%s", want, ics)
		}
	}
	jan := url.Values{"name": {"Jan Jansen"}, "company": {"Zon BV"}, "email": {"Jan@Zon.example"}, "csrf": {token}}
	for name, tc := range map[string]struct {
		client *http.Client
		form   url.Values
	}{
		"no cookie":    {browser(t), jan},
		"no token":     {c, url.Values{"name": {"Jan"}, "email": {"jan@zon.example"}}},
		"wrong token":  {c, url.Values{"name": {"Jan"}, "email": {"jan@zon.example"}, "csrf": {token[1:] + "A"}}},
		"other cookie": {func() *http.Client { o := browser(t); h.formToken(o, id); return o }(), jan},
	} {
		if resp, body := post(t, tc.client, register, tc.form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: got %d, want 403:\n%s", name, resp.StatusCode, body)
		}
	}
	if _, ok := h.registration(id, regJan); ok {
		t.Fatal("a refused post registered jan")
	}

	// Bad input shows the form again, filled in, with what to fix.
	for field, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"name":  {url.Values{"name": {"  "}, "company": {"Zon BV"}, "email": {"jan@zon.example"}}, "Give your name"},
		"email": {url.Values{"name": {"Jan Jansen"}, "company": {"Zon BV"}, "email": {"jan@zon"}}, "no domain such as company.nl"},
	} {
		tc.form.Set("csrf", token)
		resp, body := post(t, c, register, tc.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, `value="Zon BV"`) {
			t.Errorf("bad %s: got %d, want 422 with %q and the company kept:\n%s", field, resp.StatusCode, tc.want, body)
		}
		if !strings.Contains(body, `name="`+field+`" `) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("bad %s: the field is not marked", field)
		}
	}
	if st, _ := h.store.EventState(h.ctx, id); len(st.Registrations) != 1 {
		t.Fatalf("bad input stored registrations: %+v", st.Registrations)
	}

	// The event is full: Jan goes on the waitlist.
	resp, body := post(t, c, register, jan)
	if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "You're on the waitlist") || !strings.Contains(body, "number 1 on the waitlist") || !strings.Contains(body, `href="/events/1.ics"`) {
		t.Fatalf("registration: %d\n%s", resp.StatusCode, body)
	}
	if r, ok := h.registration(id, regJan); !ok || r.Status != bot.RSVPWaitlisted || r.Name != "Jan Jansen" || r.Company != "Zon BV" {
		t.Fatalf("jan's registration: %+v %v", r, ok)
	}
	if a := h.say(regStaff, "event attendees 1"); a.Attachment == nil || !strings.Contains(string(a.Attachment.Data), "Jan Jansen,Zon BV,waitlisted,") {
		t.Errorf("event attendees: %q %+v", a.Text, a.Attachment)
	} else {
		// The page's registrant is listed with the address they gave; a
		// chat registrant is reached in chat, with none.
		rows, err := csv.NewReader(bytes.NewReader(a.Attachment.Data)).ReadAll()
		if err != nil || len(rows) != 3 || rows[0][len(rows[0])-1] != "email" {
			t.Fatalf("event attendees: %v %q", err, rows)
		}
		for _, row := range rows[1:] {
			want := map[string]string{"Alice": "", "Jan Jansen": "jan@zon.example"}[row[0]]
			if got := row[len(row)-1]; got != want {
				t.Errorf("%s's e-mail in the attendance list: %q, want %q", row[0], got, want)
			}
		}
	}
	h.deliver()
	if m := h.mailTo(1, "jan@zon.example"); !strings.Contains(m.Part("text/plain"), "you're number 1 on the waitlist") || m.Part("text/calendar") == "" {
		t.Errorf("the confirmation mail:\n%s", m.Data)
	}

	// Alice gives up her place: it goes to Jan, by mail.
	h.say(regAlice, "event rsvp 1 no")
	h.deliver()
	promoted := h.mailTo(2, "jan@zon.example")
	if !strings.Contains(promoted.Part("text/plain"), "A place opened up") {
		t.Errorf("the promotion mail:\n%s", promoted.Data)
	}
	if r, _ := h.registration(id, regJan); r.Status != bot.RSVPGoing {
		t.Errorf("jan after alice left: %s, want going", r.Status)
	}

	// An answer to a question reaches Jan.
	h.answered(1, "Mogen consortia inschrijven?", "Ja, consortia zijn welkom.")
	if m := h.mailTo(3, "jan@zon.example"); !strings.Contains(m.Part("text/plain"), "Ja, consortia zijn welkom.") {
		t.Errorf("the answer mail:\n%s", m.Data)
	}

	// Bob waits for a place; Jan unsubscribes with the link of the mail.
	h.say(regBob, "event rsvp 1 going")
	link := strings.Trim(promoted.Header().Get("List-Unsubscribe"), "<>")
	if status, page := get(t, browser(t), link); status != http.StatusOK || !strings.Contains(page, "<button type=\"submit\">Unsubscribe</button>") {
		t.Fatalf("unsubscribe page: %d\n%s", status, page)
	}
	if r, _ := h.registration(id, regJan); r.Status != bot.RSVPGoing {
		t.Fatalf("opening the link changed the registration: %s", r.Status)
	}
	tampered := strings.Replace(link, "jan%40zon.example", "piet%40zon.example", 1)
	if resp, _ := post(t, browser(t), tampered, url.Values{"List-Unsubscribe": {"One-Click"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a link for another address: %d, want 403", resp.StatusCode)
	}
	// A mail program's one-click post, RFC 8058: no cookie, no page.
	resp, body = post(t, browser(t), link, url.Values{"List-Unsubscribe": {"One-Click"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Unsubscribed") || !strings.Contains(body, "Leveranciersdag zonnedaken") {
		t.Fatalf("one-click unsubscribe: %d\n%s", resp.StatusCode, body)
	}
	if r, _ := h.registration(id, regJan); r.Status != bot.RSVPNotGoing {
		t.Errorf("jan after unsubscribing: %s, want not_going", r.Status)
	}
	if r, _ := h.registration(id, regBob); r.Status != bot.RSVPGoing {
		t.Errorf("bob after jan left: %s, want going", r.Status)
	}
	// And no more mail reaches Jan.
	h.answered(2, "Is er parkeergelegenheid?", "Ja, achter het stadhuis.")
	if n := len(h.smtp.Mails()); n != 3 {
		t.Errorf("%d mails after unsubscribing, want 3", n)
	}
	var toBob []string
	for _, s := range h.chat.Sent() {
		if s.To == regBob {
			toBob = append(toBob, s.Message.Text)
		}
	}
	if !strings.Contains(strings.Join(toBob, "\n"), "A place opened up") {
		t.Errorf("bob was not told of his place: %q", toBob)
	}
}

// TestRegistrationRefusedWhenClosed shows the form again with the reason
// for an event that no longer takes registrations, and no form on its
// page.
func TestRegistrationRefusedWhenClosed(t *testing.T) {
	h := newWebRegistration(t, web.RegistrationOptions{})
	id := bottest.PublishEvent(t, h.say, regStaff, regEvent+` register_by=2026-12-01T12:00+01:00`)
	c := browser(t)
	form := url.Values{"name": {"Jan"}, "email": {"jan@zon.example"}, "csrf": {h.formToken(c, id)}}
	h.clock.Advance(6 * 24 * time.Hour)
	resp, body := post(t, c, h.site.URL+"/events/1/register", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Registration for") || !strings.Contains(body, "closed on") {
		t.Errorf("after the deadline: %d\n%s", resp.StatusCode, body)
	}
	if _, page := get(t, c, h.site.URL+"/events/1"); strings.Contains(page, `name="csrf"`) {
		t.Error("the page still offers the form after the deadline")
	}
	if _, ok := h.registration(id, regJan); ok {
		t.Error("a registration after the deadline was stored")
	}
}

// TestRegistrationRateLimit refuses a client that posts too often, with a
// page and a Retry-After saying when to try again, and lets it in again
// then.
func TestRegistrationRateLimit(t *testing.T) {
	h := newWebRegistration(t, web.RegistrationOptions{Burst: 2, Every: 30 * time.Second})
	id := bottest.PublishEvent(t, h.say, regStaff, regEvent)
	c := browser(t)
	form := url.Values{"name": {"Jan"}, "email": {"jan@"}, "csrf": {h.formToken(c, id)}}
	u := h.site.URL + "/events/1/register"
	for i := range 2 {
		if resp, _ := post(t, c, u, form); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("post %d: %d, want 422", i+1, resp.StatusCode)
		}
	}
	resp, body := post(t, c, u, form)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "30" || !strings.Contains(body, "try again in 30 seconds") {
		t.Fatalf("third post: %d, Retry-After %q\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	h.clock.Advance(30 * time.Second)
	form.Set("email", "jan@zon.example")
	if resp, body := post(t, c, u, form); resp.StatusCode != http.StatusOK {
		t.Errorf("after waiting: %d\n%s", resp.StatusCode, body)
	}
}

// TestEraseByTheMailLink is forget me for a person without chat: the page
// their mail's link opens offers, beside unsubscribe, to erase everything
// held about them; a mail program's one-click post only unsubscribes.
func TestEraseByTheMailLink(t *testing.T) {
	h := newWebRegistration(t, web.RegistrationOptions{Burst: 100})
	id := bottest.PublishEvent(t, h.say, regStaff, regEvent)
	c := browser(t)
	jan := url.Values{"name": {"Jan Jansen"}, "company": {"Zon BV"}, "email": {"jan@zon.example"}, "csrf": {h.formToken(c, id)}}
	if resp, body := post(t, c, h.site.URL+"/events/1/register", jan); resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "You're registered") {
		t.Fatalf("registration: %d\n%s", resp.StatusCode, body)
	}
	// The one place is Jan's: Alice waits for it.
	h.say(regAlice, "event rsvp 1 going name=Alice company=\"Dak BV\"")
	h.deliver()
	link := strings.Trim(h.mailTo(1, "jan@zon.example").Header().Get("List-Unsubscribe"), "<>")
	status, page := get(t, browser(t), link)
	if status != http.StatusOK || !strings.Contains(page, `<input type="hidden" name="erase" value="1">`) || !strings.Contains(page, "Erase my data") {
		t.Fatalf("the link's page offers no erasure: %d\n%s", status, page)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	form := u.Query()
	form.Set("erase", "1")

	// A link signed for another address erases nobody.
	forged := url.Values{"a": {"alice@dak.example"}, "t": {form.Get("t")}, "erase": {"1"}}
	if resp, _ := post(t, browser(t), h.site.URL+"/unsubscribe", forged); resp.StatusCode != http.StatusForbidden {
		t.Errorf("erasing with another address's token: %d, want 403", resp.StatusCode)
	}
	if _, ok := h.registration(id, regJan); !ok {
		t.Fatal("a refused erasure erased jan")
	}

	resp, body := post(t, browser(t), h.site.URL+"/unsubscribe", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Erased</h1>") {
		t.Fatalf("erase: %d\n%s", resp.StatusCode, body)
	}
	data, err := h.store.PersonalData(h.ctx, regJan)
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Registrations) != 0 || len(data.Deliveries) != 0 {
		t.Errorf("after erasing, the store still holds jan's registrations %+v and deliveries %d", data.Registrations, len(data.Deliveries))
	}
	if r, ok := h.registration(id, regAlice); !ok || r.Status != bot.RSVPGoing {
		t.Errorf("alice after jan's erasure: %+v, want going: jan's place is hers", r)
	}
	if a := h.say(regStaff, "event attendees 1"); a.Attachment == nil || strings.Contains(string(a.Attachment.Data), "jan@zon.example") {
		t.Errorf("the attendance list after jan's erasure: %+v", a.Attachment)
	}
}
