package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/storetest"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// epoch is the test clock's start.
var epoch = time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.UTC)

// openAt opens a store at url on clock and closes it when t ends.
func openAt(t testing.TB, url string, clock bot.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), url, Options{Clock: clock})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openTestStore opens a store in a fresh schema with a clock stopped at
// epoch.
func openTestStore(t testing.TB) (*Store, *bottest.Clock) {
	t.Helper()
	clock := bottest.NewClock(epoch)
	return openAt(t, pgtest.URL(t), clock), clock
}

// TestStoreContract runs the contract suite every bot.Store passes, each
// test in a schema of its own.
func TestStoreContract(t *testing.T) {
	pgtest.ServerURL(t)
	storetest.Run(t, func(t *testing.T, clock bot.Clock) bot.Store {
		return openAt(t, pgtest.URL(t), clock)
	})
}
