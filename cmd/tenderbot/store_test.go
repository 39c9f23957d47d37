package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// TestPostgresUnreachableAtStart: a server that does not answer stops the
// bot at once with an error naming the database without its password (main
// exits 1 on it). Nothing listens on port 1, so no server is needed.
func TestPostgresUnreachableAtStart(t *testing.T) {
	setEnv(t, "")
	t.Setenv("TENDERBOT_DATABASE_URL", "postgres://bot:hunter2-secret@127.0.0.1:1/tenderbot?sslmode=disable&connect_timeout=3")
	for _, args := range [][]string{nil, {"export-event", "1", "--out", t.TempDir() + "/x"}} {
		err := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil {
			t.Fatalf("run %q with PostgreSQL unreachable: got no error", args)
		}
		msg := err.Error()
		if strings.Contains(msg, "hunter2-secret") || strings.Contains(msg, "bot:") {
			t.Errorf("run %q: error %q shows the credentials", args, msg)
		}
		if !strings.Contains(msg, "postgres://127.0.0.1:1/tenderbot") || !strings.Contains(msg, "cannot reach") {
			t.Errorf("run %q: error %q does not name the unreachable database", args, msg)
		}
	}
}

func TestDatabaseURLMustBePostgres(t *testing.T) {
	setEnv(t, "")
	t.Setenv("TENDERBOT_DATABASE_URL", "mysql://u:pw@db/tenderbot")
	err := run(context.Background(), nil, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "TENDERBOT_DATABASE_URL") || strings.Contains(err.Error(), "pw@") {
		t.Errorf("got %v, want TENDERBOT_DATABASE_URL refused without its password", err)
	}
}

// TestSessionOnPostgres runs the console bot twice on PostgreSQL: the
// profile the first run saves is there in the second, and the SQLite file
// is never made.
func TestSessionOnPostgres(t *testing.T) {
	url := pgtest.URL(t)
	open := make(chan struct{})
	close(open)
	srv := feedServer(t, open)
	db := setEnv(t, srv.URL)
	t.Setenv("TENDERBOT_DATABASE_URL", url)

	out := session(t, strings.NewReader("subscribe cpv:45 nuts:NL21\n"))
	if !strings.Contains(out, "Saved profile 1") || strings.Count(out, "+ Renovatie sporthal De Sluis") != 1 {
		t.Errorf("first run on PostgreSQL:\n%s", out)
	}
	again := session(t, strings.NewReader("profiles\nsearch renovatie\n"))
	if !strings.Contains(again, "1. cpv:45 nuts:NL21") || !strings.Contains(again, "Renovatie sporthal De Sluis") {
		t.Errorf("the second run on PostgreSQL lacks the profile or the notice:\n%s", again)
	}
	if !strings.Contains(out, "tenderbot: database postgres://") {
		t.Errorf("the start does not name the PostgreSQL database:\n%s", out)
	}
	if fileExists(db) {
		t.Errorf("a SQLite file %s was made although TENDERBOT_DATABASE_URL is set", db)
	}

	err := run(context.Background(), []string{"backup", t.TempDir() + "/copy.db"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup on PostgreSQL: got %v, want pg_dump suggested", err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
