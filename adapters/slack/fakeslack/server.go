package fakeslack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Options configure a fake Slack. Zero fields take the defaults shown.
type Options struct {
	BotToken     string        // accepted for Web API methods; "xoxb-fake-bot-token"
	AppToken     string        // accepted for apps.connections.open; "xapp-fake-app-token"
	TeamID       string        // the workspace; "T0FAKE"
	BotUserID    string        // the bot's user; "UFAKEBOT"
	AppID        string        // the app; "AFAKEAPP"
	PingInterval time.Duration // how often the socket pings; 2s
	// PostGap, when set, enforces Slack's limit on chat.postMessage: a
	// post to a channel sooner than PostGap after the previous one is
	// answered 429 with Retry-After (Slack allows about one a second).
	PostGap time.Duration
	// Admins are the workspace's admins and owners: users.info says so of
	// them (is_admin, is_owner).
	Admins []string
	// ChannelCreators are who made each channel, by channel ID:
	// conversations.info says so (creator).
	ChannelCreators map[string]string
	// ClientID and ClientSecret are the app's OAuth credentials, for
	// oauth.v2.access; "fake-client-id" and "fake-client-secret".
	ClientID     string
	ClientSecret string
}

// Call is one request the bot made to the fake: a Web API method, or a post
// to a response URL (Method "response_url").
type Call struct {
	Method string
	Token  string          // the token presented, in a token= field or a Bearer header
	Team   string          // the workspace the token works in, "" when it works in none
	Form   url.Values      // the form body; nil for a JSON body
	JSON   json.RawMessage // the JSON body; nil for a form body
	Status int             // the HTTP status answered
	Error  string          // the Slack error answered, "" when ok
	TS     string          // the message ts answered by chat.postMessage / chat.postEphemeral
	URL    string          // for response_url posts, the URL posted to
}

// OK reports whether the call was answered with success.
func (c Call) OK() bool { return c.Status == http.StatusOK && c.Error == "" }

