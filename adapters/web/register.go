package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Registrations is what the registration form and the unsubscribe link
// ask the core; *engage.Service implements it.
type Registrations interface {
	// Register registers a person from the public page; EINVALID (with
	// the field), ECONFLICT or ENOTFOUND say why it did not.
	Register(ctx context.Context, id int64, r engage.Registrant) (engage.Registered, error)
	// Unsubscribe ends the address's registrations for events to come and
	// returns their titles.
	Unsubscribe(ctx context.Context, addr string) ([]string, error)
}

// RegistrationOptions configure the registration form.
type RegistrationOptions struct {
	// Key signs the form's CSRF tokens and the unsubscribe links; at
	// least 32 bytes. The same key must build the links in the e-mails
	// (UnsubscribeURL).
	Key []byte
	// Burst is how many registrations one client address may post at
	// once, and Every how often it gets another; zero: 5 and 12s.
	Burst int
	Every time.Duration
	// Now is the clock of the rate limit; nil: time.Now.
	Now func() time.Time
	// Erase erases everything held about the address, for the erase
	// button beside unsubscribe on the page the mail's link opens; nil
	// offers no such button.
	Erase func(ctx context.Context, addr string) error
}

// registration serves the form's posts and the unsubscribe link.
type registration struct {
	reg     Registrations
	erase   func(ctx context.Context, addr string) error
	key     []byte
	limit   *limiter
	confirm *template.Template
	leave   *template.Template
}

// MountRegistration offers the registration form on every event page that
// is open for registration, served at POST /events/{id}/register, and the
// unsubscribe link of the e-mails at /unsubscribe. Call it after
// MountEvents, and only when the bot can send e-mail: a registrant hears
// everything after the page by mail.
func (s *Server) MountRegistration(reg Registrations, opts RegistrationOptions) {
	if s.pages == nil {
		panic("web: MountRegistration before MountEvents")
	}
	if len(opts.Key) < 32 {
		panic("web: the registration key must have at least 32 bytes")
	}
	if opts.Burst <= 0 {
		opts.Burst = 5
	}
	if opts.Every <= 0 {
		opts.Every = 12 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := &registration{
		reg:     reg,
		erase:   opts.Erase,
		key:     opts.Key,
		limit:   newLimiter(opts.Burst, opts.Every, opts.Now),
		confirm: pageTemplate("registered.html"),
		leave:   pageTemplate("unsubscribe.html"),
	}
	s.pages.registration = g
	s.mux.HandleFunc("POST /events/{name}/register", s.pages.serveRegister)
	s.mux.HandleFunc("GET /unsubscribe", s.pages.serveUnsubscribe)
	s.mux.HandleFunc("POST /unsubscribe", s.pages.serveUnsubscribe)
}

// serveRegister registers the person who filled in the form: a confirmation
// page, or the form again with what to fix.
func (p *eventPages) serveRegister(w http.ResponseWriter, r *http.Request) {
	g := p.registration
	if ok, wait := g.limit.allow(clientAddress(r)); !ok {
		secs := int(wait.Round(time.Second) / time.Second)
		secs = max(secs, 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		frame := newPage(pageLanguage(w, r), "", switchOf(r))
		p.serveMessage(w, r, http.StatusTooManyRequests, frame, frame.p.Sprintf("Too many registrations"),
			frame.p.Sprintf("Too many registrations came from your address in a short time. Please try again in %d seconds.", secs))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.serveStatus(w, r, http.StatusBadRequest, text.N("Form not readable"), text.N("The form could not be read. Please go back to the event's page and send it again."))
		return
	}
	if !g.validCSRF(r) {
		p.serveStatus(w, r, http.StatusForbidden, text.N("Form expired"),
			text.N("This form was not sent from the event's page in this browser, or the page is too old. Please open the event's page again, and allow its cookie, then register."))
		return
	}
	id, ok := p.eventID(w, r)
	if !ok {
		return
	}
	form := registrationForm{Name: r.PostFormValue("name"), Company: r.PostFormValue("company"), Email: r.PostFormValue("email")}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	// The page's language is the registrant's: every mail after is in it.
	registrant := engage.Registrant{Name: form.Name, Company: form.Company, Email: form.Email, Language: pageLanguage(w, r)}
	done, err := g.reg.Register(ctx, id, registrant)
	switch bot.ErrorCode(err) {
	case "":
	case bot.EINVALID, bot.ECONFLICT:
		form.Error, form.Field = bot.ErrorText(text.For(pageLanguage(w, r)), err), bot.ErrorField(err)
		p.serveEventPage(w, r, id, &form, http.StatusUnprocessableEntity)
		return
	default:
		p.serveError(w, r, err)
		return
	}
	frame := newPage(pageLanguage(w, r), "", eventSwitch(r, id))
	frame.PageTitle = frame.p.Sprintf("Registered: %s", done.Event.Title)
	v := registeredView{
		page:    frame,
		Title:   done.Event.Title,
		Path:    fmt.Sprintf("/events/%d", id),
		ICSPath: fmt.Sprintf("/events/%d.ics", id),
		When:    when(frame.p, done.Event.Start, done.Event.End),
		Place:   linked(done.Event.Place),
		Going:   done.Status == bot.RSVPGoing,
		Number:  done.WaitlistPlace,
		Email:   done.Who.User,
	}
	v.W = newRegisteredWords(frame.p, v)
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, g.confirm, v, http.StatusOK)
}

// eventID reads the event number from the path, answering 400 when it is
// not one.
func (p *eventPages) eventID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	name := r.PathValue("name")
	id, err := strconv.ParseInt(name, 10, 64)
	if err != nil || id <= 0 {
		p.notAnEvent(w, r, name)
		return 0, false
	}
	return id, true
}

