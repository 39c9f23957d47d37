package discord

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

const (
	// maxInteractionBody bounds a posted interaction; real ones are a few
	// kilobytes.
	maxInteractionBody = 1 << 20
	// signatureWindow is how far a request's signed timestamp may be from
	// now. Discord sends at once; an old signed request is a replay.
	signatureWindow = 5 * time.Minute
	// maxReplays bounds the signatures remembered within the window.
	maxReplays = 100_000
)

// InteractionHandler serves Discord's HTTP interactions (the application's
// "Interactions Endpoint URL"): it verifies the Ed25519 signature over the
// timestamp and body, refuses timestamps more than 5 minutes off and
// requests seen before (401 for each, as Discord expects for a bad
// signature), answers PING with PONG, and answers other interactions the
// way the gateway does — the first response in the HTTP answer, the work
// after it. Use it only when Options.PublicKey is set.
func (d *Discord) InteractionHandler(core Core) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.publicKey == nil {
			http.Error(w, "HTTP interactions are off: no public key is configured", http.StatusNotFound)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxInteractionBody)
		if !discordgo.VerifyInteraction(r, d.publicKey) {
			d.log.Info("refused interaction: bad signature", "remote", r.RemoteAddr)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		if err := d.checkFresh(r.Header.Get("X-Signature-Timestamp"), r.Header.Get("X-Signature-Ed25519")); err != nil {
			d.log.Info("refused interaction", "reason", err.Error(), "remote", r.RemoteAddr)
			status := http.StatusUnauthorized
			if errors.Is(err, errTooManySignatures) {
				status = http.StatusServiceUnavailable
			}
			http.Error(w, err.Error(), status)
			return
		}
		body, err := io.ReadAll(r.Body) // VerifyInteraction put the body back
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "not an interaction", http.StatusBadRequest)
			return
		}
		resp, then := d.plan(core, &i)
		if resp == nil {
			http.Error(w, "unsupported interaction", http.StatusBadRequest)
			return
		}
		answer, err := json.Marshal(resp)
		if err != nil {
			d.log.Error("encode interaction response", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		// The work edits the response, so it waits until the response is
		// on its way; it is taken on first, so that a bot shutting down
		// refuses the interaction instead of deferring it for nothing.
		answered := make(chan struct{})
		if then != nil && !d.work.Go(func(ctx context.Context) {
			select {
			case <-answered:
				then(ctx)
			case <-ctx.Done():
			}
		}) {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		close(answered)
	})
}

var (
	errStale             = errors.New("request timestamp outside the 5-minute window")
	errReplayed          = errors.New("request seen before")
	errTooManySignatures = errors.New("too many requests to remember; try again")
)

// checkFresh refuses a signed request whose timestamp is off by more than
// the window, or whose signature was seen within it.
func (d *Discord) checkFresh(timestamp, signature string) error {
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errStale
	}
	now := d.now()
	if skew := now.Sub(time.Unix(secs, 0)); skew > signatureWindow || skew < -signatureWindow {
		return errStale
	}
	return d.replays.first(signature, now)
}

// replays remembers the signatures of recent requests. A signature covers
// the timestamp and the body, so a request sent again has the same one;
// after the window the timestamp check refuses it, and it is forgotten.
type replays struct {
	mu   sync.Mutex
	seen map[string]time.Time // signature → when it may be forgotten
}

func newReplays() *replays { return &replays{seen: map[string]time.Time{}} }

// first records a signature and reports errReplayed when it was seen
// before. When full of signatures still within the window it fails closed.
func (r *replays) first(signature string, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if until, ok := r.seen[signature]; ok && now.Before(until) {
		return errReplayed
	}
	if len(r.seen) >= maxReplays {
		for sig, until := range r.seen {
			if !now.Before(until) {
				delete(r.seen, sig)
			}
		}
		if len(r.seen) >= maxReplays {
			return errTooManySignatures
		}
	}
	// Remembered for two windows: a timestamp may be up to one window in
	// the future.
	r.seen[signature] = now.Add(2 * signatureWindow)
	return nil
}
