package fakediscord

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// apiPrefix is where the REST API lives, as on discord.com.
const apiPrefix = "/api/v9"

// maxBody bounds a request body the fake reads.
const maxBody = 8 << 20

// Options configure a Server. Zero values get defaults.
type Options struct {
	Token     string // the bot token accepted in `Authorization: Bot <token>`; default "fake-token"
	AppID     string // the application id; default "900000000000000001"
	BotUserID string // the bot's user id; default "900000000000000002"
	// HeartbeatInterval is what HELLO tells clients; default 41.25 s, as
	// Discord sends.
	HeartbeatInterval time.Duration
	// Limits are the rate limits it enforces; the zero value is Discord's.
	Limits Limits
}

// Server is a local Discord. Its methods are safe for concurrent use.
type Server struct {
	opts    Options
	srv     *httptest.Server
	private ed25519.PrivateKey
	public  ed25519.PublicKey

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change; waiters select on it
	nextID     int64
	calls      []Call
	throttles  map[string]*throttle
	commands   map[string][]*discordgo.ApplicationCommand // by guild id; "" is global
	channels   map[string]*channel
	dms        map[string]string // user id → DM channel id
	refuseDMs  map[string]bool
	exchanges  map[string]*Exchange // by interaction id
	byToken    map[string]*Exchange // by interaction token
	conns      map[*gatewayConn]bool
	peakReady  int // the most sessions ever ready at once
	identifies []Identify
	files      map[string][]byte // attachment id → content
	limits     Limits
	global     window             // the bot's requests in the last second
	windows    map[string]*window // the route buckets, by key
	limited    int                // requests answered 429 for going over the limits
	released   chan struct{}      // closed when held replies may go; nil: none held
	held       int                // replies waiting for it

	connWG sync.WaitGroup // gateway connections being served
}

// Call is one REST request the server received.
type Call struct {
	Route         string // the route pattern, e.g. "POST /channels/{channel}/messages"
	Path          string // the request path without /api/v9
	RawQuery      string
	Authorization string
	Body          []byte
	Status        int // what the server answered
}

type channel struct {
	id       string
	guildID  string
	dmUser   string
	messages []*discordgo.Message
	nonces   map[string]*discordgo.Message // enforce_nonce's memory
}

type throttle struct {
	pass       int // calls still let through before the 429s
	remaining  int
	retryAfter time.Duration
}

// New starts a fake Discord; Close stops it.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "fake-token"
	}
	if opts.AppID == "" {
		opts.AppID = "900000000000000001"
	}
	if opts.BotUserID == "" {
		opts.BotUserID = "900000000000000002"
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 41250 * time.Millisecond
	}
	public, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("fakediscord: generate key: %v", err)) // the system's randomness failed
	}
	s := &Server{
		opts:      opts,
		private:   private,
		public:    public,
		changed:   make(chan struct{}),
		nextID:    1_100_000_000_000_000_000,
		throttles: map[string]*throttle{},
		commands:  map[string][]*discordgo.ApplicationCommand{},
		channels:  map[string]*channel{},
		dms:       map[string]string{},
		refuseDMs: map[string]bool{},
		exchanges: map[string]*Exchange{},
		byToken:   map[string]*Exchange{},
		conns:     map[*gatewayConn]bool{},
		files:     map[string][]byte{},
		limits:    opts.Limits.withDefaults(),
		windows:   map[string]*window{},
	}
	s.global = window{limit: s.limits.Global, per: time.Second}
	s.srv = httptest.NewServer(s.routes())
	return s
}

// Close closes every gateway connection and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	for c := range s.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	s.connWG.Wait()
	s.srv.Close()
}

// URL is the REST API's base URL, "http://127.0.0.1:port/api/v9/": what
// TENDERBOT_DISCORD_API_URL is set to.
func (s *Server) URL() string { return s.srv.URL + apiPrefix + "/" }

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// AppID is the application's id.
func (s *Server) AppID() string { return s.opts.AppID }

// PublicKey is the application's public key, hex-encoded, as the developer
// portal shows it: interactions posted by Deliver are signed with its
// private half.
func (s *Server) PublicKey() string { return hex.EncodeToString(s.public) }

// AddChannel makes a guild text channel the bot may post to. Posting to a
// channel the server does not know answers 404 Unknown Channel (10003).
func (s *Server) AddChannel(guildID, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[channelID] = &channel{id: channelID, guildID: guildID, nonces: map[string]*discordgo.Message{}}
	s.notifyLocked()
}

// RefuseDMs makes messages to the user's DM channel fail with 403 "Cannot
// send messages to this user" (50007), as when they turned DMs off.
func (s *Server) RefuseDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseDMs[userID] = true
}

// RateLimitNext answers the next n calls of route (e.g. "POST
// /channels/{channel}/messages") with 429, the JSON body Discord sends
// ({"message": "You are being rate limited.", "retry_after": …, "global":
// false}) and its rate-limit headers.
func (s *Server) RateLimitNext(route string, n int, retryAfter time.Duration) {
	s.RateLimit(route, 0, n, retryAfter)
}

// RateLimit lets the next after calls of route through, then answers n
// with 429 as RateLimitNext does.
func (s *Server) RateLimit(route string, after, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttles[route] = &throttle{pass: after, remaining: n, retryAfter: retryAfter}
}

// Calls returns every REST call received so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the calls received on one route.
func (s *Server) CallsTo(route string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Route == route {
			out = append(out, c)
		}
	}
	return out
}

// Commands returns the application commands registered for a guild, or
// the global ones for guildID "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*discordgo.ApplicationCommand(nil), s.commands[guildID]...)
}

