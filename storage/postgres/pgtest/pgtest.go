// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema on the server named by TENDERBOT_TEST_POSTGRES_URL, dropped when
// the test ends. Without the variable the test is skipped, saying how to
// run it. The tests of storage/postgres and of the commands use it; there
// is no stand-in for the real server.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Var names the variable the tests read the server's URL from.
const Var = "TENDERBOT_TEST_POSTGRES_URL"

// ServerURL returns the URL of the PostgreSQL server the tests use, or
// skips the test when none is configured.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(Var)
	if u == "" {
		t.Skipf("%s is not set: the PostgreSQL tests need a real server; run them with "+
			"%s=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable go test ./... (.ci/run sets it)", Var, Var)
	}
	return u
}

var prepareOnce sync.Once

// prepare installs the unaccent extension once for the whole run, when the
// server has it, so that the schemas tests make in parallel do not race to
// install it.
func prepare(t testing.TB, server string) {
	prepareOnce.Do(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Fatalf("connect to %s: %v", Var, err)
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

// Schema makes an empty schema on the test server, dropped when t ends,
// and returns its name and the URL of a connection whose search_path
// starts with it (then public, where extensions live).
func Schema(t testing.TB) (name, connURL string) {
	t.Helper()
	server := ServerURL(t)
	prepare(t, server)
	b := make([]byte, 6)
	rand.Read(b)
	name = "tenderbot_test_" + hex.EncodeToString(b)
	Exec(t, server, `CREATE SCHEMA `+name)
	t.Cleanup(func() { Exec(t, server, `DROP SCHEMA `+name+` CASCADE`) })
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", Var, err)
	}
	q := u.Query()
	q.Set("search_path", name+",public")
	q.Set("pool_max_conns", "4")
	u.RawQuery = q.Encode()
	return name, u.String()
}

// URL is Schema's connection URL.
func URL(t testing.TB) string {
	t.Helper()
	_, u := Schema(t)
	return u
}

// Exec runs sql on a connection of its own to connURL, failing t if it
// fails.
func Exec(t testing.TB, connURL, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(connURL) // takes the pool's parameters too
	if err != nil {
		t.Errorf("%s: %v", Var, err)
		return
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		t.Errorf("connect: %v", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Errorf("%s: %v", sql, err)
	}
}
