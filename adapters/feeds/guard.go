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

	"github.com/tenderbot/tenderbot/bot/partner"
	"github.com/tenderbot/tenderbot/bot/text"
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
	URL string
	// Rule is the rule in words, a message id of bot/text formatted with
	// Args (a partner.Phrase among them is a message id too), so the
	// partner who proposed the feed reads it in their language.
	Rule string
	Args []any
	// Setting, when not empty, is what a closed deployment sets to lift
	// the rule.
	Setting string
	// cause is what made the rule apply, when it says more than the rule
	// should show (a resolver's error); for ErrorDetail and the log.
	cause error
}

// Error says the rule, never the cause: a refusal reaches a partner, the
// resolver's answer only the log.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("refused %s: %s", e.URL, fmt.Sprintf(e.Rule, e.Args...))
}

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

// metadataRule is the rule of the cloud metadata addresses, which no
// setting lifts.
var metadataRule = partner.Phrase(text.N("the cloud metadata address"))

// blockedRanges are the address ranges no partner feed may reach, each with
// the rule a refusal names. (Loopback, private, link-local, multicast and
// unspecified addresses are caught by net/netip's own tests first.)
var blockedRanges = []struct {
	prefix netip.Prefix
	rule   partner.Phrase
}{
	{netip.MustParsePrefix("0.0.0.0/8"), partner.Phrase(text.N("an address in 0.0.0.0/8 (\"this network\")"))},
	{netip.MustParsePrefix("100.64.0.0/10"), partner.Phrase(text.N("a shared address (100.64.0.0/10, carrier-grade NAT)"))},
	{netip.MustParsePrefix("192.0.0.0/24"), partner.Phrase(text.N("a protocol-assignment address (192.0.0.0/24)"))},
	{netip.MustParsePrefix("198.18.0.0/15"), partner.Phrase(text.N("a benchmarking address (198.18.0.0/15)"))},
	{netip.MustParsePrefix("240.0.0.0/4"), partner.Phrase(text.N("a reserved address (240.0.0.0/4)"))},
	{netip.MustParsePrefix("64:ff9b:1::/48"), partner.Phrase(text.N("a local-use translation address (64:ff9b:1::/48)"))},
	{netip.MustParsePrefix("2001:db8::/32"), partner.Phrase(text.N("a documentation address (2001:db8::/32)"))},
}

// CheckAddr refuses an address the guard keeps feeds away from, naming the
// rule. An IPv6 address that carries an IPv4 address (NAT64, 6to4, SIIT,
// Teredo, IPv4-compatible) is judged by the IPv4 address too, since a host
// may route it there.
func (g *Guard) CheckAddr(addr netip.Addr) error {
	addr = addr.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	if slices.Contains(metadataAddrs, addr) {
		return &addrRefusal{addr: addr, rule: metadataRule}
	}
	for _, e := range embeddedIPv4(addr) {
		if slices.Contains(metadataAddrs, e.addr) {
			return &addrRefusal{addr: addr, form: e.form, carried: e.addr, rule: metadataRule}
		}
	}
	if g.AllowPrivate || g.takenForPublic(addr) {
		return nil
	}
	if rule := blockedRule(addr); rule != "" {
		return &addrRefusal{addr: addr, rule: rule}
	}
	for _, e := range embeddedIPv4(addr) {
		if g.takenForPublic(e.addr) {
			continue
		}
		if rule := blockedRule(e.addr); rule != "" {
			return &addrRefusal{addr: addr, form: e.form, carried: e.addr, rule: rule}
		}
	}
	return nil
}

// addrRefusal is why CheckAddr refuses an address: the rule it falls
// under or, for an IPv6 address that carries an IPv4 one, the form that
// carries it and the rule the carried address falls under.
type addrRefusal struct {
	addr    netip.Addr
	form    partner.Phrase // "" when addr falls under the rule itself
	carried netip.Addr
	rule    partner.Phrase
}

func (e *addrRefusal) Error() string {
	if e.form == "" {
		return fmt.Sprintf("%s is %s", e.addr, e.rule)
	}
	return fmt.Sprintf("%s is %s embedding %s, %s", e.addr, e.form, e.carried, e.rule)
}

// refused is the refusal of url for e, where url is what a host name
// resolved to or, when host is "", the address being connected to.
func (e *addrRefusal) refused(url, host string) *RefusedError {
	r := &RefusedError{URL: url}
	switch {
	case host != "" && e.form == "":
		r.Rule, r.Args = text.N("%s resolves to %s, %s"), []any{host, e.addr, e.rule}
	case host != "":
		r.Rule, r.Args = text.N("%s resolves to %s, %s embedding %s, %s"), []any{host, e.addr, e.form, e.carried, e.rule}
	case e.form == "":
		r.Rule, r.Args = text.N("connecting to %s is %s"), []any{e.addr, e.rule}
	default:
		r.Rule, r.Args = text.N("connecting to %s is %s embedding %s, %s"), []any{e.addr, e.form, e.carried, e.rule}
	}
	return r
}

