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
// after the previous one ended.
type hostGates struct {
	gap   time.Duration
	mu    sync.Mutex
	hosts map[string]*hostGate
}

type hostGate struct {
	turn chan struct{} // holds a token while a request to the host runs
	last time.Time     // when the last request ended
}

func newHostGates(gap time.Duration) *hostGates {
	return &hostGates{gap: gap, hosts: map[string]*hostGate{}}
}

// acquire waits for the host's turn and its gap, or for ctx; the caller
// calls release when its request is done.
func (g *hostGates) acquire(ctx context.Context, host string) (release func(), err error) {
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
	if wait := time.Until(gate.last.Add(g.gap)); wait > 0 {
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			<-gate.turn
			return nil, ctx.Err()
		}
	}
	return func() {
		gate.last = time.Now() // guarded by holding the turn
		<-gate.turn
	}, nil
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
