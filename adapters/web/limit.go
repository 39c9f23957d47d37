package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limiter allows each key a burst of requests and then one every so often:
// the generic cell rate algorithm, which keeps one time per key.
type limiter struct {
	burst int
	every time.Duration
	now   func() time.Time

	mu  sync.Mutex
	tat map[string]time.Time // when each key's bucket is full again
}

// maxLimited is how many keys the limiter keeps before it forgets those
// whose bucket is full again.
const maxLimited = 10000

func newLimiter(burst int, every time.Duration, now func() time.Time) *limiter {
	return &limiter{burst: burst, every: every, now: now, tat: map[string]time.Time{}}
}

// allow reports whether key may make a request now and, when not, how long
// until it may.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat := l.tat[key]
	if tat.Before(now) {
		tat = now
	}
	slack := l.every * time.Duration(l.burst-1)
	if wait := tat.Sub(now) - slack; wait > 0 {
		return false, wait
	}
	if len(l.tat) >= maxLimited {
		for k, t := range l.tat {
			if t.Before(now) {
				delete(l.tat, k)
			}
		}
	}
	l.tat[key] = tat.Add(l.every)
	return true, 0
}

// clientAddress is the address of the connection a request came on. A
// proxy's forwarding headers are not read: a client could set them. Behind
// a reverse proxy every client shares its address, so limit there too.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