func (g *Guard) takenForPublic(addr netip.Addr) bool {
	return slices.ContainsFunc(g.public, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// blockedRule names the rule that refuses addr, or is "" when none does.
func blockedRule(addr netip.Addr) partner.Phrase {
	switch {
	case addr.IsLoopback():
		return partner.Phrase(text.N("a loopback address"))
	case addr.IsPrivate():
		return partner.Phrase(text.N("a private address"))
	case addr == netip.MustParseAddr("169.254.169.254") || addr == netip.MustParseAddr("fd00:ec2::254"):
		return metadataRule
	case addr.IsLinkLocalUnicast():
		return partner.Phrase(text.N("a link-local address"))
	case addr.IsMulticast() || addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast():
		return partner.Phrase(text.N("a multicast address"))
	case addr.IsUnspecified():
		return partner.Phrase(text.N("the unspecified address"))
	case addr == netip.MustParseAddr("255.255.255.255"):
		return partner.Phrase(text.N("the broadcast address"))
	}
	for _, r := range blockedRanges {
		if r.prefix.Contains(addr) {
			return r.rule
		}
	}
	return ""
}

// embedded is an IPv4 address carried inside an IPv6 one, and the form
// that carries it.
type embedded struct {
	form partner.Phrase
	addr netip.Addr
}

// The IPv6 ranges whose addresses carry an IPv4 address.
var (
	nat64      = netip.MustParsePrefix("64:ff9b::/96")    // RFC 6052: the last 32 bits
	sixToFour  = netip.MustParsePrefix("2002::/16")       // RFC 3056: bits 16–47
	compatible = netip.MustParsePrefix("::/96")           // RFC 4291 (deprecated): the last 32 bits
	siit       = netip.MustParsePrefix("::ffff:0:0:0/96") // RFC 2765: the last 32 bits
	teredo     = netip.MustParsePrefix("2001::/32")       // RFC 4380: server in bits 32–63, client inverted in the last 32
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address carries. The
// local-use NAT64 range 64:ff9b:1::/48 is refused outright (blockedRanges),
// whatever it carries.
func embeddedIPv4(addr netip.Addr) []embedded {
	if !addr.Is6() {
		return nil
	}
	b := addr.As16()
	v4 := func(p []byte) netip.Addr { return netip.AddrFrom4([4]byte(p)) }
	switch {
	case nat64.Contains(addr):
		return []embedded{{partner.Phrase(text.N("a NAT64 address")), v4(b[12:])}}
	case sixToFour.Contains(addr):
		return []embedded{{partner.Phrase(text.N("a 6to4 address")), v4(b[2:6])}}
	case siit.Contains(addr):
		return []embedded{{partner.Phrase(text.N("an SIIT address")), v4(b[12:])}}
	case compatible.Contains(addr):
		return []embedded{{partner.Phrase(text.N("an IPv4-compatible address")), v4(b[12:])}}
	case teredo.Contains(addr):
		client := [4]byte{^b[12], ^b[13], ^b[14], ^b[15]}
		return []embedded{
			{partner.Phrase(text.N("a Teredo address")), netip.AddrFrom4(client)},
			{partner.Phrase(text.N("a Teredo address, in its server part,")), v4(b[4:8])},
		}
	}
	return nil
}

// CheckURL refuses a URL a partner may not add: another scheme, a port
// outside the allowed ones, or a host that resolves to any address the
// guard refuses. The error is a *RefusedError naming the rule.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	// refuse says the rule, a message id of bot/text, with args.
	refuse := func(rule string, args ...any) *RefusedError {
		return &RefusedError{URL: Redact(raw), Rule: rule, Args: args}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		refused := refuse(text.N("not a URL"))
		refused.cause = err
		return refused
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return refuse(text.N("a local path cannot be added; give an http:// or https:// URL"))
	default:
		return refuse(text.N("only http:// and https:// feeds can be added, not %q"), u.Scheme+":")
	}
	host := u.Hostname()
	if host == "" {
		return refuse(text.N("the URL has no host"))
	}
	port := 80
	if u.Scheme == "https" {
		port = 443
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return refuse(text.N("port %q is not a number"), p)
		}
	}
	if ports := g.ports(); !slices.Contains(ports, port) {
		refused := refuse(text.N("port %d is not one of the allowed ports %v"), port, ports)
		refused.Setting = g.PortSetting
		return refused
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		refused := refuse(text.N("could not resolve the host name %s"), host)
		refused.cause = err // the resolver and its answer, for the log
		return refused
	}
	for _, a := range addrs {
		var e *addrRefusal
		if err := g.CheckAddr(a); errors.As(err, &e) {
			refused := e.refused(Redact(raw), host)
			if e.rule != metadataRule {
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
			var e *addrRefusal
			if err := g.CheckAddr(addr); errors.As(err, &e) {
				return e.refused(address, "")
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
