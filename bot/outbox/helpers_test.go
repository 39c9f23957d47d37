package outbox_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// The people the tests send to, on the platform the worker has a
// messenger for.
var alice, bob, carol = person("alice"), person("bob"), person("carol")

// person is a console user.
func person(user string) bot.Subscriber {
	return bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: user}
}

// harness is an outbox on a real SQLite file with a fixed clock.
type harness struct {
	t     *testing.T
	ctx   context.Context
	store *sqlite.Store
	clock *bottest.Clock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	clock := bottest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return &harness{t: t, ctx: ctx, store: store, clock: clock}
}

// worker returns a worker on the harness's store and clock that sends
// through m on the console platform.
func (h *harness) worker(m bot.Messenger) *outbox.Worker {
	return outbox.New(outbox.Options{
		Store: h.store, Clock: h.clock,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: m},
	})
}

// alert enqueues, due now, the alert the core makes when a notice matches
// one of to's profiles: one card, keyed by subscriber and notice.
func (h *harness) alert(to bot.Subscriber, noticeID string) {
	h.t.Helper()
	d := bot.Delivery{
		Key: bot.AlertKey(to, noticeID), To: to, Purpose: bot.PurposeAlert, NoticeID: noticeID,
		Message: bot.Message{Cards: []bot.Card{{Notice: bot.Notice{ID: noticeID, Title: "Onderhoud " + noticeID}}}},
		DueAt:   h.clock.Now(),
	}
	if ok, err := h.store.Enqueue(h.ctx, &d); err != nil || !ok {
		h.t.Fatalf("enqueue %s: got %v, %v; want a new delivery", d.Key, ok, err)
	}
}