// DMChannel returns the id of the DM channel the bot opened with a user.
func (s *Server) DMChannel(userID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.dms[userID]
	return id, ok
}

// Messages returns the messages posted to a channel, oldest first.
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.channels[channelID]; ok {
		return append([]*discordgo.Message(nil), c.messages...)
	}
	return nil
}

// DMs returns the messages the bot sent a user in their DM channel.
func (s *Server) DMs(userID string) []*discordgo.Message {
	id, ok := s.DMChannel(userID)
	if !ok {
		return nil
	}
	return s.Messages(id)
}

// Identifies returns the IDENTIFY payloads received on the gateway.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.identifies...)
}

// Wait returns once cond reports true, checking it after every change to
// the server's state, or ctx's error when ctx ends first. cond runs without
// the server's lock held, so it may call the server's methods.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("fakediscord: condition not met: %w", ctx.Err())
		case <-changed:
		}
	}
}

// WaitReady returns once a gateway session has identified and received
// READY.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.Wait(ctx, func() bool { return s.readyConns() > 0 })
}

// Sessions returns how many gateway sessions are ready now: one per bot
// process holding the gateway.
func (s *Server) Sessions() int { return s.readyConns() }

// PeakSessions returns the most gateway sessions that were ever ready at
// once.
func (s *Server) PeakSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peakReady
}

func (s *Server) readyConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readyConnsLocked()
}

// readyConnsLocked counts the ready sessions; s.mu must be held.
func (s *Server) readyConnsLocked() int {
	n := 0
	for _, ready := range s.conns {
		if ready {
			n++
		}
	}
	return n
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// newIDLocked returns a fresh snowflake-like id; s.mu must be held.
func (s *Server) newIDLocked() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func (s *Server) newID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

// handlerFunc serves one REST route with the request body already read.
type handlerFunc func(w http.ResponseWriter, r *http.Request, body []byte)

// routes is the server's mux: the REST API under /api/v9 and the gateway.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.route(mux, "GET /gateway", true, s.gateway)
	s.route(mux, "GET /gateway/bot", true, s.gatewayBot)
	s.route(mux, "PUT /applications/{app}/commands", true, s.overwriteCommands)
	s.route(mux, "PUT /applications/{app}/guilds/{guild}/commands", true, s.overwriteCommands)
	s.route(mux, "POST /users/@me/channels", true, s.createDM)
	s.route(mux, "POST /channels/{channel}/messages", true, s.createMessage)
	s.route(mux, "POST /interactions/{id}/{token}/callback", false, s.callback)
	s.route(mux, "PATCH /webhooks/{app}/{token}/messages/{message}", false, s.editReply)
	s.route(mux, "POST /webhooks/{app}/{token}", false, s.followUp)
	s.route(mux, "/", true, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
	})
	mux.HandleFunc("GET /gateway/", s.serveGateway)
	return mux
}

// route mounts h under /api/v9 with what every route shares: the call is
// recorded, the bot token checked where Discord checks it, a pending 429
// served, and the Limits kept.
func (s *Server) route(mux *http.ServeMux, pattern string, auth bool, h handlerFunc) {
	full := apiPrefix + pattern
	if method, path, ok := strings.Cut(pattern, " "); ok {
		full = method + " " + apiPrefix + path
	}
	mux.HandleFunc(full, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.mu.Lock()
			s.calls = append(s.calls, Call{
				Route:         pattern,
				Path:          strings.TrimPrefix(r.URL.Path, apiPrefix),
				RawQuery:      r.URL.RawQuery,
				Authorization: r.Header.Get("Authorization"),
				Body:          body,
				Status:        rec.status,
			})
			s.notifyLocked()
			s.mu.Unlock()
		}()
		if auth && r.Header.Get("Authorization") != "Bot "+s.opts.Token {
			writeError(rec, http.StatusUnauthorized, 0, "401: Unauthorized")
			return
		}
		if retryAfter, limited := s.takeThrottle(pattern); limited {
			writeRateLimit(rec, pattern, retryAfter)
			return
		}
		v := s.checkLimits(pattern, r, auth)
		if v.limited {
			writeLimited(rec, v)
			return
		}
		writeBucketHeaders(rec, v)
		h(rec, r, body)
	})
}

// takeThrottle reports whether this call of route is to be answered 429.
func (s *Server) takeThrottle(route string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.throttles[route]
	if !ok || t.remaining <= 0 {
		return 0, false
	}
	if t.pass > 0 {
		t.pass--
		return 0, false
	}
	t.remaining--
	return t.retryAfter, true
}

// writeRateLimit answers 429 the way Discord does: the delay in the JSON
// body (seconds, fractional) and in the headers.
func writeRateLimit(w http.ResponseWriter, route string, retryAfter time.Duration) {
	secs := retryAfter.Seconds()
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString([]byte(route))[:16])
	h.Set("X-RateLimit-Scope", "user")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message":     "You are being rate limited.",
		"retry_after": secs,
		"global":      false,
	})
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers with Discord's error body: {"message": …, "code": …}.
func writeError(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, map[string]any{"message": message, "code": code})
}

// writeInvalid answers 400 Invalid Form Body (50035) naming what is wrong.
func writeInvalid(w http.ResponseWriter, problem error) {
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"message": "Invalid Form Body",
		"code":    50035,
		"errors":  map[string]any{"_errors": []map[string]string{{"code": "BASE_TYPE_INVALID", "message": problem.Error()}}},
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// query reads a URL's query, ignoring errors: the fake is lenient where
// Discord is.
func query(raw string) url.Values {
	v, _ := url.ParseQuery(raw)
	return v
}