// Param returns a parameter of the call: a form field, or a top-level field
// of the JSON body (strings as they are, anything else as JSON text). Form
// fields that carry JSON, like blocks, come back as that JSON text too.
func (c Call) Param(name string) string {
	if c.Form != nil {
		return c.Form.Get(name)
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(c.JSON, &fields) != nil {
		return ""
	}
	raw, ok := fields[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// Server is a fake Slack. Its methods are safe for concurrent use.
type Server struct {
	opts     Options
	http     *httptest.Server
	upgrader websocket.Upgrader

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever something is recorded
	calls     []Call
	throttle  map[string][]time.Duration // method → Retry-After of its next calls
	failures  map[string][]string        // method → Slack error of its next calls
	seq       int
	tickets   map[string]bool
	triggers  map[string]trigger
	conns     []*conn
	acks      map[string]chan Ack
	views     map[string]*View
	stacks    map[string][]string // user → modal view IDs, bottom first
	homes     map[string]json.RawMessage
	files     map[string]*File
	lastPost  map[string]time.Time     // channel → when its last post was accepted
	users     map[string]string        // user id → name: the workspace's people, for users.info
	locales   map[string]string        // user id → locale, for users.info with include_locale
	grants    map[string]*grant        // OAuth code → what it was given for
	installed map[string]*installation // bot token handed out by oauth.v2.access → its workspace
}

// trigger is a trigger_id handed out with an interaction.
type trigger struct {
	user   string
	issued time.Time
	used   bool
}

// triggerLifetime is how long Slack accepts a trigger_id.
const triggerLifetime = 3 * time.Second

// New starts a fake Slack. Close it when done.
func New(opts Options) *Server {
	if opts.BotToken == "" {
		opts.BotToken = "xoxb-fake-bot-token"
	}
	if opts.AppToken == "" {
		opts.AppToken = "xapp-fake-app-token"
	}
	if opts.TeamID == "" {
		opts.TeamID = "T0FAKE"
	}
	if opts.BotUserID == "" {
		opts.BotUserID = "UFAKEBOT"
	}
	if opts.AppID == "" {
		opts.AppID = "AFAKEAPP"
	}
	if opts.ClientID == "" {
		opts.ClientID = "fake-client-id"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "fake-client-secret"
	}
	if opts.PingInterval <= 0 {
		opts.PingInterval = 2 * time.Second
	}
	s := &Server{
		opts:      opts,
		changed:   make(chan struct{}),
		users:     map[string]string{},
		locales:   map[string]string{},
		throttle:  map[string][]time.Duration{},
		failures:  map[string][]string{},
		tickets:   map[string]bool{},
		triggers:  map[string]trigger{},
		acks:      map[string]chan Ack{},
		views:     map[string]*View{},
		stacks:    map[string][]string{},
		homes:     map[string]json.RawMessage{},
		files:     map[string]*File{},
		grants:    map[string]*grant{},
		installed: map[string]*installation{},
	}
	s.upgrader = websocket.Upgrader{CheckOrigin: checkOrigin}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", s.serveMethod)
	mux.HandleFunc("POST /response/{id}", s.serveResponseURL)
	mux.HandleFunc("POST /upload/{id}", s.serveUpload)
	mux.HandleFunc("GET /link/", s.serveLink)
	mux.HandleFunc("GET /oauth/v2/authorize", s.serveAuthorize)
	s.http = httptest.NewServer(mux)
	return s
}

// Close drops every socket connection and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	s.http.Close()
}

// APIURL is the Web API base URL, for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.http.URL + "/api/" }

// URL is the server's base URL.
func (s *Server) URL() string { return s.http.URL }

// Options returns the options in effect, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Calls returns the calls made so far to the given methods, in order; with
// no method, every call.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall waits until a call to method for which match reports true (nil
// matches any) has been answered, and returns the first such call.
func (s *Server) WaitCall(ctx context.Context, method string, match func(Call) bool) (Call, error) {
	var found Call
	err := s.wait(ctx, func() bool {
		for _, c := range s.calls {
			if c.Method == method && (match == nil || match(c)) {
				found = c
				return true
			}
		}
		return false
	})
	if err != nil {
		return Call{}, fmt.Errorf("fakeslack: waiting for a %s call: %w", method, err)
	}
	return found, nil
}

// RateLimit makes the next n calls of method answer 429 with a Retry-After
// of retryAfter (whole seconds, at least 1).
func (s *Server) RateLimit(method string, n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.throttle[method] = append(s.throttle[method], retryAfter)
	}
}

// Fail makes the next n calls of method answer with the Slack error code
// (ok:false), e.g. "channel_not_found".
func (s *Server) Fail(method, slackError string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], slackError)
	}
}

// wait calls cond under the lock each time something is recorded, until it
// reports true or ctx is done.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
		changed := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// notifyLocked wakes everything waiting in wait. Call it with s.mu held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// nextIDLocked returns a new identifier with the prefix. Call it with s.mu
// held.
func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

// record stores a call and wakes waiters.
func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// readCall reads a request's body and token into a Call.
func readCall(r *http.Request, method string) (Call, error) {
	c := Call{Method: method}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return c, err
	}
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ctype == "application/json":
		if len(body) > 0 {
			if !json.Valid(body) {
				return c, fmt.Errorf("invalid JSON body")
			}
			c.JSON = body
		} else {
			c.JSON = json.RawMessage("{}")
		}
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return c, err
		}
		for k, v := range r.URL.Query() {
			form[k] = append(form[k], v...)
		}
		c.Form = form
	}
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		c.Token = bearer
	} else if c.Form != nil {
		c.Token = c.Form.Get("token")
	}
	return c, nil
}

