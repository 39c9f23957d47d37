package slack

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxRequestBytes bounds the body of a request from Slack.
const maxRequestBytes = 1 << 20

// maxClockSkew is how far a request's timestamp may be from now: Slack's
// rule against replaying old requests.
const maxClockSkew = 5 * time.Minute

// The paths HTTPHandler serves, to enter as the Request URLs of the app.
const (
	EventsPath        = "/slack/events"
	CommandsPath      = "/slack/commands"
	InteractivityPath = "/slack/interactivity"
)

// errReplayed reports a request whose signature was seen before.
var errReplayed = errors.New("the same signed request came before (a replay)")

// HTTPHandler serves Slack's HTTP mode: POST /slack/events (Events API),
// /slack/commands (the slash command) and /slack/interactivity (buttons,
// modals, select options). Every request must carry a valid signature made
// with the signing secret, a timestamp within five minutes, and a signature
// not seen before; otherwise it is answered 401. Requests before Run starts
// are answered 503, so Slack tries again. An app distributed to many
// workspaces also serves GET /slack/install (the Add to Slack page) and
// GET /slack/oauth/callback, where Slack sends the browser back.
func (s *Slack) HTTPHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+EventsPath, s.verified(s.serveEvents))
	mux.Handle("POST "+CommandsPath, s.verified(s.serveCommand))
	mux.Handle("POST "+InteractivityPath, s.verified(s.serveInteractivity))
	if s.distributed() && s.opts.ClientID != "" && s.opts.Installations != nil {
		// A person's browser, not Slack, asks for these: nothing to sign.
		mux.HandleFunc("GET "+InstallPath, s.serveInstall)
		mux.HandleFunc("GET "+OAuthCallbackPath, s.serveCallback)
	}
	return mux
}

// verifiedHandler serves a request whose signature has been checked.
type verifiedHandler func(w http.ResponseWriter, r *http.Request, body []byte, core Core)

// verified reads the body, checks the signature and hands the request on.
func (s *Slack) verified(next verifiedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
		if err != nil {
			http.Error(w, "request body too large or unreadable", http.StatusRequestEntityTooLarge)
			return
		}
		at, err := s.verify(r.Header, body)
		if err != nil {
			s.log.Warn("refused a Slack request", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		core := s.currentCore()
		if core == nil { // not remembered: Slack may send it again
			http.Error(w, "starting up; try again", http.StatusServiceUnavailable)
			return
		}
		// Remembered until its timestamp is stale anyway, by the signature's
		// bytes: hex in another case is the same signature.
		fresh, err := s.replays.SeenRequest(r.Context(), "slack:"+signatureKey(r.Header), s.opts.Now(), at.Add(maxClockSkew+time.Second))
		if err != nil {
			s.log.Error("remember a Slack request", "err", err)
			http.Error(w, "cannot check for a replay; try again", http.StatusServiceUnavailable)
			return
		}
		if !fresh {
			s.log.Warn("refused a Slack request", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", errReplayed)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body, core)
	})
}

// verify checks a request as Slack signs it: the timestamp is recent and
// the signature is HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing
// secret. It returns the signed timestamp.
func (s *Slack) verify(h http.Header, body []byte) (time.Time, error) {
	if s.opts.SigningSecret == "" {
		return time.Time{}, errors.New("no signing secret is configured")
	}
	ts, err := strconv.ParseInt(h.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil {
		return time.Time{}, errors.New("no valid X-Slack-Request-Timestamp")
	}
	at := time.Unix(ts, 0)
	if skew := s.opts.Now().Sub(at).Abs(); skew > maxClockSkew {
		return time.Time{}, fmt.Errorf("stale timestamp, %s off", skew.Round(time.Second))
	}
	sv, err := slackapi.NewSecretsVerifier(h, s.opts.SigningSecret)
	if err != nil {
		return time.Time{}, fmt.Errorf("signature: %w", err)
	}
	if _, err := sv.Write(body); err != nil {
		return time.Time{}, fmt.Errorf("signature: %w", err)
	}
	if err := sv.Ensure(); err != nil {
		return time.Time{}, fmt.Errorf("signature: %w", err)
	}
	return at, nil
}

// signatureKey is a verified request's signature in one spelling: its bytes
// in lower-case hex.
func signatureKey(h http.Header) string {
	b, err := hex.DecodeString(strings.TrimPrefix(h.Get("X-Slack-Signature"), "v0="))
	if err != nil { // verified already; kept as sent all the same
		return h.Get("X-Slack-Signature")
	}
	return hex.EncodeToString(b)
}

// serveCommand takes the slash command.
func (s *Slack) serveCommand(w http.ResponseWriter, r *http.Request, body []byte, core Core) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slackapi.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	s.respond(w, s.handleSlashCommand(core, cmd))
}

// serveInteractivity takes button clicks, modal submissions and requests for
// select options.
func (s *Slack) serveInteractivity(w http.ResponseWriter, r *http.Request, body []byte, core Core) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "malformed form", http.StatusBadRequest)
		return
	}
	ic, err := parseInteraction([]byte(form.Get("payload")))
	if err != nil {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	s.respond(w, s.handleInteraction(r.Context(), core, ic))
}

// serveEvents takes Events API events, and answers the URL check Slack
// makes when the Request URL is entered.
func (s *Slack) serveEvents(w http.ResponseWriter, _ *http.Request, body []byte, core Core) {
	var outer struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch outer.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"challenge": outer.Challenge})
		return
	case slackevents.CallbackEvent:
	default:
		w.WriteHeader(http.StatusOK) // app_rate_limited and the like: nothing to do
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// An event type slack-go does not know: taken, and not handled, so
		// Slack does not send it again.
		s.log.Debug("Slack event not understood", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	s.respond(w, s.handleEvent(core, ev))
}

// respond starts the work after the ack and writes the ack. When the work
// cannot start (shutting down), Slack is told to try again.
func (s *Slack) respond(w http.ResponseWriter, h handled) {
	if h.then != nil && !s.tasks.spawn(h.then) {
		http.Error(w, "shutting down; try again", http.StatusServiceUnavailable)
		return
	}
	if h.ack == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(h.ack); err != nil {
		s.log.Warn("could not answer a Slack request", "err", err)
	}
}
