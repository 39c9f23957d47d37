package discord

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// interactionLifetime is how long an interaction's token may be used to
// answer it: work on an interaction is pointless after that.
const interactionLifetime = 15 * time.Minute

// inflight owns the goroutines that answer interactions. The gateway's
// reader and the HTTP handler hand work to it and return at once; Run's
// shutdown stops intake, waits for the work and cuts off what overruns.
type inflight struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	stop   chan struct{} // closed when work still running must give up
	active int
}

func newInflight() *inflight { return &inflight{stop: make(chan struct{})} }

// Go runs fn in a goroutine with a context that ends when the interaction
// expires or shutdown cuts it off. It reports false, and runs nothing, once
// shutdown has begun.
func (w *inflight) Go(fn func(ctx context.Context)) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.wg.Add(1)
	w.active++
	go func() {
		defer func() {
			w.mu.Lock()
			w.active--
			w.mu.Unlock()
			w.wg.Done()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), interactionLifetime)
		defer cancel()
		go func() {
			select {
			case <-w.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		fn(ctx)
	}()
	return true
}

// Shutdown refuses new work, waits up to grace for the work running, then
// cancels what is left and waits for it to return. It returns how many
// were cut off.
func (w *inflight) Shutdown(grace time.Duration) int {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
		return 0
	case <-timer.C:
	}
	w.mu.Lock()
	cut := w.active
	w.mu.Unlock()
	close(w.stop)
	<-done
	return cut
}

// retry runs op until it succeeds, fails in a way no retry can fix, or ctx
// ends (then it returns nil: shutting down is no failure). It waits after
// each failure, doubling from a second up to a minute, or as long as a 429
// asks.
func retry(ctx context.Context, log *slog.Logger, what string, op func(context.Context) error) error {
	wait := time.Second
	for {
		err := op(ctx)
		if err == nil || ctx.Err() != nil {
			return nil
		}
		if fatalAtStart(err) {
			return err
		}
		delay := wait
		var limited *discordgo.RateLimitError
		if errors.As(err, &limited) {
			delay = max(limited.RetryAfter, time.Millisecond)
		}
		log.Warn("discord: will retry", "what", what, "in", delay, "err", redact(err))
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		wait = min(2*wait, time.Minute)
	}
}

// fatalAtStart reports errors that retrying cannot fix: the API refusing the
// token, the application or the command definition, or the gateway
// refusing the identification.
func fatalAtStart(err error) bool {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil {
		switch rest.Response.StatusCode {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return true
		}
	}
	var closed *websocket.CloseError
	if errors.As(err, &closed) {
		switch closed.Code {
		case 4004, 4010, 4011, 4012, 4013, 4014: // authentication failed, bad shard, bad version, bad or disallowed intents
			return true
		}
	}
	return false
}
