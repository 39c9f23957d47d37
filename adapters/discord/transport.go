package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIURL is Discord's REST API, where discordgo sends requests.
const DefaultAPIURL = "https://discord.com/api/v9/"

// rewriteTransport sends the requests discordgo makes to Discord's API to
// another base URL instead. discordgo builds every URL from package-level
// endpoint variables; changing those would change them for every session
// in the process, so the client's transport rewrites instead.
type rewriteTransport struct {
	from *url.URL // Discord's API base, as discordgo computed it
	to   *url.URL // where to send instead
	next http.RoundTripper
}

// newRewriteTransport returns a transport that sends API requests to
// apiURL, or next itself when apiURL is Discord's own.
func newRewriteTransport(apiURL string, next http.RoundTripper) (http.RoundTripper, error) {
	if next == nil {
		next = http.DefaultTransport
	}
	from, err := url.Parse(discordgo.EndpointAPI)
	if err != nil {
		return nil, fmt.Errorf("discordgo's API URL %q: %w", discordgo.EndpointAPI, err)
	}
	to, err := parseAPIURL(apiURL)
	if err != nil {
		return nil, err
	}
	if to.String() == from.String() {
		return next, nil
	}
	return &rewriteTransport{from: from, to: to, next: next}, nil
}

// parseAPIURL checks an API base URL and gives it a trailing slash.
func parseAPIURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("API URL %q is not an http(s) URL such as %s", s, DefaultAPIURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// RoundTrip rewrites requests under Discord's API base and passes every
// other request (the CDN, say) through unchanged.
func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != t.from.Host || !strings.HasPrefix(r.URL.Path, t.from.Path) {
		return t.next.RoundTrip(r)
	}
	out := r.Clone(r.Context()) // a RoundTripper must not change its request
	out.URL.Scheme = t.to.Scheme
	out.URL.Host = t.to.Host
	out.URL.Path = t.to.Path + strings.TrimPrefix(r.URL.Path, t.from.Path)
	out.URL.RawPath = ""
	out.Host = t.to.Host
	return t.next.RoundTrip(out)
}
