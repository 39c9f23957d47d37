package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"

	"github.com/tenderbot/tenderbot/bot/text"
)

// langCookie remembers the language a visitor chose with the pages'
// switch, for the pages that follow.
const langCookie = "lang"

// pageLanguage is the language to serve r in: the one the switch chose
// (?lang=nl), remembered in a cookie, else the one chosen before, else
// what the browser prefers (Accept-Language), else English.
func pageLanguage(w http.ResponseWriter, r *http.Request) text.Language {
	if w.Header().Get("Vary") == "" {
		w.Header().Set("Vary", "Accept-Language, Cookie")
	}
	if l, ok := text.Parse(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: string(l), Path: "/",
			MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
			Secure: r.TLS != nil,
		})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := text.Parse(c.Value); ok {
			return l
		}
	}
	return text.FromAcceptLanguage(r.Header.Get("Accept-Language"), text.English)
}

// page is what every page has, whatever it shows: its language, the
// switch to the other language, the words of the layout.
type page struct {
	PageTitle string
	FeedPath  string
	Lang      text.Language
	Switch    []languageLink
	Layout    layoutWords

	p text.Printer
}

// languageLink is one choice of the language switch.
type languageLink struct {
	Lang    text.Language
	Name    string
	Href    string
	Current bool
}

// layoutWords are the words of the frame around every page.
type layoutWords struct {
	Site, FeedTitle, Switch string
	Footer                  template.HTML
}

// newPage is the frame of a page titled title in language l; switchTo is
// the address the language switch leads to, with ?lang= added (the page
// itself, for a page that a GET shows).
func newPage(l text.Language, title, switchTo string) page {
	p := text.For(l)
	// The feed a page links to is in the page's language.
	feed := withLang(feedPath, p.Language())
	pg := page{
		PageTitle: title,
		FeedPath:  feed,
		Lang:      p.Language(),
		p:         p,
		Layout: layoutWords{
			Site:      p.Sprintf("tenderbot · Events"),
			FeedTitle: p.Sprintf("Events, answers and materials"),
			Switch:    p.Sprintf("Language"),
			Footer:    template.HTML(p.Sprintf(`Every event is announced here before invitations go out, and everybody can register. Follow the <a href="%s">Atom feed</a> for new events, answers and materials.`, html.EscapeString(feed))),
		},
	}
	for _, other := range text.Languages {
		pg.Switch = append(pg.Switch, languageLink{Lang: other, Name: other.Name(), Href: withLang(switchTo, other), Current: other == pg.Lang})
	}
	return pg
}

// withLang is the address addr with its lang parameter set to l.
func withLang(addr string, l text.Language) string {
	u, err := url.Parse(addr)
	if err != nil {
		return "?lang=" + string(l)
	}
	q := u.Query()
	q.Set("lang", string(l))
	u.RawQuery = q.Encode()
	return u.String()
}

// here is the address of r's page for the language switch: its path and
// query, without the language it was asked in.
func here(r *http.Request) string {
	q := r.URL.Query()
	q.Del("lang")
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// A message whose translation holds HTML is converted to template.HTML
// where it is said: its markup comes from the catalogue only, and every
// string argument from the data (a title, an address) is escaped with
// html.EscapeString first.
