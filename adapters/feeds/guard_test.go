package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// fakeResolver answers host lookups from a table.
type fakeResolver map[string][]string

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	ips, ok := r[host]
	if !ok {
		return nil, fmt.Errorf("no such host %s", host)
	}
	var addrs []netip.Addr
	for _, ip := range ips {
		addrs = append(addrs, netip.MustParseAddr(ip))
	}
	return addrs, nil
}

var testResolver = fakeResolver{
	"feeds.example.org":   {"93.184.216.34"},
	"intranet.example.nl": {"10.1.2.3"},
	"sneaky.example.com":  {"93.184.216.34", "192.168.1.10"},
	"v6.example.org":      {"2606:2800:220:1:248:1893:25c8:1946"},
}

func TestGuardRefusesPrivateAndOddURLs(t *testing.T) {
	g := &Guard{Resolver: testResolver}
	tests := []struct {
		url  string
		rule string // fragment of the refusal; "" means accepted
	}{
		{"https://feeds.example.org/rss", ""},
		{"http://feeds.example.org:8080/rss", ""},
		{"https://v6.example.org/feed", ""},
		{"http://127.0.0.1/feed", "loopback"},
		{"http://[::1]/feed", "loopback"},
		{"http://10.0.0.5/feed", "private"},
		{"http://172.16.3.4/feed", "private"},
		{"http://172.31.255.255/feed", "private"},
		{"http://192.168.0.1/feed", "private"},
		{"http://169.254.169.254/latest/meta-data/", "cloud metadata"},
		{"http://169.254.1.1/feed", "link-local"},
		{"http://[fd00::1]/feed", "private"},
		{"http://[fe80::1]/feed", "link-local"},
		{"http://[::ffff:127.0.0.1]/feed", "loopback"},
		{"http://[::ffff:10.0.0.1]/feed", "private"},
		{"http://0.0.0.0/feed", "unspecified"},
		{"http://224.0.0.1/feed", "multicast"},
		{"http://100.64.1.1/feed", "carrier-grade NAT"},
		{"http://intranet.example.nl/feed", "private"},
		{"http://sneaky.example.com/feed", "private"},
		{"http://unknown.example/feed", "could not resolve"},
		{"http://feeds.example.org:22/feed", "port 22"},
		{"file:///etc/passwd", `not "file:"`},
		{"gopher://feeds.example.org/", `not "gopher:"`},
		{"builtin:example", `not "builtin:"`},
		{"/var/lib/feed.xml", "a local path cannot be added"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := g.CheckURL(context.Background(), tt.url)
			switch {
			case tt.rule == "" && err != nil:
				t.Errorf("got %v, want accepted", err)
			case tt.rule != "" && (err == nil || !strings.Contains(err.Error(), tt.rule)):
				t.Errorf("got %v, want a refusal naming %q", err, tt.rule)
			case tt.rule != "":
				var refused *RefusedError
				if !errors.As(err, &refused) {
					t.Errorf("got %T, want a *RefusedError", err)
				}
			}
		})
	}
	if err := (&Guard{AllowPrivate: true}).CheckURL(context.Background(), "http://127.0.0.1:8080/feed"); err != nil {
		t.Errorf("AllowPrivate: got %v, want accepted", err)
	}
}

// TestGuardKeepsMetadataAndPortsClosed: a closed deployment that lets
// partners reach private addresses still never lets them reach a cloud
// metadata service, nor a port outside the allowed ones unless that is
// set on its own.
func TestGuardKeepsMetadataAndPortsClosed(t *testing.T) {
	open := &Guard{AllowPrivate: true, Resolver: fakeResolver{"meta.example": {"169.254.169.254"}}}
	for _, raw := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://[fd00:ec2::254]/latest/meta-data/",
		"http://100.100.100.200/latest/meta-data/",
		"http://169.254.170.2/v2/credentials",
		"http://[::ffff:169.254.169.254]/",
		"http://meta.example/",
	} {
		if err := open.CheckURL(context.Background(), raw); err == nil || !strings.Contains(err.Error(), "cloud metadata") {
			t.Errorf("%s with AllowPrivate: got %v, want it refused as cloud metadata", raw, err)
		}
	}
	if err := open.CheckAddr(netip.MustParseAddr("169.254.169.254")); err == nil {
		t.Error("the dial-time check let the metadata address through with AllowPrivate")
	}
	if err := open.CheckURL(context.Background(), "http://127.0.0.1:22/feed"); err == nil || !strings.Contains(err.Error(), "port 22") {
		t.Errorf("port 22 with AllowPrivate: got %v, want it refused", err)
	}
	ports := &Guard{AllowPrivate: true, Ports: append(slices.Clone(DefaultAllowedPorts), 22)}
	if err := ports.CheckURL(context.Background(), "http://127.0.0.1:22/feed"); err != nil {
		t.Errorf("port 22 allowed on its own: got %v, want accepted", err)
	}
}

