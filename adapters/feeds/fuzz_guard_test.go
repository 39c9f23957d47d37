package feeds

import (
	"context"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzCheckAddr feeds the guard every address form netip parses: it never
// panics, and it refuses an address whenever the IPv4 address it carries
// (mapped, NAT64, 6to4, SIIT, Teredo, IPv4-compatible) is refused.
func FuzzCheckAddr(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:a9fe:a9fe::", "::ffff:0:192.168.0.1",
		"2001:0:5db8:d822::80ff:fffe", "::127.0.0.1", "fe80::1%eth0", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"} {
		f.Add(s)
	}
	g := &Guard{}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return
		}
		refused := g.CheckAddr(addr) != nil
		for _, e := range embeddedIPv4(addr.Unmap()) {
			if g.CheckAddr(e.addr) != nil && !refused {
				t.Errorf("%s carries %s (%s), which is refused, but was accepted", addr, e.addr, e.form)
			}
		}
		if v4 := addr.Unmap(); v4.Is4() && g.CheckAddr(v4) != nil && !refused {
			t.Errorf("%s is %s, which is refused, but was accepted", addr, v4)
		}
	})
}

// FuzzCheckURL runs the guard's URL parsing on any text, resolving every
// host to a public address: it never panics, and never accepts a URL that
// is not http(s) or names a port outside the allowed ones.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://feeds.example.org/rss", "http://[::1]:8080/x", "http://0x7f.1/", "http://feeds.example.org:22/",
		"file:///etc/passwd", "http://user:pw@[64:ff9b::a00:1]/", "https://a.example/%zz", " http://a.example "} {
		f.Add(s)
	}
	g := &Guard{Resolver: publicResolver{}}
	f.Fuzz(func(t *testing.T, s string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if g.CheckURL(ctx, s) != nil {
			return
		}
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			t.Errorf("accepted %q, which is no http(s) URL", s)
		}
	})
}

// publicResolver answers every name with a public address.
type publicResolver struct{}

func (publicResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
}

// FuzzRedact checks that no user password or token-like query value of a
// URL survives redaction, alone or inside a line of text.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"https://u:secret@host.example/p?token=abc&x=1", "http://host/?Api_Key=k", "read https://a:b@c/d: refused", "not a url", "ted:x AND y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		red := Redact(s)
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.Scheme == "" || u.Opaque != "" {
			return
		}
		if pw, ok := u.User.Password(); ok && len(pw) >= 4 && strings.Contains(red, pw) && !strings.Contains(u.Host+u.Path+u.RawQuery+u.Fragment, pw) {
			t.Errorf("Redact(%q) = %q keeps the password", s, red)
		}
		for name, values := range u.Query() {
			if !isSecretParam(name) {
				continue
			}
			for _, v := range values {
				if len(v) >= 4 && strings.Contains(red, url.QueryEscape(v)) && !strings.Contains(u.Host+u.Path+u.Fragment, v) {
					t.Errorf("Redact(%q) = %q keeps %s=%s", s, red, name, v)
				}
			}
		}
	})
}

func isSecretParam(name string) bool {
	lower := strings.ToLower(name)
	for _, s := range secretParams {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

// FuzzServerDelays reads any Retry-After and Cache-Control header: never a
// panic, never a negative delay, never more than the cap.
func FuzzServerDelays(f *testing.F) {
	for _, s := range []string{"120", "Wed, 21 Oct 2015 07:28:00 GMT", "-5", "99999999999999999999", "max-age=300", "no-cache, max-age=60", `max-age="10"`, "max-age=-1"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, header string) {
		for what, d := range map[string]time.Duration{"Retry-After": retryAfter(header, now), "max-age": maxAge(header)} {
			if d < 0 || d > maxServerDelay {
				t.Errorf("%s %q: got %s, want 0 to %s", what, header, d, maxServerDelay)
			}
		}
	})
}