// serveUnsubscribe shows, for GET, a button that confirms, and for POST
// (the button, or a mail program's one-click unsubscribe of RFC 8058)
// ends the address's registrations. The signed token is the whole
// authority: a mail program posts without the page's cookie.
func (p *eventPages) serveUnsubscribe(w http.ResponseWriter, r *http.Request) {
	g := p.registration
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	_ = r.ParseForm() // a body that does not parse leaves the query's values
	addr, token := r.Form.Get("a"), r.Form.Get("t")
	if !validUnsubscribe(g.key, addr, token) {
		p.serveStatus(w, r, http.StatusForbidden, text.N("Link not valid"),
			text.N("This unsubscribe link is not valid. Please use the link in the e-mail as it is, in full."))
		return
	}
	// The switch keeps the link's address and token, also after the
	// button posted them.
	frame := newPage(pageLanguage(w, r), "", "/unsubscribe?"+url.Values{"a": {addr}, "t": {token}}.Encode())
	frame.PageTitle = frame.p.Sprintf("Unsubscribe")
	v := unsubscribeView{page: frame, Email: addr, Address: addr, Token: token, CanErase: g.erase != nil}
	if r.Method == http.MethodPost {
		ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
		defer cancel()
		if r.PostForm.Get("erase") == "1" && g.erase != nil {
			// The button, never a mail program's one-click post, which
			// carries List-Unsubscribe=One-Click only.
			if err := g.erase(ctx, addr); err != nil {
				p.serveError(w, r, err)
				return
			}
			v.Erased = true
			v.W = newUnsubscribeWords(frame.p, v)
			w.Header().Set("Cache-Control", "no-store")
			p.render(w, r, g.leave, v, http.StatusOK)
			return
		}
		left, err := g.reg.Unsubscribe(ctx, addr)
		if err != nil {
			p.serveError(w, r, err)
			return
		}
		v.Done, v.Events = true, left
	}
	v.W = newUnsubscribeWords(frame.p, v)
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, g.leave, v, http.StatusOK)
}

// registrationForm is the form as it was filled in, and what to fix.
type registrationForm struct {
	Action string
	Token  string

	Name, Company, Email string

	Error string
	Field string // the field Error is about; "" for the whole form
}

// registeredView is the confirmation page.
type registeredView struct {
	page
	W       registeredWords
	Title   string
	Path    string
	ICSPath string
	When    string
	Place   link
	Going   bool
	Number  int // the place on the waitlist, from 1
	Email   string
}

// unsubscribeView is the unsubscribe page.
type unsubscribeView struct {
	page
	W     unsubscribeWords
	Email string
	// Address and Token are posted back by the confirm button.
	Address, Token string
	Done           bool
	Events         []string // the events the address no longer attends
	CanErase       bool     // the page offers to erase everything held about the address
	Erased         bool     // it has been erased
}
