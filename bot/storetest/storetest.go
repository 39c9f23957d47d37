// Package storetest is the contract suite every bot.Store passes: the
// behaviour the core relies on, written only against the bot.Store
// interface, so that a second store (PostgreSQL next to SQLite) is held to
// exactly what the first one is. A store's own package runs it from a test:
//
//	func TestStoreContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, clock bot.Clock) bot.Store {
//			return openFresh(t, clock) // a new, empty store on clock
//		})
//	}
//
// What only one store can show (its SQL, its schema, its files) stays in
// that store's own tests.
package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// Open returns a new, empty store that stamps the times it sets itself
// (creation times, first seen, the due time of a delivery given none) with
// clock, and closes it when t ends (t.Cleanup). Every test gets its own
// store, and tests run in parallel.
type Open func(t *testing.T, clock bot.Clock) bot.Store

// test is one behaviour of the contract, run on a fresh store whose clock
// stands at epoch.
type test struct {
	name string
	run  func(t *testing.T, s bot.Store, clock *bottest.Clock)
}

// Run runs every test of the suite, each as a parallel subtest named after
// the behaviour, on a store of its own from open.
func Run(t *testing.T, open Open) {
	var tests []test
	for _, group := range [][]test{
		profileTests(), noticeTests(), feedTests(), outboxTests(), feedbackTests(),
		eventTests(), privacyTests(), concurrencyTests(), fanOutTests(), chunkTests(), replayTests(), installTests(), chatStateTests(),
	} {
		tests = append(tests, group...)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := bottest.NewClock(epoch)
			tt.run(t, open(t, clock), clock)
		})
	}
}

// epoch is the test clock's start: every time the store stamps itself is
// derived from it.
var epoch = time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.UTC)

// The people the suite's data belongs to.
var (
	alice   = bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-alice"}
	bob     = bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-bob"}
	carol   = bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-carol"}
	channel = bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C-bouw"}
	zoe     = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "zoë"}
	people  = []bot.Subscriber{alice, bob, carol, channel, zoe}
)

// equal fails the test unless got and want are deeply equal, showing both
// with field names.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// wantCode fails the test unless err carries the core error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := bot.ErrorCode(err); got != code {
		t.Errorf("%s: got error %v (code %q), want code %q", what, err, got, code)
	}
}
