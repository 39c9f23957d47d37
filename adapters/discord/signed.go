package discord

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
		if err := d.checkFresh(r.Context(), r.Header.Get("X-Signature-Timestamp"), r.Header.Get("X-Signature-Ed25519")); err != nil {
			d.log.Info("refused interaction", "reason", err.Error(), "remote", r.RemoteAddr)
			status, say := http.StatusUnauthorized, err.Error()
			if !errors.Is(err, errStale) && !errors.Is(err, errReplayed) {
				status, say = http.StatusServiceUnavailable, "cannot check for a replay; try again"
			}
			http.Error(w, say, status)
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
		// An acknowledgement ("thinking…") is kept in the store before it
		// goes, so that another replica answers it should this one die.
		answered := make(chan struct{})
		if then != nil {
			d.pending.begin(r.Context(), &i)
		}
		if then != nil && !d.work.Go(func(ctx context.Context) {
			select {
			case <-answered:
				d.pending.answer(ctx, i.ID, then)
			case <-ctx.Done():
				d.pending.release(i.ID)
			}
		}) {
			d.pending.forget(r.Context(), i.ID)
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
// the window, or whose signature was seen within it. The signature is
// remembered by its bytes, so hex in another case is the same one, until
// its timestamp is stale anyway.
func (d *Discord) checkFresh(ctx context.Context, timestamp, signature string) error {
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errStale
	}
	now, at := d.now(), time.Unix(secs, 0)
	if skew := now.Sub(at); skew > signatureWindow || skew < -signatureWindow {
		return errStale
	}
	sig, err := hex.DecodeString(signature)
	if err != nil { // verified already, so hex
		return errStale
	}
	fresh, err := d.replays.SeenRequest(ctx, "discord:"+hex.EncodeToString(sig), now, at.Add(signatureWindow+time.Second))
	if err != nil {
		return fmt.Errorf("remember the signature: %w", err)
	}
	if !fresh {
		return errReplayed
	}
	return nil
}

// replays remembers the signatures of recent requests in memory, for an
// adapter without a store. A signature covers the timestamp and the body,
// so a request sent again has the same one; after the window the timestamp
// check refuses it, and it is forgotten.
type replays struct {
	mu   sync.Mutex
	seen map[string]time.Time // signature → when it may be forgotten
}

func newReplays() *replays { return &replays{seen: map[string]time.Time{}} }

// SeenRequest records a signature until expires and reports whether it was
// fresh. When full of signatures still within the window it fails closed
// with errTooManySignatures.
func (r *replays) SeenRequest(_ context.Context, signature string, now, expires time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if until, ok := r.seen[signature]; ok && now.Before(until) {
		return false, nil
	}
	if len(r.seen) >= maxReplays {
		for sig, until := range r.seen {
			if !now.Before(until) {
				delete(r.seen, sig)
			}
		}
		if len(r.seen) >= maxReplays {
			return false, errTooManySignatures
		}
	}
	r.seen[signature] = expires
	return true, nil
}
