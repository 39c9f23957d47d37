package feeds

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// dnsFailure answers every lookup as a resolver that knows no such host,
// naming itself, as the system resolver does.
type dnsFailure struct{}

func (dnsFailure) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, Server: "127.0.0.11:53", IsNotFound: true}
}

// TestProbeErrorsAreInWords checks what a partner reads when the feed they
// propose cannot be reached: what happened in words, without the
// resolver's address or the socket's outcome.
func TestProbeErrorsAreInWords(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name  string
		guard *Guard
		url   string
		want  string
	}{
		{"unknown host", &Guard{Resolver: dnsFailure{}}, "https://nowhere.example/feed", "could not resolve"},
		{"unknown host, private allowed", &Guard{AllowPrivate: true}, "http://nowhere.invalid/feed", "could not resolve"},
		{"connection refused", &Guard{AllowPrivate: true, Ports: []int{portOf(t, closed.URL)}}, closed.URL + "/feed", "refused the connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewProber(NewFetcher(FetcherOptions{Guard: tt.guard, HostGap: -1}), nil)
			_, err := p.Probe(context.Background(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want it to say %q", err, tt.want)
			}
			for _, detail := range []string{"127.0.0.11", ":53", "dial tcp", "lookup ", "connect:"} {
				if strings.Contains(err.Error(), detail) {
					t.Errorf("got %q, which shows %q", err, detail)
				}
			}
		})
	}
}

// portOf is the port of a test server's URL.
func portOf(t *testing.T, raw string) int {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return port
}
