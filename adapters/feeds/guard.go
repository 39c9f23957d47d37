package feeds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultAllowedPorts are the ports a partner's feed URL may use.
var DefaultAllowedPorts = []int{80, 443, 8080, 8443}

// Guard keeps partner-added feed URLs from reaching the host's own network
// (server-side request forgery): only http(s), only allowed ports, only
// public addresses — checked on the URL, on every redirect, and again on
// the address actually dialled, so a DNS answer that changes between check
// and connection cannot slip through.
type Guard struct {
	// AllowPrivate lifts the address rules, for closed deployments and
	// tests; schemes, ports and the cloud metadata addresses are still
	// checked.
	AllowPrivate bool
	// Ports are the allowed ports; nil means DefaultAllowedPorts.
	Ports []int
	// PrivateSetting and PortSetting name, for a refusal, the settings that
	// lift the address and the port rule ("TENDERBOT_FEEDS_ALLOW_PRIVATE=true").
	PrivateSetting, PortSetting string
	// Resolver looks up host names; nil means net.DefaultResolver.
	Resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	}
	// public, in tests, are prefixes taken for public addresses.
	public []netip.Prefix
}

// RefusedError says which rule refused a URL.
type RefusedError struct {
	URL  string
	Rule string
	// Setting, when not empty, is what a closed deployment sets to lift
	// the rule.
	Setting string
	// Err is the cause behind the rule, for the log (a resolver's answer).
	Err error
}

func (e *RefusedError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("refused %s: %s: %v", e.URL, e.Rule, e.Err)
	}
	return fmt.Sprintf("refused %s: %s", e.URL, e.Rule)
}

func (e *RefusedError) Unwrap() error { return e.Err }

// metadataAddrs are the clouds' instance metadata services (AWS, GCP,
// Azure, OpenStack: 169.254.169.254 and its IPv6 twin; AWS's ECS task
// credentials, DNS and time; Alibaba; Oracle's older one). They hand out
// credentials, so no feed may reach them, whatever AllowPrivate says.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("169.254.169.253"),
	netip.MustParseAddr("169.254.169.123"),
	netip.MustParseAddr("169.254.170.2"),
	netip.MustParseAddr("169.254.170.23"),
	netip.MustParseAddr("fd00:ec2::254"),
	netip.MustParseAddr("fd00:ec2::23"),
	netip.MustParseAddr("100.100.100.200"),
	netip.MustParseAddr("192.0.0.192"),
}

// errMetadata marks a refusal that no setting lifts.
var errMetadata = errors.New("the cloud metadata address")

// blockedRanges are the address ranges no partner feed may reach, each with
// the rule a refusal names. (Loopback, private, link-local, multicast and
// unspecified addresses are caught by net/netip's own tests first.)
var blockedRanges = []struct {
	prefix netip.Prefix
	rule   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "an address in 0.0.0.0/8 (\"this network\")"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared address (100.64.0.0/10, carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "a protocol-assignment address (192.0.0.0/24)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address (198.18.0.0/15)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address (240.0.0.0/4)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local-use translation address (64:ff9b:1::/48)"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address (2001:db8::/32)"},
}

// CheckAddr refuses an address the guard keeps feeds away from, naming the
// rule.
func (g *Guard) CheckAddr(addr netip.Addr) error {
	addr = addr.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	if slices.Contains(metadataAddrs, addr) {
		return fmt.Errorf("%s is %w", addr, errMetadata)
	}
	if g.AllowPrivate || slices.ContainsFunc(g.public, func(p netip.Prefix) bool { return p.Contains(addr) }) {
		return nil
	}
	rule := ""
	switch {
	case addr.IsLoopback():
		rule = "a loopback address"
	case addr.IsPrivate():
		rule = "a private address"
	case addr.IsLinkLocalUnicast():
		rule = "a link-local address"
	case addr.IsMulticast() || addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast():
		rule = "a multicast address"
	case addr.IsUnspecified():
		rule = "the unspecified address"
	case addr == netip.MustParseAddr("255.255.255.255"):
		rule = "the broadcast address"
	}
	for _, r := range blockedRanges {
		if rule == "" && r.prefix.Contains(addr) {
			rule = r.rule
		}
	}
	if rule != "" {
		return fmt.Errorf("%s is %s", addr, rule)
	}
	return nil
}

// CheckURL refuses a URL a partner may not add: another scheme, a port
// outside the allowed ones, or a host that resolves to any address the
// guard refuses. The error is a *RefusedError naming the rule.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	refuse := func(format string, args ...any) *RefusedError {
		return &RefusedError{URL: Redact(raw), Rule: fmt.Sprintf(format, args...)}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		refused := refuse("not a URL")
		refused.Err = err
		return refused
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return refuse("a local path cannot be added; give an http:// or https:// URL")
	default:
		return refuse("only http:// and https:// feeds can be added, not %q", u.Scheme+":")
	}
	host := u.Hostname()
	if host == "" {
		return refuse("the URL has no host")
	}
	port := 80
	if u.Scheme == "https" {
		port = 443
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return refuse("port %q is not a number", p)
		}
	}
	if ports := g.ports(); !slices.Contains(ports, port) {
		refused := refuse("port %d is not one of the allowed ports %v", port, ports)
		refused.Setting = g.PortSetting
		return refused
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		refused := refuse("the host %s cannot be resolved", host)
		refused.Err = err
		return refused
	}
	for _, a := range addrs {
		if err := g.CheckAddr(a); err != nil {
			refused := refuse("%s resolves to %v", host, err)
			if !errors.Is(err, errMetadata) {
				refused.Setting = g.PrivateSetting
			}
			return refused
		}
	}
	return nil
}

func (g *Guard) ports() []int {
	if g.Ports != nil {
		return g.Ports
	}
	return DefaultAllowedPorts
}

func (g *Guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a}, nil
	}
	if g.Resolver != nil {
		return g.Resolver.LookupNetIP(ctx, "ip", host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// Client returns an HTTP client that enforces the guard: every redirect
// hop's URL is checked, and every connection's address is checked as it is
// dialled, after DNS resolution.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			addr, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("dial %s: not an address", address)
			}
			if err := g.CheckAddr(addr); err != nil {
				return &RefusedError{URL: address, Rule: "connecting to " + err.Error()}
			}
			return nil
		},
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil // a proxy would dial for us, past the check
	transport.DialContext = dialer.DialContext
	return &http.Client{
		Timeout:   timeout,
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return g.CheckURL(req.Context(), req.URL.String())
		},
	}
}