// TestGuardChecksRedirectsAndDials runs a "public" server (loopback, taken
// for public in this test) that redirects to places the guard refuses.
func TestGuardChecksRedirectsAndDials(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(tinyRSS)) })
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.0.0.1/feed", http.StatusFound)
	})
	mux.HandleFunc("/to-rebinding", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://intranet.example.nl/feed", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	port := srv.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	g := &Guard{Resolver: testResolver, Ports: []int{80, 443, int(port)}, public: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	f := NewFetcher(FetcherOptions{Guard: g, HostGap: -1})
	ctx := context.Background()

	if _, err := f.Get(ctx, Request{Location: srv.URL + "/feed", Untrusted: true}); err != nil {
		t.Fatalf("a public feed: %v", err)
	}
	for _, path := range []string{"/to-private", "/to-rebinding"} {
		_, err := f.Get(ctx, Request{Location: srv.URL + path, Untrusted: true})
		if err == nil || !strings.Contains(err.Error(), "private address") {
			t.Errorf("redirect %s: got %v, want the hop refused", path, err)
		}
	}
	// The dial-time check: a client whose guard takes nothing for public
	// refuses the server's address itself, whatever URL check came before.
	strict := (&Guard{Ports: g.Ports}).Client(0)
	_, err := strict.Get(srv.URL + "/feed")
	if err == nil || !strings.Contains(err.Error(), "connecting to 127.0.0.1 is a loopback address") {
		t.Errorf("dial check: got %v, want the connection refused", err)
	}
	// Trusted requests (the operator's feeds) are not guarded.
	if _, err := NewFetcher(FetcherOptions{HostGap: -1}).Get(ctx, Request{Location: srv.URL + "/feed"}); err != nil {
		t.Errorf("a trusted feed on loopback: %v", err)
	}
}

// TestGuardJudgesIPv4EmbeddedInIPv6 covers every IPv6 form that carries an
// IPv4 address, which a host may route to that IPv4 address: each is judged
// by the address it embeds, both when checked and when dialled.
func TestGuardJudgesIPv4EmbeddedInIPv6(t *testing.T) {
	tests := []struct {
		addr string
		rule string // fragment of the refusal; "" means accepted
	}{
		{"64:ff9b::7f00:1", "loopback"},                      // NAT64, 127.0.0.1
		{"64:ff9b::a00:1", "private"},                        // NAT64, 10.0.0.1
		{"64:ff9b::a9fe:a9fe", "cloud metadata"},             // NAT64, 169.254.169.254
		{"64:ff9b::5db8:d822", ""},                           // NAT64, 93.184.216.34
		{"64:ff9b:1::7f00:1", "local-use translation"},       // RFC 8215 local use: refused outright
		{"2002:7f00:1::", "loopback"},                        // 6to4, 127.0.0.1
		{"2002:c0a8:101::1", "private"},                      // 6to4, 192.168.1.1
		{"2002:a9fe:a9fe:1::1", "cloud metadata"},            // 6to4, 169.254.169.254
		{"2002:5db8:d822::1", ""},                            // 6to4, 93.184.216.34
		{"::127.0.0.1", "loopback"},                          // IPv4-compatible
		{"::10.1.2.3", "private"},                            // IPv4-compatible
		{"::169.254.169.254", "cloud metadata"},              // IPv4-compatible
		{"::ffff:0:127.0.0.1", "loopback"},                   // SIIT
		{"::ffff:0:192.168.0.1", "private"},                  // SIIT
		{"::ffff:0:169.254.169.254", "cloud metadata"},       // SIIT
		{"2001:0:5db8:d822:0:0:80ff:fffe", "loopback"},       // Teredo, client 127.0.0.1
		{"2001:0:5db8:d822:0:0:f5ff:fffe", "private"},        // Teredo, client 10.0.0.1
		{"2001:0:5db8:d822:0:0:5601:5601", "cloud metadata"}, // Teredo, client 169.254.169.254
		{"2001:0:7f00:1:0:0:a247:27dd", "loopback"},          // Teredo, server 127.0.0.1
		{"2001:0:5db8:d822:0:0:a247:27dd", ""},               // Teredo, both public
		{"::ffff:127.0.0.1", "loopback"},                     // IPv4-mapped, as before
	}
	g := &Guard{Ports: []int{80}}
	client := g.Client(0)
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := g.CheckAddr(netip.MustParseAddr(tt.addr))
			switch {
			case tt.rule == "" && err != nil:
				t.Errorf("CheckAddr: got %v, want accepted", err)
			case tt.rule != "" && (err == nil || !strings.Contains(err.Error(), tt.rule)):
				t.Errorf("CheckAddr: got %v, want a refusal naming %q", err, tt.rule)
			}
			if tt.rule == "" {
				return // dialling a public address would leave the machine
			}
			_, err = client.Get("http://" + netip.AddrPortFrom(netip.MustParseAddr(tt.addr), 80).String() + "/feed")
			var refused *RefusedError
			if !errors.As(err, &refused) || !strings.Contains(err.Error(), tt.rule) {
				t.Errorf("dial: got %v, want the connection refused naming %q", err, tt.rule)
			}
		})
	}
}
