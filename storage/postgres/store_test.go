package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/storetest"
)

// testURLVar names the variable the tests read the server's URL from.
const testURLVar = "TENDERBOT_TEST_POSTGRES_URL"

// epoch is the test clock's start.
var epoch = time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.UTC)

// serverURL returns the URL of the PostgreSQL server the tests use, or
// skips the test when none is configured.
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(testURLVar)
	if u == "" {
		t.Skipf("%s is not set: the PostgreSQL store is tested on a real server; run "+
			"%s=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable go test ./storage/postgres/", testURLVar, testURLVar)
	}
	return u
}

var prepareOnce sync.Once

// prepare installs the unaccent extension once for the whole run, when the
// server has it, so that the schemas the tests make in parallel do not
// race to install it.
func prepare(t testing.TB, server string) {
	prepareOnce.Do(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Fatalf("connect to %s: %v", server, err)
		}
		defer conn.Close(ctx)
		var available bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent')`).Scan(&available); err != nil {
			t.Fatal(err)
		}
		if available {
			if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`); err != nil {
				t.Logf("unaccent not installed (%v): the fold falls back on translate()", err)
			}
		}
	})
}

// freshSchema makes an empty schema on the test server, dropped when t
// ends, and returns the URL that opens a store in it.
func freshSchema(t testing.TB) string {
	t.Helper()
	server := serverURL(t)
	prepare(t, server)
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "tenderbot_test_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to %s: %v", server, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	return u.String()
}

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
	return openAt(t, freshSchema(t), clock), clock
}

// TestStoreContract runs the contract suite every bot.Store passes, each
// test in a schema of its own.
func TestStoreContract(t *testing.T) {
	serverURL(t)
	storetest.Run(t, func(t *testing.T, clock bot.Clock) bot.Store {
		return openAt(t, freshSchema(t), clock)
	})
}
