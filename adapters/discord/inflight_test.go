package discord

import (
	"context"
	"testing"
	"time"
)

func TestInflightShutdown(t *testing.T) {
	w := newInflight()
	finished := make(chan struct{})
	w.Go(func(context.Context) { close(finished) })
	stuck := make(chan error, 1)
	w.Go(func(ctx context.Context) {
		<-ctx.Done() // work that only ends when cut off
		stuck <- ctx.Err()
	})
	<-finished
	if cut := w.Shutdown(50 * time.Millisecond); cut != 1 {
		t.Errorf("cut off %d, want the stuck one", cut)
	}
	if err := <-stuck; err == nil {
		t.Error("the stuck work's context did not end")
	}
	if w.Go(func(context.Context) { t.Error("work ran after shutdown") }) {
		t.Error("Go accepted work after shutdown")
	}
}

func TestInflightShutdownWaitsForWorkInTime(t *testing.T) {
	w := newInflight()
	release := make(chan struct{})
	done := make(chan struct{})
	w.Go(func(ctx context.Context) {
		<-release
		if ctx.Err() != nil {
			t.Error("work within the grace was cancelled")
		}
		close(done)
	})
	go func() { close(release) }()
	if cut := w.Shutdown(10 * time.Second); cut != 0 {
		t.Errorf("cut off %d, want none", cut)
	}
	select {
	case <-done:
	default:
		t.Error("Shutdown returned before the work did")
	}
}
