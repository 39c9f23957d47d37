package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/outbox"
)

// slowMessenger blocks every send until released, recording the ones that
// complete.
type slowMessenger struct {
	started chan struct{}
	release chan struct{}
	mu      sync.Mutex
	sent    []string
}

func (m *slowMessenger) Send(ctx context.Context, _ bot.Subscriber, msg bot.Message) (string, error) {
	m.started <- struct{}{}
	select {
	case <-m.release:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg.Cards[0].Notice.ID)
	return fmt.Sprint(len(m.sent)), nil
}

func TestShutdownFinishesTheSendInFlightAndKeepsTheRest(t *testing.T) {
	h := newHarness(t)
	var burst []string
	for i := range 5 {
		burst = append(burst, fmt.Sprintf("n-%d", i))
		h.alert(alice, burst[i])
	}

	slow := &slowMessenger{started: make(chan struct{}, 10), release: make(chan struct{})}
	w := outbox.New(outbox.Options{
		Store: h.store, Clock: h.clock,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: slow},
		SendGrace:  10 * time.Second,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	<-slow.started // a send is in flight
	cancel()       // shutdown begins
	close(slow.release)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(slow.sent) != 1 {
		t.Fatalf("sends completed during shutdown: got %d, want exactly the one in flight", len(slow.sent))
	}
	st, err := h.store.Stats(h.ctx)
	if err != nil || st.Pending != 4 {
		t.Fatalf("pending after shutdown: got %d (%v), want 4 left for the next start", st.Pending, err)
	}

	// The next start delivers the rest, none twice.
	chat := &bottest.Messenger{}
	if err := h.worker(chat).DeliverDue(h.ctx); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	seen := map[string]int{slow.sent[0]: 1}
	for _, s := range chat.Sent() {
		seen[s.Message.Cards[0].Notice.ID]++
	}
	for _, id := range burst {
		if seen[id] != 1 {
			t.Errorf("notice %s delivered %d times, want once", id, seen[id])
		}
	}
}
