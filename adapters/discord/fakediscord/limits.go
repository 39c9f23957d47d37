package fakediscord

import (
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Limits are the rate limits the server enforces, as Discord does: a
// bot's requests in all (the global limit), and the messages posted to
// one channel (the route's bucket, one a channel). A request over a limit
// is answered 429 and does not count against it. The windows slide: no
// Per-long stretch of time holds more than the limit's requests, which
// is stricter than Discord's buckets, so a bot that keeps under these
// keeps under Discord's.
type Limits struct {
	// Global is how many requests a second the bot may make on the routes
	// its token authorizes (the interaction routes are not counted, as on
	// Discord); 0: Discord's 50; negative: no limit.
	Global int
	// PerChannel is how many messages one channel takes per ChannelWindow;
	// 0: Discord's 5; negative: no limit.
	PerChannel int
	// ChannelWindow is PerChannel's window; 0: Discord's 5 seconds.
	ChannelWindow time.Duration
}

// withDefaults fills in Discord's limits for the zero values.
func (l Limits) withDefaults() Limits {
	if l.Global == 0 {
		l.Global = 50
	}
	if l.PerChannel == 0 {
		l.PerChannel = 5
	}
	if l.ChannelWindow <= 0 {
		l.ChannelWindow = 5 * time.Second
	}
	return l
}

// window is one limit's memory: when the requests it let through in the
// last per were made, oldest first.
type window struct {
	limit int
	per   time.Duration
	times []time.Time
}

// admit reports whether a request at now keeps within the window's
// limit, counting it when it does; when it does not, how long until it
// would. It also returns what the rate-limit headers say after it.
func (w *window) admit(now time.Time) (ok bool, remaining int, resetAfter time.Duration) {
	cut := 0
	for cut < len(w.times) && now.Sub(w.times[cut]) >= w.per {
		cut++
	}
	w.times = w.times[cut:]
	if len(w.times) >= w.limit {
		return false, 0, w.times[0].Add(w.per).Sub(now)
	}
	w.times = append(w.times, now)
	return true, w.limit - len(w.times), w.times[0].Add(w.per).Sub(now)
}

// verdict is what the limits decided about one request.
type verdict struct {
	limited    bool
	global     bool          // the global limit refused it
	bucket     string        // the route bucket's key; "" when the route has none
	limit      int           // the bucket's limit
	remaining  int           // the bucket's requests left in its window
	resetAfter time.Duration // until the bucket (or, limited, the refusing limit) has room
}

// checkLimits applies the limits to a request of route: the global one
// when the bot's token authorizes the route, and the channel's bucket for
// a message to a channel.
func (s *Server) checkLimits(route string, r *http.Request, counted bool) verdict {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var v verdict
	var bucket *window
	if route == "POST /channels/{channel}/messages" && s.limits.PerChannel > 0 {
		v.bucket = "channel:" + r.PathValue("channel")
		bucket = s.windows[v.bucket]
		if bucket == nil {
			bucket = &window{limit: s.limits.PerChannel, per: s.limits.ChannelWindow}
			s.windows[v.bucket] = bucket
		}
		v.limit = bucket.limit
	}
	if counted && s.limits.Global > 0 {
		if ok, _, wait := s.global.admit(now); !ok {
			v.limited, v.global, v.resetAfter = true, true, wait
			s.limited++
			return v
		}
	}
	if bucket != nil {
		ok, remaining, wait := bucket.admit(now)
		v.remaining, v.resetAfter = remaining, wait
		if !ok {
			v.limited = true
			s.limited++
			if counted && s.limits.Global > 0 {
				s.global.times = s.global.times[:len(s.global.times)-1] // a refused request counts against nothing
			}
		}
	}
	return v
}

// RateLimited returns how many requests the server answered 429 because
// they went over its Limits (not counting the ones RateLimitNext asked
// for).
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// writeBucketHeaders tells the client where its bucket stands, as Discord
// does on every answer of a limited route.
func writeBucketHeaders(w http.ResponseWriter, v verdict) {
	if v.bucket == "" {
		return
	}
	h := w.Header()
	secs := v.resetAfter.Seconds()
	h.Set("X-RateLimit-Limit", strconv.Itoa(v.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(v.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(v.resetAfter).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString([]byte(v.bucket))[:16])
}

// writeLimited answers 429 for a request over a limit, with the body and
// headers Discord sends: for the global limit "global": true,
// X-RateLimit-Global and the scope "global" and no bucket; for a route's
// bucket the bucket's headers and the scope "user".
func writeLimited(w http.ResponseWriter, v verdict) {
	secs := math.Max(v.resetAfter.Seconds(), 0.001)
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	if v.global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		writeBucketHeaders(w, v)
		h.Set("X-RateLimit-Scope", "user")
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": math.Round(secs*1000) / 1000,
		"global":      v.global,
	})
}
