package feeds

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxServerDelay caps how long a server's Retry-After or max-age can keep a
// feed from being polled: a misconfigured header must not silence a feed
// for a year.
const maxServerDelay = 24 * time.Hour

// hostGates lets one request at a time go to each host, each at least gap
// after the previous one ended, or the host's robots.txt Crawl-delay when
// that is longer.
type hostGates struct {
	gap   time.Duration
	mu    sync.Mutex
	hosts map[string]*hostGate
}

type hostGate struct {
	turn chan struct{} // holds a token while a request to the host runs
	// The rest is guarded by holding the turn.
	last     time.Time     // when the last request ended
	delay    time.Duration // the host's Crawl-delay, 0 when it set none
	robotsAt time.Time     // when its robots.txt was last read; zero: never
}

func newHostGates(gap time.Duration) *hostGates {
	return &hostGates{gap: gap, hosts: map[string]*hostGate{}}
}

// polite reports whether the gates keep hosts' pace at all: with no gap
// (tests, a local mirror) they only take turns, and read no robots.txt.
func (g *hostGates) polite() bool { return g.gap > 0 }

// hostTurn is the right to send one request to a host, held until release.
type hostTurn struct {
	gate *hostGate
	gap  time.Duration
}

// acquire waits for the host's turn and its gap, or for ctx; the caller
// calls release on the turn when its request is done.
func (g *hostGates) acquire(ctx context.Context, host string) (*hostTurn, error) {
	host = strings.ToLower(host)
	g.mu.Lock()
	gate, ok := g.hosts[host]
	if !ok {
		gate = &hostGate{turn: make(chan struct{}, 1)}
		g.hosts[host] = gate
	}
	g.mu.Unlock()

	select {
	case gate.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	t := &hostTurn{gate: gate, gap: g.gap}
	if err := t.wait(ctx); err != nil {
		<-gate.turn
		return nil, err
	}
	return t, nil
}

// wait sleeps until the host's gap after its last request is over.
func (t *hostTurn) wait(ctx context.Context) error {
	wait := time.Until(t.gate.last.Add(max(t.gap, t.gate.delay)))
	if wait <= 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// robotsStale reports whether the host's robots.txt is due to be read.
func (t *hostTurn) robotsStale(now time.Time) bool {
	return t.gate.robotsAt.IsZero() || now.Sub(t.gate.robotsAt) > robotsTTL
}

// learn records the host's Crawl-delay, read now from its robots.txt. A
// host that sets one has it kept from that read on; for the others the
// robots.txt read, as a crawler's, does not hold back the request it
// precedes.
func (t *hostTurn) learn(delay time.Duration, now time.Time) {
	t.gate.delay, t.gate.robotsAt = delay, now
	if delay > 0 {
		t.gate.last = now
	}
}

func (t *hostTurn) release() {
	t.gate.last = time.Now()
	<-t.gate.turn
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date, as
// a delay from now; 0 when absent or unreadable.
func retryAfter(header string, now time.Time) time.Duration {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(header); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(header); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxServerDelay)
}

// maxAge reads max-age from a Cache-Control header; 0 when absent, or when
// no-cache or no-store say the feed must be asked again every time.
func maxAge(header string) time.Duration {
	var age time.Duration
	for _, directive := range strings.Split(header, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(directive), "=")
		switch strings.ToLower(name) {
		case "no-cache", "no-store":
			return 0
		case "max-age":
			if secs, err := strconv.Atoi(strings.Trim(value, `"`)); err == nil && secs > 0 {
				age = time.Duration(secs) * time.Second
			}
		}
	}
	return min(age, maxServerDelay)
}
