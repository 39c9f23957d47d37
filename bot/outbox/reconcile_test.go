package outbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// findingMessenger records sends and says which keys the platform has.
type findingMessenger struct {
	bottest.Messenger
	has map[string]string // key → message id
}

func (m *findingMessenger) Find(_ context.Context, _ bot.Subscriber, key string) (string, bool, error) {
	id, ok := m.has[key]
	return id, ok, nil
}

func TestRestartReconcilesInterruptedSends(t *testing.T) {
	h := newHarness(t)
	h.alert(alice, "n-sporthal")
	h.alert(bob, "n-sporthal")
	// A crash after both alerts were handed to the platform, before either
	// was recorded: alice's arrived, bob's did not.
	due, err := h.store.DueDeliveries(h.ctx, []bot.Platform{bot.PlatformConsole}, h.clock.Now(), 0, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %d, %v", len(due), err)
	}
	for _, d := range due {
		if err := h.store.MarkSending(h.ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	platform := &findingMessenger{has: map[string]string{bot.AlertKey(alice, "n-sporthal"): "ts-1"}}
	restarted := h.worker(platform)
	if err := restarted.DeliverDue(h.ctx); err != nil {
		t.Fatal(err)
	}
	sent := platform.Sent()
	if len(sent) != 1 || sent[0].To != bob {
		t.Fatalf("after the restart: sent %+v, want only bob's alert again", sent)
	}
	if id, _ := h.store.SentMessageID(h.ctx, bot.AlertKey(alice, "n-sporthal")); id != "ts-1" {
		t.Errorf("alice's alert: recorded message id %q, want the platform's ts-1", id)
	}
	if !strings.HasPrefix(sent[0].Message.Key, "alert:") {
		t.Errorf("the message carries key %q, want its idempotency key", sent[0].Message.Key)
	}
}