// serveMethod answers a Web API method.
func (s *Server) serveMethod(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	c, err := readCall(r, method)
	if err != nil {
		c.Status, c.Error = http.StatusOK, "invalid_form_data"
		s.record(c)
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": c.Error})
		return
	}
	retry, limited := s.takeThrottle(method)
	if !limited && method == "chat.postMessage" {
		retry, limited = s.enforcePostGap(c.Param("channel"))
	}
	if limited {
		c.Status, c.Error = http.StatusTooManyRequests, "ratelimited"
		s.record(c)
		w.Header().Set("Retry-After", fmt.Sprint(max(1, int(retry.Round(time.Second)/time.Second))))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	result, slackErr := s.answer(&c, r)
	c.Status, c.Error = http.StatusOK, slackErr
	if slackErr != "" {
		result = map[string]any{"ok": false, "error": slackErr}
	} else {
		result["ok"] = true
	}
	s.record(c)
	writeJSON(w, http.StatusOK, result)
}

// answer runs a method: a queued failure, the token check, then the method.
// A Web API method takes Options.BotToken (for Options.TeamID) or a token
// oauth.v2.access handed out and not revoked (for its workspace), and
// records the workspace in c.Team; oauth.v2.access takes the client's
// credentials instead.
func (s *Server) answer(c *Call, r *http.Request) (map[string]any, string) {
	if slackErr := s.takeFailure(c.Method); slackErr != "" {
		return nil, slackErr
	}
	switch {
	case c.Method == "oauth.v2.access":
		return s.oauthAccess(c, r)
	case c.Token == "":
		return nil, "not_authed"
	case c.Method == "apps.connections.open":
		if c.Token != s.opts.AppToken {
			return nil, "invalid_auth"
		}
	default:
		s.mu.Lock()
		team, _, slackErr := s.tokenTeamLocked(c.Token)
		s.mu.Unlock()
		if slackErr != "" {
			return nil, slackErr
		}
		c.Team = team
	}
	handler, ok := s.methods()[c.Method]
	if !ok {
		return nil, "unknown_method"
	}
	return handler(c)
}

func (s *Server) takeThrottle(method string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.throttle[method]
	if len(q) == 0 {
		return 0, false
	}
	s.throttle[method] = q[1:]
	return q[0], true
}

func (s *Server) takeFailure(method string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.failures[method]
	if len(q) == 0 {
		return ""
	}
	s.failures[method] = q[1:]
	return q[0]
}

// newResponseURL hands out a response_url that records what is posted to it.
func (s *Server) newResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.http.URL + "/response/" + s.nextIDLocked("R")
}

// serveResponseURL records a post to a response_url, as Slack would show
// it to the person.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	c, err := readCall(r, "response_url")
	c.URL = s.http.URL + r.URL.Path
	c.Status = http.StatusOK
	if err != nil || c.JSON == nil {
		c.Error = "invalid_payload"
		s.record(c)
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "error": c.Error})
		return
	}
	if retry, limited := s.takeThrottle("response_url"); limited {
		c.Status, c.Error = http.StatusTooManyRequests, "ratelimited"
		s.record(c)
		w.Header().Set("Retry-After", fmt.Sprint(max(1, int(retry.Round(time.Second)/time.Second))))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	if failure := s.takeFailure("response_url"); failure != "" {
		// As Slack answers a response_url past its 30 minutes or 5 uses:
		// 404 with the reason, e.g. "expired_url".
		c.Status, c.Error = http.StatusNotFound, failure
		s.record(c)
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": failure})
		return
	}
	s.record(c)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// serveUpload takes a file's bytes at the URL files.getUploadURLExternal
// handed out, as a multipart form field "file" or as the raw body.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var data []byte
	if f, _, err := r.FormFile("file"); err == nil {
		data, _ = io.ReadAll(f)
		f.Close()
	} else {
		data, _ = io.ReadAll(io.LimitReader(r.Body, 4<<20))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notifyLocked()
	file, ok := s.files[id]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	file.Data, file.Uploaded = data, true
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "OK - %d", len(data))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// checkOrigin accepts the Origin slack-go sends (https://api.slack.com) and
// clients that send none.
func checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	return origin == "" || origin == "https://api.slack.com"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// enforcePostGap reports whether a post to channel now breaks PostGap, and
// how long to wait; an allowed post is remembered. A little slack (50 ms)
// forgives clocks measured at both ends.
func (s *Server) enforcePostGap(channel string) (time.Duration, bool) {
	if s.opts.PostGap <= 0 {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastPost == nil {
		s.lastPost = map[string]time.Time{}
	}
	now := time.Now()
	if last, ok := s.lastPost[channel]; ok {
		if wait := s.opts.PostGap - now.Sub(last); wait > 50*time.Millisecond {
			return wait, true
		}
	}
	s.lastPost[channel] = now
	return 0, false
}
