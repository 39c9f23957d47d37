package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/engage"
)

// recordedRegistrations keeps what the form registered, as the core
// would, and answers going.
type recordedRegistrations struct {
	events Events
	mu     sync.Mutex
	got    []engage.Registrant
}

func (r *recordedRegistrations) Register(ctx context.Context, id int64, reg engage.Registrant) (engage.Registered, error) {
	reg, err := engage.CheckRegistrant(reg)
	if err != nil {
		return engage.Registered{}, err
	}
	page, err := r.events.PublicEvent(ctx, id)
	if err != nil {
		return engage.Registered{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, reg)
	return engage.Registered{Event: page.Event, Status: bot.RSVPGoing, Who: email.Subscriber(reg.Email)}, nil
}

func (r *recordedRegistrations) Unsubscribe(context.Context, string) ([]string, error) {
	return nil, nil
}

func (r *recordedRegistrations) registrants() []engage.Registrant {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]engage.Registrant(nil), r.got...)
}

// fillAndSubmit is a page of the test's own, on the site's origin, that
// does what a person does: opens the event's page (which sets the form's
// cookie), fills in its form as served, and posts the form's fields to its
// action, showing the answer. The event pages run no script, so the script
// lives here; it posts with fetch because headless Chromium's virtual time,
// which waits for the script, never ends across a navigation.
const fillAndSubmit = `<!doctype html><html><body><script>
fetch("/events/7").then(r => r.text()).then(html => {
  const page = new DOMParser().parseFromString(html, "text/html");
  const form = document.adoptNode(page.querySelector('form[action="/events/7/register"]'));
  document.body.appendChild(form);
  form.elements.name.value = "Jan Jansen";
  form.elements.company.value = "Zon BV";
  form.elements.email.value = "jan@zon.example";
  return fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form))});
}).then(r => r.text()).then(html => {
  document.documentElement.innerHTML = new DOMParser().parseFromString(html, "text/html").documentElement.innerHTML;
});
</script></body></html>`

// TestRegistrationFormInBrowser has headless Chromium fill in and send
// the registration form: the browser must keep the HttpOnly,
// SameSite=Strict cookie of the page and send it with the post, and the
// hidden token must be the one the form carries.
func TestRegistrationFormInBrowser(t *testing.T) {
	browser := findBrowser(t)
	page := supplierDay()
	page.Open = true
	events := fixedEvents{pages: []bot.EventPage{page}}
	reg := &recordedRegistrations{events: events}
	s := eventServer(events, "", nil)
	s.MountRegistration(reg, RegistrationOptions{Key: []byte(strings.Repeat("k", 32))})
	s.Handle("GET /test/register", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(fillAndSubmit))
	}))
	srv := httptest.NewServer(s)
	defer srv.Close()

	dom, err := runBrowser(t, browser, "--virtual-time-budget=10000", "--dump-dom", srv.URL+"/test/register")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dom), "<h1>You're registered</h1>") {
		t.Errorf("the browser did not reach the confirmation:\n%s", dom)
	}
	got := reg.registrants()
	if len(got) != 1 || got[0] != (engage.Registrant{Name: "Jan Jansen", Company: "Zon BV", Email: "jan@zon.example", Language: "en"}) {
		t.Errorf("registered: got %+v, want Jan Jansen of Zon BV, in the English page's language", got)
	}
}
